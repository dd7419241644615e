package anon

import (
	"math"
	"slices"
	"sync"
	"sync/atomic"
)

// Projection pre-check. Before the search, the k-anonymity part is decided
// cheaply for the transformations that generalise all but two or three
// quasi-identifiers to the root: their classes are the cells of a small
// count table (per pair or triple, regrouped level by level, see
// projector; a pair's lowest cells come from those of a triple that
// contains it, which are far fewer than the base classes, see projUnits).
// When the records in cells of fewer than k records exceed the suppression
// limit, every transformation whose levels on the pair (triple) are at most
// these fails k-anonymity (it refines that one), so its whole down-set is
// tagged failing without grouping. Other models never weaken this: a record
// suppressed for k-anonymity stays suppressed. For discernibility the same
// counts bound the down-set's value (downbound.go).

const (
	projCellsMax = 1 << 20
	// tripleWorkMax bounds the base classes read to start the triples (one
	// pass over the base per triple, in set order; the others are left
	// out), so that large jobs do not pay more for the pre-check than for
	// the search (with DM, triples are used whatever the base's size).
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
	// without a suppression limit a pair's results are only tags, and a
	// pair with an attribute searched at its root only (one value: FARS
	// iinjury, whose floor is its top) projects onto the other attribute
	// alone, which its floor has settled (floor.go)
	root := func(ai int) bool {
		a := e.attrs[ai]
		return e.maxSupp == 0 && a.minL == a.maxL && len(a.labels[a.maxL]) == 1
	}
	var sets [][]int
	for a := 0; a < d; a++ {
		for b := a + 1; b < d; b++ {
			if !root(a) && !root(b) {
				sets = append(sets, []int{a, b})
			}
		}
	}
	if s.triples && d >= 4 {
		// a triple with an attribute of two values at its lowest level
		// splits its pairs' cells in two at most: on adult (sex,
		// salary-class: 49 of 84 triples) those change no Loss check, for
		// 25–30 % of the pre-check's CPU; DM* needs 1–2 checks more of
		// 226–394 without them (about what they cost), DM 6–9 of 72–144
		two := func(ai int) bool {
			a := e.attrs[ai]
			return s.lossDown && len(a.labels[a.minL]) <= 2
		}
		for a := 0; a < d; a++ {
			for b := a + 1; b < d; b++ {
				for c := b + 1; c < d; c++ {
					if !two(a) && !two(b) && !two(c) {
						sets = append(sets, []int{a, b, c})
					}
				}
			}
		}
	}
	units := s.projUnits(sets)
	res := make([][]projResult, len(sets))
	workers := 1
	if e.base.classes() >= parallelProjMin && len(units) > 1 {
		workers = 2
	}
	s.runUnits(units, sets, res, workers)
	n := 0
	for _, rs := range res {
		n += len(rs)
	}
	if s.lv != nil && e.size <= sweepMax && n < math.MaxInt32 {
		s.applySwept(res)
		return
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

// runUnits evaluates the units into res, on the calling goroutine and,
// with two workers, one other: each takes the next unit not taken, so a
// worker slowed on a busy machine leaves more to the other (dealt in turn,
// the two took up to 2× each other's time at load 8), and a goroutine that
// starts late is not waited for. The results are applied in the order of
// the sets afterwards, so the tags do not depend on scheduling.
func (s *searcher) runUnits(units []projUnit, sets [][]int, res [][]projResult, workers int) {
	var next atomic.Int32
	work := func() {
		p := newProjector(s)
		defer p.release()
		for i := int(next.Add(1)) - 1; i < len(units); i = int(next.Add(1)) - 1 {
			p.runUnit(units[i], sets, res)
		}
	}
	if workers == 1 {
		work()
		return
	}
	b := runBeside(work)
	work()
	b.wait() // runs work here too when the other goroutine has not started: it finds no unit left
}

// sweepMax is the largest lattice whose failing down-sets are tagged in one
// sweep (applySwept) rather than by a walk per failing projection node.
const sweepMax = 1 << 22

// applySwept applies the results as the loop above does (in order, a
// failing node tags its down-set, a passing one not yet tagged passes its
// small records on: pushDown), in sweeps over the lattice from the top
// instead of a walk per result: first[x] is the position, in that order,
// of the first failing result at or above x. A result is skipped when an
// earlier one tagged it. Bounds passed on and tags do not depend on each
// other, so they are applied one after the other.
func (s *searcher) applySwept(res [][]projResult) {
	e := s.e
	const none = math.MaxInt32
	first := make([]int32, e.size)
	for x, t := range s.tags {
		first[x] = none
		if t == tagFail {
			first[x] = -1
		}
	}
	seq := int32(0)
	for _, rs := range res {
		for _, r := range rs {
			if r.small > e.maxSupp && first[r.idx] == none {
				first[r.idx] = seq
			}
			seq++
		}
	}
	upSweep(e, first, true)
	for x, m := range first {
		if m != none {
			s.tags[x] = tagFail
		}
	}
	if s.down == nil || e.maxSupp == 0 { // passing nodes have no small records
		return
	}
	seq = 0
	for _, rs := range res {
		for _, r := range rs {
			if first[r.idx] >= seq && r.small <= e.maxSupp {
				s.down[r.idx] = max(s.down[r.idx], r.small)
			}
			seq++
		}
	}
	// each node's count is then the largest pushed at or above it, as a
	// walk per push would leave it (such walks were over 20 % of the
	// pre-check's CPU on adult k11_s5_loss)
	upSweep(e, s.down, false)
}

// upSweep sets v[x] to the smallest (least) or largest v over the up-set
// of x: a suffix minimum or maximum along each attribute in turn (the
// lattice is a product of chains); in a block of the attribute's levels,
// x+st is x with the attribute one level higher.
func upSweep[T int32 | int64](e *engine, v []T, least bool) {
	for ai, st := range e.stride {
		span := st * int64(e.radix[ai])
		for blk := int64(0); blk < e.size; blk += span {
			for x := blk + span - st - 1; x >= blk; x-- {
				if least {
					v[x] = min(v[x], v[x+st])
				} else {
					v[x] = max(v[x], v[x+st])
				}
			}
		}
	}
}

// projUnit is a triple of attributes whose lowest cells are grouped from
// the base classes once, and the sets (indexes) evaluated from them: the
// triple itself and pairs within it, whose lowest cells are regrouped from
// the triple's (fewer than the base classes). A unit without a triple
// evaluates one set from the base classes.
type projUnit struct {
	triple []int
	sets   []int
}

// projUnits plans the projections: each pair is taken from the first
// triple set that contains it; the others are grouped under triples chosen
// greedily for their estimated saving (pairs × base classes read, against
// one pass over the base and pairs × the triple's cells), the rest from
// the base.
func (s *searcher) projUnits(sets [][]int) []projUnit {
	e := s.e
	d := len(e.attrs)
	base := int64(e.base.classes())
	pairOf := make([]int, d*d) // pairOf[a·d+b]: index of pair (a, b) in sets, or −1
	for i := range pairOf {
		pairOf[i] = -1
	}
	triples := false
	for i, set := range sets {
		if len(set) == 2 {
			pairOf[set[0]*d+set[1]] = i
		} else {
			triples = true
		}
	}
	// cells estimates the lowest cells of a triple: at most its level
	// domains' product and the base classes
	dom := make([]int64, d)
	for ai, a := range e.attrs {
		dom[ai] = int64(len(a.labels[a.minL]))
	}
	cells := func(t [3]int) int64 {
		c := dom[t[0]] * dom[t[1]]
		if c > projCellsMax || c*dom[t[2]] > projCellsMax {
			return math.MaxInt64
		}
		return min(c*dom[t[2]], base)
	}
	covered := make([]bool, len(sets))
	// take appends to u the pairs of t not yet covered (and covers them)
	take := func(u []int, t [3]int) []int {
		for _, pr := range [3][2]int{{t[0], t[1]}, {t[0], t[2]}, {t[1], t[2]}} {
			if pi := pairOf[pr[0]*d+pr[1]]; pi >= 0 && !covered[pi] {
				covered[pi] = true
				u = append(u, pi)
			}
		}
		return u
	}
	var units []projUnit
	if triples {
		reads := int64(0)
		for i, set := range sets {
			if len(set) != 3 {
				continue
			}
			if reads += base; reads > tripleWorkMax {
				break
			}
			var u []int
			if t := [3]int{set[0], set[1], set[2]}; cells(t) <= projCellsMax {
				u = take(u, t)
			}
			units = append(units, projUnit{triple: set, sets: append(u, i)})
		}
	}
	if d >= 3 { // pairs of no triple set
		for {
			var best [3]int
			bestN, bestGain := int64(0), int64(0)
			for a := 0; a < d; a++ {
				for b := a + 1; b < d; b++ {
					for c := b + 1; c < d; c++ {
						t := [3]int{a, b, c}
						if cells(t) > projCellsMax {
							continue
						}
						n := int64(0)
						for _, pr := range [3][2]int{{a, b}, {a, c}, {b, c}} {
							if pi := pairOf[pr[0]*d+pr[1]]; pi >= 0 && !covered[pi] {
								n++
							}
						}
						// most new pairs first (fewer base passes in all),
						// then the fewest cells
						gain := n*(base-cells(t)) - base
						if gain > 0 && (n > bestN || n == bestN && gain > bestGain) {
							best, bestN, bestGain = t, n, gain
						}
					}
				}
			}
			if bestGain == 0 {
				break
			}
			units = append(units, projUnit{triple: best[:], sets: take(nil, best)})
		}
	}
	for i, set := range sets {
		if len(set) == 2 && !covered[i] {
			units = append(units, projUnit{sets: []int{i}})
		}
	}
	return units
}

// runUnit evaluates the sets of u into res.
func (p *projector) runUnit(u projUnit, sets [][]int, res [][]projResult) {
	var from *cellList // the triple's lowest cells, once grouped
	for _, i := range u.sets {
		set := sets[i]
		if u.triple != nil && from == nil {
			from = &p.lists[3][1]
			if !p.first(u.triple, from, nil, nil) {
				return // too many cells: u holds only the triple
			}
		}
		if len(set) == 3 {
			p.enter(set)
			p.out = nil
			if p.interior() {
				p.rec(0, from)
			}
			res[i] = p.out
			continue
		}
		res[i] = p.run(set, from, u.triple)
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
	top   []int // per attribute, the highest level walked
	set   []int
	lists [][2]cellList // per depth, two buffers used in turn
	slot  []int32       // dense grouping table: key → index in the list
	col   []uint32      // scratch: the lifted codes being grouped
	cells []int64       // groupCounts: count per cell key (zero between uses)
	out   []projResult
	// stopAtPass: results of passing nodes are not needed
	stopAtPass bool
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

// add appends a cell.
func (l *cellList) add(a, b, z uint32, c int64) {
	l.codes[0] = append(l.codes[0], a)
	l.codes[1] = append(l.codes[1], b)
	l.codes[2] = append(l.codes[2], z)
	l.cnt = append(l.cnt, c)
}

// reserve makes room for n more cells.
func (l *cellList) reserve(n int) {
	for x := range l.codes {
		l.codes[x] = slices.Grow(l.codes[x], n)
	}
	l.cnt = slices.Grow(l.cnt, n)
}

func newProjector(s *searcher) *projector {
	// a passing node's result only passes on its small records (pushDown),
	// which are none without a suppression limit
	stop := s.down == nil || s.e.maxSupp == 0
	d := len(s.e.attrs)
	p := &projector{s: s, node: make([]int, d), top: make([]int, d), stopAtPass: stop}
	if sc, ok := projPool.Get().(*projScratch); ok {
		p.slot, p.col, p.cells, p.lists = sc.slot, sc.col, sc.cells, sc.lists
	} else {
		p.lists = make([][2]cellList, 4)
	}
	return p
}

// projPool keeps the projectors' scratch between searches (on adult about
// 300 KB per search, allocated and cleared otherwise). Between uses, slot
// holds −1 and cells 0 everywhere (group and groupCounts restore them), and
// the lists are reset before they are filled, so a scratch can be reused
// as it is left.
var projPool sync.Pool

type projScratch struct {
	slot  []int32
	col   []uint32
	cells []int64
	lists [][2]cellList
}

// release gives the projector's scratch back to projPool.
func (p *projector) release() {
	projPool.Put(&projScratch{slot: p.slot, col: p.col, cells: p.cells, lists: p.lists})
	p.slot, p.col, p.cells, p.lists = nil, nil, nil, nil
}

// run evaluates every level combination of the attributes in set (others
// at their top level). Its lowest cells are grouped from from (the lowest
// cells of the superset fromSet) when given, else from the base classes.
func (p *projector) run(set []int, from *cellList, fromSet []int) []projResult {
	dst := &p.lists[len(set)][0]
	if !p.first(set, dst, from, fromSet) {
		return nil
	}
	p.out = nil
	p.rec(0, dst)
	return p.out
}

// first fills dst with the cells of set at the lowest levels (from the
// list from of the superset fromSet, or the base classes when from is
// nil) and leaves p.set and p.node on them; false when there are too many
// cells.
func (p *projector) first(set []int, dst *cellList, from *cellList, fromSet []int) bool {
	e := p.s.e
	size := 1
	for _, ai := range set {
		a := e.attrs[ai]
		size *= len(a.labels[a.minL])
		if size > projCellsMax {
			return false
		}
	}
	if len(p.slot) < size {
		p.slot = make([]int32, size)
		for i := range p.slot {
			p.slot[i] = -1
		}
	}
	p.enter(set)
	dst.reset()
	var src [3][]uint32
	var cnt []int64
	if from == nil {
		for x, ai := range set {
			src[x] = e.base.codes[ai]
		}
		cnt = e.base.count
	} else {
		for x, ai := range set {
			src[x] = from.codes[slices.Index(fromSet, ai)]
		}
		cnt = from.cnt
	}
	if size <= 4*len(cnt)+1024 {
		p.groupCounts(dst, src, cnt, size)
	} else {
		p.group(dst, src, cnt, -1, nil)
	}
	return true
}

// enter puts the projector on set at its lowest levels, the other
// attributes at their top. A triple's walk leaves out the nodes with an
// attribute at a top level of one value: such a node is a node of the
// pair of the other two (the same node, the same cells), which every
// triple's pair evaluates (with triples, every pair is a set): on adult
// k5_s2_loss 1,146 of 1,761 triple nodes, 38 % of the regrouping.
func (p *projector) enter(set []int) {
	e := p.s.e
	p.set = set
	for ai, a := range e.attrs {
		p.node[ai] = a.maxL
	}
	for _, ai := range set {
		a := e.attrs[ai]
		p.node[ai] = a.minL
		p.top[ai] = a.maxL
		if len(set) == 3 && len(a.labels[a.maxL]) == 1 {
			p.top[ai]--
		}
	}
}

// interior tells whether the set has nodes to walk.
func (p *projector) interior() bool {
	for _, ai := range p.set {
		if p.top[ai] < p.node[ai] {
			return false
		}
	}
	return true
}

// group collects the cells (codes per attribute of the set in src, counts
// in cnt; the codes of set[lx] lifted through m when lx ≥ 0) into dst, by
// the codes at the levels of p.node: summed in an array indexed by the
// cell key when there are at most 4 × len(cnt) + 1,024 keys (337 k of the
// 347 k cells regrouped on adult k5_s2_loss: no branch per cell, where
// the slot table's new-or-seen branch cost ~10 ns a cell), else through
// the slot table.
func (p *projector) group(dst *cellList, src [3][]uint32, cnt []int64, lx int, m []uint32) {
	n := len(cnt)
	dom := p.doms()
	// the codes of the set at the new levels: the lifted column in
	// scratch, the others read in place
	var cols [3][]uint32
	for x := range p.set {
		if x == lx {
			c := grow(p.col, n)
			for i, v := range src[x][:n] {
				c[i] = m[v]
			}
			p.col, cols[x] = c, c
		} else {
			cols[x] = src[x][:n]
		}
	}
	if size := int(dom[0] * dom[1] * dom[2]); size <= 4*n+1024 {
		p.groupCounts(dst, cols, cnt, size)
		return
	}
	if len(p.set) < 3 {
		cols[2] = cols[0] // masked to zero below
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
}

// doms returns the domain sizes of the set's attributes at the levels of
// p.node (1 past the set).
func (p *projector) doms() [3]uint32 {
	dom := [3]uint32{1, 1, 1}
	for x, ai := range p.set {
		dom[x] = uint32(len(p.s.e.attrs[ai].labels[p.node[ai]]))
	}
	return dom
}

// groupCounts is group when the cell keys are few: counts are summed in an
// array indexed by the cell key (no lookup per cell), then the non-empty
// cells are listed in key order.
func (p *projector) groupCounts(dst *cellList, src [3][]uint32, cnt []int64, size int) {
	dom := p.doms()
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
	dst.reserve(min(size, n))
	// listed row by row of the last code (of a pair: the second), the
	// others counted per row (divisions per cell, or a counter, cost ~1 ms
	// of the pre-check on adult k5_s2_dm)
	if len(p.set) < 3 {
		for a := range dom[0] {
			cs := cells[a*dom[1] : (a+1)*dom[1]]
			for b, c := range cs {
				if c != 0 {
					dst.add(a, uint32(b), 0, c)
				}
			}
			clear(cs)
		}
	} else {
		key := uint32(0)
		for a := range dom[0] {
			for b := range dom[1] {
				cs := cells[key : key+dom[2]]
				for z, c := range cs {
					if c != 0 {
						dst.add(a, b, uint32(z), c)
					}
				}
				clear(cs)
				key += dom[2]
			}
		}
	}
}

// rec walks the levels of set[x] up from the minimum; in is the list with
// set[x] at its minimum level. It returns the records in small cells of
// the node with set[x:] at their minimum levels. A walk stops at a node
// with none (the nodes above it have none either: merging cells never adds
// records to cells smaller than k), whose results would pass on nothing
// (on adult k5_s2_loss 1,094 of 2,506 nodes, but coarse ones: 1 % of the
// regrouping); when passing nodes have no use (p.stopAtPass), at the first
// passing node.
func (p *projector) rec(x int, in *cellList) int64 {
	e := p.s.e
	ai := p.set[x]
	a := e.attrs[ai]
	cur := in
	first := int64(0)
	for l := a.minL; ; l++ {
		p.node[ai] = l
		var small int64
		if x == len(p.set)-1 {
			small = p.eval(cur)
		} else {
			small = p.rec(x+1, cur)
		}
		if l == a.minL {
			first = small
		}
		if l == p.top[ai] || small == 0 || small <= e.maxSupp && p.stopAtPass {
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
	return first
}

// eval records the current node's records in small cells.
func (p *projector) eval(l *cellList) int64 {
	e := p.s.e
	small := int64(0)
	for _, c := range l.cnt {
		if c < e.kmax {
			small += c
		}
	}
	p.out = append(p.out, projResult{e.encode(p.node), small})
	return small
}
