package sdc

import (
	"github.com/tokumei/tokumei/fault"
)

// MDAVBlocked microaggregates large files: it first splits the records at
// medians of the widest numeric column (as Mondrian does, "MONA") into
// blocks of at most blockSize records and at least k, then runs MDAV (or
// Gower MDAV when cat is not empty) inside each block. Every group still
// has at least k records; the cost falls from O(n²/k) to O(n·blockSize/k).
func MDAVBlocked(num [][]float64, cat [][]string, k, blockSize int) (*Microaggregation, error) {
	if len(num) == 0 {
		return nil, fault.New(fault.Invalid, "blocked MDAV needs a numeric column to split on", "分割に使う数値の列が必要です")
	}
	if blockSize < 2*k {
		blockSize = 2 * k
	}
	n := len(num[0])
	if n < k {
		return nil, fault.Errorf(fault.Unsatisfiable, "microaggregation: %d records, fewer than k = %d", n, k)
	}
	span := make([]float64, len(num))
	for j, c := range num {
		lo, hi := minMax(c, nil)
		span[j] = hi - lo
	}
	var blocks [][]int
	var split func(idx []int)
	split = func(idx []int) {
		if len(idx) > blockSize {
			for _, j := range dimsByWidth(num, span, idx) {
				if l, r, ok := medianSplit(num[j], idx, k); ok {
					split(l)
					split(r)
					return
				}
			}
		}
		blocks = append(blocks, idx)
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	split(all)
	out := &Microaggregation{Num: make([][]float64, len(num)), Cat: make([][]string, len(cat))}
	for j := range num {
		out.Num[j] = make([]float64, n)
	}
	for j := range cat {
		out.Cat[j] = make([]string, n)
	}
	for _, b := range blocks {
		sn := make([][]float64, len(num))
		for j, c := range num {
			sn[j] = make([]float64, len(b))
			for x, i := range b {
				sn[j][x] = c[i]
			}
		}
		sc := make([][]string, len(cat))
		for j, c := range cat {
			sc[j] = make([]string, len(b))
			for x, i := range b {
				sc[j][x] = c[i]
			}
		}
		m, err := mdav(sn, sc, k, len(cat) > 0)
		if err != nil {
			return nil, err
		}
		for _, g := range m.Groups {
			gg := make([]int, len(g))
			for x, i := range g {
				gg[x] = b[i]
			}
			out.Groups = append(out.Groups, gg)
		}
		for j := range num {
			for x, i := range b {
				out.Num[j][i] = m.Num[j][x]
			}
		}
		for j := range cat {
			for x, i := range b {
				out.Cat[j][i] = m.Cat[j][x]
			}
		}
	}
	return out, nil
}
