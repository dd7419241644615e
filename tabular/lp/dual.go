package lp

import (
	"errors"
	"math"
)

// Dual is a dense bounded-variable dual simplex for the master problems of
// branch-and-bound: minimise c·x subject to rows a·x >= b, added one at a
// time (cuts), and finite bounds l <= x <= u that may change between solves
// (branching). Rows are never removed: a caller that wants fewer rows
// builds a new Dual from the Binding ones. Every change keeps the basis dual feasible, so each solve
// starts from the last optimum (warm start): a new row enters with its
// slack basic, a bound change moves a nonbasic variable to the bound its
// reduced cost asks for.
//
// Columns are the n structural variables followed by one slack per row
// (s = a·x - b >= 0).
type Dual struct {
	n       int
	c       []float64
	lo, up  []float64
	x       []float64 // value of every column
	d       []float64 // reduced costs
	t       [][]float64
	basis   []int
	isBasic []int
	tags    []int // caller's tag of each row, by slack column (column n+k)
	MaxIter int
	Pivots  int
	// Stop, when set, is asked every 32 iterations; true ends Solve with
	// ErrStopped (a time limit).
	Stop func() bool
}

// ErrStopped is returned by Solve when Stop asked it to end.
var ErrStopped = errors.New("lp: stopped")

// ErrDualNotFinite is returned when a structural variable has an infinite
// bound on the side its cost pushes it to.
var ErrDualNotFinite = errors.New("lp: dual simplex needs finite bounds")

const dualTol = 1e-7

// NewDual starts a problem with costs c and bounds lo, up and no rows.
func NewDual(c, lo, up []float64) (*Dual, error) {
	n := len(c)
	s := &Dual{n: n, c: append([]float64(nil), c...), lo: append([]float64(nil), lo...), up: append([]float64(nil), up...),
		x: make([]float64, n), d: append([]float64(nil), c...), isBasic: make([]int, n), MaxIter: 100000}
	for j := range n {
		s.isBasic[j] = -1
		v := lo[j]
		if c[j] < 0 {
			v = up[j]
		}
		if math.IsInf(v, 0) || lo[j] > up[j] {
			return nil, ErrDualNotFinite
		}
		s.x[j] = v
	}
	return s, nil
}

// Structural returns the number of structural variables.
func (s *Dual) Structural() int { return s.n }

// Rows returns the number of rows.
func (s *Dual) Rows() int { return len(s.t) }

// Value returns the current value of structural variable j.
func (s *Dual) Value(j int) float64 { return s.x[j] }

// Objective returns c·x over the structural variables.
func (s *Dual) Objective() float64 {
	v := 0.0
	for j := range s.n {
		v += s.c[j] * s.x[j]
	}
	return v
}

// Bounds returns the bounds of structural variable j.
func (s *Dual) Bounds(j int) (float64, float64) { return s.lo[j], s.up[j] }

// Tags returns the tag of every row, in no particular order. (A row is
// known by its slack column: pivots mix the tableau rows.)
func (s *Dual) Tags() []int { return s.tags }

// AddEq adds the equation sum coef[k]·x[idx[k]] = rhs (a row whose slack
// is fixed at zero).
func (s *Dual) AddEq(idx []int, coef []float64, rhs float64, tag int) {
	s.AddRow(idx, coef, rhs, tag)
	s.up[len(s.up)-1] = 0
}

// AddRow adds the row sum coef[k]·x[idx[k]] >= rhs with its slack basic;
// tag identifies it in Tags.
func (s *Dual) AddRow(idx []int, coef []float64, rhs float64, tag int) {
	cols := len(s.x) + 1
	for i := range s.t {
		s.t[i] = append(s.t[i], 0)
	}
	row := make([]float64, cols)
	val := -rhs
	for k, j := range idx {
		row[j] -= coef[k]
		val += coef[k] * s.x[j]
	}
	sl := cols - 1
	row[sl] = 1
	for j := range s.n {
		if r := s.isBasic[j]; r >= 0 && row[j] != 0 {
			f := row[j]
			for k, v := range s.t[r] {
				if v != 0 {
					row[k] -= f * v
				}
			}
			row[j] = 0
		}
	}
	// Slacks of other rows that are basic can appear only through their
	// own rows, which we never combined: they stay zero here.
	s.c, s.lo, s.up = append(s.c, 0), append(s.lo, 0), append(s.up, math.Inf(1))
	s.x, s.d = append(s.x, val), append(s.d, 0)
	s.isBasic = append(s.isBasic, len(s.t))
	s.basis = append(s.basis, sl)
	s.t = append(s.t, row)
	s.tags = append(s.tags, tag)
}

// SetBounds changes the bounds of structural variable j (finite).
func (s *Dual) SetBounds(j int, lo, up float64) {
	s.lo[j], s.up[j] = lo, up
	if s.isBasic[j] >= 0 {
		return
	}
	v := s.x[j]
	switch {
	case lo == up || s.d[j] > dualTol:
		v = lo
	case s.d[j] < -dualTol:
		v = up
	default:
		v = math.Max(lo, math.Min(up, v))
		if v != lo && v != up {
			v = lo
		}
	}
	s.move(j, v-s.x[j])
}

// move changes nonbasic column j by delta and updates the basic values.
func (s *Dual) move(j int, delta float64) {
	if delta == 0 {
		return
	}
	s.x[j] += delta
	for i, row := range s.t {
		if a := row[j]; a != 0 {
			s.x[s.basis[i]] -= a * delta
		}
	}
}

// Binding returns the tags of the rows whose slack is nonbasic or at most
// tol: the rows to keep when the problem is rebuilt without the others.
func (s *Dual) Binding(tol float64) []int {
	var out []int
	for k, tag := range s.tags {
		col := s.n + k
		if s.isBasic[col] < 0 || s.x[col] <= tol {
			out = append(out, tag)
		}
	}
	return out
}

// Solve runs the dual simplex to the optimum of the current rows and
// bounds. It returns ErrInfeasible when no x meets them; stop, when
// finite, ends the solve once the objective reaches it (the node can be
// pruned).
func (s *Dual) Solve(stop float64) error {
	for it := 0; ; it++ {
		if it > s.MaxIter {
			return ErrIterations
		}
		if s.Stop != nil && it%32 == 31 && s.Stop() {
			return ErrStopped
		}
		if s.Objective() >= stop {
			return nil
		}
		r, target := s.leaving()
		if r < 0 {
			return nil
		}
		q := s.enteringDual(r, s.x[s.basis[r]] < target)
		if q < 0 {
			return ErrInfeasible
		}
		s.Pivots++
		row := s.t[r]
		delta := (s.x[s.basis[r]] - target) / row[q]
		s.move(q, delta)
		leave := s.basis[r]
		s.x[leave] = target
		s.pivot(r, q)
	}
}

// leaving picks the most infeasible basic variable and the bound it goes to.
func (s *Dual) leaving() (int, float64) {
	best, r, target := dualTol, -1, 0.0
	for i, b := range s.basis {
		v := s.x[b]
		tol := dualTol * (1 + math.Abs(v))
		if d := s.lo[b] - v; d > tol && d > best {
			best, r, target = d, i, s.lo[b]
		} else if d := v - s.up[b]; d > tol && d > best {
			best, r, target = d, i, s.up[b]
		}
	}
	return r, target
}

// enteringDual is the dual ratio test on row r: the basic variable must
// rise (up) or fall; the entering column keeps every reduced cost of the
// right sign.
func (s *Dual) enteringDual(r int, up bool) int {
	row := s.t[r]
	q, best, bestA := -1, math.Inf(1), 0.0
	for j, a := range row {
		if a == 0 || s.isBasic[j] >= 0 || s.lo[j] == s.up[j] {
			continue
		}
		if math.Abs(a) < 1e-9 {
			continue
		}
		atUpper := s.x[j] >= s.up[j]
		// x_b = ... - a·x_j: x_b rises when x_j moves against the sign of a.
		var ok bool
		if up {
			ok = (a < 0 && !atUpper) || (a > 0 && atUpper)
		} else {
			ok = (a > 0 && !atUpper) || (a < 0 && atUpper)
		}
		if !ok {
			continue
		}
		ratio := math.Abs(s.d[j]) / math.Abs(a)
		if ratio < best-1e-12 || (ratio <= best+1e-12 && math.Abs(a) > bestA) {
			q, best, bestA = j, ratio, math.Abs(a)
		}
	}
	return q
}

// pivot makes column q basic in row r.
func (s *Dual) pivot(r, q int) {
	eliminate(s.t, s.d, r, q)
	old := s.basis[r]
	s.isBasic[old] = -1
	s.basis[r] = q
	s.isBasic[q] = r
}
