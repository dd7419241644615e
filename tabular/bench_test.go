package tabular

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/tokumei/tokumei/anon"
)

// benchRows draws n rows over 60 municipalities in 6 prefectures, 10 age
// bands, 2 sexes and 5 years, with skew so that small cells occur.
func benchRows(n int) ([][]string, *anon.Hierarchy) { return benchRowsShape(n, 60, 15) }

func benchRowsShape(n, munis int, mscale float64) ([][]string, *anon.Hierarchy) {
	var h [][]string
	for i := 0; i < munis; i++ {
		h = append(h, []string{fmt.Sprintf("%02d%03d", 1+i/10, i), fmt.Sprintf("pref%d", i/10), "*"})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rows := make([][]string, n)
	ages := make([]string, 10)
	for i := range ages {
		ages[i] = fmt.Sprintf("%d-%d", 10*i, 10*i+9)
	}
	years := []string{"2020", "2021", "2022", "2023", "2024"}
	// Municipality sizes fall off 1:55, age bands 1:20.
	mw, aw := weights(munis, mscale), weights(10, 3)
	for i := range rows {
		m := pick(rng, mw)
		a := pick(rng, aw)
		rows[i] = []string{h[m][0], ages[a], []string{"M", "F"}[rng.IntN(2)], years[rng.IntN(5)], "1", "f"}
	}
	return rows, &anon.Hierarchy{Source: "area", Rows: h}
}

func benchProtect(b *testing.B, method string) {
	rows, h := benchRows(1_000_000)
	rules := []Rule{{Rule: "threshold", Min: 10}}
	b.ResetTimer()
	var p *Protected
	for i := 0; i < b.N; i++ {
		spec := Spec{Dimensions: []Dimension{{Column: "area", Hierarchy: h, Levels: []int{0, 1}}, {Column: "age"}, {Column: "sex"}, {Column: "year"}}}
		tab, err := NewTable(spec, header)
		if err != nil {
			b.Fatal(err)
		}
		for k, r := range rows {
			if err := tab.Add(r, int64(k+2)); err != nil {
				b.Fatal(err)
			}
		}
		p, err = tab.Protect(Options{Rules: rules, Secondary: method})
		if err != nil {
			b.Fatal(err)
		}
		if !p.Audit.Passed {
			b.Fatal("audit failed")
		}
	}
	b.StopTimer()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(p.Report.Cells), "cells")
	b.ReportMetric(float64(p.Report.Primary), "primary")
	b.ReportMetric(float64(p.Report.Secondary), "secondary")
	b.ReportMetric(float64(p.Audit.LargestLP[0]), "lp-vars")
	b.ReportMetric(float64(ms.HeapAlloc)/1e6, "heapMB")
	b.Logf("elapsed %v, method %s", p.Report.ElapsedMS, p.Report.Method)
}

func BenchmarkProtect1M4DHypercube(b *testing.B) { benchProtect(b, "hypercube") }
func BenchmarkProtect1M4DAuto(b *testing.B)      { benchProtect(b, "auto") }

func weights(n int, scale float64) []float64 {
	w := make([]float64, n)
	s := 0.0
	for i := range w {
		s += math.Exp(-float64(i) / scale)
		w[i] = s
	}
	for i := range w {
		w[i] /= s
	}
	return w
}

func pick(rng *rand.Rand, cum []float64) int {
	u := rng.Float64()
	for i, c := range cum {
		if u < c {
			return i
		}
	}
	return len(cum) - 1
}

// benchExact protects a moderate count table (inner cells of 5 to 44
// rows, one in `rare` of 1 to 4 rows, below the threshold of 5) with the
// exact method and reports its search figures.
func benchExact(b *testing.B, shape []int, cost string, rare int) {
	rng := rand.New(rand.NewPCG(7, uint64(len(shape))))
	cols := []string{"area", "age", "sex"}
	var dims []Dimension
	for j, n := range shape {
		var vals []string
		for x := 0; x < n; x++ {
			vals = append(vals, fmt.Sprintf("%c%d", 'a'+j, x))
		}
		dims = append(dims, Dimension{Column: cols[j], Values: vals})
	}
	inner := 1
	for _, n := range shape {
		inner *= n
	}
	var rows [][]string
	for k := 0; k < inner; k++ {
		row := []string{"", "", "", "2020", "1", "f"}
		r := k
		for j := len(shape) - 1; j >= 0; j-- {
			row[colOf(cols[j])] = fmt.Sprintf("%c%d", 'a'+j, r%shape[j])
			r /= shape[j]
		}
		n := 5 + rng.IntN(40)
		if rng.IntN(rare) == 0 {
			n = 1 + rng.IntN(4)
		}
		for i := 0; i < n; i++ {
			rows = append(rows, row)
		}
	}
	b.ResetTimer()
	var p *Protected
	for i := 0; i < b.N; i++ {
		tab := build(b, Spec{Dimensions: dims}, rows)
		var err error
		p, err = tab.Protect(Options{Rules: []Rule{{Rule: "threshold", Min: 5}}, Secondary: "optimal", Exact: ExactOptions{Cost: cost, TimeLimit: benchLimit}})
		if err != nil {
			b.Fatal(err)
		}
		if !p.Audit.Passed {
			b.Fatal("audit failed")
		}
	}
	b.StopTimer()
	e := p.Report.Exact
	b.ReportMetric(float64(p.Report.Cells), "cells")
	b.ReportMetric(float64(p.Report.Primary), "primary")
	b.ReportMetric(float64(p.Report.Secondary), "secondary")
	b.ReportMetric(e.Objective, "cost")
	b.ReportMetric(e.HeuristicCost, "heuristic-cost")
	b.ReportMetric(float64(e.Nodes), "nodes")
	b.ReportMetric(e.GapPercent, "gap%")
	b.Logf("%s; %d cuts, %d attacker LP rounds; elapsed %v", e.Status, e.Cuts, e.Separations, p.Report.ElapsedMS)
}

func BenchmarkOptimal20x20(b *testing.B)        { benchExact(b, []int{20, 20}, "value", 20) }
func BenchmarkOptimal20x20Dense(b *testing.B)   { benchExact(b, []int{20, 20}, "value", 8) }
func BenchmarkOptimal10x10x5(b *testing.B)      { benchExact(b, []int{10, 10, 5}, "value", 8) }
func BenchmarkOptimal10x10x5Unity(b *testing.B) { benchExact(b, []int{10, 10, 5}, "unity", 8) }

var benchLimit time.Duration

// benchControlled rounds a 3-D count table under controlled rounding
// (base 5): munis flat municipalities × 10 age bands × 5 years.
func benchControlled(b *testing.B, munis int) {
	rows, _ := benchRowsShape(200_000, munis, float64(munis)/4)
	dims := []Dimension{{Column: "area"}, {Column: "age"}, {Column: "year"}}
	tab := build(b, Spec{Dimensions: dims}, rows)
	b.ResetTimer()
	var res *Result
	for i := 0; i < b.N; i++ {
		var err error
		if res, err = tab.Round("controlled", 5, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(res.Report.Cells), "cells")
	b.Logf("rounding %+v, fallbacks %v, elapsed %v", *res.Report.Rounding, res.Report.Fallbacks, res.Report.ElapsedMS)
}

func BenchmarkControlled3D10(b *testing.B) { benchControlled(b, 10) }
func BenchmarkControlled3D20(b *testing.B) { benchControlled(b, 20) }
