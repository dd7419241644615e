package tabular

import (
	"math"

	"github.com/tokumei/tokumei/tabular/lp"
)

// reduced is the attacker LP after presolve: every variable is
// sign·root + offset for a root variable, found by eliminating the
// equations with two unknowns (which dominate suppression patterns: each
// line of a hypercube holds two of its corners). Roots keep the
// intersection of their members' bounds; equations with three or more
// roots stay as LP rows. Substitution is exact, so intervals are the same.
type reduced struct {
	root   []int     // variable -> root variable
	sign   []float64 // variable = sign*root + off
	off    []float64
	lo, up []float64 // bounds of roots
	rows   []lp.Row  // rows over roots
	fixed  bool      // some root is fixed to one value
}

func presolve(n int, rows []lp.Row, lb, ub float64) *reduced {
	r := &reduced{root: make([]int, n), sign: make([]float64, n), off: make([]float64, n)}
	for i := range r.root {
		r.root[i], r.sign[i] = i, 1
	}
	// find returns the root of v and v = s*root + o, compressing paths.
	var find func(v int) (int, float64, float64)
	find = func(v int) (int, float64, float64) {
		if r.root[v] == v {
			return v, 1, 0
		}
		p, s, o := find(r.root[v])
		// v = sign*p' + off, p' = s*root + o
		r.root[v], r.sign[v], r.off[v] = p, r.sign[v]*s, r.sign[v]*o+r.off[v]
		return p, r.sign[v], r.off[v]
	}
	// express rewrites a row over roots, merging equal roots.
	express := func(row lp.Row) (map[int]float64, float64) {
		terms := make(map[int]float64, len(row.Idx))
		rhs := row.RHS
		for k, v := range row.Idx {
			p, s, o := find(v)
			terms[p] += row.Coef[k] * s
			rhs -= row.Coef[k] * o
		}
		for p, c := range terms {
			if math.Abs(c) < 1e-12 {
				delete(terms, p)
			}
		}
		return terms, rhs
	}
	pending := rows
	for {
		var keep []lp.Row
		merged := false
		for _, row := range pending {
			terms, rhs := express(row)
			if len(terms) == 2 {
				var a, b int
				var ca, cb float64
				i := 0
				for p, c := range terms {
					if i == 0 {
						a, ca = p, c
					} else {
						b, cb = p, c
					}
					i++
				}
				// b = (rhs - ca*a)/cb
				r.root[b], r.sign[b], r.off[b] = a, -ca/cb, rhs/cb
				merged = true
				continue
			}
			keep = append(keep, row)
		}
		pending = keep
		if !merged {
			break
		}
	}
	// Bounds of roots: intersect lb <= s*root + o <= ub over members.
	r.lo, r.up = make([]float64, n), make([]float64, n)
	for i := range r.lo {
		r.lo[i], r.up[i] = math.Inf(-1), math.Inf(1)
	}
	for v := 0; v < n; v++ {
		p, s, o := find(v)
		lo, up := (lb-o)/s, (ub-o)/s
		if s < 0 {
			lo, up = up, lo
		}
		r.lo[p], r.up[p] = math.Max(r.lo[p], lo), math.Min(r.up[p], up)
	}
	for _, row := range pending {
		terms, rhs := express(row)
		if len(terms) == 0 {
			continue // consistent by construction (true values satisfy it)
		}
		var nr lp.Row
		for p, c := range terms {
			nr.Idx = append(nr.Idx, p)
			nr.Coef = append(nr.Coef, c)
		}
		nr.RHS = rhs
		if len(terms) == 1 {
			r.fixed = true
		}
		r.rows = append(r.rows, nr)
	}
	return r
}
