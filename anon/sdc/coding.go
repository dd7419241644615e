package sdc

import (
	"strconv"
	"strings"
)

// TopCode replaces every value above top by top (トップコーディング) and
// returns how many values changed. NaN values are left alone.
func TopCode(x []float64, top float64) int {
	n := 0
	for i, v := range x {
		if v > top {
			x[i] = top
			n++
		}
	}
	return n
}

// BottomCode replaces every value below bottom by bottom and returns how
// many values changed.
func BottomCode(x []float64, bottom float64) int {
	n := 0
	for i, v := range x {
		if v < bottom {
			x[i] = bottom
			n++
		}
	}
	return n
}

// TopCodeStrings replaces every numeric cell ≥ top by label (e.g. "90以上")
// and returns how many cells changed. Cells that are not numbers are kept.
func TopCodeStrings(col []string, top float64, label string) int {
	return codeStrings(col, label, func(v float64) bool { return v >= top })
}

// BottomCodeStrings replaces every numeric cell ≤ bottom by label.
func BottomCodeStrings(col []string, bottom float64, label string) int {
	return codeStrings(col, label, func(v float64) bool { return v <= bottom })
}

func codeStrings(col []string, label string, hit func(float64) bool) int {
	n := 0
	for i, c := range col {
		v, err := strconv.ParseFloat(strings.TrimSpace(c), 64)
		if err == nil && hit(v) {
			col[i] = label
			n++
		}
	}
	return n
}

// Quantile returns the q-quantile (0 ≤ q ≤ 1) of x by linear interpolation
// between order statistics, ignoring NaN; used to pick top-coding
// thresholds such as the 99.9th percentile.
func Quantile(x []float64, q float64) float64 {
	s := make([]float64, 0, len(x))
	for _, v := range x {
		if v == v {
			s = append(s, v)
		}
	}
	if len(s) == 0 {
		return 0
	}
	sortFloats(s)
	pos := q * float64(len(s)-1)
	lo := int(pos)
	if lo >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[lo] + (pos-float64(lo))*(s[lo+1]-s[lo])
}
