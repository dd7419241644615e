package pipeline

import (
	"bufio"
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/tokumei/tokumei/anon"
)

// largeRows is the size of the generated table of BenchmarkLarge
// (TOKUMEI_BENCH_ROWS overrides it).
func largeRows() int {
	if n, err := strconv.Atoi(os.Getenv("TOKUMEI_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 10_000_000
}

// writeLarge generates a skewed table of n rows with 8 quasi-identifiers
// and one sensitive column, their hierarchy files, and the spec.
func writeLarge(b *testing.B, dir string, n int) string {
	rng := rand.New(rand.NewSource(1))
	f, err := os.Create(filepath.Join(dir, "large.csv"))
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("age,sex,pref,area,month,marital,job,income,diagnosis\n")
	skew := func(m int) int { return min(rng.Intn(m), rng.Intn(m), rng.Intn(m)+rng.Intn(2)*m/2) % m }
	for i := 0; i < n; i++ {
		fmt.Fprintf(w, "%d,%d,%d,%03d,%d,%d,%d,%d,%d\n", skew(100), rng.Intn(2), skew(47), skew(1000), 1+rng.Intn(12),
			skew(5), skew(20), skew(30), rng.Intn(10))
	}
	w.Flush()
	f.Close()
	hier := map[string]func(v int) []string{
		"age":  func(v int) []string { return []string{strconv.Itoa(v), iv(v, 5), iv(v, 10), iv(v, 20), "*"} },
		"sex":  func(v int) []string { return []string{strconv.Itoa(v), "*"} },
		"pref": func(v int) []string { return []string{strconv.Itoa(v), "R" + strconv.Itoa(v/6), "*"} },
		"area": func(v int) []string { s := fmt.Sprintf("%03d", v); return []string{s, s[:2] + "*", s[:1] + "**", "*"} },
		"month": func(v int) []string {
			return []string{strconv.Itoa(v), "Q" + strconv.Itoa((v-1)/3), "H" + strconv.Itoa((v-1)/6), "*"}
		},
		"marital": func(v int) []string { return []string{strconv.Itoa(v), "M" + strconv.Itoa(v/3), "*"} },
		"job":     func(v int) []string { return []string{strconv.Itoa(v), "J" + strconv.Itoa(v/4), "*"} },
		"income":  func(v int) []string { return []string{strconv.Itoa(v), iv(v, 5), iv(v, 10), "*"} },
	}
	dom := map[string][2]int{"age": {0, 100}, "sex": {0, 2}, "pref": {0, 47}, "area": {0, 1000}, "month": {1, 13}, "marital": {0, 5}, "job": {0, 20}, "income": {0, 30}}
	attrs := ""
	for _, q := range []string{"age", "sex", "pref", "area", "month", "marital", "job", "income"} {
		hf, _ := os.Create(filepath.Join(dir, q+".csv"))
		for v := dom[q][0]; v < dom[q][1]; v++ {
			row := hier[q](v)
			for i, s := range row {
				if i > 0 {
					hf.WriteString(";")
				}
				hf.WriteString(s)
			}
			hf.WriteString("\n")
		}
		hf.Close()
		attrs += fmt.Sprintf(`{"name":%q,"type":"quasi","hierarchy":{"file":"%s.csv"}},`, q, q)
	}
	limit := os.Getenv("TOKUMEI_BENCH_TIME_LIMIT_MS") // e.g. 50000: best effort within the limit
	if limit == "" {
		limit = "0"
	}
	spec := `{"time_limit_ms":` + limit + `,"input":{"path":"large.csv","encoding":"utf-8"},"attributes":[` + attrs +
		`{"name":"diagnosis","type":"sensitive"}],"privacy":[{"model":"k-anonymity","k":5}],` +
		`"suppression_limit":0.02,"metric":"loss","output":{"path":"out.csv","report":"report.json"}}`
	path := filepath.Join(dir, "job.json")
	os.WriteFile(path, []byte(spec), 0o600)
	return path
}

func iv(v, w int) string {
	lo := v / w * w
	return "[" + strconv.Itoa(lo) + "," + strconv.Itoa(lo+w) + ")"
}

// BenchmarkLarge runs the whole job on a generated table of 10M rows and 8
// quasi-identifiers; it reports the time of each phase and the memory the
// process obtained from the OS. Run with -benchtime 1x.
func BenchmarkLarge(b *testing.B) {
	dir := b.TempDir()
	path := writeLarge(b, dir, largeRows())
	spec, err := anon.ReadSpecFile(path)
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	b.ResetTimer()
	var r *Result
	for i := 0; i < b.N; i++ {
		if r, err = Run(context.Background(), spec, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	e := r.Report.ElapsedMS
	b.ReportMetric(e.Parse, "parse-ms")
	b.ReportMetric(e.Encode, "encode-ms")
	b.ReportMetric(e.Search, "search-ms")
	b.ReportMetric(e.Output, "output-ms")
	b.ReportMetric(float64(ms.Sys)/(1<<20), "sys-MiB")
	b.ReportMetric(float64(r.Report.NodesChecked), "checked")
	b.Logf("report: %+v", r.Report)
}
