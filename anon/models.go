package anon

import (
	"math"
	"sort"

	"github.com/tokumei/tokumei/fault"
)

// sensitive is a sensitive attribute used by ℓ-diversity or t-closeness.
type sensitive struct {
	name   string
	col    *Column
	global []float64 // share of each value over all records
	order  []int     // rank of each value (ordered distance)
	tree   *sensTree // hierarchical distance
}

type modelKind int

const (
	kAnon modelKind = iota
	distinctL
	entropyL
	recursiveCL
	equalT
	orderedT
	hierarchicalT
	deltaPresence
	kMap
)

// model is a compiled privacy model.
type model struct {
	kind       modelKind
	k          int64
	l, c, t    float64
	dmin, dmax float64
	sens       int // index into engine.sens
}

// monotone tells whether the model stays monotonic with suppression: if a
// transformation satisfies it within the limit, every more general one does.
func (m model) monotone() bool {
	return m.kind == kAnon || m.kind == distinctL || m.kind == kMap
}

func (e *engine) compileModels() error {
	for i, ms := range e.p.Models {
		field := fmtS("privacy[%d]", i)
		m := model{k: int64(ms.K), l: ms.L, c: ms.C, t: ms.T, dmin: ms.DeltaMin, dmax: ms.DeltaMax, sens: -1}
		switch ms.Model {
		case modelK:
			m.kind = kAnon
		case modelKMap:
			m.kind = kMap
			if e.p.Population == nil {
				return fault.New(fault.Invalid, "k-map needs a population table", "k-map には母集団表が必要です").In(field)
			}
			e.hasPop = true
		case modelDeltaPresence:
			m.kind = deltaPresence
			if e.p.Subset == nil {
				return fault.New(fault.Invalid, "delta-presence needs a research subset", "δ-presence には研究用サブセットが必要です").In(field)
			}
			e.hasPop = true
		case modelDistinctL:
			m.kind = distinctL
		case modelEntropyL:
			m.kind = entropyL
		case modelRecursiveCL:
			m.kind = recursiveCL
		case modelEqualT:
			m.kind = equalT
		case modelOrderedT:
			m.kind = orderedT
		case modelHierarchicalT:
			m.kind = hierarchicalT
		default:
			return fault.Errorf(fault.Invalid, "unknown privacy model %q", ms.Model).In(field)
		}
		if m.kind >= distinctL && m.kind <= hierarchicalT {
			si, err := e.sensitiveIndex(ms.Attribute, m.kind)
			if err != nil {
				return err.(*fault.Error).In(field)
			}
			m.sens = si
		}
		e.models = append(e.models, m)
	}
	if e.p.Population != nil && e.p.Subset != nil {
		return fault.New(fault.Invalid, "k-map and delta-presence cannot be combined", "k-map と δ-presence は併用できません").In("privacy")
	}
	return nil
}

func (e *engine) sensitiveIndex(name string, kind modelKind) (int, error) {
	for i, s := range e.sens {
		if s.name == name {
			if err := e.prepareDistance(s, kind); err != nil {
				return 0, err
			}
			return i, nil
		}
	}
	col := e.p.Table.Column(name)
	if col == nil {
		return 0, fault.Errorf(fault.Invalid, "sensitive attribute %q is not a column of the input", name)
	}
	for _, a := range e.attrs {
		if a.name == name {
			return 0, fault.Errorf(fault.Invalid, "%q cannot be both quasi-identifying and sensitive", name)
		}
	}
	s := &sensitive{name: name, col: col}
	cnt := make([]float64, len(col.Dict))
	total := 0.0
	for r, c := range col.Codes {
		if e.p.Subset == nil || e.p.Subset[r] {
			cnt[c]++
			total++
		}
	}
	for i := range cnt {
		cnt[i] /= math.Max(total, 1)
	}
	s.global = cnt
	e.sens = append(e.sens, s)
	if err := e.prepareDistance(s, kind); err != nil {
		return 0, err
	}
	return len(e.sens) - 1, nil
}

func (e *engine) prepareDistance(s *sensitive, kind modelKind) error {
	h := e.p.SensitiveHierarchies[s.name]
	switch kind {
	case orderedT:
		if s.order == nil {
			s.order = valueOrder(s.col.Dict, h)
		}
	case hierarchicalT:
		if s.tree != nil {
			return nil
		}
		if h == nil {
			return fault.Errorf(fault.Invalid, "hierarchical t-closeness needs a hierarchy for %q", s.name)
		}
		t, err := newSensTree(h, s.col.Dict)
		if err != nil {
			return err
		}
		s.tree = t
	}
	return nil
}

// valueOrder ranks values: numerically when all are numbers, else in the
// order of the hierarchy's rows when one is given, else lexically.
func valueOrder(dict []string, h *Hierarchy) []int {
	idx := make([]int, len(dict))
	for i := range idx {
		idx[i] = i
	}
	nums := make([]float64, len(dict))
	allNum := true
	for i, v := range dict {
		f, ok := parseNumber(v)
		nums[i] = f
		allNum = allNum && ok
	}
	pos := map[string]int{}
	if h != nil {
		for i, row := range h.Rows {
			pos[row[0]] = i
		}
	}
	sort.SliceStable(idx, func(x, y int) bool {
		a, b := idx[x], idx[y]
		if allNum {
			return nums[a] < nums[b]
		}
		if h != nil {
			pa, oka := pos[dict[a]]
			pb, okb := pos[dict[b]]
			if oka && okb {
				return pa < pb
			}
		}
		return dict[a] < dict[b]
	})
	rank := make([]int, len(dict))
	for r, i := range idx {
		rank[i] = r
	}
	return rank
}

// classOK tells whether class j of s satisfies every model (only classes
// with records are checked). monoOK reports the monotone models alone.
func (e *engine) classOK(w *worker, s *snap, j int) (ok, monoOK bool) {
	ok, monoOK = true, true
	cnt := s.count[j]
	for _, m := range e.models {
		var good bool
		switch m.kind {
		case kAnon:
			good = cnt >= m.k
		case kMap:
			good = s.pop[j] >= m.k
		case deltaPresence:
			d := float64(cnt) / float64(s.pop[j])
			good = d >= m.dmin-1e-12 && d <= m.dmax+1e-12
		case distinctL:
			h := &s.hist[m.sens]
			good = float64(distinct(h, j)) >= m.l-1e-12
		case entropyL:
			good = entropyOf(&s.hist[m.sens], j, cnt) >= math.Log(m.l)-1e-12
		case recursiveCL:
			good = recursiveOK(w, &s.hist[m.sens], j, m.c, m.l)
		case equalT, orderedT, hierarchicalT:
			good = e.tDistance(w, m, s, j) <= m.t+1e-12
		}
		if !good {
			ok = false
			if m.monotone() {
				monoOK = false
				return
			}
		}
	}
	return
}

// distinct counts the distinct values of class j (of a capped set: at
// most its cap, which is enough for every distinct-ℓ model reading it).
func distinct(h *histo, j int) int {
	if h.masked {
		return h.distinctMask(j)
	}
	if h.capL > 0 {
		return int(h.nset[j])
	}
	n := 0
	for p := h.off[j]; p < h.off[j+1]; p++ {
		if h.cnt[p] > 0 {
			n++
		}
	}
	return n
}

func entropyOf(h *histo, j int, total int64) float64 {
	H := 0.0
	for p := h.off[j]; p < h.off[j+1]; p++ {
		if c := h.cnt[p]; c > 0 {
			q := float64(c) / float64(total)
			H -= q * math.Log(q)
		}
	}
	return H
}

func recursiveOK(w *worker, h *histo, j int, c, l float64) bool {
	counts := w.stamp[:0]
	for p := h.off[j]; p < h.off[j+1]; p++ {
		if h.cnt[p] > 0 {
			counts = append(counts, int(h.cnt[p]))
		}
	}
	w.stamp = counts
	li := int(math.Ceil(l - 1e-12))
	if len(counts) < li {
		return false
	}
	sort.Sort(sort.Reverse(sort.IntSlice(counts)))
	tail := 0
	for _, x := range counts[li-1:] {
		tail += x
	}
	return float64(counts[0]) < c*float64(tail)
}
