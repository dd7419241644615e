package lp

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

type geRow struct {
	idx  []int
	coef []float64
	rhs  float64
}

// primalMin solves min c·x, rows >= rhs, lo <= x <= up with the primal
// solver (slack variables), as an independent reference.
func primalMin(c, lo, up []float64, rows []geRow) (float64, error) {
	n := len(c)
	p := &Problem{Lower: append([]float64(nil), lo...), Upper: append([]float64(nil), up...)}
	for i, r := range rows {
		p.Lower, p.Upper = append(p.Lower, 0), append(p.Upper, math.Inf(1))
		p.Rows = append(p.Rows, Row{Idx: append(append([]int(nil), r.idx...), n+i), Coef: append(append([]float64(nil), r.coef...), -1), RHS: r.rhs})
	}
	s, err := New(p)
	if err != nil {
		return 0, err
	}
	cc := make([]float64, len(p.Lower))
	copy(cc, c)
	return s.Minimize(cc, math.Inf(-1))
}

func randRow(rng *rand.Rand, n int) geRow {
	var r geRow
	for j := range n {
		if rng.IntN(2) == 0 {
			r.idx = append(r.idx, j)
			r.coef = append(r.coef, float64(rng.IntN(7)))
		}
	}
	r.rhs = float64(rng.IntN(8))
	return r
}

// TestDualMatchesPrimal adds rows and changes bounds at random, checking
// each optimum (and infeasibility) against the primal solver from scratch.
func TestDualMatchesPrimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	checked, infeasible := 0, 0
	for trial := 0; trial < 300; trial++ {
		n := 2 + rng.IntN(7)
		c, lo, up := make([]float64, n), make([]float64, n), make([]float64, n)
		for j := range n {
			c[j] = float64(rng.IntN(9)) - 1
			up[j] = 1 + float64(rng.IntN(2))
		}
		s, err := NewDual(c, lo, up)
		if err != nil {
			t.Fatal(err)
		}
		var rows []geRow
		for step := 0; step < 8; step++ {
			switch k := rng.IntN(4); {
			case k == 0 && rng.IntN(3) == 0: // an equation: two opposite rows for the reference
				r := randRow(rng, n)
				neg := geRow{idx: r.idx, rhs: -r.rhs}
				for _, v := range r.coef {
					neg.coef = append(neg.coef, -v)
				}
				rows = append(rows, r, neg)
				s.AddEq(r.idx, r.coef, r.rhs, 0)
			case k < 2:
				r := randRow(rng, n)
				rows = append(rows, r)
				s.AddRow(r.idx, r.coef, r.rhs, 0)
			case k == 2:
				j := rng.IntN(n)
				l := float64(rng.IntN(2))
				u := l + float64(rng.IntN(2))
				lo[j], up[j] = l, u
				s.SetBounds(j, l, u)
			default: // a repeated row changes nothing
				if len(rows) > 0 {
					r := rows[rng.IntN(len(rows))]
					s.AddRow(r.idx, r.coef, r.rhs, 0)
				}
			}
			err := s.Solve(math.Inf(1))
			want, perr := primalMin(c, lo, up, rows)
			if errors.Is(perr, ErrInfeasible) {
				if !errors.Is(err, ErrInfeasible) {
					t.Fatalf("trial %d: primal infeasible, dual %v obj %g", trial, err, s.Objective())
				}
				infeasible++
				continue // the basis stays dual feasible: later bound changes may restore feasibility
			}
			if err != nil || perr != nil {
				t.Fatalf("trial %d: dual %v primal %v", trial, err, perr)
			}
			if got := s.Objective(); math.Abs(got-want) > 1e-6 {
				t.Fatalf("trial %d step %d: dual %g primal %g", trial, step, got, want)
			}
			for j := range n {
				if v := s.Value(j); v < lo[j]-1e-6 || v > up[j]+1e-6 {
					t.Fatalf("x%d = %g outside [%g,%g]", j, v, lo[j], up[j])
				}
			}
			for _, r := range rows {
				sum := 0.0
				for k, j := range r.idx {
					sum += r.coef[k] * s.Value(j)
				}
				if sum < r.rhs-1e-6 {
					t.Fatalf("row violated: %g < %g", sum, r.rhs)
				}
			}
			checked++
		}
	}
	if checked < 500 || infeasible == 0 {
		t.Fatalf("weak test: %d optima checked, %d infeasible", checked, infeasible)
	}
}
