package tabular

import (
	"errors"
	"math"
	mrand "math/rand/v2"
	"time"

	"github.com/tokumei/tokumei/tabular/lp"
)

// Limits of controlled rounding by branch-and-bound (tables of three or
// more dimensions, hierarchical and linked tables): active cells, nodes
// and time. Beyond them, or when no additive rounding exists, Round falls
// back to random rounding and says so in the report.
var (
	ControlledMaxCells = 20000
	ControlledMaxNodes = 50000
	ControlledTime     = 20 * time.Second
)

// controlledBB rounds every active cell to the multiple of base just below
// or just above its value (zero-restricted: multiples stay as they are)
// so that every additivity constraint of the table still holds: an integer
// feasibility problem over one binary per cell (0 = down, 1 = up), solved
// by depth-first branch-and-bound over its LP relaxation with the dual
// simplex of tabular/lp. The first attempt prefers the roundings nearest
// to the values (least total absolute change); later attempts restart
// from random objectives with doubled node budgets. It writes the values
// (multiples of base) to out, or returns why it failed.
func (t *Table) controlledBB(base int, out []float64) string {
	b := float64(base)
	var cells []int
	for c := 0; c < t.N; c++ {
		if t.active(c) {
			cells = append(cells, c)
		}
	}
	if len(cells) > ControlledMaxCells {
		return "table has " + itoa(len(cells)) + " cells, limit " + itoa(ControlledMaxCells)
	}
	floor := make([]float64, t.N)
	free := make([]int, t.N) // cell -> variable or -1
	var vars []int
	var cost []float64
	for c := range free {
		free[c] = -1
	}
	for _, c := range cells {
		x := math.Round(t.Magnitude(c)) / b
		floor[c] = math.Floor(x)
		if f := x - floor[c]; f > 1e-9 {
			free[c] = len(vars)
			vars = append(vars, c)
			cost = append(cost, 1-2*f) // |change| up minus |change| down, in base units
		}
	}
	type eq struct {
		idx  []int
		coef []float64
		rhs  float64
	}
	var eqs []eq
	for _, c := range cells {
		for j, dm := range t.dims {
			if dm.isLeaf(t.node(c, j)) || !t.constraintActive(c, j) {
				continue
			}
			var e eq
			(&Protected{Table: t}).members(c, j, func(m int, k float64) {
				e.rhs -= k * floor[m]
				if v := free[m]; v >= 0 {
					e.idx, e.coef = append(e.idx, v), append(e.coef, k)
				}
			})
			if len(e.idx) == 0 {
				if math.Abs(e.rhs) > 1e-9 {
					return "no additive rounding exists (a constraint has no cell to round)"
				}
				continue
			}
			eqs = append(eqs, e)
		}
	}
	// Attempts: the nearest rounding first, then random objectives (other
	// LP vertices, often integral), each with twice the node budget of the
	// one before. An attempt that ends within its budget searched its
	// whole tree, so "not found" is then a proof.
	deadline := time.Now().Add(ControlledTime)
	rng := mrand.New(mrand.NewPCG(uint64(len(vars)), uint64(base)))
	lo, up := make([]float64, len(vars)), make([]float64, len(vars))
	for i := range up {
		up[i] = 1
	}
	var r *roundSearch
	nodes := 0
	found := false
	for attempt, budget := 0, 64; ; attempt, budget = attempt+1, budget*2 {
		c := cost
		if attempt > 0 {
			c = make([]float64, len(cost))
			for i := range c {
				c[i] = rng.Float64()*2 - 1
			}
		}
		d, err := lp.NewDual(c, lo, up)
		if err != nil {
			return err.Error()
		}
		for _, e := range eqs {
			d.AddEq(e.idx, e.coef, e.rhs, 0)
		}
		r = &roundSearch{lp: d, deadline: deadline, budget: min(budget, ControlledMaxNodes-nodes)}
		d.Stop = func() bool { return time.Now().After(deadline) }
		found, err = r.dive()
		nodes += r.nodes
		if err == nil {
			break
		}
		if !errors.Is(err, errRoundLimit) {
			return err.Error()
		}
		if nodes >= ControlledMaxNodes || time.Now().After(deadline) {
			return "search limit reached (" + itoa(nodes) + " nodes in " + itoa(attempt+1) + " attempts): additivity not proven possible"
		}
	}
	if !found {
		return "no additive rounding to adjacent multiples exists for this table (infeasible, proven by branch-and-bound)"
	}
	for c := range out {
		out[c] = floor[c] * b
		if v := free[c]; v >= 0 && r.sol[v] > 0.5 {
			out[c] += b
		}
	}
	return ""
}

var errRoundLimit = errors.New("controlled rounding: search limit")

type roundSearch struct {
	budget   int
	lp       *lp.Dual
	sol      []float64
	nodes    int
	deadline time.Time
}

// dive is depth-first branch-and-bound to the first integral solution.
func (r *roundSearch) dive() (bool, error) {
	r.nodes++
	if r.nodes > r.budget || time.Now().After(r.deadline) {
		return false, errRoundLimit
	}
	err := r.lp.Solve(math.Inf(1))
	if errors.Is(err, lp.ErrInfeasible) {
		return false, nil
	}
	if errors.Is(err, lp.ErrStopped) {
		return false, errRoundLimit
	}
	if err != nil {
		return false, err
	}
	j, best := -1, 2.0
	vals := r.values()
	for v, x := range vals {
		if d := math.Abs(x - 0.5); x > 1e-6 && x < 1-1e-6 && d < best {
			j, best = v, d
		}
	}
	if j < 0 {
		r.sol = vals
		return true, nil
	}
	first := 0.0
	if vals[j] >= 0.5 {
		first = 1
	}
	for _, v := range []float64{first, 1 - first} {
		r.lp.SetBounds(j, v, v)
		ok, err := r.dive()
		if ok || err != nil {
			return ok, err
		}
	}
	r.lp.SetBounds(j, 0, 1)
	return false, nil
}

func (r *roundSearch) values() []float64 {
	out := make([]float64, r.lp.Structural())
	for j := range out {
		out[j] = r.lp.Value(j)
	}
	return out
}
