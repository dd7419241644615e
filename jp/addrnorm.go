package jp

import (
	"strings"
	"unicode"
)

// addrNormalize prepares an address for matching: width and safe NFKC as
// Normalize, and no spaces at all.
func addrNormalize(s string) string {
	s = normalize(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// addrFold maps runes one to one, for comparing place names: ヶ/ヵ/が → ケ,
// ノ/之 → の, dashes and the long-vowel mark → '-', common old or variant
// kanji → their usual form. Applied to both sides, it can only join names
// that differ in these spellings.
func addrFold(r rune) rune {
	switch r {
	case 'ヶ', 'ヵ', 'が':
		return 'ケ'
	case 'ノ', '之':
		return 'の'
	case '‐', '‑', '‒', '–', '—', '―', '−', '－', 'ー', '─', '━', '-':
		return '-'
	}
	if v, ok := variantKanji[r]; ok {
		return v
	}
	return r
}

var variantKanji = map[rune]rune{
	'澤': '沢', '﨑': '崎', '嵜': '崎', '嶋': '島', '嶌': '島', '邊': '辺', '邉': '辺', '龍': '竜',
	'濱': '浜', '冨': '富', '髙': '高', '德': '徳', '舘': '館', '檜': '桧', '槇': '槙', '廣': '広',
	'國': '国', '條': '条', '藏': '蔵', '齋': '斎', '齊': '斉', '淵': '渕', '惠': '恵', '與': '与',
	'驛': '駅', '萬': '万', '櫻': '桜', '瀨': '瀬', '壽': '寿', '靜': '静', '鹽': '塩', '實': '実',
}

// foldRunes folds a normalised string rune by rune (same length).
func foldRunes(rs []rune) []rune {
	out := make([]rune, len(rs))
	for i, r := range rs {
		out[i] = addrFold(r)
	}
	return out
}

// addrKey is the matching key of a place name.
func addrKey(s string) string { return string(foldRunes([]rune(addrNormalize(s)))) }
