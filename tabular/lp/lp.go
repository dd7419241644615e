// Package lp is a dense bounded-variable primal simplex solver for the
// linear programs of table protection: minimise c·x subject to A x = b and
// l <= x <= u (each l finite, each u finite or +Inf). Phase 1 finds a
// feasible basis once; every objective after that starts from the last
// optimal basis (warm start), which is what the attacker audit needs: two
// objectives, min and max, per suppressed cell over the same constraints.
//
// Anti-cycling: Dantzig's rule, switching to Bland's rule after a run of
// degenerate pivots. It imports only the standard library.
package lp

import (
	"errors"
	"math"
)

// Errors of Solve.
var (
	ErrInfeasible = errors.New("lp: infeasible")
	ErrUnbounded  = errors.New("lp: unbounded")
	ErrIterations = errors.New("lp: iteration limit")
)

const (
	eps     = 1e-9
	zeroTol = 1e-11
)

// Row is one equality constraint: sum Coef[k]·x[Idx[k]] = RHS.
type Row struct {
	Idx  []int
	Coef []float64
	RHS  float64
}

// Problem is an LP in equality form with bounds.
type Problem struct {
	Lower, Upper []float64 // one per variable
	Rows         []Row
}

// Solver holds a feasible basis of a Problem.
type Solver struct {
	n, m    int
	lo, up  []float64 // up is the shifted range u-l (may be +Inf)
	t       [][]float64
	beta    []float64 // values of the basic variables (shifted)
	basis   []int     // variable in each row; >= n means artificial
	isBasic []int     // row of a basic variable, -1 when nonbasic
	atUpper []bool
	d       []float64 // reduced costs
	obj     float64   // current objective value (shifted, without constant)
	MaxIter int
	Pivots  int // pivots and bound flips so far
}

// New builds a solver and runs phase 1; it returns ErrInfeasible when the
// constraints cannot be met.
func New(p *Problem) (*Solver, error) {
	n, m := len(p.Lower), len(p.Rows)
	s := &Solver{n: n, m: m, lo: p.Lower, up: make([]float64, n), MaxIter: 50000 + 50*(n+m)}
	for j := range n {
		s.up[j] = p.Upper[j] - p.Lower[j]
		if s.up[j] < -eps || math.IsInf(p.Lower[j], 0) {
			return nil, ErrInfeasible
		}
		if s.up[j] < 0 {
			s.up[j] = 0
		}
	}
	s.t = make([][]float64, m)
	s.beta = make([]float64, m)
	s.basis = make([]int, m)
	s.isBasic = make([]int, n)
	for j := range s.isBasic {
		s.isBasic[j] = -1
	}
	s.atUpper = make([]bool, n)
	for i, r := range p.Rows {
		row := make([]float64, n)
		b := r.RHS
		for k, j := range r.Idx {
			row[j] += r.Coef[k]
			b -= r.Coef[k] * p.Lower[j]
		}
		if b < 0 {
			for j := range row {
				row[j] = -row[j]
			}
			b = -b
		}
		s.t[i], s.beta[i], s.basis[i] = row, b, n+i
	}
	// Phase 1: minimise the sum of the artificials.
	s.d = make([]float64, n)
	for j := range n {
		for i := range m {
			s.d[j] -= s.t[i][j]
		}
	}
	for i := range m {
		s.obj += s.beta[i]
	}
	if err := s.run(math.Inf(-1)); err != nil {
		return nil, err
	}
	if s.obj > 1e-7*(1+s.scale()) {
		return nil, ErrInfeasible
	}
	s.driveOutArtificials()
	return s, nil
}

func (s *Solver) scale() float64 {
	v := 0.0
	for _, b := range s.beta {
		v = math.Max(v, math.Abs(b))
	}
	return v
}

// driveOutArtificials pivots zero-level artificials out of the basis or
// drops their (redundant) rows.
func (s *Solver) driveOutArtificials() {
	for i := 0; i < s.m; i++ {
		if s.basis[i] < s.n {
			continue
		}
		q := -1
		for j := range s.n {
			if s.isBasic[j] < 0 && math.Abs(s.t[i][j]) > 1e-7 {
				q = j
				break
			}
		}
		if q >= 0 {
			v := 0.0
			if s.atUpper[q] {
				v = s.up[q]
			}
			s.pivot(i, q)
			s.beta[i] = v
			continue
		}
		last := s.m - 1
		s.t[i], s.beta[i], s.basis[i] = s.t[last], s.beta[last], s.basis[last]
		if s.basis[i] < s.n {
			s.isBasic[s.basis[i]] = i
		}
		s.t, s.beta, s.basis = s.t[:last], s.beta[:last], s.basis[:last]
		s.m--
		i--
	}
}

// pivot makes variable q basic in row r (tableau and reduced costs only).
func (s *Solver) pivot(r, q int) {
	eliminate(s.t[:s.m], s.d, r, q)
	if old := s.basis[r]; old < s.n {
		s.isBasic[old] = -1
	}
	s.basis[r] = q
	s.isBasic[q] = r
}

// eliminate is the arithmetic of a pivot on t[r][q], shared by the primal
// and the dual simplex: row r is divided by the pivot, and column q is
// cleared from the other rows and from the reduced costs d (only the
// row's non-zero columns are touched; values below zeroTol become 0).
func eliminate(t [][]float64, d []float64, r, q int) {
	row := t[r]
	pv := row[q]
	nz := make([]int, 0, 32)
	for j, v := range row {
		if v != 0 {
			row[j] = v / pv
			nz = append(nz, j)
		}
	}
	row[q] = 1
	for i, ti := range t {
		if i == r {
			continue
		}
		f := ti[q]
		if f == 0 {
			continue
		}
		for _, j := range nz {
			v := ti[j] - f*row[j]
			if math.Abs(v) < zeroTol {
				v = 0
			}
			ti[j] = v
		}
		ti[q] = 0
	}
	if f := d[q]; f != 0 {
		for _, j := range nz {
			d[j] -= f * row[j]
		}
		d[q] = 0
	}
}

// run iterates until optimal or until the objective is <= stop.
func (s *Solver) run(stop float64) error {
	degenerate := 0
	for it := 0; ; it++ {
		if it > s.MaxIter {
			return ErrIterations
		}
		if s.obj <= stop {
			return nil
		}
		s.Pivots++
		q := s.entering(degenerate > 50)
		if q < 0 {
			return nil
		}
		dir := 1.0
		if s.atUpper[q] {
			dir = -1
		}
		theta, r, toUpper := s.ratio(q, dir)
		if math.IsInf(theta, 1) {
			return ErrUnbounded
		}
		if theta < eps {
			degenerate++
		} else {
			degenerate = 0
		}
		for i := range s.m {
			if a := s.t[i][q]; a != 0 {
				s.beta[i] -= dir * theta * a
			}
		}
		s.obj += s.d[q] * dir * theta
		if r < 0 { // bound flip
			s.atUpper[q] = !s.atUpper[q]
			continue
		}
		enter := theta
		if dir < 0 {
			enter = s.up[q] - theta
		}
		leaving := s.basis[r]
		s.pivot(r, q)
		s.beta[r] = enter
		s.atUpper[q] = false
		if leaving < s.n {
			s.atUpper[leaving] = toUpper
		}
	}
}

// entering picks the entering variable: largest improving reduced cost,
// or the lowest improving index under Bland's rule.
func (s *Solver) entering(bland bool) int {
	best, q := eps, -1
	for j := range s.n {
		if s.isBasic[j] >= 0 {
			continue
		}
		var gain float64
		if s.atUpper[j] {
			gain = s.d[j]
		} else if s.up[j] > 0 {
			gain = -s.d[j]
		}
		if gain > best {
			if bland {
				return j
			}
			best, q = gain, j
		}
	}
	return q
}

// ratio returns the step, the leaving row (-1 for a bound flip) and whether
// the leaving variable ends at its upper bound.
func (s *Solver) ratio(q int, dir float64) (float64, int, bool) {
	theta, r, toUpper := s.up[q], -1, false
	for i := range s.m {
		a := dir * s.t[i][q]
		if a > eps {
			if v := math.Max(s.beta[i], 0) / a; v < theta || (v == theta && r >= 0 && s.basis[i] < s.basis[r]) {
				theta, r, toUpper = v, i, false
			}
		} else if a < -eps {
			b := s.basis[i]
			if b >= s.n {
				continue // artificials have no upper bound
			}
			if u := s.up[b]; !math.IsInf(u, 1) {
				if v := math.Max(u-s.beta[i], 0) / -a; v < theta || (v == theta && r >= 0 && s.basis[i] < s.basis[r]) {
					theta, r, toUpper = v, i, true
				}
			}
		}
	}
	return theta, r, toUpper
}

// value returns the current (shifted) value of variable j.
func (s *Solver) value(j int) float64 {
	if r := s.isBasic[j]; r >= 0 {
		return s.beta[r]
	}
	if s.atUpper[j] {
		return s.up[j]
	}
	return 0
}

// Value returns the current value of variable j.
func (s *Solver) Value(j int) float64 { return s.lo[j] + s.value(j) }

// Minimize minimises c·x (c dense, one entry per variable) from the current
// basis. It stops early, with a feasible x, once c·x <= stop (use -Inf for
// the optimum). It returns the value of c·x.
func (s *Solver) Minimize(c []float64, stop float64) (float64, error) {
	for j := range s.n {
		s.d[j] = c[j]
	}
	var constant float64
	for j := range s.n {
		constant += c[j] * s.lo[j]
	}
	for i := range s.m {
		cb := c[s.basis[i]]
		if cb == 0 {
			continue
		}
		for j, v := range s.t[i] {
			if v != 0 {
				s.d[j] -= cb * v
			}
		}
	}
	s.obj = 0
	for j := range s.n {
		s.obj += c[j] * s.value(j)
	}
	err := s.run(stop - constant)
	return s.obj + constant, err
}

// Bound returns the minimum (max=false) or the maximum of variable j. It
// returns +Inf for an unbounded maximum. With early stops: for a minimum it
// may stop once the value is <= stop, for a maximum once it is >= stop.
func (s *Solver) Bound(j int, max bool, stop float64) (float64, error) {
	c := make([]float64, s.n)
	if max {
		c[j] = -1
		v, err := s.Minimize(c, -stop)
		if errors.Is(err, ErrUnbounded) {
			return math.Inf(1), nil
		}
		return -v, err
	}
	c[j] = 1
	v, err := s.Minimize(c, stop)
	if errors.Is(err, ErrUnbounded) {
		return math.Inf(-1), nil
	}
	return v, err
}

// ReducedCost returns the reduced cost of variable j for the objective of
// the last Minimize (c_j - π·A_j, π the row duals of the basis). At an
// optimum of min c·x they certify the bound c·x >= Σ_j d_j·(lower or upper
// bound of j, whichever is smaller), which is how Benders cuts are read
// from the attacker LPs.
func (s *Solver) ReducedCost(j int) float64 { return s.d[j] }
