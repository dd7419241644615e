package anon

// Pair pre-check. Before the search, the k-anonymity part is decided
// cheaply for "virtual" transformations that generalise all but two
// quasi-identifiers to the root: their classes are the cells of a
// two-dimensional count table, built once per pair from the base classes.
// When the records in cells of fewer than k records exceed the suppression
// limit, every transformation whose levels on the pair are at most these
// fails k-anonymity (it refines the virtual one), so its whole down-set is
// tagged failing without grouping. Other models never weaken this: a
// record suppressed for k-anonymity stays suppressed.

const pairCellsMax = 1 << 20

func (s *searcher) pairPrecheck() {
	e := s.e
	k := int64(0)
	for _, m := range e.models {
		if m.kind == kAnon && m.k > k {
			k = m.k
		}
	}
	if k <= 1 || len(e.attrs) < 2 {
		return
	}
	base := e.base
	top := make([]int, len(e.attrs))
	for ai, a := range e.attrs {
		top[ai] = a.maxL
	}
	node := make([]int, len(e.attrs))
	for a := 0; a < len(e.attrs); a++ {
		for b := a + 1; b < len(e.attrs); b++ {
			A, B := e.attrs[a], e.attrs[b]
			da, db := len(A.labels[A.minL]), len(B.labels[B.minL])
			if da*db > pairCellsMax {
				continue
			}
			cells := make([]int64, da*db)
			ca, cb := base.codes[a], base.codes[b]
			for i, c := range base.count {
				if c > 0 {
					cells[int(ca[i])*db+int(cb[i])] += c
				}
			}
			type cell struct {
				x, y uint32
				c    int64
			}
			var nz []cell
			for i, c := range cells {
				if c > 0 {
					nz = append(nz, cell{uint32(i / db), uint32(i % db), c})
				}
			}
			for la := A.minL; la <= A.maxL; la++ {
				ma := A.lift[A.minL][la]
				for lb := B.minL; lb <= B.maxL; lb++ {
					copy(node, top)
					node[a], node[b] = la, lb
					idx := e.encode(node)
					if s.tags[idx] == tagFail {
						continue
					}
					mb := B.lift[B.minL][lb]
					nb := len(B.labels[lb])
					agg := make([]int64, len(A.labels[la])*nb)
					for _, z := range nz {
						agg[int(ma[z.x])*nb+int(mb[z.y])] += z.c
					}
					small := int64(0)
					for _, c := range agg {
						if c > 0 && c < k {
							small += c
						}
					}
					if small > e.maxSupp {
						s.tag(idx, tagFail, -1)
					}
				}
			}
		}
	}
}
