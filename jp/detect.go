package jp

import (
	"bytes"
	"unicode/utf8"
)

// DetectEncoding guesses the encoding of the start of a file:
//   - a BOM decides (utf-8-bom, utf-16le, utf-16be; confidence 1);
//   - text that is valid UTF-8 and has non-ASCII characters is utf-8
//     (confidence grows with their number, up to 0.99);
//   - pure ASCII is reported as utf-8 with confidence 0.5 (any of the
//     encodings would do; callers may look again at the first non-ASCII line);
//   - otherwise the sample is decoded as CP932 and as EUC-JP; the one with no
//     undecodable bytes, or with more common Japanese characters (kana, kanji,
//     full-width forms) and fewer half-width katakana, wins.
//
// A sample cut in the middle of a character is fine: the last incomplete line
// is ignored when the sample has more than one.
func DetectEncoding(sample []byte) Detection {
	switch {
	case bytes.HasPrefix(sample, []byte{0xEF, 0xBB, 0xBF}):
		return Detection{UTF8BOM, 1}
	case bytes.HasPrefix(sample, []byte{0xFF, 0xFE}):
		return Detection{UTF16LE, 1}
	case bytes.HasPrefix(sample, []byte{0xFE, 0xFF}):
		return Detection{UTF16BE, 1}
	}
	if i := bytes.LastIndexByte(sample, '\n'); i > 0 {
		sample = sample[:i+1]
	}
	nonASCII := 0
	for _, c := range sample {
		if c >= 0x80 {
			nonASCII++
		}
	}
	if nonASCII == 0 {
		return Detection{UTF8, 0.5}
	}
	if utf8.Valid(trimPartialRune(sample)) {
		c := 0.8 + 0.01*float64(utf8.RuneCount(sample)-(len(sample)-nonASCII))
		return Detection{UTF8, min(c, 0.99)}
	}
	sj := scoreLegacy(CP932, sample)
	eu := scoreLegacy(EUCJP, sample)
	switch {
	case sj.bad == 0 && eu.bad > 0:
		return Detection{CP932, 0.9 + 0.09*sj.common}
	case eu.bad == 0 && sj.bad > 0:
		return Detection{EUCJP, 0.9 + 0.09*eu.common}
	case sj.bad == 0 && eu.bad == 0:
		if eu.common-eu.halfKana > sj.common-sj.halfKana {
			return Detection{EUCJP, 0.5 + 0.4*(eu.common-sj.common+sj.halfKana)/2}
		}
		return Detection{CP932, 0.5 + 0.4*max(0, sj.common-eu.common+eu.halfKana)/2}
	}
	// Both fail somewhere: name the likelier; reading reports the bad byte.
	if eu.bad < sj.bad {
		return Detection{EUCJP, 0.2}
	}
	return Detection{CP932, 0.2}
}

// trimPartialRune drops an incomplete UTF-8 sequence at the very end.
func trimPartialRune(b []byte) []byte {
	for k := 1; k <= 3 && k <= len(b); k++ {
		c := b[len(b)-k]
		if c < 0x80 {
			return b
		}
		if c >= 0xC0 { // a lead byte: is the sequence complete?
			if !utf8.FullRune(b[len(b)-k:]) {
				return b[:len(b)-k]
			}
			return b
		}
	}
	return b
}

type legacyScore struct {
	bad      int     // undecodable characters (a last one cut by the sample end is forgiven)
	common   float64 // share of non-ASCII characters that are common Japanese
	halfKana float64 // share that are half-width katakana
}

func scoreLegacy(name string, sample []byte) legacyScore {
	d, _ := NewDecoder(name)
	var out []byte
	var err error
	if name == CP932 && hasUDA(sample) {
		out, err = d.decodeCP932UDA(sample) // 外字 are not errors
	} else {
		out, err = d.transform(sample)
	}
	if err != nil {
		return legacyScore{bad: 1 << 30}
	}
	var s legacyScore
	total, common, half := 0, 0, 0
	for i := 0; i < len(out); {
		r, n := utf8.DecodeRune(out[i:])
		i += n
		if r < 0x80 {
			continue
		}
		total++
		switch {
		case r == utf8.RuneError || (r >= 0x80 && r <= 0x9f):
			if i < len(out) {
				s.bad++
			}
		case r >= 0x3040 && r <= 0x30FF, r >= 0x4E00 && r <= 0x9FFF,
			r >= 0xFF01 && r <= 0xFF5E, r >= 0x3000 && r <= 0x303F:
			common++
		case r >= 0xFF61 && r <= 0xFF9F:
			half++
		}
	}
	if total > 0 {
		s.common = float64(common) / float64(total)
		s.halfKana = float64(half) / float64(total)
	}
	return s
}
