package tabular

import (
	"fmt"
	"math"
	"testing"
)

// TestCertifiedIntervalsInsideExact checks that the fast audit path (verified
// closed patterns and local LPs) only ever claims intervals that the exact
// whole-component LP confirms: each certified interval lies inside the
// exact one, so a fast pass is a real pass.
func TestCertifiedIntervalsInsideExact(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rows := genRows(seed*31, 900)
			spec := Spec{Dimensions: []Dimension{{Column: "area", Hierarchy: areaHierarchy(), Levels: []int{0, 1}}, {Column: "age"}, {Column: "sex"}}}
			tab := build(t, spec, rows)
			p, err := tab.Protect(Options{Rules: []Rule{{Rule: "threshold", Min: 5}}, Secondary: "hypercube"})
			if err != nil {
				t.Fatal(err)
			}
			old := ExactAuditCells
			ExactAuditCells = 0 // force the fast path
			fast, err := p.audit(true)
			ExactAuditCells = old
			if err != nil {
				t.Fatal(err)
			}
			p.fullAudit = true
			exact, err := p.audit(true)
			p.fullAudit = false
			if err != nil {
				t.Fatal(err)
			}
			if !fast.Passed || !exact.Passed {
				t.Fatalf("fast %v exact %v", fast.Passed, exact.Passed)
			}
			ex := map[int]Interval{}
			for _, iv := range exact.Intervals {
				ex[iv.Cell] = iv
			}
			n := 0
			for _, iv := range fast.Intervals {
				if !iv.Primary || math.IsNaN(iv.Lo) {
					continue
				}
				e := ex[iv.Cell]
				if iv.Lo < e.Lo-1e-6 || iv.Hi > e.Hi+1e-6 {
					t.Errorf("cell %v: certified [%g,%g] outside exact [%g,%g]", p.KeyMap(iv.Cell), iv.Lo, iv.Hi, e.Lo, e.Hi)
				}
				n++
			}
			if n == 0 {
				t.Fatal("no certified interval compared")
			}
		})
	}
}
