package anon

// Projection pre-check. Before the search, the k-anonymity part is decided
// cheaply for the transformations that generalise all but two or three
// quasi-identifiers to the root: their classes are the cells of a small
// count table, built once per pair or triple from the base classes. When
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
)

func (s *searcher) pairPrecheck() {
	e := s.e
	if e.kmax <= 1 || len(e.attrs) < 2 {
		return
	}
	d := len(e.attrs)
	p := newProjector(s)
	for a := 0; a < d; a++ {
		for b := a + 1; b < d; b++ {
			p.run([]int{a, b})
		}
	}
	if !s.triples || d < 4 {
		return
	}
	for a := 0; a < d; a++ {
		for b := a + 1; b < d; b++ {
			for c := b + 1; c < d; c++ {
				if p.work > tripleWorkMax {
					return
				}
				p.run([]int{a, b, c})
			}
		}
	}
}

// projector evaluates projections of the base classes.
type projector struct {
	s     *searcher
	node  []int
	cells []int64
	agg   []int64
	nzKey []uint32
	nzCnt []int64
	work  int
}

func newProjector(s *searcher) *projector {
	return &projector{s: s, node: make([]int, len(s.e.attrs))}
}

// run checks every level combination of the attributes in set (others at
// their top level), from the most general down.
func (p *projector) run(set []int) {
	e := p.s.e
	base := e.base
	// cells over the base codes of the set
	size := 1
	for _, ai := range set {
		a := e.attrs[ai]
		size *= len(a.labels[a.minL])
		if size > projCellsMax {
			return
		}
	}
	p.cells = grow(p.cells, size)
	clear(p.cells)
	for i, c := range base.count {
		if c == 0 {
			continue
		}
		key := 0
		for _, ai := range set {
			a := e.attrs[ai]
			key = key*len(a.labels[a.minL]) + int(base.codes[ai][i])
		}
		p.cells[key] += c
	}
	p.nzKey, p.nzCnt = p.nzKey[:0], p.nzCnt[:0]
	for key, c := range p.cells {
		if c > 0 {
			p.nzKey = append(p.nzKey, uint32(key))
			p.nzCnt = append(p.nzCnt, c)
		}
	}
	p.work += len(base.count)
	for ai, a := range e.attrs {
		p.node[ai] = a.maxL
	}
	p.levels(set, 0)
}

// levels enumerates the level combinations of set[i:] (top first).
func (p *projector) levels(set []int, i int) {
	e := p.s.e
	if i == len(set) {
		p.eval(set)
		return
	}
	a := e.attrs[set[i]]
	for l := a.maxL; l >= a.minL; l-- {
		p.node[set[i]] = l
		p.levels(set, i+1)
	}
	p.node[set[i]] = a.maxL
}

// eval counts the records in small cells of the current node's projection.
func (p *projector) eval(set []int) {
	e, s := p.s.e, p.s
	idx := e.encode(p.node)
	if s.tags[idx] == tagFail {
		return
	}
	size := 1
	for _, ai := range set {
		size *= len(e.attrs[ai].labels[p.node[ai]])
	}
	p.agg = grow(p.agg, size)
	clear(p.agg)
	for j, key := range p.nzKey {
		mul := uint32(1)
		out := 0
		rest := key
		// decode the base cell key from the last attribute of the set
		for x := len(set) - 1; x >= 0; x-- {
			a := e.attrs[set[x]]
			dom := uint32(len(a.labels[a.minL]))
			code := rest % dom
			rest /= dom
			out += int(a.lift[a.minL][p.node[set[x]]][code] * mul)
			mul *= uint32(len(a.labels[p.node[set[x]]]))
		}
		p.agg[out] += p.nzCnt[j]
	}
	p.work += len(p.nzKey)
	small := int64(0)
	for _, c := range p.agg {
		if c > 0 && c < e.kmax {
			small += c
		}
	}
	if small > e.maxSupp {
		s.tag(idx, tagFail, -1)
	} else {
		s.pushDown(idx, small)
	}
}
