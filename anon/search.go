package anon

import (
	"context"
	"math"
	"time"
)

// The search. The lattice holds one node per transformation (one level per
// quasi-identifier); a node's index is the mixed-radix number of
// (level − min level).
//
// 1. Metrics with a static lower bound (loss, precision, entropy, height:
//    the value as if nothing were suppressed, which never decreases towards
//    the top) visit nodes in order of that bound and stop as soon as the
//    bound exceeds the best value found. Before a node is checked, the
//    monotone models (k-anonymity, distinct ℓ-diversity, k-map: monotone
//    even with suppression) are settled Flash-style: from the unresolved
//    node a path is walked up to the top, and the boundary on it is found
//    by binary search; a node that passes tags every more general node as
//    passing, one that fails tags every more specific node as failing.
// 2. Discernibility (DM, DM*) and AECS visit nodes bottom-up, check each
//    node that is neither tagged failing nor pruned directly, and pass on
//    to its successors the bound Σ|E|² (or n/|classes|) of every checked
//    node, failing ones included; DM adds the records known to be
//    suppressed (downbound.go). Bottom-up, a binary search on a path
//    mostly checks nodes far above the ones visited, whose failing tags
//    cover nodes the bounds prune anyway: checking directly needs 3.6×
//    fewer checks on adult k5_s2_dmstar (1,443 → 402) and, with DM's joint
//    bound, 3–4× fewer on the DM cases with suppression (k11_s5_dm 656 →
//    175).
// Every node that is neither pruned nor tagged failing is evaluated exactly,
// so the result is the global optimum.

func (e *engine) decode(idx int64, node []int) {
	for ai := len(e.attrs) - 1; ai >= 0; ai-- {
		r := int64(e.radix[ai])
		node[ai] = e.attrs[ai].minL + int(idx%r)
		idx /= r
	}
}

func (e *engine) encode(node []int) int64 {
	var idx int64
	for ai, a := range e.attrs {
		idx = idx*int64(e.radix[ai]) + int64(node[ai]-a.minL)
	}
	return idx
}

func height(node []int) int {
	h := 0
	for _, l := range node {
		h += l
	}
	return h
}

// cache keeps recently computed class sets to roll up from.
type cache struct {
	base    *snap
	entries []*snap
	limit   int // total classes kept beyond the base
	total   int
}

func (c *cache) source(node []int) *snap {
	best := c.base
	for _, s := range c.entries {
		if s.classes() < best.classes() && leq(s.node, node) {
			best = s
		}
	}
	return best
}

func (c *cache) add(s *snap) {
	if s.classes()*4 > c.limit || s.classes() >= c.base.classes() {
		return
	}
	c.entries = append(c.entries, s)
	c.total += s.classes()
	for c.total > c.limit || len(c.entries) > 2048 {
		c.total -= c.entries[0].classes()
		c.entries = c.entries[1:]
	}
}

func leq(a, b []int) bool {
	for i := range a {
		if a[i] > b[i] {
			return false
		}
	}
	return true
}

// found is the best transformation so far.
type found struct {
	idx  int64
	node []int
	ev   eval
	h    int
}

func (f *found) better(idx int64, node []int, ev eval) bool {
	if f.node == nil {
		return true
	}
	if ev.value != f.ev.value {
		return ev.value < f.ev.value
	}
	h := height(node)
	if h != f.h {
		return h < f.h
	}
	return idx < f.idx
}

// prunable tells whether a node with lower bound b can no longer beat the best.
func (f *found) prunable(b float64, idx int64, node []int) bool {
	if f.node == nil {
		return false
	}
	if b != f.ev.value {
		return b > f.ev.value
	}
	h := height(node)
	return h > f.h || (h == f.h && idx > f.idx)
}

const (
	tagUnknown uint8 = iota
	tagFail          // fails the monotone models
	tagPass          // passes the monotone models
)

type searchStats struct {
	checked int64
	rolled  int64 // source classes rolled up
	result  int64 // classes of the checked transformations
	optimal bool
}

// searcher is the state of one search.
type searcher struct {
	e        *engine
	w        *worker
	tags     []uint8
	evals    map[int64]eval
	cache    *cache
	best     found
	st       searchStats
	hasMono  bool
	static   bool
	factors  [][]float64 // Loss: lossFactors, for nextAttr
	node     []int
	scratch  []int
	stack    []int64
	deadline time.Time
	down     []int64 // DM: records in small classes known above (downbound.go)
	lossDown bool    // down holds the Loss down-set bound's counts
	triples  bool    // the pre-check includes triples of quasi-identifiers
	lv       []uint8 // lv[idx·d + a]: level − min level (nil for huge lattices)
	built    map[int64]bool
	bigs     [][]int // the last nodes checked from sources of more than hubMax classes (source.go)

	// speculative checks (speculate.go)
	spec      *speculator
	order     *visitQueue // the main loop's order, nil before it
	inherited []float64   // the main loop's bounds passed on from predecessors
	scratch2  []int       // speculate's node
}

// late tells whether the time limit has passed.
func (s *searcher) late() bool {
	return !s.deadline.IsZero() && time.Now().After(s.deadline)
}

// check evaluates node idx, records it and tags the lattice.
func (s *searcher) check(idx int64) eval {
	if ev, ok := s.evals[idx]; ok {
		return ev
	}
	var j *job
	if s.spec != nil {
		j = s.spec.claim(idx)
	}
	if j != nil {
		s.speculate() // the next ones, while this one is (or will be) evaluated
		s.spec.await(s.w, j)
	} else {
		node := make([]int, len(s.e.attrs))
		s.decode(idx, node)
		j = &job{idx: idx, node: node, src: s.source(node)}
		s.speculate()
		s.e.run(s.w, j)
	}
	node, ev := j.node, j.ev
	s.st.checked++
	s.st.rolled += int64(j.src.classes())
	s.st.result += int64(j.nc)
	if j.kept != nil {
		s.cache.add(j.kept)
	}
	s.evals[idx] = ev
	if s.hasMono {
		if ev.monoOK {
			s.tag(idx, tagPass, +1)
		} else {
			s.tag(idx, tagFail, -1)
		}
	}
	if ev.ok && s.best.better(idx, node, ev) {
		s.best = found{idx: idx, node: node, ev: ev, h: height(node)}
	}
	s.pushDown(idx, ev.small)
	return ev
}

// tag marks idx and every node above (dir +1) or below (dir −1) it.
func (s *searcher) tag(idx int64, t uint8, dir int) {
	if s.tags[idx] == t {
		return
	}
	s.tags[idx] = t
	stack := append(s.stack[:0], idx)
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		stack = s.neighbours(i, dir, stack, func(p int64) bool {
			if s.tags[p] != t {
				s.tags[p] = t
				return true
			}
			return false
		})
	}
	s.stack = stack
}

// neighbours appends to stack each direct successor (dir +1) or
// predecessor (dir −1) p of i for which visit(p) is true.
func (s *searcher) neighbours(i int64, dir int, stack []int64, visit func(int64) bool) []int64 {
	e := s.e
	if s.lv == nil {
		node := s.scratch
		e.decode(i, node)
		for ai, a := range e.attrs {
			if (dir > 0 && node[ai] < a.maxL) || (dir < 0 && node[ai] > a.minL) {
				node[ai] += dir
				p := e.encode(node)
				node[ai] -= dir
				if visit(p) {
					stack = append(stack, p)
				}
			}
		}
		return stack
	}
	d := len(e.attrs)
	lv := s.lv[int(i)*d : int(i)*d+d]
	for ai, l := range lv {
		var p int64
		if dir > 0 {
			if int(l) >= e.radix[ai]-1 {
				continue
			}
			p = i + e.stride[ai]
		} else {
			if l == 0 {
				continue
			}
			p = i - e.stride[ai]
		}
		if visit(p) {
			stack = append(stack, p)
		}
	}
	return stack
}

// decode is e.decode through the level table when there is one (no
// divisions).
func (s *searcher) decode(idx int64, node []int) {
	if s.lv == nil {
		s.e.decode(idx, node)
		return
	}
	d := len(node)
	for ai, l := range s.lv[int(idx)*d : int(idx)*d+d] {
		node[ai] = s.e.attrs[ai].minL + int(l)
	}
}

// pathUp extends path (which ends at the node whose levels node holds)
// towards the top, raising the attribute nextAttr picks, until it reaches
// a tagged node or the top; node is changed.
func (s *searcher) pathUp(path []int64, node []int) []int64 {
	for s.tags[path[len(path)-1]] == tagUnknown {
		ai := s.nextAttr(node)
		if ai < 0 {
			break
		}
		node[ai]++
		path = append(path, s.e.encode(node))
	}
	return path
}

// pathEnds returns the bounds of the binary search on path: path[lo]
// fails (−1 for none known), path[hi] passes (len(path) for none known).
func (s *searcher) pathEnds(path []int64) (lo, hi int) {
	lo, hi = -1, len(path)
	if s.tags[path[len(path)-1]] == tagPass {
		hi = len(path) - 1
	}
	return lo, hi
}

// resolve settles the monotone models for idx: it walks a path up from idx
// and searches the boundary on it. With a suppression limit, when the path
// ends at a node known to pass, the boundary is mostly just below that
// node (adult k11_s5_loss: in 79 of 135 paths the highest node not yet
// tagged fails, and its failing tags cover idx), so the search gallops
// down from there (1, 2, 4, … nodes below the passing end) until a node
// fails, then bisects: checked 346 → 222, k5_s2_loss 408 → 307, FARS
// k5_s2_loss 426 → 297. It stops once idx is settled (a failing probe
// above it tags it): 222 → 208, 307 → 292, 297 → 248. Without a limit the
// plain bisection to the end rolled fewer classes (adult k5_s0_loss 35 k
// against 67 k galloping, 78 k stopping early: the probes it skips become
// the next checks' sources).
func (s *searcher) resolve(idx int64) {
	node := make([]int, len(s.e.attrs))
	s.decode(idx, node)
	path := s.pathUp([]int64{idx}, node)
	lo, hi := s.pathEnds(path)
	step := 0 // the gallop's next step, 0 once bisecting
	if hi < len(path) && s.e.maxSupp > 0 {
		step = 1
	}
	step0 := step > 0
	for hi-lo > 1 {
		if step0 && s.tags[idx] != tagUnknown {
			return // idx is settled: the rest of the boundary is not needed
		}
		mid := (lo + hi) / 2
		if step > 0 {
			mid = max(hi-step, lo+1)
			step *= 2
		}
		switch s.tags[path[mid]] {
		case tagPass:
			hi = mid
		case tagFail:
			lo, step = mid, 0
		default:
			if s.late() && s.best.node != nil {
				return
			}
			if s.check(path[mid]).monoOK {
				hi = mid
			} else {
				lo, step = mid, 0
			}
		}
	}
}

// nextAttr picks the attribute to raise on a path: the one whose static
// bound grows least (or the least generalised, relative to its height).
func (s *searcher) nextAttr(node []int) int {
	best, bestV := -1, 0.0
	for ai, a := range s.e.attrs {
		if node[ai] >= a.maxL {
			continue
		}
		var v float64
		switch {
		case s.factors != nil:
			v = s.raisedLoss(node, ai)
		case s.static:
			node[ai]++
			v, _ = s.e.staticBound(node)
			node[ai]--
		default:
			v = float64(node[ai]-a.minL+1) / float64(a.maxL-a.minL+1)
		}
		if best < 0 || v < bestV {
			best, bestV = ai, v
		}
	}
	return best
}

// raisedLoss is the static Loss bound of node with attribute ai one level
// higher, computed as lossOf does (the same product of the same factors,
// so the same value) from the factors of every level, without the
// per-call sums: staticBound in nextAttr was 8 % of adult k5_s2_loss.
func (s *searcher) raisedLoss(node []int, ai int) float64 {
	prod := 1.0
	for aj, f := range s.factors {
		l := node[aj]
		if aj == ai {
			l++
		}
		prod *= f[l]
	}
	return math.Pow(prod, 1/float64(len(s.factors))) - 1
}

// search finds the optimal transformation (or, with a time limit, the best
// found in time).
func (e *engine) search(ctx context.Context, w *worker) (*found, searchStats, error) {
	s := e.newSearcher(w)
	order, inherited := s.prepare()
	node := s.node
	if specOn {
		s.order, s.inherited, s.scratch2 = order, inherited, make([]int, len(e.attrs))
		defer func() {
			if s.spec != nil {
				s.spec.stop(s.w)
			}
		}()
	}
	for done := 0; ; done++ {
		idx, more := order.next()
		if !more {
			break
		}
		if done&63 == 0 {
			if err := ctxErr(ctx); err != nil {
				return nil, s.st, err
			}
			if e.p.Progress != nil {
				e.p.Progress(int64(done), e.size)
			}
		}
		if s.late() {
			if s.best.node == nil {
				s.check(e.size - 1) // the top: the most general transformation
			}
			if s.best.node != nil {
				s.st.optimal = false
				break
			}
		}
		if !s.static && s.tags[idx] == tagFail {
			// never checked here: it only passes its bound on (most of
			// the lattice on the cases without suppression)
			if b := inherited[idx]; b > 0 {
				s.decode(idx, node)
				s.passOn(idx, node, b, inherited)
			}
			continue
		}
		s.decode(idx, node)
		b := 0.0
		if inherited != nil {
			b = inherited[idx]
		}
		if s.static && s.best.node != nil && s.best.prunable(order.bound(idx), idx, node) {
			break // every later node has a bound at least as high
		}
		if s.lossDown && s.down[idx] > 0 && s.best.prunable(e.lossDownBound(node, s.down[idx]), idx, node) {
			continue
		}
		if !s.static && s.prunable(idx, node, &b) {
			// pruned: pass the bound on
		} else {
			if s.static && s.hasMono && s.tags[idx] == tagUnknown {
				s.resolve(idx)
			}
			if s.tags[idx] != tagFail {
				ev := s.check(idx)
				b = max(b, ev.groupBound)
			}
		}
		if !s.static {
			s.passOn(idx, node, b, inherited)
		}
	}
	if e.p.Progress != nil {
		e.p.Progress(e.size, e.size)
	}
	return &s.best, s.st, nil
}

// newSearcher returns the state of a search, before any check.
func (e *engine) newSearcher(w *worker) *searcher {
	s := &searcher{e: e, w: w, tags: zeroed(e.arena.uint8s(int(e.size))), evals: map[int64]eval{}, built: map[int64]bool{},
		cache: &cache{base: e.base, limit: 4 << 20}, node: make([]int, len(e.attrs)), scratch: make([]int, len(e.attrs))}
	s.st.optimal = true
	if e.metric == MetricDM && e.kmax > 1 && e.n >= e.kmax && e.maxSupp > 0 {
		s.down = zeroed(e.arena.int64s(int(e.size)))
	}
	if e.metric == MetricLoss && e.kmax > 1 && e.maxSupp > 0 {
		s.down = zeroed(e.arena.int64s(int(e.size)))
		s.lossDown = true
	}
	// triples: with a suppression limit (without one, pairs already settle
	// most of the failing nodes), when the base is small enough
	d := int64(len(e.attrs))
	s.triples = e.maxSupp > 0 && ((s.down != nil && !s.lossDown) || d*(d-1)*(d-2)/6*int64(e.base.classes()) <= tripleBaseMax)
	for _, m := range e.models {
		s.hasMono = s.hasMono || m.monotone()
	}
	if e.p.TimeLimit > 0 {
		s.deadline = time.Now().Add(e.p.TimeLimit)
	}
	return s
}

// prepare runs what comes before the main loop: the pre-checks, the
// visiting order and, without a static bound, the descent; it returns the
// order and the bounds passed on (nil with a static bound).
func (s *searcher) prepare() (*visitQueue, []float64) {
	e := s.e
	e.levels() // done already when set-up computed it beside the base
	s.lv = e.lv
	if s.hasMono {
		s.pairPrecheck()
	}
	order := e.visitOrder(s) // after the pre-check: it leaves out the nodes tagged failing
	if s.static && e.metric == MetricLoss {
		s.factors = e.lossFactors()
	}
	if s.static {
		return order, nil
	}
	inherited := zeroed(e.arena.float64s(int(e.size)))
	quads := s.startQuads()
	if e.maxSupp > 0 {
		s.descend()
	}
	quads.apply(s)
	for idx, ev := range s.evals { // the bounds of the nodes checked so far
		inherited[idx] = max(inherited[idx], ev.groupBound)
	}
	return order, inherited
}

// passOn raises the bound of each direct successor of idx to b.
func (s *searcher) passOn(idx int64, node []int, b float64, inherited []float64) {
	for ai, a := range s.e.attrs {
		if node[ai] < a.maxL {
			si := idx + s.e.stride[ai]
			inherited[si] = max(inherited[si], b)
		}
	}
}

// prunable tells whether node idx, which its predecessors bound by *b,
// cannot beat the best value (metrics without a static bound); a node the
// search would check is also bounded by its predecessors' meets, which
// raise *b for its successors as well.
func (s *searcher) prunable(idx int64, node []int, b *float64) bool {
	if s.best.prunable(s.joinBound(idx, *b), idx, node) {
		return true
	}
	if s.tags[idx] == tagFail {
		return false
	}
	*b = max(*b, s.meetBound(idx, node))
	return s.best.prunable(s.joinBound(idx, *b), idx, node)
}

// exhaustive evaluates every node (the test oracle).
func (e *engine) exhaustive(ctx context.Context, w *worker) (*found, searchStats, error) {
	st := searchStats{optimal: true}
	best := &found{}
	node := make([]int, len(e.attrs))
	for idx := int64(0); idx < e.size; idx++ {
		if idx&255 == 0 {
			if err := ctxErr(ctx); err != nil {
				return nil, st, err
			}
		}
		e.decode(idx, node)
		s, _ := e.rollupInto(w, e.base, node, &w.tmp)
		ev := e.evaluate(w, s, nil)
		st.checked++
		if ev.ok && best.better(idx, node, ev) {
			*best = found{idx: idx, node: append([]int(nil), node...), ev: ev, h: height(node)}
		}
	}
	return best, st, nil
}
