package tabular

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// grid builds a 2-D count table from explicit inner counts (rows × cols).
func grid(t *testing.T, counts [][]int) *Table {
	t.Helper()
	var rows [][]string
	for i, line := range counts {
		for j, n := range line {
			for k := 0; k < n; k++ {
				rows = append(rows, []string{fmt.Sprintf("m%d", i), fmt.Sprintf("a%d", j), "M", "2020", "1", "f"})
			}
		}
	}
	var ri, ci []string
	for i := range counts {
		ri = append(ri, fmt.Sprintf("m%d", i))
	}
	for j := range counts[0] {
		ci = append(ci, fmt.Sprintf("a%d", j))
	}
	return build(t, Spec{Dimensions: []Dimension{{Column: "area", Values: ri}, {Column: "age", Values: ci}}}, rows)
}

func cellAt(t *Table, coord ...int) int {
	c := 0
	for j, n := range coord {
		c += n * t.stride[j]
	}
	return c
}

func TestAuditCatchesNaiveSuppression(t *testing.T) {
	counts := [][]int{{2, 10, 12}, {9, 8, 15}, {11, 14, 7}}
	rule := []Rule{{Rule: "threshold", Min: 3}}
	// Primary only: the cell is the row total minus the published rest.
	tab := grid(t, counts)
	p, err := tab.Protect(Options{Rules: rule, Secondary: "none"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Audit.Passed || len(p.Audit.Failures) != 1 {
		t.Fatalf("audit passed a lone primary suppression: %+v", p.Audit)
	}
	f := p.Audit.Failures[0]
	if f.Lo != 2 || f.Hi != 2 {
		t.Errorf("lone primary: interval [%g, %g], want exactly [2, 2]", f.Lo, f.Hi)
	}
	// A naive pattern: also suppress a neighbour in the same row only. The
	// column still gives the cell away.
	p.Status[cellAt(tab, 1, 2)] = Secondary // (m0, a1): row m0 = node 1, age a1 = node 2
	res, err := p.audit(true)
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed {
		t.Fatal("audit passed a row-only pattern")
	}
	for _, iv := range res.Intervals {
		if iv.Lo > iv.Value+1e-9 || iv.Hi < iv.Value-1e-9 {
			t.Errorf("interval [%g,%g] excludes the true value %g", iv.Lo, iv.Hi, iv.Value)
		}
	}
	// A 2×2 hypercube (rectangle) protects it: the cell can move by ±min.
	p.Status[cellAt(tab, 2, 1)] = Secondary
	p.Status[cellAt(tab, 2, 2)] = Secondary
	res, _ = p.audit(true)
	if !res.Passed {
		t.Fatalf("rectangle pattern fails: %+v", res.Failures)
	}
	found := false
	for _, iv := range res.Intervals {
		if iv.Cell == cellAt(tab, 1, 1) {
			// Partners (m0,a1)=10 and (m1,a0)=9 move against it, (m1,a1)=8
			// with it: up by min(10,9) = 9, down by min(2,8) = 2.
			found = true
			if iv.Lo != 0 || iv.Hi != 11 {
				t.Errorf("rectangle interval [%g,%g], want [0,11]", iv.Lo, iv.Hi)
			}
		}
	}
	if !found {
		t.Error("primary cell missing from the audit")
	}
}

func TestSecondarySuppressionPassesAudit(t *testing.T) {
	type tc struct {
		name  string
		spec  Spec
		rules []Rule
		rows  int
		seed  uint64
	}
	var cases []tc
	for seed := uint64(1); seed <= 4; seed++ {
		cases = append(cases,
			tc{fmt.Sprintf("2D count seed %d", seed), Spec{Dimensions: []Dimension{{Column: "area"}, {Column: "age"}}}, []Rule{{Rule: "threshold", Min: 5}}, 400, seed},
			tc{fmt.Sprintf("3D hierarchical count seed %d", seed), Spec{Dimensions: []Dimension{
				{Column: "area", Hierarchy: areaHierarchy(), Levels: []int{0, 1}}, {Column: "age"}, {Column: "sex"}}}, []Rule{{Rule: "threshold", Min: 4}}, 800, seed},
			tc{fmt.Sprintf("3D sum dominance p%% seed %d", seed), Spec{Dimensions: []Dimension{{Column: "area"}, {Column: "age"}, {Column: "year"}},
				Measure: Measure{Type: "sum", Column: "income"}}, []Rule{{Rule: "threshold", Min: 3}, {Rule: "dominance", N: 1, K: 70}, {Rule: "p-percent", P: 15}}, 1500, seed},
			tc{fmt.Sprintf("linked seed %d", seed), Spec{Dimensions: []Dimension{{Column: "area"}, {Column: "age"}, {Column: "sex"}},
				Tables: [][]string{{"area", "age"}, {"area", "sex"}, {"age", "sex"}}}, []Rule{{Rule: "threshold", Min: 6}}, 300, seed},
		)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows := genRows(c.seed*1000+uint64(c.rows), c.rows)
			for _, method := range []string{"hypercube", "optimal"} {
				spec := c.spec
				if err := CheckRules(c.rules, &spec); err != nil {
					t.Fatal(err)
				}
				tab := build(t, spec, rows)
				p, err := tab.Protect(Options{Rules: c.rules, Secondary: method, Exact: ExactOptions{TimeLimit: 5 * time.Second}})
				if err != nil {
					t.Fatal(err)
				}
				if method == "optimal" && (p.Report.Exact == nil || !strings.HasPrefix(p.Report.Exact.Status, "optimal (proven)") &&
					!strings.HasPrefix(p.Report.Exact.Status, "best found, gap ")) {
					t.Fatalf("optimal: status %+v", p.Report.Exact)
				}
				if len(p.Need) == 0 {
					t.Fatalf("%s: no primary cells: the case tests nothing", method)
				}
				if !p.Audit.Passed {
					t.Fatalf("%s: audit fails on %d cells", method, len(p.Audit.Failures))
				}
				checkNoSingleton(t, p)
				for _, iv := range p.Audit.Intervals {
					if iv.Lo > iv.Value+1e-6 || iv.Hi < iv.Value-1e-6 {
						t.Fatalf("interval [%g,%g] excludes %g", iv.Lo, iv.Hi, iv.Value)
					}
					if iv.Primary && iv.Hi < iv.Value+iv.Need.Up-1e-6 {
						t.Fatalf("primary cell upper bound %g < %g + %g", iv.Hi, iv.Value, iv.Need.Up)
					}
				}
				// Every primary cell is suppressed.
				for cell := range p.Need {
					if p.Status[cell] != Primary {
						t.Fatalf("primary cell %d has status %v", cell, p.Status[cell])
					}
				}
				t.Logf("%s: %d primary, %d secondary, method %s", method, p.Report.Primary, p.Report.Secondary, p.Report.Method)
			}
		})
	}
}

// checkNoSingleton verifies independently of the LP that every constraint
// is additive and that none holds a primary cell as its only suppressed
// cell (a secondary cell may end up alone after the optimal method: it is
// then recomputable but discloses nothing the attacker LP did not see).
func checkNoSingleton(t *testing.T, p *Protected) {
	t.Helper()
	for c := 0; c < p.N; c++ {
		for j := range p.dims {
			if p.dims[j].isLeaf(p.node(c, j)) || !p.constraintActive(c, j) {
				continue
			}
			n, prim := 0, false
			sum := 0.0
			p.members(c, j, func(m int, coef float64) {
				if p.suppressed(m) {
					n++
				}
				prim = prim || p.Status[m] == Primary
				sum += coef * p.Magnitude(m)
			})
			if math.Abs(sum) > 1e-6*(1+math.Abs(p.Magnitude(c))) {
				t.Fatalf("constraint (%d,%d) not additive: %g", c, j, sum)
			}
			if n == 1 && prim {
				t.Fatalf("constraint (%v, dim %d) gives away a primary cell", p.KeyMap(c), j)
			}
		}
	}
}

func TestOptimalNotWorseThanHypercube(t *testing.T) {
	rows := genRows(11, 600)
	rules := []Rule{{Rule: "threshold", Min: 5}}
	spec := Spec{Dimensions: []Dimension{{Column: "area"}, {Column: "age"}, {Column: "sex"}}}
	costOf := func(method string) (float64, *Protected) {
		tab := build(t, spec, rows)
		p, err := tab.Protect(Options{Rules: rules, Secondary: method})
		if err != nil {
			t.Fatal(err)
		}
		return p.Report.SuppressedVal, p
	}
	h, _ := costOf("hypercube")
	o, p := costOf("optimal")
	if o > h {
		t.Errorf("optimal suppresses %g, hypercube %g", o, h)
	}
	if p.Report.Method != "optimal" || !p.Audit.Passed {
		t.Errorf("optimal: method %s, audit %v", p.Report.Method, p.Audit.Passed)
	}
	// Irreducible: publishing any single secondary cell breaks the audit.
	for c := 0; c < p.N; c++ {
		if p.Status[c] != Secondary {
			continue
		}
		p.Status[c] = p.publishedStatus(c)
		res, err := p.audit(false)
		if err != nil {
			t.Fatal(err)
		}
		if res.Passed {
			t.Errorf("secondary cell %v is not needed", p.KeyMap(c))
		}
		p.Status[c] = Secondary
	}
	// Too large for the optimal method: fallback stated.
	tab := build(t, spec, rows)
	q, err := tab.Protect(Options{Rules: rules, Secondary: "optimal", MaxOptimalCells: 10})
	if err != nil {
		t.Fatal(err)
	}
	if q.Report.Method != "hypercube" || len(q.Report.Fallbacks) != 1 {
		t.Errorf("fallback not reported: %+v", q.Report)
	}
}
