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

// Exact cell suppression (最適二次秘匿) after Fischetti and Salazar-González
// (1999, 2001): minimise the cost of the suppressed cells over binary
// variables y (1 = suppressed) subject to every primary cell keeping its
// protection levels against the attacker LP. For primary cell i the
// attacker knows the published cells and that each suppressed cell c lies
// in [a_c - LB_c, a_c + UB_c] (LB_c = a_c - lb, UB_c = ub - a_c); on the
// deviations z = x - a:
//
//	max z_i  s.t.  M z = 0,  -LB_c·y_c <= z_c <= UB_c·y_c   must be >= UPL_i
//
// and min z_i <= -LPL_i. By LP duality the maximum is at most
// Σ_c ([r_c]⁺·UB_c + [r_c]⁻·LB_c)·y_c for every dual solution, r being the
// reduced costs of the attacker LP, so each dual solution gives a valid
// capacity cut Σ_c coef_c·y_c >= UPL_i (coefficients capped at the right
// hand side, valid for binary y). Cuts are generated lazily from the
// optimal duals at the current master solution y* (Benders decomposition)
// and the master LP, min w·y over the cuts, is solved by the dual simplex
// of tabular/lp inside a depth-first branch-and-bound. An integral y* that
// no attacker LP cuts off is a protected pattern; the LP bound of the open
// nodes gives the gap when a limit stops the search.

// ExactOptions configures the exact method.
type ExactOptions struct {
	// Cost of suppressing a cell: value (default: the cell's magnitude,
	// i.e. the suppressed total), frequency (its number of rows) or unity
	// (one per cell: fewest suppressions).
	Cost string
	// MaxCells bounds the tables given to the exact method (active cells,
	// default 3000); larger tables use the LP-verified heuristic.
	MaxCells int
	// MaxNodes and TimeLimit stop the branch-and-bound (defaults 20000 and
	// 60 s); the best pattern found is used and the gap reported.
	MaxNodes  int
	TimeLimit time.Duration
}

// ExactReport is the exact method's part of the report.
type ExactReport struct {
	Cost          string  `json:"cost"`
	Status        string  `json:"status"` // "optimal (proven)", "best found, gap x %", "infeasible", "not run: …"
	Objective     float64 `json:"objective"`
	LowerBound    float64 `json:"lower_bound"`
	GapPercent    float64 `json:"gap_percent"`
	HeuristicCost float64 `json:"heuristic_cost"`
	Nodes         int     `json:"nodes"`
	Cuts          int     `json:"cuts"`
	Separations   int     `json:"attacker_lp_rounds"`
	Proven        bool    `json:"proven"`
}

func (o *ExactOptions) defaults() error {
	switch o.Cost {
	case "":
		o.Cost = "value"
	case "value", "frequency", "unity":
	default:
		return fault.Errorf(fault.Invalid, "optimal cost %q: use value, frequency or unity", o.Cost).In("protection.optimal.cost")
	}
	if o.MaxCells == 0 {
		o.MaxCells = 3000
	}
	if o.MaxNodes == 0 {
		o.MaxNodes = 20000
	}
	if o.TimeLimit == 0 {
		o.TimeLimit = 60 * time.Second
	}
	return nil
}

// weight is the cost of suppressing cell c under the chosen cost.
func (p *Protected) weight(c int, cost string) float64 {
	switch cost {
	case "unity":
		return 1
	case "frequency":
		return float64(p.Count[c])
	}
	return math.Abs(p.Magnitude(c))
}

// cut is a capacity inequality Σ coef·y[idx] >= rhs over free variables.
type cut struct {
	idx  []int
	coef []float64
	rhs  float64
}

// exactModel holds the integer programme of one table.
type exactModel struct {
	p        *Protected
	cells    []int     // active cells; attacker LP variable k is cells[k]
	rows     []lp.Row  // additivity constraints over attacker variables
	free     []int     // attacker variable of each free binary variable
	freeOf   []int     // attacker variable -> free variable or -1
	fixedOn  []bool    // attacker variable suppressed for sure (primary)
	capUp    []float64 // UB per attacker variable (may be +Inf)
	capDown  []float64 // LB per attacker variable
	prim     []int     // attacker variables of primary cells
	upl, lpl []float64 // protection levels per primary
	w        []float64 // cost per free variable
	integral bool      // all costs integers: bounds may be rounded up
	wLP      []float64 // costs of the master LP: w plus a tiny perturbation
	pert     float64   // sum of the perturbations (LP bounds are lowered by it)
	deadline time.Time
}

// errExactTime stops a separation round at the time limit.
var errExactTime = errors.New("exact suppression: time limit")

func (p *Protected) newExactModel(cost string) *exactModel {
	m := &exactModel{p: p, integral: true}
	pos := make(map[int]int)
	for c := 0; c < p.N; c++ {
		if p.active(c) {
			pos[c] = len(m.cells)
			m.cells = append(m.cells, c)
		}
	}
	m.freeOf = make([]int, len(m.cells))
	m.fixedOn = make([]bool, len(m.cells))
	m.capUp = make([]float64, len(m.cells))
	m.capDown = make([]float64, len(m.cells))
	for k, c := range m.cells {
		m.freeOf[k] = -1
		a := p.Magnitude(c)
		m.capUp[k], m.capDown[k] = p.ub-a, a-p.lb
		if need, ok := p.Need[c]; ok {
			m.fixedOn[k] = true
			m.prim = append(m.prim, k)
			m.upl = append(m.upl, need.Up)
			m.lpl = append(m.lpl, math.Min(need.Down, a-p.lb))
			continue
		}
		if p.usable(c) {
			m.freeOf[k] = len(m.free)
			m.free = append(m.free, k)
			wc := p.weight(c, cost)
			m.integral = m.integral && wc == math.Trunc(wc)
			m.w = append(m.w, wc)
		}
	}
	// Perturb the master costs so that the dual simplex does not stall on
	// ties (unity costs make every ratio equal); Σδ is subtracted from
	// every LP bound, so bounds stay valid for the true costs.
	for f, wc := range m.w {
		u := float64((uint64(f)*0x9e3779b97f4a7c15)>>11) / (1 << 53)
		d := 1e-6 * (1 + wc) * (0.5 + u/2)
		m.wLP = append(m.wLP, wc+d)
		m.pert += d
	}
	for _, c := range m.cells {
		for j, d := range p.dims {
			if d.isLeaf(p.node(c, j)) || !p.constraintActive(c, j) {
				continue
			}
			var r lp.Row
			p.members(c, j, func(x int, coef float64) {
				r.Idx = append(r.Idx, pos[x])
				r.Coef = append(r.Coef, coef)
			})
			m.rows = append(m.rows, r)
		}
	}
	return m
}

// yFull expands free variable values to every attacker variable.
func (m *exactModel) yFull(yFree []float64) []float64 {
	y := make([]float64, len(m.cells))
	for k := range y {
		switch {
		case m.fixedOn[k]:
			y[k] = 1
		case m.freeOf[k] >= 0:
			y[k] = yFree[m.freeOf[k]]
		}
	}
	return y
}

// separate solves the attacker LPs at y* and returns the violated capacity
// cuts (at most one per primary cell and direction). infeasible reports a
// primary cell that no suppression pattern can protect.
func (m *exactModel) separate(yFree []float64) (cuts []cut, uncut, infeasible bool, err error) {
	y := m.yFull(yFree)
	prob := &lp.Problem{Lower: make([]float64, len(y)), Upper: make([]float64, len(y)), Rows: m.rows}
	for k, v := range y {
		// Snap LP noise: a cell at 1e-9 with an unbounded capacity
		// (counts) would otherwise give the attacker unlimited room.
		if v <= 1e-6 {
			continue
		}
		if v >= 1-1e-6 {
			v = 1
		}
		prob.Lower[k] = -m.capDown[k] * v
		prob.Upper[k] = m.capUp[k] * v
	}
	s, err := lp.New(prob)
	if err != nil {
		return nil, false, false, err
	}
	for q, i := range m.prim {
		if time.Now().After(m.deadline) {
			return nil, false, false, errExactTime
		}
		for _, up := range []bool{true, false} {
			need := m.upl[q]
			if !up {
				need = m.lpl[q]
			}
			if need <= 0 {
				continue
			}
			var v float64
			if up {
				v, err = s.Bound(i, true, need)
			} else {
				v, err = s.Bound(i, false, -need)
				v = -v
			}
			if err != nil {
				return nil, false, false, err
			}
			if v >= need-1e-7*(1+need) {
				continue
			}
			c, ok := m.capacityCut(s, need, yFree)
			if !ok {
				return nil, false, true, nil
			}
			if c.idx != nil {
				cuts = append(cuts, c)
			} else {
				uncut = true
			}
		}
	}
	return cuts, uncut, false, nil
}

// capacityCut reads the Benders cut of the attacker LP just solved to
// optimality. ok is false when no free cell appears in it (the primary
// cell cannot be protected); an empty cut is returned when rounding makes
// it not violated at y*.
func (m *exactModel) capacityCut(s *lp.Solver, need float64, yFree []float64) (cut, bool) {
	rhs := need
	coef := make([]float64, len(m.free))
	for k := range m.cells {
		r := -s.ReducedCost(k)
		var a float64
		switch {
		case r > 1e-9:
			a = r * m.capUp[k]
		case r < -1e-9:
			a = -r * m.capDown[k]
		default:
			continue
		}
		if m.fixedOn[k] {
			rhs -= a
		} else if f := m.freeOf[k]; f >= 0 {
			coef[f] = a
		}
	}
	var c cut
	if rhs <= 1e-9*(1+need) {
		return c, true // not violated after all (numerical)
	}
	lhs := 0.0
	for f, a := range coef {
		if a <= 1e-9 {
			continue
		}
		a = math.Min(a, rhs)
		c.idx = append(c.idx, f)
		c.coef = append(c.coef, a)
		lhs += a * yFree[f]
	}
	if len(c.idx) == 0 {
		return c, false
	}
	// Relax the right-hand side by half the acceptance tolerance: a pattern
	// that protects exactly (attacker bound equal to the level) must not be
	// cut off by rounding errors in the reduced costs.
	tol := 1e-7 * (1 + need)
	c.rhs = rhs - tol/2
	if lhs >= c.rhs-tol/4 {
		return cut{}, true
	}
	return c, true
}

// rounded returns Chvátal-Gomory roundings of a capacity cut that y
// violates: for t > 0, Σ ceil(coef/t)·y >= ceil(rhs/t) holds for binary y
// because the coefficients are non-negative (t = rhs gives "at least one
// of these cells is suppressed").
func (c *cut) rounded(y []float64) []cut {
	var out []cut
	for _, k := range []float64{1, 2} {
		t := c.rhs / k
		r := cut{idx: c.idx, coef: make([]float64, len(c.coef)), rhs: k}
		for q, a := range c.coef {
			r.coef[q] = math.Ceil(a/t - 1e-9)
		}
		if r.violated(y) {
			out = append(out, r)
		}
	}
	return out
}

// violated reports whether y breaks the cut.
func (c *cut) violated(y []float64) bool {
	lhs := 0.0
	for k, f := range c.idx {
		lhs += c.coef[k] * y[f]
	}
	return lhs < c.rhs-1e-6*(1+c.rhs)
}

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
