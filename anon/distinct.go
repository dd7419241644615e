package anon

import "math/bits"

// Distinct ℓ-diversity needs, per class, only the number of distinct
// sensitive values (at most up to ℓ). When every model reading a sensitive
// attribute is distinct-ℓ, its histograms are replaced by sets that roll up
// exactly in one pass over the source classes, without bucketing them and
// without growing slices (full histograms cost 57 % of the adult k5_l3
// searches):
//   - a bit set per class when the attribute has at most 64 values
//     (merging is an OR, the count a population count);
//   - else a capped set of at most L = ⌈ℓ⌉ values per class (L slots and a
//     count): the union of capped sets, capped again, is the capped set of
//     the union, and a class with L values is saturated.

// maxMaskDomain is the largest dictionary kept as bit sets, maxDistinctCap
// the largest L kept as capped sets (above it merging one source class
// costs O(L²) compares and the full histogram is kept). Variables so that
// tests can force the other representations.
var (
	maxMaskDomain  = 64
	maxDistinctCap = 8
)

// distinctSets tells how the histograms of sensitive attribute si can be
// replaced: bit sets (mask), capped sets of L values (L > 0) or not at all.
// Every model reading the attribute must be distinct-ℓ (L is the largest
// ⌈ℓ⌉), and there must be no population table (addPopulation extends full
// histograms).
func (e *engine) distinctSets(si int) (mask bool, L int) {
	if e.p.Population != nil {
		return false, 0
	}
	for _, m := range e.models {
		if m.sens != si {
			continue
		}
		if m.kind != distinctL {
			return false, 0
		}
		L = max(L, distinctNeed(m.l))
	}
	switch {
	case L == 0:
		return false, 0
	case len(e.sens[si].col.Dict) <= maxMaskDomain:
		return true, 0
	case L > maxDistinctCap:
		return false, 0
	}
	return false, L
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
	mask, L := e.distinctSets(si)
	if mask {
		return rowMasks(ids, nc, s.col.Codes, sub)
	}
	if L > 0 {
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

// rowMasks builds the bit sets of the classes from the rows.
func rowMasks(ids []int32, nc int, codes []uint32, sub []bool) histo {
	h := histo{masked: true, mask: make([]uint64, nc)}
	for r, id := range ids {
		if sub == nil || sub[r] {
			h.mask[id] |= 1 << codes[r]
		}
	}
	return h
}

// mergeMasks ORs the bit sets of the source classes into the classes they
// are grouped into.
func mergeMasks(h *histo, ids []int32, nc int) histo {
	out := histo{masked: true, mask: make([]uint64, nc)}
	src := h.mask[:len(ids)] // no bounds checks on src[i]
	for i, id := range ids {
		out.mask[id] |= src[i]
	}
	return out
}

// distinctMask counts the values of class j's bit set.
func (h *histo) distinctMask(j int) int {
	return bits.OnesCount64(h.mask[j])
}
