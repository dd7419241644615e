package jp

import (
	"strings"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// Normalization keeps a value as given next to its normalised form.
type Normalization struct {
	Original   string
	Normalized string
}

// NormalizeWidth folds character width the way Japanese data should be
// compared and stored: full-width ASCII letters, digits and symbols become
// half-width (Ａ１ → A1), half-width katakana become full-width (ｶﾞ → ガ, one
// character; a combining voiced mark is composed), the ideographic space
// U+3000 becomes an ASCII space. Nothing else changes.
func NormalizeWidth(s string) string {
	s = width.Fold.String(s)
	if strings.ContainsAny(s, "\u3099\u309A") { // ｶﾞ folds to カ + combining mark
		s = norm.NFC.String(s)
	}
	return strings.ReplaceAll(s, "\u3000", " ")
}

// Normalize applies NFKC only where it is safe for Japanese records: width
// (as NormalizeWidth), then NFKC on each character except those whose
// compatibility mapping changes their meaning in administrative data (①→1,
// ㈱→(株), ㍻→平成, ½→1/2, superscripts, ℡ …), which are kept as written;
// runs of spaces are collapsed and the result trimmed. Use the returned
// Normalization to keep the original.
func Normalize(s string) Normalization {
	return Normalization{Original: s, Normalized: normalize(s)}
}

func normalize(s string) string {
	s = NormalizeWidth(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if unsafeNFKC(r) {
			b.WriteRune(r)
			continue
		}
		b.WriteString(norm.NFKC.String(string(r)))
	}
	return norm.NFC.String(b.String())
}

// unsafeNFKC lists characters whose NFKC form changes what they say: circled
// and parenthesised numbers and ideographs, squared era names and units,
// fractions, super- and subscripts, roman numerals and letter-like symbols.
func unsafeNFKC(r rune) bool {
	switch {
	case r >= 0x2460 && r <= 0x24FF, // ① ⑴ ⒜ Ⓐ
		r >= 0x3200 && r <= 0x33FF, // ㈱ ㊤ ㍻ ㎡
		r >= 0x2150 && r <= 0x218F, // ½ Ⅰ ⅰ
		r >= 0x2070 && r <= 0x209F, // superscripts, subscripts
		r == 0xB2 || r == 0xB3 || r == 0xB9 || r == 0xBC || r == 0xBD || r == 0xBE,
		r >= 0x2100 && r <= 0x214F,   // ℡ № ℃
		r >= 0x1F100 && r <= 0x1F2FF: // enclosed alphanumerics and ideographs
		return true
	}
	return false
}

// FoldForMatch returns a key for comparing Japanese strings: Normalize, plus
// the CP932 "wave dash" pairs (〜/～, −/－, ‖/∥, ¢/￠, £/￡, ¬/￢, —/―) folded
// to one form, hyphen-like dashes (‐ ‑ ‒ – — ― − －) to '-', and ヶ/ヵ/ｹ to ケ
// (が is left alone here: the address matcher tries it as a variant). Only
// for keys: never store the folded text.
func FoldForMatch(s string) string {
	s = cp932Fold.Replace(s)
	s = normalize(s)
	return matchFold.Replace(s)
}

var matchFold = strings.NewReplacer(
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2015", "-",
	"\u2212", "-", "\uFF0D", "-", "\uFF5E", "~", "\u301C", "~", "\u2225", "\u2016",
	"ヶ", "ケ", "ヵ", "ケ", "ｹ", "ケ",
)
