package anon

// Distinct ℓ-diversity needs, per class, only whether the class has at
// least ℓ distinct sensitive values. When every model reading a sensitive
// attribute is distinct-ℓ, its histograms are replaced by capped sets: per
// class at most L = ⌈ℓ⌉ distinct values (L slots, a count). The union of
// capped sets, capped again, is the capped set of the union, so roll-ups
// merge them exactly in one pass over the source classes, O(L) each,
// without bucketing the source classes and without growing slices (full
// histograms cost 57 % of the adult k5_l3 searches).

// maxDistinctCap is the largest L kept as a capped set; above it merging
// one source class costs O(L²) compares and the full histogram is kept.
// A variable so that tests can force the full histograms.
var maxDistinctCap = 8

// distinctCap returns L when the histograms of sensitive attribute si can
// be capped sets of L values, else 0: every model reading it is distinct-ℓ
// with ⌈ℓ⌉ ≤ maxDistinctCap (L is the largest ⌈ℓ⌉), and there is no
// population table (addPopulation extends full histograms).
func (e *engine) distinctCap(si int) int {
	if e.p.Population != nil {
		return 0
	}
	L := 0
	for _, m := range e.models {
		if m.sens != si {
			continue
		}
		if m.kind != distinctL {
			return 0
		}
		L = max(L, distinctNeed(m.l))
	}
	if L < 1 || L > maxDistinctCap {
		return 0
	}
	return L
}

// distinctNeed is the number of distinct values that satisfies ℓ (classOK
// accepts n distinct values when n ≥ ℓ − 1e-12).
func distinctNeed(l float64) int {
	n := 1
	for float64(n) < l-1e-12 {
		n++
	}
	return n
}

// baseHist builds the histograms (or capped sets) of sensitive attribute
// si for the base classes.
func (e *engine) baseHist(si int, ids []int32, nc int, sub []bool) histo {
	s := e.sens[si]
	if L := e.distinctCap(si); L > 0 {
		return rowDistinct(ids, nc, s.col.Codes, sub, L)
	}
	return rowHist(ids, nc, s.col.Codes, sub, len(s.col.Dict))
}

// rowDistinct builds the capped sets of L values of the classes from the
// rows (ids: row → class; rows outside sub are not counted).
func rowDistinct(ids []int32, nc int, codes []uint32, sub []bool, L int) histo {
	h := histo{capL: L, set: make([]uint32, nc*L), nset: make([]uint8, nc)}
	for r, id := range ids {
		if sub == nil || sub[r] {
			h.addDistinct(int(id), codes[r:r+1])
		}
	}
	return h
}

// mergeDistinct merges the capped sets of the source classes into the
// classes they are grouped into (ids: source class → class).
func mergeDistinct(h *histo, ids []int32, nc int) histo {
	L := h.capL
	out := histo{capL: L, set: make([]uint32, nc*L), nset: make([]uint8, nc)}
	for i, id := range ids {
		if n := int(h.nset[i]); n > 0 {
			out.addDistinct(int(id), h.set[i*L:i*L+n])
		}
	}
	return out
}

// addDistinct adds the values vs to the capped set of class j; a full set
// (L values) is left as it is.
func (h *histo) addDistinct(j int, vs []uint32) {
	L := h.capL
	n := int(h.nset[j])
	if n == L {
		return
	}
	set := h.set[j*L : j*L+L]
next:
	for _, v := range vs {
		for _, x := range set[:n] {
			if x == v {
				continue next
			}
		}
		set[n] = v
		n++
		if n == L {
			break
		}
	}
	h.nset[j] = uint8(n)
}
