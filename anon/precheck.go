package anon

// Projection pre-check. Before the search, the k-anonymity part is decided
// cheaply for the transformations that generalise all but two or three
// quasi-identifiers to the root: their classes are the cells of a small
// count table (per pair or triple, regrouped level by level from the base
// classes, see projector). When
// the records in cells of fewer than k records exceed the suppression
// limit, every transformation whose levels on the pair (triple) are at most
// these fails k-anonymity (it refines that one), so its whole down-set is
// tagged failing without grouping. Other models never weaken this: a record
// suppressed for k-anonymity stays suppressed. For discernibility the same
// counts bound the down-set's value (downbound.go).

const (
	projCellsMax = 1 << 20
	// tripleWorkMax bounds the work of the triples (cells visited), so that
	// small jobs do not pay more for the pre-check than for the search.
	tripleWorkMax = 6 << 20
	// tripleBaseMax bounds the base classes read to start the triples
	// (one pass over the base per triple): measured on the reference
	// cases, triples pay for themselves on adult (84 × 19,502) but not on
	// FARS (56 × 60,806).
	tripleBaseMax = 2 << 20
)

func (s *searcher) pairPrecheck() {
	e := s.e
	if e.kmax <= 1 || len(e.attrs) < 2 {
		return
	}
	d := len(e.attrs)
	var sets [][]int
	for a := 0; a < d; a++ {
		for b := a + 1; b < d; b++ {
			sets = append(sets, []int{a, b})
		}
	}
	if s.triples && d >= 4 {
		for a := 0; a < d; a++ {
			for b := a + 1; b < d; b++ {
				for c := b + 1; c < d; c++ {
					sets = append(sets, []int{a, b, c})
				}
			}
		}
	}
	// Two goroutines take the sets in turn (even, odd), each within half
	// the work budget; the results are applied in the order of the sets,
	// so the tags do not depend on scheduling.
	res := make([][]projResult, len(sets))
	workers := 1
	if e.base.classes() >= parallelProjMin && len(sets) > 1 {
		workers = 2
	}
	done := make(chan struct{}, workers)
	for wi := 0; wi < workers; wi++ {
		go func(wi int) {
			p := newProjector(s)
			for i := wi; i < len(sets); i += workers {
				if len(sets[i]) == 3 && p.work > tripleWorkMax/workers {
					break
				}
				res[i] = p.run(sets[i])
			}
			done <- struct{}{}
		}(wi)
	}
	for range workers {
		<-done
	}
	for _, rs := range res {
		for _, r := range rs {
			if s.tags[r.idx] == tagFail {
				continue
			}
			if r.small > e.maxSupp {
				s.tag(r.idx, tagFail, -1)
			} else {
				s.pushDown(r.idx, r.small)
			}
		}
	}
}

// parallelProjMin is the number of base classes from which the projections
// are computed on two goroutines.
const parallelProjMin = 2000

// projResult is a projection node and its records in small cells.
type projResult struct {
	idx   int64
	small int64
}

// projector evaluates projections of the base classes. A projection's
// cells are kept as a list (codes per attribute of the set, count); raising
// one attribute by one level regroups the previous list, so each level
// combination costs the cells of a slightly finer one, not the base.
type projector struct {
	s     *searcher
	node  []int
	set   []int
	lists [][2]cellList // per depth, two buffers used in turn
	slot  []int32       // dense grouping table: key → index in the list
	col   []uint32      // scratch: the lifted codes being grouped
	cells []int64       // groupCounts: count per cell key (zero between uses)
	work  int
	out   []projResult
}

// cellList holds the non-empty cells of a projection.
type cellList struct {
	codes [3][]uint32
	cnt   []int64
}

func (l *cellList) reset() {
	for x := range l.codes {
		l.codes[x] = l.codes[x][:0]
	}
	l.cnt = l.cnt[:0]
}

func newProjector(s *searcher) *projector {
	return &projector{s: s, node: make([]int, len(s.e.attrs)), lists: make([][2]cellList, 4)}
}

// run evaluates every level combination of the attributes in set (others
// at their top level).
func (p *projector) run(set []int) []projResult {
	e := p.s.e
	size := 1
	for _, ai := range set {
		a := e.attrs[ai]
		size *= len(a.labels[a.minL])
		if size > projCellsMax {
			return nil
		}
	}
	if len(p.slot) < size {
		p.slot = make([]int32, size)
		for i := range p.slot {
			p.slot[i] = -1
		}
	}
	p.set = set
	for ai, a := range e.attrs {
		p.node[ai] = a.maxL
	}
	for _, ai := range set {
		p.node[ai] = e.attrs[ai].minL
	}
	// the cells at the lowest levels, from the base classes
	base := e.base
	dst := &p.lists[len(set)][0]
	dst.reset()
	var src [3][]uint32
	for x, ai := range set {
		src[x] = base.codes[ai]
	}
	if size <= 4*len(base.count)+1024 {
		p.groupCounts(dst, src, base.count, size)
	} else {
		p.group(dst, src, base.count, -1, nil)
	}
	p.out = nil
	p.rec(0, dst)
	return p.out
}

// group collects the cells (codes per attribute of the set in src, counts
// in cnt; the codes of set[lx] lifted through m when lx ≥ 0) into dst, by
// the codes at the levels of p.node.
func (p *projector) group(dst *cellList, src [3][]uint32, cnt []int64, lx int, m []uint32) {
	e := p.s.e
	n := len(cnt)
	var dom [3]uint32
	for x := range dom {
		dom[x] = 1
	}
	for x, ai := range p.set {
		dom[x] = uint32(len(e.attrs[ai].labels[p.node[ai]]))
	}
	// the codes of the set at the new levels: the lifted column in
	// scratch, the others read in place (a pair's third code is masked to 0)
	var cols [3][]uint32
	for x := range cols {
		switch {
		case x == lx:
			c := grow(p.col, n)
			for i, v := range src[x][:n] {
				c[i] = m[v]
			}
			p.col, cols[x] = c, c
		case x < len(p.set):
			cols[x] = src[x][:n]
		default:
			cols[x] = cols[0] // masked to zero below
		}
	}
	c0, c1, c2 := cols[0], cols[1], cols[2]
	mask2 := ^uint32(0)
	if len(p.set) < 3 {
		mask2 = 0
	}
	slot := p.slot
	for i, c := range cnt {
		if c == 0 {
			continue
		}
		z := c2[i] & mask2
		key := (c0[i]*dom[1]+c1[i])*dom[2] + z
		j := slot[key]
		if j < 0 {
			j = int32(len(dst.cnt))
			slot[key] = j
			dst.codes[0] = append(dst.codes[0], c0[i])
			dst.codes[1] = append(dst.codes[1], c1[i])
			dst.codes[2] = append(dst.codes[2], z)
			dst.cnt = append(dst.cnt, 0)
		}
		dst.cnt[j] += c
	}
	for j := range dst.cnt {
		key := (dst.codes[0][j]*dom[1]+dst.codes[1][j])*dom[2] + dst.codes[2][j]
		slot[key] = -1
	}
	p.work += n
}

// groupCounts is group for the base classes at the lowest levels when the
// cells are few: counts are summed in an array indexed by the cell key
// (no lookup per class), then the non-empty cells are listed in key order.
func (p *projector) groupCounts(dst *cellList, src [3][]uint32, cnt []int64, size int) {
	e := p.s.e
	var dom [3]uint32
	for x := range dom {
		dom[x] = 1
	}
	for x, ai := range p.set {
		dom[x] = uint32(len(e.attrs[ai].labels[p.node[ai]]))
	}
	if len(p.cells) < size {
		p.cells = make([]int64, size)
	}
	cells := p.cells[:size]
	n := len(cnt)
	c0, c1 := src[0][:n], src[1][:n]
	if len(p.set) < 3 {
		for i, c := range cnt {
			cells[c0[i]*dom[1]+c1[i]] += c
		}
	} else {
		c2 := src[2][:n]
		for i, c := range cnt {
			cells[(c0[i]*dom[1]+c1[i])*dom[2]+c2[i]] += c
		}
	}
	for key, c := range cells {
		if c == 0 {
			continue
		}
		cells[key] = 0
		k := uint32(key)
		dst.codes[2] = append(dst.codes[2], k%dom[2])
		k /= dom[2]
		dst.codes[1] = append(dst.codes[1], k%dom[1])
		dst.codes[0] = append(dst.codes[0], k/dom[1])
		dst.cnt = append(dst.cnt, c)
	}
	p.work += n
}

// rec walks the levels of set[x] up from the minimum; in is the list with
// set[x] at its minimum level.
func (p *projector) rec(x int, in *cellList) {
	e := p.s.e
	ai := p.set[x]
	a := e.attrs[ai]
	cur := in
	for l := a.minL; ; l++ {
		p.node[ai] = l
		if x == len(p.set)-1 {
			p.eval(cur)
		} else {
			p.rec(x+1, cur)
		}
		if l == a.maxL {
			break
		}
		dst := &p.lists[x][(l-a.minL)&1]
		dst.reset()
		m := a.lift[l][l+1]
		p.node[ai] = l + 1
		p.group(dst, cur.codes, cur.cnt, x, m)
		cur = dst
	}
	p.node[ai] = a.minL
}

// eval counts the records in small cells of the current node's projection.
func (p *projector) eval(l *cellList) {
	e := p.s.e
	small := int64(0)
	for _, c := range l.cnt {
		if c < e.kmax {
			small += c
		}
	}
	p.out = append(p.out, projResult{e.encode(p.node), small})
}
