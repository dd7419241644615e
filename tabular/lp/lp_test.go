package lp

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestKnownProblems(t *testing.T) {
	// x0 + x1 + x2 = 10, x0 - x1 = 2, 0 <= x <= 6: x2 = 8 - 2 x1 <= 6 forces x1 >= 1.
	p := &Problem{
		Lower: []float64{0, 0, 0}, Upper: []float64{6, 6, 6},
		Rows: []Row{{Idx: []int{0, 1, 2}, Coef: []float64{1, 1, 1}, RHS: 10}, {Idx: []int{0, 1}, Coef: []float64{1, -1}, RHS: 2}},
	}
	s, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		j    int
		max  bool
		want float64
	}{{0, false, 3}, {0, true, 6}, {1, false, 1}, {1, true, 4}, {2, false, 0}, {2, true, 6}}
	for _, c := range cases {
		got, err := s.Bound(c.j, c.max, math.Inf(-1+2*b2i(c.max)))
		if err != nil || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("bound x%d max=%v = %v (%v), want %v", c.j, c.max, got, err, c.want)
		}
	}
	// Unbounded maximum.
	q := &Problem{Lower: []float64{0, 0}, Upper: []float64{math.Inf(1), math.Inf(1)},
		Rows: []Row{{Idx: []int{0, 1}, Coef: []float64{1, -1}, RHS: 3}}}
	s2, err := New(q)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s2.Bound(0, true, math.Inf(1)); !math.IsInf(v, 1) {
		t.Errorf("max x0 = %v, want +Inf", v)
	}
	if v, _ := s2.Bound(0, false, math.Inf(-1)); math.Abs(v-3) > 1e-9 {
		t.Errorf("min x0 = %v, want 3", v)
	}
	// Infeasible.
	r := &Problem{Lower: []float64{0, 0}, Upper: []float64{1, 1},
		Rows: []Row{{Idx: []int{0, 1}, Coef: []float64{1, 1}, RHS: 3}}}
	if _, err := New(r); err != ErrInfeasible {
		t.Errorf("infeasible problem: err = %v", err)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// bruteMin enumerates every basic solution of a small bounded problem.
func bruteMin(p *Problem, c []float64) (float64, bool) {
	n, m := len(p.Lower), len(p.Rows)
	a := make([][]float64, m)
	for i, r := range p.Rows {
		a[i] = make([]float64, n)
		for k, j := range r.Idx {
			a[i][j] += r.Coef[k]
		}
	}
	best, found := math.Inf(1), false
	x := make([]float64, n)
	for mask := 0; mask < 1<<n; mask++ { // basic set
		for bits := 0; bits < 1<<n; bits++ { // nonbasic at upper
			if bits&mask != 0 {
				continue
			}
			var cols []int
			for j := range n {
				if mask&(1<<j) != 0 {
					cols = append(cols, j)
				} else if bits&(1<<j) != 0 {
					x[j] = p.Upper[j]
				} else {
					x[j] = p.Lower[j]
				}
			}
			if !solveSub(a, p, cols, x) {
				continue
			}
			ok := true
			for j := range n {
				if x[j] < p.Lower[j]-1e-7 || x[j] > p.Upper[j]+1e-7 {
					ok = false
				}
			}
			for i := range m {
				v := 0.0
				for j := range n {
					v += a[i][j] * x[j]
				}
				if math.Abs(v-p.Rows[i].RHS) > 1e-7 {
					ok = false
				}
			}
			if ok {
				v := 0.0
				for j := range n {
					v += c[j] * x[j]
				}
				best, found = math.Min(best, v), true
			}
		}
	}
	return best, found
}

// solveSub solves the m×k system for x[cols] (other x fixed) by Gaussian
// elimination; it returns false when it is inconsistent or not of rank k.
func solveSub(a [][]float64, p *Problem, cols []int, x []float64) bool {
	m, k := len(a), len(cols)
	if k > m {
		return false
	}
	in := make(map[int]bool)
	for _, c := range cols {
		in[c] = true
	}
	g := make([][]float64, m)
	for i := range m {
		g[i] = make([]float64, k+1)
		rhs := p.Rows[i].RHS
		for j := range x {
			if !in[j] {
				rhs -= a[i][j] * x[j]
			}
		}
		for kk, c := range cols {
			g[i][kk] = a[i][c]
		}
		g[i][k] = rhs
	}
	row := 0
	for col := 0; col < k; col++ {
		piv := -1
		for i := row; i < m; i++ {
			if math.Abs(g[i][col]) > 1e-9 && (piv < 0 || math.Abs(g[i][col]) > math.Abs(g[piv][col])) {
				piv = i
			}
		}
		if piv < 0 {
			return false
		}
		g[row], g[piv] = g[piv], g[row]
		for i := range m {
			if i != row {
				f := g[i][col] / g[row][col]
				for j := col; j <= k; j++ {
					g[i][j] -= f * g[row][j]
				}
			}
		}
		row++
	}
	for i := k; i < m; i++ {
		if math.Abs(g[i][k]) > 1e-7 {
			return false
		}
	}
	for kk, c := range cols {
		x[c] = g[kk][k] / g[kk][kk]
	}
	return true
}

func TestRandomAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	for trial := 0; trial < 300; trial++ {
		n := 2 + rng.IntN(5)
		m := 1 + rng.IntN(3)
		p := &Problem{Lower: make([]float64, n), Upper: make([]float64, n)}
		x0 := make([]float64, n)
		for j := range n {
			p.Lower[j] = float64(rng.IntN(3) - 1)
			p.Upper[j] = p.Lower[j] + float64(rng.IntN(5))
			x0[j] = p.Lower[j] + rng.Float64()*(p.Upper[j]-p.Lower[j])
		}
		for range m {
			var r Row
			for j := range n {
				if rng.IntN(3) > 0 {
					r.Idx = append(r.Idx, j)
					r.Coef = append(r.Coef, float64(rng.IntN(5)-2))
				}
			}
			for k, j := range r.Idx {
				r.RHS += r.Coef[k] * x0[j]
			}
			if trial%5 == 0 {
				r.RHS += float64(rng.IntN(7) - 3) // sometimes infeasible
			}
			p.Rows = append(p.Rows, r)
		}
		c := make([]float64, n)
		for j := range c {
			c[j] = float64(rng.IntN(7) - 3)
		}
		want, feasible := bruteMin(p, c)
		s, err := New(p)
		if !feasible {
			if err != ErrInfeasible {
				t.Errorf("trial %d: infeasible problem solved (%v)", trial, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		for rep := 0; rep < 2; rep++ { // the second run is warm-started
			got, err := s.Minimize(c, math.Inf(-1))
			if err != nil || math.Abs(got-want) > 1e-6 {
				t.Fatalf("trial %d rep %d: min %v (%v), brute force %v", trial, rep, got, err, want)
			}
			for j := range c {
				c[j] = -c[j]
			}
			want, _ = bruteMin(p, c)
		}
	}
}
