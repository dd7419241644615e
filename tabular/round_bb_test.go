package tabular

import (
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
)

// covers reports whether the cell with key k covers the inner cell with
// key in, from the labels and the hierarchy rows (not the table's trees).
func covers(k, in map[string]string, dims []Dimension, total string) bool {
	for _, d := range dims {
		lab, ok := k[d.Column]
		if !ok || lab == total {
			continue
		}
		leaf := in[d.Column]
		if lab == leaf {
			continue
		}
		if d.Hierarchy == nil {
			return false
		}
		found := false
		for _, r := range d.Hierarchy.Rows {
			if r[0] != leaf {
				continue
			}
			for _, l := range d.Levels {
				found = found || r[l] == lab
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// checkControlled verifies a controlled rounding: multiples of the base,
// each cell within one base of its value (multiples unchanged), and every
// cell equal to the sum of the rounded inner cells it covers.
func checkControlled(t *testing.T, tab *Table, res *Result, base int) {
	t.Helper()
	b := float64(base)
	var inner []int
	for c := 0; c < tab.N; c++ {
		if tab.active(c) && tab.isInner(c) {
			inner = append(inner, c)
		}
	}
	dims := tab.Dimensions()
	for c := 0; c < tab.N; c++ {
		if !tab.active(c) {
			continue
		}
		v, x := res.Value[c], tab.Magnitude(c)
		if math.Mod(v, b) != 0 || math.Abs(v-x) >= b || (math.Mod(x, b) == 0 && v != x) {
			t.Fatalf("cell %v: %g rounded to %g (base %d)", tab.KeyMap(c), x, v, base)
		}
		key := tab.KeyMap(c)
		groups := map[string][]int{} // inner cells by linked table
		for _, i := range inner {
			groups[dimSet(tab.KeyMap(i))] = append(groups[dimSet(tab.KeyMap(i))], i)
		}
		tables := 0
		for set, cells := range groups {
			in := true
			for d, lab := range key {
				in = in && (lab == tab.Spec.TotalLabel || strings.Contains(set, "|"+d+"|"))
			}
			if !in {
				continue
			}
			tables++
			sum := 0.0
			for _, i := range cells {
				if covers(key, tab.KeyMap(i), dims, tab.Spec.TotalLabel) {
					sum += res.Value[i]
				}
			}
			if sum != v {
				t.Fatalf("cell %v = %g, the rounded inner cells of table %s it covers sum to %g", key, v, set, sum)
			}
		}
		if tables == 0 {
			t.Fatalf("cell %v in no table", key)
		}
	}
}

// dimSet names the dimensions of a key, e.g. "|age|area|".
func dimSet(k map[string]string) string {
	var ds []string
	for d := range k {
		ds = append(ds, d)
	}
	sort.Strings(ds)
	return "|" + strings.Join(ds, "|") + "|"
}

func TestControlledRoundingBeyond2D(t *testing.T) {
	rows := genRows(21, 900)
	area := Dimension{Column: "area", Hierarchy: areaHierarchy(), Levels: []int{0, 1}}
	for _, tc := range []struct {
		name   string
		spec   Spec
		base   int
		method string // expected solver
	}{
		{"3D base 5", Spec{Dimensions: []Dimension{{Column: "area"}, {Column: "age"}, {Column: "sex"}}}, 5, "branch-and-bound"},
		{"3D base 3", Spec{Dimensions: []Dimension{{Column: "area"}, {Column: "age"}, {Column: "year"}}}, 3, "branch-and-bound"},
		{"3D base 10 hierarchical", Spec{Dimensions: []Dimension{area, {Column: "age"}, {Column: "sex"}}}, 10, "branch-and-bound"},
		{"2D hierarchical base 5", Spec{Dimensions: []Dimension{area, {Column: "age"}}}, 5, "branch-and-bound"},
		{"4D base 3", Spec{Dimensions: []Dimension{{Column: "area"}, {Column: "age"}, {Column: "sex"}, {Column: "year"}}}, 3, "branch-and-bound"},
		{"linked base 5", Spec{Dimensions: []Dimension{{Column: "area"}, {Column: "age"}, {Column: "sex"}},
			Tables: [][]string{{"area", "age"}, {"area", "sex"}, {"age", "sex"}}}, 5, "branch-and-bound"},
		{"sum 3D base 10", Spec{Dimensions: []Dimension{{Column: "area"}, {Column: "age"}, {Column: "sex"}}, Measure: Measure{Type: "sum", Column: "income"}}, 10, "branch-and-bound"},
		{"2D flat base 3 (Cox)", Spec{Dimensions: []Dimension{{Column: "area"}, {Column: "age"}}}, 3, "cox-cycles"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab := build(t, tc.spec, rows)
			res, err := tab.Round("controlled", tc.base, seedReader(3))
			if err != nil {
				t.Fatal(err)
			}
			r := res.Report.Rounding
			if len(res.Report.Fallbacks) > 0 || !r.Additive || r.Solver != tc.method {
				t.Fatalf("rounding %+v, fallbacks %v", r, res.Report.Fallbacks)
			}
			checkControlled(t, tab, res, tc.base)
		})
	}
}

// TestControlledRoundingExistence compares, on small 3-D tables, whether
// branch-and-bound finds an additive rounding with an exhaustive search
// over the inner cells (each margin then follows and must itself be an
// adjacent multiple).
func TestControlledRoundingExistence(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	found, infeasible := 0, 0
	for trial := 0; trial < 400; trial++ {
		shape := []int{2, 2, 2 + trial%2}
		base := []int{3, 5, 10}[trial%3]
		n := shape[0] * shape[1] * shape[2]
		inner := make([]int, n)
		for i := range inner {
			inner[i] = rng.IntN(3 * base)
		}
		o := newOracle(shape, inner, 1)
		exists := roundingExists(o, inner, base)
		tab := tableOf(t, o, inner)
		res, err := tab.Round("controlled", base, seedReader(1))
		if err != nil {
			t.Fatal(err)
		}
		got := len(res.Report.Fallbacks) == 0
		if got != exists {
			t.Fatalf("%v base %d: exhaustive says %v, branch-and-bound %v (%v)", inner, base, exists, got, res.Report.Fallbacks)
		}
		if got {
			found++
			checkControlled(t, tab, res, base)
		} else {
			infeasible++
			if !strings.Contains(res.Report.Fallbacks[0], "infeasible") || res.Report.Rounding.Method != "random" {
				t.Fatalf("fallback not stated: %v %+v", res.Report.Fallbacks, res.Report.Rounding)
			}
		}
	}
	t.Logf("%d tables rounded, %d proven without additive rounding", found, infeasible)
	if found == 0 {
		t.Fatal("no table rounded")
	}
}

// roundingExists enumerates every up/down choice of the inner cells.
func roundingExists(o *oracle, inner []int, base int) bool {
	b := float64(base)
	n := len(inner)
	for mask := 0; mask < 1<<n; mask++ {
		r := make([]int, n)
		ok := true
		for i, v := range inner {
			fl := v / base * base
			switch {
			case v%base == 0:
				if mask&(1<<i) != 0 {
					ok = false
				}
				r[i] = v
			case mask&(1<<i) != 0:
				r[i] = fl + base
			default:
				r[i] = fl
			}
		}
		if !ok {
			continue
		}
		ro := newOracle(o.shape, r, 1)
		for c, v := range ro.val {
			x := o.val[c]
			lo := math.Floor(x/b) * b
			if v != lo && v != lo+b || (math.Mod(x, b) == 0 && v != x) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func TestControlledRoundingLimits(t *testing.T) {
	rows := genRows(22, 900)
	tab := build(t, Spec{Dimensions: []Dimension{{Column: "area"}, {Column: "age"}, {Column: "sex"}}}, rows)
	for _, tc := range []struct {
		name  string
		cells int
		nodes int
		want  string
	}{
		{"too many cells", 10, 50000, "cells, limit 10"},
		{"node limit", 20000, 0, "search limit reached"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			oc, on := ControlledMaxCells, ControlledMaxNodes
			ControlledMaxCells, ControlledMaxNodes = tc.cells, tc.nodes
			defer func() { ControlledMaxCells, ControlledMaxNodes = oc, on }()
			res, err := tab.Round("controlled", 5, seedReader(2))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Report.Fallbacks) != 1 || !strings.Contains(res.Report.Fallbacks[0], tc.want) ||
				res.Report.Rounding.Method != "random" || res.Report.Rounding.Additive {
				t.Fatalf("fallback %v, rounding %+v", res.Report.Fallbacks, res.Report.Rounding)
			}
		})
	}
}
