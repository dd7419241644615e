package jp

import (
	"strconv"
	"strings"
)

var kanjiDigit = map[rune]int{
	'〇': 0, '零': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
	'壱': 1, '弐': 2, '参': 3,
}

var kanjiUnit = map[rune]int{'十': 10, '拾': 10, '百': 100, '千': 1000}

// ParseNumber reads a non-negative integer written in ASCII or full-width
// digits (45, ４５), in kanji positional digits (二〇二四), or in kanji with
// units (四十五, 三百二, 千九百八十九). It reports false for anything else
// and for values beyond 99,999,999.
func ParseNumber(s string) (int, bool) {
	s = foldDigits(s)
	if s == "" {
		return 0, false
	}
	if allDigits(s) {
		if len(s) > 8 {
			return 0, false
		}
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	rs := []rune(s)
	positional := true
	for _, r := range rs {
		if _, ok := kanjiDigit[r]; !ok {
			positional = false
			break
		}
	}
	if positional {
		if len(rs) > 8 {
			return 0, false
		}
		n := 0
		for _, r := range rs {
			n = n*10 + kanjiDigit[r]
		}
		return n, true
	}
	return parseKanjiUnits(rs)
}

// parseKanjiUnits reads 千九百八十九 style numbers (below 10,000, with 万).
func parseKanjiUnits(rs []rune) (int, bool) {
	total, section, digit := 0, 0, -1
	lastUnit := 100000
	for _, r := range rs {
		if d, ok := kanjiDigit[r]; ok {
			if digit >= 0 {
				return 0, false // two digits in a row mixed with units
			}
			digit = d
			continue
		}
		if r == '万' {
			if digit >= 0 {
				section += digit
			}
			if section == 0 || total > 0 {
				return 0, false
			}
			total, section, digit, lastUnit = section*10000, 0, -1, 100000
			continue
		}
		u, ok := kanjiUnit[r]
		if !ok || u >= lastUnit {
			return 0, false
		}
		if digit < 0 {
			digit = 1
		}
		if digit == 0 {
			return 0, false
		}
		section += digit * u
		digit, lastUnit = -1, u
	}
	if digit >= 0 {
		section += digit
	}
	n := total + section
	return n, n > 0 || len(rs) == 0
}

// KanjiNumber writes 1–9999 in kanji with units (21 → 二十一), as used in
// 丁目 names (一丁目, 二十三丁目). Zero or other values give decimal digits.
func KanjiNumber(n int) string {
	if n <= 0 || n > 9999 {
		return strconv.Itoa(n)
	}
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	var b strings.Builder
	for _, u := range []struct {
		v int
		s string
	}{{1000, "千"}, {100, "百"}, {10, "十"}} {
		if q := n / u.v; q > 0 {
			if q > 1 {
				b.WriteString(digits[q])
			}
			b.WriteString(u.s)
			n %= u.v
		}
	}
	b.WriteString(digits[n])
	return b.String()
}
