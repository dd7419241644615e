package tabular

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/tokumei/tokumei/tabular/lp"
)

// oracle is an independent model of a count table over a full grid with
// one margin per dimension (index 0 of each coordinate is the total): its
// cells, its additivity constraints and the threshold rule, built from the
// inner counts alone.
type oracle struct {
	shape   []int // categories per dimension (margins excluded)
	stride  []int
	val     []float64
	need    []float64 // upper protection level; 0 for safe cells
	cons    [][]int   // each constraint: total first, then its children
	minN    int
	bestSup []bool
	down    []float64 // lower protection levels (nil: none)
	usable  []bool    // secondary candidates (nil: non-empty cells)
}

func newOracle(shape []int, inner []int, minN int) *oracle {
	o := &oracle{shape: shape, minN: minN, stride: make([]int, len(shape))}
	n := 1
	for j := len(shape) - 1; j >= 0; j-- {
		o.stride[j] = n
		n *= shape[j] + 1
	}
	o.val, o.need = make([]float64, n), make([]float64, n)
	// Every cell is the sum of the inner cells it covers.
	coord := make([]int, len(shape))
	k := 0
	var fill func(j int)
	fill = func(j int) {
		if j == len(shape) {
			v := float64(inner[k])
			k++
			for mask := 0; mask < 1<<len(shape); mask++ {
				c := 0
				for d := range shape {
					if mask&(1<<d) == 0 {
						c += coord[d] * o.stride[d]
					}
				}
				o.val[c] += v
			}
			return
		}
		for x := 1; x <= shape[j]; x++ {
			coord[j] = x
			fill(j + 1)
		}
	}
	fill(0)
	for c, v := range o.val {
		if v > 0 && v < float64(minN) {
			o.need[c] = float64(minN) - v
		}
	}
	for c := 0; c < n; c++ {
		for j := range shape {
			if c/o.stride[j]%(shape[j]+1) != 0 {
				continue
			}
			con := []int{c}
			for x := 1; x <= shape[j]; x++ {
				con = append(con, c+x*o.stride[j])
			}
			o.cons = append(o.cons, con)
		}
	}
	return o
}

// protected reports whether every primary cell's attacker maximum reaches
// value + need when the cells in sup are suppressed.
func (o *oracle) protected(sup []bool) bool {
	idx := map[int]int{}
	var vars []int
	for c, s := range sup {
		if s {
			idx[c] = len(vars)
			vars = append(vars, c)
		}
	}
	prob := &lp.Problem{Lower: make([]float64, len(vars)), Upper: make([]float64, len(vars))}
	for i := range vars {
		prob.Upper[i] = math.Inf(1)
	}
	for _, con := range o.cons {
		var r lp.Row
		for k, c := range con {
			coef := 1.0
			if k == 0 {
				coef = -1
			}
			if i, ok := idx[c]; ok {
				r.Idx, r.Coef = append(r.Idx, i), append(r.Coef, coef)
			} else {
				r.RHS -= coef * o.val[c]
			}
		}
		if len(r.Idx) > 0 {
			prob.Rows = append(prob.Rows, r)
		}
	}
	s, err := lp.New(prob)
	if err != nil {
		panic(err)
	}
	for c, n := range o.need {
		if n == 0 && (o.down == nil || o.down[c] == 0) {
			continue
		}
		hi, err := s.Bound(idx[c], true, math.Inf(1))
		if err != nil {
			panic(err)
		}
		if hi < o.val[c]+n-1e-7*(1+o.val[c]) {
			return false
		}
		if o.down != nil && o.down[c] > 0 {
			lo, err := s.Bound(idx[c], false, math.Inf(-1))
			if err != nil {
				panic(err)
			}
			if lo > o.val[c]-o.down[c]+1e-7*(1+o.val[c]) {
				return false
			}
		}
	}
	return true
}

// minCost enumerates every suppression pattern (primary cells in, empty
// cells out) and returns the least cost of a protected one. Two prunings
// keep it exact: a partial pattern that already costs the best is not
// extended, and a pattern where some constraint holds exactly one
// suppressed cell is skipped (a lone primary is disclosed; a lone
// secondary is recomputable, so the pattern without it costs no more and
// protects as much).
func (o *oracle) minCost(w func(c int) float64) (float64, int) {
	n := len(o.val)
	last := make([][]int, n) // constraints completed by each cell
	for ci, con := range o.cons {
		m := 0
		for _, c := range con {
			m = max(m, c)
		}
		last[m] = append(last[m], ci)
	}
	sup := make([]bool, n)
	best, checked := math.Inf(1), 0
	var rec func(c int, cost float64)
	rec = func(c int, cost float64) {
		if cost >= best-1e-9 {
			return
		}
		if c == n {
			checked++
			if o.protected(sup) {
				best = cost
				o.bestSup = append(o.bestSup[:0], sup...)
			}
			return
		}
		try := func(on bool) {
			sup[c] = on
			add := 0.0
			if on && o.need[c] == 0 && (o.down == nil || o.down[c] == 0) {
				add = w(c)
			}
			for _, ci := range last[c] {
				k := 0
				for _, m := range o.cons[ci] {
					if sup[m] {
						k++
					}
				}
				if k == 1 {
					sup[c] = false
					return
				}
			}
			rec(c+1, cost+add)
			sup[c] = false
		}
		primary := o.need[c] > 0 || (o.down != nil && o.down[c] > 0)
		switch {
		case primary:
			try(true)
		case o.usable == nil && o.val[c] == 0, o.usable != nil && !o.usable[c]:
			try(false)
		default:
			try(true)
			try(false)
		}
	}
	rec(0, 0)
	return best, checked
}

// tableOf builds the same table through the package from rows.
func tableOf(t *testing.T, o *oracle, inner []int) *Table {
	t.Helper()
	cols := []string{"area", "age", "sex"}
	var dims []Dimension
	for j, n := range o.shape {
		var vals []string
		for x := 0; x < n; x++ {
			vals = append(vals, fmt.Sprintf("%c%d", 'a'+j, x))
		}
		dims = append(dims, Dimension{Column: cols[j], Values: vals})
	}
	var rows [][]string
	coord := make([]int, len(o.shape))
	for k, cnt := range inner {
		r := k
		for j := len(o.shape) - 1; j >= 0; j-- {
			coord[j] = r % o.shape[j]
			r /= o.shape[j]
		}
		row := []string{"", "", "", "2020", "1", "f"}
		for j := range o.shape {
			row[colOf(cols[j])] = fmt.Sprintf("%c%d", 'a'+j, coord[j])
		}
		for i := 0; i < cnt; i++ {
			rows = append(rows, row)
		}
	}
	tab := build(t, Spec{Dimensions: dims}, rows)
	for c := 0; c < tab.N; c++ {
		if tab.Magnitude(c) != o.val[c] {
			t.Fatalf("cell %d: table %g, oracle %g", c, tab.Magnitude(c), o.val[c])
		}
	}
	return tab
}

func randomInner(rng *rand.Rand, n int) []int {
	inner := make([]int, n)
	for i := range inner {
		switch rng.IntN(4) {
		case 0:
			inner[i] = 1 + rng.IntN(3) // small: primary
		case 1:
			inner[i] = rng.IntN(2) * (5 + rng.IntN(5))
		default:
			inner[i] = 4 + rng.IntN(12)
		}
	}
	return inner
}

// TestExactMatchesBruteForce compares the exact method's cost with an
// exhaustive enumeration on small 2-D and 3-D tables, for each cost, and
// checks the pattern with the oracle's own attacker LP and the audit.
func TestExactMatchesBruteForce(t *testing.T) {
	shapes := [][]int{{3, 3}, {3, 4}, {4, 4}, {2, 2, 2}, {2, 3, 2}, {5, 4}, {3, 3, 2}}
	proven := 0
	rng := rand.New(rand.NewPCG(17, 5))
	for trial := 0; trial < 126; trial++ {
		if trial%42 == 0 {
			rng = rand.New(rand.NewPCG(uint64(17+trial), 5))
		}
		shape := shapes[trial%len(shapes)]
		n := 1
		for _, s := range shape {
			n *= s
		}
		inner := randomInner(rng, n)
		o := newOracle(shape, inner, 4)
		prim := 0
		for _, v := range o.need {
			if v > 0 {
				prim++
			}
		}
		if prim == 0 {
			continue
		}
		for _, cost := range []string{"value", "unity"} {
			name := fmt.Sprintf("%v %v %s", shape, inner, cost)
			w := func(c int) float64 {
				if cost == "unity" {
					return 1
				}
				return o.val[c]
			}
			start := time.Now()
			want, checked := o.minCost(w)
			bf := time.Since(start)
			tab := tableOf(t, o, inner)
			p, err := tab.Protect(Options{Rules: []Rule{{Rule: "threshold", Min: 4}}, Secondary: "optimal", Exact: ExactOptions{Cost: cost}})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			ex := p.Report.Exact
			if ex == nil || !ex.Proven {
				t.Fatalf("%s: not proven: %+v", name, ex)
			}
			proven++
			got := 0.0
			sup := make([]bool, len(o.val))
			for c := range o.val {
				sup[c] = p.suppressed(c)
				if p.Status[c] == Secondary {
					got += w(c)
				}
				if (o.need[c] > 0) != (p.Status[c] == Primary) {
					t.Fatalf("%s: cell %d primary mismatch", name, c)
				}
			}
			if math.IsInf(want, 1) {
				t.Fatalf("%s: brute force found no protected pattern", name)
			}
			if math.Abs(got-want) > 1e-9 || math.Abs(ex.Objective-want) > 1e-9 {
				t.Fatalf("%s: exact cost %g (reported %g), brute force %g", name, got, ex.Objective, want)
			}
			if !o.protected(sup) || !p.Audit.Passed {
				t.Fatalf("%s: exact pattern not protected (oracle %v, audit %v)", name, o.protected(sup), p.Audit.Passed)
			}
			if got > ex.HeuristicCost+1e-9 {
				t.Fatalf("%s: exact %g worse than heuristic %g", name, got, ex.HeuristicCost)
			}
			t.Logf("%s: cost %g (heuristic %g), %d nodes, %d cuts; brute force %d patterns in %v",
				name, got, ex.HeuristicCost, ex.Nodes, ex.Cuts, checked, bf.Round(time.Millisecond))
		}
	}
	if proven < 20 {
		t.Fatalf("only %d cases compared", proven)
	}
}

// TestExactLimits checks the stated fallbacks: a table above the size
// limit keeps the LP-verified heuristic pattern, and a node limit reports
// the best pattern found with its gap (the audit passes either way).
func TestExactLimits(t *testing.T) {
	rows := genRows(31, 700)
	spec := Spec{Dimensions: []Dimension{{Column: "area"}, {Column: "age"}, {Column: "sex"}}}
	rules := []Rule{{Rule: "threshold", Min: 5}}
	tab := build(t, spec, rows)
	p, err := tab.Protect(Options{Rules: rules, Secondary: "optimal", Exact: ExactOptions{MaxCells: 20}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Report.Fallbacks) != 1 || !strings.Contains(p.Report.Fallbacks[0], "exact optimal method not run") ||
		!strings.HasPrefix(p.Report.Exact.Status, "not run: table has") || !p.Audit.Passed {
		t.Errorf("size fallback: %v %+v", p.Report.Fallbacks, p.Report.Exact)
	}
	tab = build(t, spec, rows)
	p, err = tab.Protect(Options{Rules: rules, Secondary: "optimal", Exact: ExactOptions{MaxNodes: 1, Cost: "unity"}})
	if err != nil {
		t.Fatal(err)
	}
	e := p.Report.Exact
	if !p.Audit.Passed || e.Nodes != 1 {
		t.Fatalf("node limit: %+v audit %v", e, p.Audit.Passed)
	}
	if e.Proven {
		t.Skipf("solved at the root: %+v", e)
	}
	if !strings.HasPrefix(e.Status, "best found, gap ") || e.GapPercent <= 0 || e.LowerBound > e.Objective {
		t.Errorf("node limit: %+v", e)
	}
	if _, err := tab.Protect(Options{Rules: rules, Secondary: "optimal", Exact: ExactOptions{Cost: "dollars"}}); err == nil {
		t.Error("unknown cost accepted")
	}
}

// oracleOf builds the brute-force oracle from a protected table's active
// constraints (hierarchical and linked tables): the enumeration and the
// attacker LP of the oracle stay independent of the exact method.
func oracleOf(p *Protected) *oracle {
	o := &oracle{val: make([]float64, p.N), need: make([]float64, p.N)}
	for c := 0; c < p.N; c++ {
		if !p.active(c) {
			continue
		}
		o.val[c] = p.Magnitude(c)
		if n, ok := p.Need[c]; ok {
			o.need[c] = n.Up
		}
		for j, d := range p.dims {
			if d.isLeaf(p.node(c, j)) || !p.constraintActive(c, j) {
				continue
			}
			var con []int
			p.members(c, j, func(m int, _ float64) { con = append(con, m) })
			o.cons = append(o.cons, con)
		}
	}
	return o
}

func TestExactMatchesBruteForceHierarchicalLinked(t *testing.T) {
	area := Dimension{Column: "area", Hierarchy: areaHierarchy(), Levels: []int{0, 1}}
	cases := 0
	for seed := uint64(1); seed <= 8; seed++ {
		for _, tc := range []struct {
			name string
			spec Spec
		}{
			{"hierarchical area x sex", Spec{Dimensions: []Dimension{area, {Column: "sex"}}}},
			{"linked area-sex, age-sex", Spec{Dimensions: []Dimension{{Column: "area"}, {Column: "age"}, {Column: "sex"}},
				Tables: [][]string{{"area", "sex"}, {"age", "sex"}}}},
		} {
			rows := genRows(seed*77, 40)
			rules := []Rule{{Rule: "threshold", Min: 3}}
			for _, cost := range []string{"unity", "value"} {
				p, err := build(t, tc.spec, rows).Protect(Options{Rules: rules, Secondary: "optimal", Exact: ExactOptions{Cost: cost}})
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Need) == 0 {
					continue
				}
				o := oracleOf(p)
				w := func(c int) float64 {
					if cost == "unity" {
						return 1
					}
					return o.val[c]
				}
				start := time.Now()
				want, _ := o.minCost(w)
				got := 0.0
				sup := make([]bool, p.N)
				for c := range sup {
					sup[c] = p.suppressed(c)
					if p.Status[c] == Secondary {
						got += w(c)
					}
				}
				if !p.Report.Exact.Proven || got != want || !p.Audit.Passed || !o.protected(sup) {
					t.Fatalf("%s seed %d %s: exact %g (%s), brute force %g, audit %v", tc.name, seed, cost, got, p.Report.Exact.Status, want, p.Audit.Passed)
				}
				t.Logf("%s seed %d %s: %d primary, cost %g (brute force in %v)", tc.name, seed, cost, len(p.Need), got, time.Since(start).Round(time.Millisecond))
				cases++
			}
		}
	}
	if cases < 8 {
		t.Fatalf("only %d cases", cases)
	}
}

// TestExactWithoutIncumbent starts the exact method from a pattern that
// does not protect (primary cells only): it must not take it as an
// incumbent and must find a protected optimum.
func TestExactWithoutIncumbent(t *testing.T) {
	inner := []int{8, 1, 6, 7, 9, 12, 2, 10, 11}
	o := newOracle([]int{3, 3}, inner, 4)
	want, _ := o.minCost(func(c int) float64 { return o.val[c] })
	p, err := tableOf(t, o, inner).Protect(Options{Rules: []Rule{{Rule: "threshold", Min: 4}}, Secondary: "none"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Audit.Passed {
		t.Fatal("primary cells alone pass: the case tests nothing")
	}
	if err := p.exact(ExactOptions{Cost: "value", MaxNodes: 1000, TimeLimit: time.Minute}); err != nil {
		t.Fatal(err)
	}
	got := 0.0
	sup := make([]bool, p.N)
	for c := range sup {
		sup[c] = p.suppressed(c)
		if p.Status[c] == Secondary {
			got += o.val[c]
		}
	}
	if !p.Report.Exact.Proven || got != want || !o.protected(sup) {
		t.Fatalf("exact %g (%+v), brute force %g, protected %v", got, p.Report.Exact, want, o.protected(sup))
	}
}

// TestExactMagnitudeBruteForce checks upper and lower protection levels:
// small sum tables under the p% and dominance rules, against the
// exhaustive enumeration with both attacker bounds.
func TestExactMagnitudeBruteForce(t *testing.T) {
	rules := []Rule{{Rule: "p-percent", P: 20}, {Rule: "dominance", N: 1, K: 60}}
	spec := Spec{Dimensions: []Dimension{{Column: "area", Values: []string{"m0", "m1", "m2"}}, {Column: "sex", Values: []string{"M", "F"}}, {Column: "year"}},
		Measure: Measure{Type: "sum", Column: "income"}}
	if err := CheckRules(rules, &spec); err != nil {
		t.Fatal(err)
	}
	cases := 0
	for seed := uint64(1); seed <= 12; seed++ {
		var rows [][]string
		for _, r := range genRows(seed*13, 150) {
			if r[0] <= "m2" && r[3] <= "2021" {
				rows = append(rows, r)
			}
		}
		p, err := build(t, spec, rows).Protect(Options{Rules: rules, Secondary: "optimal"})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Need) == 0 {
			continue
		}
		o := oracleOf(p)
		o.down, o.usable = make([]float64, p.N), make([]bool, p.N)
		for c := 0; c < p.N; c++ {
			o.usable[c] = p.usable(c)
			if n, ok := p.Need[c]; ok {
				o.down[c] = math.Min(n.Down, p.Magnitude(c)-p.lb)
			}
		}
		w := func(c int) float64 { return math.Abs(o.val[c]) }
		want, _ := o.minCost(w)
		got := 0.0
		sup := make([]bool, p.N)
		for c := range sup {
			sup[c] = p.suppressed(c)
			if p.Status[c] == Secondary {
				got += w(c)
			}
		}
		if !p.Report.Exact.Proven || math.Abs(got-want) > 1e-6*(1+want) || !p.Audit.Passed || !o.protected(sup) {
			t.Fatalf("seed %d: exact %g (%s), brute force %g, audit %v", seed, got, p.Report.Exact.Status, want, p.Audit.Passed)
		}
		t.Logf("seed %d: %d primary, cost %g (heuristic %g)", seed, len(p.Need), got, p.Report.Exact.HeuristicCost)
		cases++
	}
	if cases < 6 {
		t.Fatalf("only %d cases", cases)
	}
}
