package sdc

import (
	"math"
	"sort"
	"strconv"

	"github.com/tokumei/tokumei/fault"
)

// Microaggregation is the result of MDAV: the groups (record indices, each
// of at least k records) and the aggregated columns.
type Microaggregation struct {
	Groups [][]int     `json:"groups"`
	Num    [][]float64 `json:"-"` // numeric columns with group means
	Cat    [][]string  `json:"-"` // categorical columns with group modes
}

// MDAV microaggregates numeric columns (column-major, equal lengths, no
// NaN) with the Maximum Distance to Average Vector heuristic
// (Domingo-Ferrer & Mateo-Sanz 2002) on standardised values and Euclidean
// distance: every group has between k and 2k-1 records, and each value is
// replaced by its group's mean.
func MDAV(num [][]float64, k int) (*Microaggregation, error) {
	return mdav(num, nil, k, false)
}

// MDAVGower microaggregates mixed data (sdcMicro microaggrGower): distance
// is Gower's (numeric |a-b|/range, categorical 0/1, averaged over the
// variables); numeric values become group means and categorical values
// group modes (ties broken by the smallest value).
func MDAVGower(num [][]float64, cat [][]string, k int) (*Microaggregation, error) {
	return mdav(num, cat, k, true)
}

type space struct {
	num   [][]float64 // standardised (Euclid) or range-scaled (Gower)
	cat   [][]string
	gower bool
	nvar  float64
}

type point struct {
	num []float64
	cat []string
}

func (s *space) dist(i int, p point) float64 {
	var d float64
	for j, c := range s.num {
		x := c[i] - p.num[j]
		if s.gower {
			d += math.Abs(x)
		} else {
			d += x * x
		}
	}
	for j, c := range s.cat {
		if c[i] != p.cat[j] {
			d++
		}
	}
	if s.gower {
		return d / s.nvar
	}
	return d
}

func (s *space) at(i int) point {
	p := point{num: make([]float64, len(s.num)), cat: make([]string, len(s.cat))}
	for j, c := range s.num {
		p.num[j] = c[i]
	}
	for j, c := range s.cat {
		p.cat[j] = c[i]
	}
	return p
}

func (s *space) centroid(idx []int) point {
	p := point{num: make([]float64, len(s.num)), cat: make([]string, len(s.cat))}
	for j, c := range s.num {
		var sum float64
		for _, i := range idx {
			sum += c[i]
		}
		p.num[j] = sum / float64(len(idx))
	}
	for j, c := range s.cat {
		p.cat[j] = mode(c, idx)
	}
	return p
}

func mode(c []string, idx []int) string {
	cnt := map[string]int{}
	best, bc := "", -1
	for _, i := range idx {
		cnt[c[i]]++
	}
	for v, n := range cnt {
		if n > bc || (n == bc && v < best) {
			best, bc = v, n
		}
	}
	return best
}

func mdav(num [][]float64, cat [][]string, k int, gower bool) (*Microaggregation, error) {
	n := -1
	for _, c := range num {
		if n >= 0 && len(c) != n {
			return nil, fault.Errorf(fault.Invalid, "microaggregation: columns of different lengths")
		}
		n = len(c)
	}
	for _, c := range cat {
		if n >= 0 && len(c) != n {
			return nil, fault.Errorf(fault.Invalid, "microaggregation: columns of different lengths")
		}
		n = len(c)
	}
	if k < 1 {
		return nil, fault.New(fault.Invalid, "k must be at least 1", "kは1以上で指定してください").In("k")
	}
	if n < k {
		return nil, fault.Errorf(fault.Unsatisfiable, "microaggregation: %d records, fewer than k = %d", n, k)
	}
	s := &space{cat: cat, gower: gower, nvar: float64(len(num) + len(cat))}
	for _, c := range num {
		sc := make([]float64, len(c))
		m, sd := meanSD(c)
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range c {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		for i, v := range c {
			switch {
			case gower && hi > lo:
				sc[i] = v / (hi - lo)
			case !gower && sd > 0:
				sc[i] = (v - m) / sd
			}
		}
		s.num = append(s.num, sc)
	}
	rest := make([]int, n)
	for i := range rest {
		rest[i] = i
	}
	var groups [][]int
	for len(rest) >= 3*k {
		c := s.centroid(rest)
		r := farthest(s, rest, c)
		g1, rem := nearest(s, rest, s.at(r), k)
		sp := farthest(s, rem, s.at(r))
		g2, rem2 := nearest(s, rem, s.at(sp), k)
		groups = append(groups, g1, g2)
		rest = rem2
	}
	if len(rest) >= 2*k {
		r := farthest(s, rest, s.centroid(rest))
		g, rem := nearest(s, rest, s.at(r), k)
		groups = append(groups, g)
		rest = rem
	}
	if len(rest) > 0 {
		groups = append(groups, rest)
	}
	out := &Microaggregation{Groups: groups}
	for _, c := range num {
		o := append([]float64(nil), c...)
		for _, g := range groups {
			var sum float64
			for _, i := range g {
				sum += c[i]
			}
			for _, i := range g {
				o[i] = sum / float64(len(g))
			}
		}
		out.Num = append(out.Num, o)
	}
	for _, c := range cat {
		o := append([]string(nil), c...)
		for _, g := range groups {
			m := mode(c, g)
			for _, i := range g {
				o[i] = m
			}
		}
		out.Cat = append(out.Cat, o)
	}
	return out, nil
}

// farthest returns the record of idx farthest from p (the first on ties).
func farthest(s *space, idx []int, p point) int {
	best, bd := idx[0], -1.0
	for _, i := range idx {
		if d := s.dist(i, p); d > bd {
			best, bd = i, d
		}
	}
	return best
}

// nearest splits idx into the k records nearest to p (ties broken by the
// lower record index) and the rest, in O(n log k).
func nearest(s *space, idx []int, p point, k int) ([]int, []int) {
	h := &maxHeap{}
	for _, i := range idx {
		d := s.dist(i, p)
		if h.Len() < k {
			h.push(rd{i, d})
		} else if less(rd{i, d}, h.items[0]) {
			h.items[0] = rd{i, d}
			h.down(0)
		}
	}
	in := make(map[int]bool, k)
	g := make([]int, 0, k)
	for _, x := range h.items {
		in[x.i] = true
		g = append(g, x.i)
	}
	sort.Ints(g)
	rest := make([]int, 0, len(idx)-k)
	for _, i := range idx {
		if !in[i] {
			rest = append(rest, i)
		}
	}
	return g, rest
}

type rd struct {
	i int
	d float64
}

func less(a, b rd) bool { return a.d < b.d || a.d == b.d && a.i < b.i }

// maxHeap keeps the k nearest so far with the farthest on top.
type maxHeap struct{ items []rd }

func (h *maxHeap) Len() int { return len(h.items) }

func (h *maxHeap) push(x rd) {
	h.items = append(h.items, x)
	for c := len(h.items) - 1; c > 0; {
		p := (c - 1) / 2
		if !less(h.items[p], h.items[c]) {
			break
		}
		h.items[p], h.items[c] = h.items[c], h.items[p]
		c = p
	}
}

func (h *maxHeap) down(p int) {
	n := len(h.items)
	for {
		c := 2*p + 1
		if c >= n {
			return
		}
		if c+1 < n && less(h.items[c], h.items[c+1]) {
			c++
		}
		if !less(h.items[p], h.items[c]) {
			return
		}
		h.items[p], h.items[c] = h.items[c], h.items[p]
		p = c
	}
}

// ParseFloats reads a numeric column; empty cells and "*" become NaN. It
// returns an error naming the 1-based row of the first bad cell.
func ParseFloats(col []string) ([]float64, error) {
	out := make([]float64, len(col))
	for i, c := range col {
		if c == "" || c == "*" {
			out[i] = math.NaN()
			continue
		}
		v, err := strconv.ParseFloat(c, 64)
		if err != nil {
			return nil, fault.New(fault.Invalid, "not a number", "数値ではありません").At("", i+1, 0)
		}
		out[i] = v
	}
	return out, nil
}
