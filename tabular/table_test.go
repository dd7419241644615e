package tabular

import (
	"errors"
	"math"
	"strconv"
	"testing"

	"github.com/tokumei/tokumei/fault"
)

func TestRecountEveryCell(t *testing.T) {
	rows := genRows(1, 3000)
	cases := []struct {
		name string
		spec Spec
	}{
		{"count 2D", Spec{Dimensions: []Dimension{{Column: "sex"}, {Column: "age"}}, Measure: Measure{Type: "count"}}},
		{"sum 3D hierarchical", Spec{Dimensions: []Dimension{{Column: "area", Hierarchy: areaHierarchy(), Levels: []int{0, 1}}, {Column: "sex"}, {Column: "year"}},
			Measure: Measure{Type: "sum", Column: "income"}}},
		{"mean area level 1", Spec{Dimensions: []Dimension{{Column: "area", Hierarchy: areaHierarchy(), Levels: []int{1}}, {Column: "age"}},
			Measure: Measure{Type: "mean", Column: "income"}}},
		{"count 5D", Spec{Dimensions: []Dimension{{Column: "area"}, {Column: "age"}, {Column: "sex"}, {Column: "year"}, {Column: "firm", Values: nil}},
			Measure: Measure{Type: "count"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "count 5D" {
				rows := rows[:300]
				tab := build(t, tc.spec, rows)
				checkRecount(t, tab, rows, tc.spec)
				return
			}
			tab := build(t, tc.spec, rows)
			checkRecount(t, tab, rows, tc.spec)
		})
	}
}

func checkRecount(t *testing.T, tab *Table, rows [][]string, spec Spec) {
	t.Helper()
	checked := 0
	for c := 0; c < tab.N; c++ {
		key := tab.KeyMap(c)
		var n int64
		var s float64
		for _, r := range rows {
			if matches(r, key, spec.Dimensions, "Total") {
				n++
				v, _ := strconv.ParseFloat(r[colOf("income")], 64)
				s += v
			}
		}
		if tab.Count[c] != n {
			t.Fatalf("cell %v: count %d, recount %d", key, tab.Count[c], n)
		}
		if tab.Sum != nil && math.Abs(tab.Sum[c]-s) > 1e-6*(1+s) {
			t.Fatalf("cell %v: sum %g, recount %g", key, tab.Sum[c], s)
		}
		if spec.Measure.Type == "mean" && n > 0 && math.Abs(tab.published(c)-s/float64(n)) > 1e-9*(1+s) {
			t.Fatalf("cell %v: mean %g, recount %g", key, tab.published(c), s/float64(n))
		}
		checked++
	}
	if checked < 10 {
		t.Fatalf("only %d cells", checked)
	}
}

func TestBadInput(t *testing.T) {
	rows := genRows(2, 200)
	// Unknown value against a declared domain names line and column.
	tab, err := NewTable(Spec{Dimensions: []Dimension{{Column: "sex", Values: []string{"M"}}}}, header)
	if err != nil {
		t.Fatal(err)
	}
	var ferr *fault.Error
	for i, r := range rows {
		if err = tab.Add(r, int64(i+2)); err != nil {
			break
		}
	}
	if !errors.As(err, &ferr) || ferr.Code != fault.Invalid || ferr.Line == 0 || ferr.Column != 3 {
		t.Errorf("unknown value: %v", err)
	}
	// Negative contribution under dominance.
	rows[5][colOf("income")] = "-3"
	spec := Spec{Dimensions: []Dimension{{Column: "sex"}}, Measure: Measure{Type: "sum", Column: "income"}}
	rules := []Rule{{Rule: "dominance", N: 1, K: 80}}
	if err := CheckRules(rules, &spec); err != nil {
		t.Fatal(err)
	}
	tb := build(t, spec, rows)
	_, err = tb.Protect(Options{Rules: rules})
	if !errors.As(err, &ferr) || ferr.Line != 7 {
		t.Errorf("negative under dominance: %v", err)
	}
	// Dominance on counts is refused.
	cs := Spec{Dimensions: []Dimension{{Column: "sex"}}}
	if err := CheckRules(rules, &cs); err == nil {
		t.Error("dominance on a count table accepted")
	}
	// Missing column.
	if _, err := NewTable(Spec{Dimensions: []Dimension{{Column: "nope"}}}, header); err == nil {
		t.Error("missing column accepted")
	}
	// Six dimensions.
	six := Spec{Dimensions: make([]Dimension, 6)}
	if _, err := NewTable(six, header); err == nil {
		t.Error("six dimensions accepted")
	}
}

func TestPrimaryRules(t *testing.T) {
	// One cell per sex; contributions chosen to trip each rule.
	cases := []struct {
		name   string
		vals   []float64
		rule   Rule
		unsafe bool
		up     float64
	}{
		{"threshold below", []float64{5, 5}, Rule{Rule: "threshold", Min: 3}, true, 1},
		{"threshold met", []float64{5, 5, 5}, Rule{Rule: "threshold", Min: 3}, false, 0},
		{"dominance 1,80 trips", []float64{90, 5, 5}, Rule{Rule: "dominance", N: 1, K: 80}, true, 90*100/80.0 - 100},
		{"dominance 1,80 safe", []float64{70, 20, 10}, Rule{Rule: "dominance", N: 1, K: 80}, false, 0},
		{"dominance 2,90 trips", []float64{50, 45, 5}, Rule{Rule: "dominance", N: 2, K: 90}, true, 95*100/90.0 - 100},
		{"p10 trips", []float64{100, 50, 5}, Rule{Rule: "p-percent", P: 10}, true, 10 - 5},
		{"p10 safe", []float64{100, 50, 20}, Rule{Rule: "p-percent", P: 10}, false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var rows [][]string
			for i, v := range tc.vals {
				rows = append(rows, []string{"m0", "a0", "M", "2020", strconv.FormatFloat(v, 'f', -1, 64), "f" + strconv.Itoa(i)})
			}
			spec := Spec{Dimensions: []Dimension{{Column: "sex"}}, Measure: Measure{Type: "sum", Column: "income"}}
			if err := CheckRules([]Rule{tc.rule}, &spec); err != nil {
				t.Fatal(err)
			}
			tab := build(t, spec, rows)
			cell := 1 // "M" (node 1); node 0 is the total, equal to it
			bad, need := tab.primary(cell, []Rule{tc.rule}, Zeros{})
			if bad != tc.unsafe {
				t.Fatalf("unsafe = %v, want %v", bad, tc.unsafe)
			}
			if bad && tc.rule.Rule != "threshold" && math.Abs(need.Up-tc.up) > 1e-9 {
				t.Errorf("protection %g, want %g", need.Up, tc.up)
			}
			if bad && tc.rule.Rule == "threshold" && need.Up != tc.up {
				t.Errorf("protection %g, want %g", need.Up, tc.up)
			}
		})
	}
}

func TestContributorColumn(t *testing.T) {
	// Two rows of firm f0 add up and dominate; per row they would not.
	rows := [][]string{
		{"m0", "a0", "M", "2020", "45", "f0"}, {"m0", "a0", "M", "2020", "45", "f0"},
		{"m0", "a0", "M", "2020", "5", "f1"}, {"m0", "a0", "M", "2020", "5", "f2"},
	}
	rule := []Rule{{Rule: "dominance", N: 1, K: 80}}
	for _, tc := range []struct {
		contributor string
		unsafe      bool
	}{{"", false}, {"firm", true}} {
		spec := Spec{Dimensions: []Dimension{{Column: "sex"}}, Measure: Measure{Type: "sum", Column: "income"}, Contributor: tc.contributor}
		CheckRules(rule, &spec)
		tab := build(t, spec, rows)
		if bad, _ := tab.primary(1, rule, Zeros{}); bad != tc.unsafe {
			t.Errorf("contributor %q: unsafe %v, want %v", tc.contributor, bad, tc.unsafe)
		}
		if tc.contributor != "" && tab.contributors(1) != 3 {
			t.Errorf("contributors %d, want 3", tab.contributors(1))
		}
	}
}
