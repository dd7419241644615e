package tabular

import (
	"math"
	"os"
	"strconv"
	"testing"
	"time"
)

func TestDbgBench(t *testing.T) {
	if os.Getenv("MUNIS") == "" {
		t.Skip("debug run: set MUNIS, MSCALE, METHOD")
	}
	munis, _ := strconv.Atoi(os.Getenv("MUNIS"))
	sc, _ := strconv.ParseFloat(os.Getenv("MSCALE"), 64)
	rows, h := benchRowsShape(1_000_000, munis, sc)
	rules := []Rule{{Rule: "threshold", Min: 10}}
	spec := Spec{Dimensions: []Dimension{{Column: "area", Hierarchy: h, Levels: []int{0, 1}}, {Column: "age"}, {Column: "sex"}, {Column: "year"}}}
	st := time.Now()
	tab := build(t, spec, rows)
	t.Logf("build %v", time.Since(st))
	st = time.Now()
	p, err := tab.Protect(Options{Rules: rules, Secondary: os.Getenv("METHOD")})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("protect %v cells %d primary %d secondary %d audit %v lp %v ms %v", time.Since(st), p.Report.Cells, p.Report.Primary, p.Report.Secondary, p.Audit.Passed, p.Audit.LargestLP, p.Report.ElapsedMS)
}

func TestDbgSteps(t *testing.T) {
	if os.Getenv("MUNIS") == "" {
		t.Skip("debug run")
	}
	munis, _ := strconv.Atoi(os.Getenv("MUNIS"))
	sc, _ := strconv.ParseFloat(os.Getenv("MSCALE"), 64)
	rows, h := benchRowsShape(1_000_000, munis, sc)
	rules := []Rule{{Rule: "threshold", Min: 10}}
	spec := Spec{Dimensions: []Dimension{{Column: "area", Hierarchy: h, Levels: []int{0, 1}}, {Column: "age"}, {Column: "sex"}, {Column: "year"}}}
	tab := build(t, spec, rows)
	p := &Protected{Table: tab, Status: make([]Status, tab.N), Need: map[int]Protection{}, Report: tab.newReport(), ub: math.Inf(1)}
	for c := 0; c < tab.N; c++ {
		if bad, need := tab.primary(c, rules, Zeros{}); bad {
			p.Status[c] = Primary
			p.Need[c] = need
		}
	}
	st := time.Now()
	for c := range p.Need {
		p.hypercube(c)
	}
	p.singletons()
	t.Logf("primary %d hypercube+singletons %v", len(p.Need), time.Since(st))
	st = time.Now()
	nw := 0
	for c := range p.Need {
		if _, _, ok := p.witness(c); ok {
			nw++
		}
	}
	t.Logf("witness %d of %d in %v; comps %d", nw, len(p.Need), time.Since(st), len(p.components()))
}

func TestDbgAudit(t *testing.T) {
	if os.Getenv("MUNIS") == "" {
		t.Skip("debug run")
	}
	munis, _ := strconv.Atoi(os.Getenv("MUNIS"))
	sc, _ := strconv.ParseFloat(os.Getenv("MSCALE"), 64)
	rows, h := benchRowsShape(1_000_000, munis, sc)
	rules := []Rule{{Rule: "threshold", Min: 10}}
	spec := Spec{Dimensions: []Dimension{{Column: "area", Hierarchy: h, Levels: []int{0, 1}}, {Column: "age"}, {Column: "sex"}, {Column: "year"}}}
	tab := build(t, spec, rows)
	p := &Protected{Table: tab, Status: make([]Status, tab.N), Need: map[int]Protection{}, Report: tab.newReport(), ub: math.Inf(1)}
	for c := 0; c < tab.N; c++ {
		if bad, need := tab.primary(c, rules, Zeros{}); bad {
			p.Status[c] = Primary
			p.Need[c] = need
		}
	}
	for c := range p.Need {
		p.hypercube(c)
	}
	p.singletons()
	cm := p.components()
	for _, comp := range cm {
		st := time.Now()
		ivs, size, err := p.auditComponent(comp, false)
		nf := 0
		for _, iv := range ivs {
			if !iv.OK {
				nf++
			}
		}
		t.Logf("comp %d cells: %v size %v fails %d err %v", len(comp.cells), time.Since(st), size, nf, err)
	}
}
