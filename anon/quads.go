package anon

import (
	"math"
	"sort"
	"sync"
)

// Quadruple pre-check, for DM* with a suppression limit. After the pairs
// and triples (precheck.go), most of DM*'s checks are of nodes that fail
// k-anonymity: bottom-up, each node neither tagged nor pruned is checked
// directly, and DM* has no down-set bound for their counts to feed. Most of
// these nodes fail already on four of their quasi-identifiers (adult
// k5_s2_dmstar: 326 of the 337 failing checks after the descent), so the
// cells of a few sets of four are counted, level combination by level
// combination, each regrouped from a finer one, and the down-sets of the
// failing ones are tagged in one sweep. The sets are those whose attributes
// carry the most information (sum of the entropies of their values at the
// lowest level), the likeliest to leave records in small cells. The count
// runs beside the descent, whose checks leave the second core idle.
// Adult k5_s2_dmstar: checked 394 → 186, source classes rolled 2.55 M →
// 1.16 M; k11_s5_dmstar 226 → 133, 1.71 M → 0.90 M. For DM and Loss they
// did not pay: their failing checks also bound other nodes, which tags
// leave unchecked (DM k5_l3_s2_dm rolled 337 k → 412 k; Loss −6 to −15 %
// rolled for about as much work in the quadruples).

// quadSets is the number of sets of four quasi-identifiers counted (adult,
// min wall ms of k5_s2_dmstar / k11_s5_dmstar at load ~1.5: none 37.0 /
// 28.3; one set 30.4 / 19.9 with 241 / 155 checks; two 29.3 / 20.9 with
// 186 / 133; five sets, counted before the descent, cost 20 ms of CPU).
const quadSets = 2

// quadRun is the quadruples' count, run beside the descent (which checks
// nodes on the search's goroutine while the other core is idle: the
// speculative checks start after it). Its failing down-sets are tagged
// after the descent, so the search does not depend on timing.
type quadRun struct {
	q *quadder
	b *beside
}

// startQuads starts the quadruples' count (nil when it does not apply).
func (s *searcher) startQuads() *quadRun {
	e := s.e
	if e.metric != MetricDMStar || e.kmax <= 1 || e.maxSupp == 0 || len(e.attrs) < 5 ||
		s.lv == nil || e.size > sweepMax {
		return nil
	}
	r := &quadRun{q: newQuadder(s)}
	sets := s.quadSetsByEntropy()
	r.b = runBeside(func() {
		for _, set := range sets {
			r.q.run(set)
		}
	})
	return r
}

// apply waits for the count and tags the failing down-sets.
func (r *quadRun) apply(s *searcher) {
	if r == nil {
		return
	}
	r.b.wait()
	s.sweepFail(r.q.fail)
	r.q.release()
}

// quadSetsByEntropy returns the quadSets sets of four attributes with the
// largest sums of entropies of their values at the lowest level.
func (s *searcher) quadSetsByEntropy() [][4]int {
	e := s.e
	h := make([]float64, len(e.attrs))
	for ai, a := range e.attrs {
		for _, c := range a.dcount[a.minL] {
			if c > 0 {
				p := float64(c) / float64(e.n)
				h[ai] -= p * math.Log2(p)
			}
		}
	}
	var sets [][4]int
	d := len(e.attrs)
	for a := 0; a < d; a++ {
		for b := a + 1; b < d; b++ {
			for c := b + 1; c < d; c++ {
				for x := c + 1; x < d; x++ {
					sets = append(sets, [4]int{a, b, c, x})
				}
			}
		}
	}
	sum := func(t [4]int) float64 { return h[t[0]] + h[t[1]] + h[t[2]] + h[t[3]] }
	sort.SliceStable(sets, func(i, j int) bool { return sum(sets[i]) > sum(sets[j]) })
	return sets[:min(quadSets, len(sets))]
}

// quadCells holds the non-empty cells of a quadruple at some levels.
type quadCells struct {
	codes [4][]uint32
	cnt   []int64
}

// quadPool keeps quadders between searches (their dense slots take up to
// 4 MiB, which would be faulted in anew every search). A pool, not spares
// (arena.go): spares are held weakly and freed at the next collection,
// where a pool keeps them one more (adult k5_s2_dmstar allocated 1.7 MB
// per search with the pool, 2.7–3.2 MB with spares; the projectors'
// scratch likewise, k5_s0_dm 0.68 → 0.72–0.77 MB).
var quadPool sync.Pool

func newQuadder(s *searcher) *quadder {
	q, _ := quadPool.Get().(*quadder)
	if q == nil {
		q = &quadder{}
	}
	q.s = s
	q.fail = grow(q.fail, int(s.e.size))
	clear(q.fail)
	q.node = grow(q.node, len(s.e.attrs))
	return q
}

// release gives q back to quadPool (its slots are all zero again).
func (q *quadder) release() {
	q.s = nil
	quadPool.Put(q)
}

// quadder counts one quadruple's cells, level combination by level
// combination, each regrouped from a finer one.
type quadder struct {
	s    *searcher
	set  [4]int
	lv   [4]int // the current levels
	bufs [5][2]quadCells
	gt   groupTable
	keys []uint64
	ids  []int32
	col  []uint32 // raise's lifted codes
	slot []int32  // group's dense slots: cell id + 1, 0 between uses
	fail []bool   // fail[idx]: the projection node idx fails
	node []int
}

// run counts set's cells and marks the failing projection nodes.
func (q *quadder) run(set [4]int) {
	e := q.s.e
	q.set = set
	for x, ai := range set {
		q.lv[x] = e.attrs[ai].minL
	}
	b := e.base
	var src [4][]uint32
	for x, ai := range set {
		src[x] = b.codes[ai]
	}
	low := &q.bufs[4][0]
	q.group(low, src, b.count)
	q.rec(0, low)
}

// rec walks the levels of attribute x upwards from in (the cells with the
// attributes before x at their current levels, x and those after at their
// lowest) and tells whether the finest combination fails. A combination
// that passes has only passing ones above it, so the walk stops there.
func (q *quadder) rec(x int, in *quadCells) bool {
	a := q.s.e.attrs[q.set[x]]
	cur := in
	first := false
	for l := a.minL; l <= a.maxL; l++ {
		if l > a.minL {
			next := &q.bufs[x][l%2]
			q.raise(next, cur, x, l)
			cur = next
		}
		q.lv[x] = l
		var fails bool
		if x == 3 {
			fails = q.eval(cur)
		} else {
			fails = q.rec(x+1, cur)
		}
		if l == a.minL {
			first = fails
		}
		if !fails {
			break
		}
	}
	q.lv[x] = a.minL
	return first
}

// eval marks the projection node at the current levels when its records
// in cells smaller than k exceed the limit.
func (q *quadder) eval(c *quadCells) bool {
	e := q.s.e
	var small int64
	for _, n := range c.cnt {
		if n > 0 && n < e.kmax {
			small += n
		}
	}
	if small <= e.maxSupp {
		return false
	}
	for ai, a := range e.attrs {
		q.node[ai] = a.maxL
	}
	for x, ai := range q.set {
		q.node[ai] = q.lv[x]
	}
	q.fail[e.encode(q.node)] = true
	return true
}

// raise regroups in with attribute x lifted to level l (from l − 1).
func (q *quadder) raise(dst, in *quadCells, x, l int) {
	a := q.s.e.attrs[q.set[x]]
	src := in.codes
	m := a.lift[l-1][l]
	q.col = grow(q.col, len(in.cnt))
	for i, c := range in.codes[x] {
		q.col[i] = m[c]
	}
	src[x] = q.col
	q.lv[x] = l
	q.group(dst, src, in.cnt)
}

// quadDenseMax is the largest key space grouped through a dense slot
// array (4 MiB of int32) instead of the hash table.
const quadDenseMax = 1 << 20

// group sums cnt into dst's cells by the codes of src at the current
// levels.
func (q *quadder) group(dst *quadCells, src [4][]uint32, cnt []int64) {
	e := q.s.e
	n := len(cnt)
	q.keys = grow(q.keys, n)
	space := uint64(1)
	mult := [4]uint64{}
	for x := 3; x >= 0; x-- {
		mult[x] = space
		space *= uint64(len(e.attrs[q.set[x]].labels[q.lv[x]]))
	}
	keys := q.keys
	a, b, c, d := src[0][:n], src[1][:n], src[2][:n], src[3][:n]
	for i := range keys {
		keys[i] = uint64(a[i])*mult[0] + uint64(b[i])*mult[1] + uint64(c[i])*mult[2] + uint64(d[i])*mult[3]
	}
	dst.cnt = dst.cnt[:0]
	for x := range dst.codes {
		dst.codes[x] = dst.codes[x][:0]
	}
	if space > quadDenseMax {
		q.groupHashed(dst, src, cnt, space)
		return
	}
	if len(q.slot) < int(space) {
		q.slot = make([]int32, space)
	}
	// Without a branch on whether a cell is new (new cells come in no
	// predictable order): a cell's codes are written at every one of its
	// keys (the same values), and its count starts from zero.
	slot := q.slot
	dst.cnt = grow(dst.cnt, n)
	clear(dst.cnt)
	for x := range dst.codes {
		dst.codes[x] = grow(dst.codes[x], n)
	}
	oa, ob, oc, od, oc2 := dst.codes[0], dst.codes[1], dst.codes[2], dst.codes[3], dst.cnt
	next := int32(0)
	for i, k := range keys {
		v := slot[k]           // cell id + 1, or 0
		isNew := (v - 1) >> 31 // −1 when v is 0, else 0
		v |= (next + 1) & isNew
		next -= isNew
		slot[k] = v
		j := v - 1
		oa[j], ob[j], oc[j], od[j] = a[i], b[i], c[i], d[i]
		oc2[j] += cnt[i]
	}
	dst.cnt = dst.cnt[:next]
	for x := range dst.codes {
		dst.codes[x] = dst.codes[x][:next]
	}
	for j := range dst.cnt { // back to zero for the next grouping
		slot[uint64(oa[j])*mult[0]+uint64(ob[j])*mult[1]+uint64(oc[j])*mult[2]+uint64(od[j])*mult[3]] = 0
	}
}

// groupHashed is group through the hash table (large key spaces).
func (q *quadder) groupHashed(dst *quadCells, src [4][]uint32, cnt []int64, space uint64) {
	q.ids = grow(q.ids, len(cnt))
	nc := q.gt.groupSpace(q.keys[:len(cnt)], q.ids, space)
	dst.cnt = grow(dst.cnt, nc)
	clear(dst.cnt)
	for x := range dst.codes {
		dst.codes[x] = grow(dst.codes[x], nc)
	}
	for i, id := range q.ids {
		if dst.cnt[id] == 0 {
			for x := range dst.codes {
				dst.codes[x][id] = src[x][i]
			}
		}
		dst.cnt[id] += cnt[i]
	}
}

// sweepFail tags failing every node at or below a marked one, in one sweep
// from the top of the lattice (lowering an attribute lowers the index).
func (s *searcher) sweepFail(fail []bool) {
	e := s.e
	d := len(e.attrs)
	for x := e.size - 1; x >= 0; x-- {
		if !fail[x] {
			continue
		}
		s.tags[x] = tagFail
		for ai, l := range s.lv[int(x)*d : int(x)*d+d] {
			if l > 0 {
				fail[x-e.stride[ai]] = true
			}
		}
	}
}
