package sdc

import (
	"math"
	"sort"
	"strconv"

	"github.com/tokumei/tokumei/fault"
)

// Recoding is the result of Mondrian: the partitions (each of at least k
// records) and, per column, each record's value recoded to its partition's
// range ("lo-hi", or the value when lo = hi).
type Recoding struct {
	Groups [][]int    `json:"-"`
	Cols   [][]string `json:"-"`
}

// Mondrian recodes numeric quasi-identifiers by strict multidimensional
// partitioning (LeFevre, DeWitt & Ramakrishnan 2006): a partition is split
// at the median of the column with the widest normalised range when both
// halves keep at least k records; records then get their partition's range
// on every column (local recoding).
func Mondrian(num [][]float64, k int) (*Recoding, error) {
	if len(num) == 0 {
		return nil, fault.New(fault.Invalid, "Mondrian needs at least one column", "列を1つ以上指定してください")
	}
	n := len(num[0])
	for _, c := range num {
		if len(c) != n {
			return nil, fault.Errorf(fault.Invalid, "Mondrian: columns of different lengths")
		}
		for _, v := range c {
			if math.IsNaN(v) {
				return nil, fault.New(fault.Invalid, "Mondrian: missing numeric value", "数値が欠損しています")
			}
		}
	}
	if k < 1 || n < k {
		return nil, fault.Errorf(fault.Unsatisfiable, "Mondrian: %d records, k = %d", n, k)
	}
	span := make([]float64, len(num))
	for j, c := range num {
		lo, hi := minMax(c, nil)
		span[j] = hi - lo
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	rec := &Recoding{}
	var split func(idx []int)
	split = func(idx []int) {
		for _, j := range dimsByWidth(num, span, idx) {
			l, r, ok := medianSplit(num[j], idx, k)
			if ok {
				split(l)
				split(r)
				return
			}
		}
		rec.Groups = append(rec.Groups, idx)
	}
	split(all)
	for _, c := range num {
		out := make([]string, n)
		for _, g := range rec.Groups {
			lo, hi := minMax(c, g)
			label := fmtNum(lo)
			if hi > lo {
				label += "-" + fmtNum(hi)
			}
			for _, i := range g {
				out[i] = label
			}
		}
		rec.Cols = append(rec.Cols, out)
	}
	return rec, nil
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func minMax(c []float64, idx []int) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	if idx == nil {
		for _, v := range c {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		return lo, hi
	}
	for _, i := range idx {
		lo, hi = math.Min(lo, c[i]), math.Max(hi, c[i])
	}
	return lo, hi
}

// dimsByWidth orders the columns by their normalised range in idx, widest first.
func dimsByWidth(num [][]float64, span []float64, idx []int) []int {
	w := make([]float64, len(num))
	dims := make([]int, len(num))
	for j, c := range num {
		dims[j] = j
		lo, hi := minMax(c, idx)
		if span[j] > 0 {
			w[j] = (hi - lo) / span[j]
		}
	}
	sort.SliceStable(dims, func(a, b int) bool { return w[dims[a]] > w[dims[b]] })
	return dims
}

// medianSplit splits idx at the median of c without separating equal
// values; ok is false when a side would have fewer than k records.
func medianSplit(c []float64, idx []int, k int) (l, r []int, ok bool) {
	s := append([]int(nil), idx...)
	sort.SliceStable(s, func(a, b int) bool { return c[s[a]] < c[s[b]] })
	m := len(s) / 2
	med := c[s[m]]
	// First try "< median", then "≤ median".
	for _, cut := range []int{lowerBound(c, s, med), upperBound(c, s, med)} {
		if cut >= k && len(s)-cut >= k {
			return s[:cut], s[cut:], true
		}
	}
	return nil, nil, false
}

func lowerBound(c []float64, s []int, v float64) int {
	return sort.Search(len(s), func(i int) bool { return c[s[i]] >= v })
}

func upperBound(c []float64, s []int, v float64) int {
	return sort.Search(len(s), func(i int) bool { return c[s[i]] > v })
}
