package anon

import (
	"context"
	"sort"
	"time"
)

// lattice helpers: a node is one level per quasi-identifier; its index is
// the mixed-radix number of (level − min level).

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
	for c.total > c.limit || len(c.entries) > 64 {
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

// prunable tells whether a node with lower bound b (and index idx) can no
// longer beat the best.
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
	tagMonoFail
)

type searchStats struct {
	checked int64
	optimal bool
}

// search finds the optimal transformation (or, with a time limit, the best
// found in time).
func (e *engine) search(ctx context.Context, w *worker) (*found, searchStats, error) {
	st := searchStats{optimal: true}
	order := make([]int64, e.size)
	for i := range order {
		order[i] = int64(i)
	}
	node := make([]int, len(e.attrs))
	_, static := e.staticBound(node)
	var bound []float64
	heights := make([]int32, e.size)
	for i := range order {
		e.decode(int64(i), node)
		heights[i] = int32(height(node))
	}
	if static {
		bound = make([]float64, e.size)
		for i := range order {
			e.decode(int64(i), node)
			bound[i], _ = e.staticBound(node)
		}
		sort.Slice(order, func(x, y int) bool {
			a, b := order[x], order[y]
			if bound[a] != bound[b] {
				return bound[a] < bound[b]
			}
			if heights[a] != heights[b] {
				return heights[a] < heights[b]
			}
			return a < b
		})
	} else {
		sort.SliceStable(order, func(x, y int) bool { return heights[order[x]] < heights[order[y]] })
	}
	inherited := make([]float64, e.size) // bounds passed on by evaluated predecessors
	tags := make([]uint8, e.size)
	c := &cache{base: e.base, limit: 4 << 20}
	best := &found{}
	var deadline time.Time
	if e.p.TimeLimit > 0 {
		deadline = time.Now().Add(e.p.TimeLimit)
	}
	succ := make([]int, len(e.attrs))
	for done, idx := range order {
		if done&255 == 0 {
			if err := ctxErr(ctx); err != nil {
				return nil, st, err
			}
			if e.p.Progress != nil {
				e.p.Progress(int64(done), e.size)
			}
			if !deadline.IsZero() && time.Now().After(deadline) && best.node != nil {
				st.optimal = false
				break
			}
		}
		e.decode(idx, node)
		b := inherited[idx]
		if static {
			if best.prunable(bound[idx], idx, node) {
				break // every later node has a bound at least as high
			}
		}
		skip := tags[idx] == tagMonoFail || (!static && best.prunable(b, idx, node))
		if !skip {
			src := c.source(node)
			s, _ := e.rollup(w, src, node)
			ev := e.evaluate(w, s, nil)
			st.checked++
			c.add(s)
			if ev.groupBound > b {
				b = ev.groupBound
			}
			if !ev.monoOK {
				e.tagDown(idx, tags)
			}
			if ev.ok && best.better(idx, node, ev) {
				*best = found{idx: idx, node: append([]int(nil), node...), ev: ev, h: height(node)}
			}
		}
		if !static {
			for ai := range e.attrs {
				if node[ai] < e.attrs[ai].maxL {
					copy(succ, node)
					succ[ai]++
					si := e.encode(succ)
					if inherited[si] < b {
						inherited[si] = b
					}
				}
			}
		}
	}
	if e.p.Progress != nil {
		e.p.Progress(e.size, e.size)
	}
	return best, st, nil
}

// tagDown marks every predecessor of idx (more specific nodes) as failing the
// monotone models.
func (e *engine) tagDown(idx int64, tags []uint8) {
	stack := []int64{idx}
	node := make([]int, len(e.attrs))
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		e.decode(i, node)
		for ai, a := range e.attrs {
			if node[ai] > a.minL {
				node[ai]--
				p := e.encode(node)
				node[ai]++
				if tags[p] != tagMonoFail {
					tags[p] = tagMonoFail
					stack = append(stack, p)
				}
			}
		}
	}
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
		s, _ := e.rollup(w, e.base, node)
		ev := e.evaluate(w, s, nil)
		st.checked++
		if ev.ok && best.better(idx, node, ev) {
			*best = found{idx: idx, node: append([]int(nil), node...), ev: ev, h: height(node)}
		}
	}
	return best, st, nil
}
