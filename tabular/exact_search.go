package tabular

import (
	"container/heap"
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/tabular/lp"
)

// The branch-and-bound of the exact method (exact.go): best-first over
// the master LP with lazily separated capacity cuts.

// integral reports whether every value is 0 or 1 (within 1e-6).
func integral(y []float64) bool {
	for _, v := range y {
		if v > 1e-6 && v < 1-1e-6 {
			return false
		}
	}
	return true
}

// bnb is the branch-and-bound state.
type bnb struct {
	m         *exactModel
	lp        *lp.Dual
	pool      []cut
	inLP      []bool // pool cut currently a row of the LP
	best      []float64
	bestCost  float64
	openBound float64
	nodes     int
	seps      int
	deadline  time.Time
	maxNodes  int
	limited   bool
	infeas    bool
}

// pruneAt is the objective at which a node cannot beat the incumbent.
func (b *bnb) pruneAt() float64 {
	if b.m.integral {
		return b.bestCost - 1 + 1e-6
	}
	return b.bestCost - 1e-9*math.Max(1, b.bestCost)
}

func (b *bnb) values() []float64 {
	y := make([]float64, len(b.m.free))
	for f := range y {
		y[f] = b.lp.Value(f)
	}
	return y
}

// addCuts puts pool cuts violated at y into the LP, separating new ones
// when none is; it returns how many rows were added.
func (b *bnb) addCuts(y []float64) (int, error) {
	added := 0
	for k := range b.pool {
		if !b.inLP[k] && b.pool[k].violated(y) {
			b.lp.AddRow(b.pool[k].idx, b.pool[k].coef, b.pool[k].rhs, k)
			b.inLP[k] = true
			added++
		}
	}
	if added > 0 {
		return added, nil
	}
	b.seps++
	cuts, uncut, infeasible, err := b.m.separate(y)
	if err != nil {
		return 0, err
	}
	if infeasible {
		b.infeas = true
		return 0, nil
	}
	if len(cuts) == 0 && uncut && integral(y) {
		// An attacker LP finds this pattern unprotected but rounding hides
		// the violation in the capacity cut: cut the pattern off instead.
		// Publishing fewer cells never widens an interval, so some free
		// cell not suppressed now must be.
		var c cut
		for f, v := range y {
			if v < 0.5 {
				c.idx, c.coef = append(c.idx, f), append(c.coef, 1)
			}
		}
		c.rhs = 1
		cuts = append(cuts, c)
	}
	added = 0
	for _, c := range cuts {
		for _, c := range append([]cut{c}, c.rounded(y)...) {
			b.lp.AddRow(c.idx, c.coef, c.rhs, len(b.pool))
			b.pool = append(b.pool, c)
			b.inLP = append(b.inLP, true)
			added++
		}
	}
	return added, nil
}

// bbNode is an open node: its fixings (free variable, value) and the LP
// bound of its parent.
type bbNode struct {
	bound float64
	fix   [][2]int
}

type nodeHeap []bbNode

func (h nodeHeap) Len() int           { return len(h) }
func (h nodeHeap) Less(a, b int) bool { return h[a].bound < h[b].bound }
func (h nodeHeap) Swap(a, b int)      { h[a], h[b] = h[b], h[a] }
func (h *nodeHeap) Push(x any)        { *h = append(*h, x.(bbNode)) }
func (h *nodeHeap) Pop() any {
	old := *h
	n := old[len(old)-1]
	*h = old[:len(old)-1]
	return n
}

// search is best-first branch-and-bound: the open node of least bound is
// solved next, so the least bound is the proven lower bound at any time.
func (b *bnb) search() error {
	open := &nodeHeap{{bound: math.Inf(-1)}}
	cur := make([]int, len(b.m.free)) // current fixing: -1 free, 0 or 1
	for f := range cur {
		cur[f] = -1
	}
	var next *bbNode // plunge: the up-branch child is solved right away
	for open.Len() > 0 || next != nil {
		var nd bbNode
		if next != nil {
			nd, next = *next, nil
		} else {
			nd = heap.Pop(open).(bbNode)
		}
		if nd.bound >= b.pruneAt() {
			continue
		}
		if b.nodes >= b.maxNodes || time.Now().After(b.deadline) {
			b.limited = true
			b.openBound = nd.bound
			if open.Len() > 0 {
				b.openBound = math.Min(nd.bound, (*open)[0].bound)
			}
			return nil
		}
		b.nodes++
		want := make(map[int]int, len(nd.fix))
		for _, fx := range nd.fix {
			want[fx[0]] = fx[1]
		}
		for f := range cur {
			v, ok := want[f]
			if !ok {
				v = -1
			}
			if v != cur[f] {
				cur[f] = v
				if v < 0 {
					b.lp.SetBounds(f, 0, 1)
				} else {
					b.lp.SetBounds(f, float64(v), float64(v))
				}
			}
		}
		y, bound, err := b.solveNode()
		if err != nil || b.infeas {
			return err
		}
		if b.limited {
			b.openBound = math.Max(nd.bound, bound)
			if open.Len() > 0 {
				b.openBound = math.Min(b.openBound, (*open)[0].bound)
			}
			return nil
		}
		if y == nil {
			continue
		}
		j, fv := -1, 2.0
		for f, v := range y {
			if d := math.Abs(v - 0.5); v > 1e-6 && v < 1-1e-6 && d < fv {
				j, fv = f, d
			}
		}
		if j < 0 { // integral and protected
			cost := 0.0
			for f, v := range y {
				if v > 0.5 {
					cost += b.m.w[f]
				}
			}
			if cost < b.bestCost {
				b.bestCost = cost
				b.best = append(b.best[:0], y...)
			}
			continue
		}
		up := bbNode{bound: bound, fix: append(append([][2]int(nil), nd.fix...), [2]int{j, 1})}
		heap.Push(open, bbNode{bound: bound, fix: append(append([][2]int(nil), nd.fix...), [2]int{j, 0})})
		next = &up
	}
	return nil
}

// solveNode solves the LP of the current bounds, adding cuts until the
// attacker LPs accept y*. y is nil when the node is infeasible or pruned.
func (b *bnb) solveNode() ([]float64, float64, error) {
	for {
		err := b.lp.Solve(b.pruneAt() + b.m.pert)
		if errors.Is(err, lp.ErrInfeasible) {
			return nil, 0, nil
		}
		if errors.Is(err, lp.ErrStopped) {
			b.limited = true
			return nil, b.lp.Objective() - b.m.pert, nil // a valid lower bound (dual feasible)
		}
		if err != nil {
			return nil, 0, err
		}
		bound := b.lp.Objective() - b.m.pert
		if bound >= b.pruneAt() {
			return nil, bound, nil
		}
		y := b.values()
		n, err := b.addCuts(y)
		if errors.Is(err, errExactTime) {
			b.limited = true
			return nil, bound, nil
		}
		if err != nil || b.infeas {
			return nil, 0, err
		}
		if n == 0 {
			return y, bound, nil
		}
		if b.lp.Rows() > 2*len(b.m.free)+100 {
			b.dropSlack()
		}
		if time.Now().After(b.deadline) {
			b.limited = true
			return nil, bound, nil
		}
	}
}

// dropSlack rebuilds the master LP from its binding rows and current
// bounds; the other cuts stay in the pool.
func (b *bnb) dropSlack() {
	n := len(b.m.free)
	lo, up := make([]float64, n), make([]float64, n)
	for f := range lo {
		lo[f], up[f] = b.lp.Bounds(f)
	}
	keep := b.lp.Binding(1e-6)
	d, err := lp.NewDual(b.m.wLP, lo, up)
	if err != nil {
		return
	}
	d.Stop = b.lp.Stop
	for k := range b.inLP {
		b.inLP[k] = false
	}
	for _, k := range keep {
		c := b.pool[k]
		d.AddRow(c.idx, c.coef, c.rhs, k)
		b.inLP[k] = true
	}
	b.lp = d
}

// exact runs the branch-and-bound from the current (heuristic, audited)
// pattern as incumbent and applies the best pattern found.
func (p *Protected) exact(o ExactOptions) error {
	start := time.Now()
	m := p.newExactModel(o.Cost)
	m.deadline = start.Add(o.TimeLimit)
	rep := &ExactReport{Cost: o.Cost}
	p.Report.Exact = rep
	inc := make([]float64, len(m.free))
	for f, k := range m.free {
		if p.suppressed(m.cells[k]) {
			inc[f] = 1
			rep.HeuristicCost += m.w[f]
		}
	}
	lo, up := make([]float64, len(m.free)), make([]float64, len(m.free))
	for f := range up {
		up[f] = 1
	}
	d, err := lp.NewDual(m.wLP, lo, up)
	if err != nil {
		return fault.Errorf(fault.Internal, "exact suppression: %v", err).Wrap(err)
	}
	b := &bnb{m: m, lp: d, best: inc, bestCost: rep.HeuristicCost, openBound: math.Inf(1),
		deadline: start.Add(o.TimeLimit), maxNodes: o.MaxNodes}
	d.Stop = func() bool { return time.Now().After(b.deadline) }
	// The heuristic's pattern is an incumbent only if it is protected (its
	// repair may have given up).
	cuts, uncut, _, err := m.separate(inc)
	if err != nil && !errors.Is(err, errExactTime) {
		return fault.Errorf(fault.Internal, "exact suppression: %v", err).Wrap(err)
	}
	if len(cuts) > 0 || uncut {
		b.bestCost = math.Inf(1)
	}
	err = b.search()
	rep.Nodes, rep.Cuts, rep.Separations = b.nodes, len(b.pool), b.seps
	if errors.Is(err, lp.ErrIterations) {
		b.limited, b.openBound = true, 0
		err = nil
	}
	if err != nil {
		return fault.Errorf(fault.Internal, "exact suppression: %v", err).Wrap(err)
	}
	if math.IsInf(b.bestCost, 1) { // no protected pattern known
		rep.Status = "no protected pattern found within the limits; heuristic pattern kept (see the audit)"
		if b.infeas || !b.limited {
			rep.Status = "infeasible: some primary cell cannot be protected by any suppression pattern; heuristic pattern kept"
		}
		return nil
	}
	rep.Objective = b.bestCost
	switch {
	case b.infeas:
		rep.Status = "infeasible: some primary cell cannot be protected by any suppression pattern; heuristic pattern kept"
		return nil
	case b.limited:
		// Costs are non-negative: 0 is a bound when no node was solved.
		lb := math.Max(0, math.Min(b.openBound, b.bestCost))
		if m.integral {
			lb = math.Min(math.Ceil(lb-1e-6), b.bestCost)
		}
		rep.LowerBound = lb
		rep.Proven = b.bestCost-lb <= 1e-9*math.Max(1, b.bestCost)
		if b.bestCost > 0 && !rep.Proven {
			rep.GapPercent = math.Max(0.01, math.Round(10000*(b.bestCost-lb)/b.bestCost)/100)
		}
		rep.Status = "best found, gap " + formatFloat(rep.GapPercent) + " %"
		if rep.Proven {
			rep.Status = "optimal (proven)"
		}
	default:
		rep.LowerBound, rep.Proven, rep.Status = b.bestCost, true, "optimal (proven)"
	}
	for f, k := range m.free {
		c := m.cells[k]
		if b.best[f] > 0.5 {
			p.Status[c] = Secondary
		} else {
			p.Status[c] = p.publishedStatus(c)
		}
	}
	p.Report.ms("exact", start)
	return nil
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
