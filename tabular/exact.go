package tabular

import (
	"errors"
	"math"
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
