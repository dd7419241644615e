package pipeline

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

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

// writeLarge generates a resident-register-like table of n rows (a large
// city: 23 wards, 3,000 町丁目 with Zipf-like populations, an age pyramid,
// marital status and household size depending on age, mostly Japanese
// nationals) with 8 quasi-identifiers and one sensitive column, their
// hierarchy files (lattice 12,960) and the spec.
func writeLarge(b *testing.B, dir string, n int) string {
	g := newResidents(rand.New(rand.NewSource(1)))
	f, err := os.Create(filepath.Join(dir, "large.csv"))
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("age,sex,ward,chome,birth_month,marital,household,nationality,diagnosis\n")
	var line []byte
	for i := 0; i < n; i++ {
		line = g.row(line[:0])
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	attrs := ""
	for _, q := range largeQIs {
		var h []byte
		for _, row := range g.hierarchy(q) {
			h = append(h, strings.Join(row, ";")...)
			h = append(h, '\n')
		}
		if err := os.WriteFile(filepath.Join(dir, q+".csv"), h, 0o600); err != nil {
			b.Fatal(err)
		}
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

var largeQIs = []string{"age", "sex", "ward", "chome", "birth_month", "marital", "household", "nationality"}

const (
	wards         = 23
	chomePerWard  = 130
	maxAge        = 104
	marriedStatus = 4 // 未婚, 有配偶, 死別, 離別
)

var (
	maritalNames     = []string{"未婚", "有配偶", "死別", "離別"}
	nationalityNames = []string{"日本", "中国", "韓国", "ベトナム", "フィリピン", "ネパール", "ブラジル", "その他"}
)

// residents draws skewed, correlated rows.
type residents struct {
	rng                        *rand.Rand
	age, chome, nat, household cumulative
}

// cumulative samples an index with probability proportional to weights.
type cumulative []float64

func newCumulative(w []float64) cumulative {
	c := make(cumulative, len(w))
	t := 0.0
	for i, x := range w {
		t += x
		c[i] = t
	}
	return c
}

func (c cumulative) draw(rng *rand.Rand) int {
	return min(sort.SearchFloat64s(c, rng.Float64()*c[len(c)-1]), len(c)-1)
}

func newResidents(rng *rand.Rand) *residents {
	age := make([]float64, maxAge+1)
	for a := range age {
		switch {
		case a < 50:
			age[a] = 1
		case a < 75:
			age[a] = 1.2
		default:
			age[a] = 1.2 * float64(maxAge+1-a) / 30
		}
	}
	// 町丁目 populations: Zipf-like weights in a random order over the city.
	chome := make([]float64, wards*chomePerWard)
	for i, j := range rng.Perm(len(chome)) {
		chome[j] = 1 / math.Pow(float64(i+20), 0.8)
	}
	return &residents{rng: rng, age: newCumulative(age), chome: newCumulative(chome),
		nat:       newCumulative([]float64{960, 12, 8, 7, 4, 3, 2, 4}),
		household: newCumulative([]float64{30, 28, 18, 15, 6, 2, 1})}
}

func (g *residents) row(b []byte) []byte {
	rng := g.rng
	age := g.age.draw(rng)
	b = strconv.AppendInt(b, int64(age), 10)
	b = append(b, ',')
	b = append(b, "MF"[rng.Intn(2)])
	c := g.chome.draw(rng)
	b = fmt.Appendf(b, ",W%02d,W%02d-%03d,%d,", c/chomePerWard+1, c/chomePerWard+1, c%chomePerWard, 1+rng.Intn(12))
	b = append(b, maritalNames[marital(rng, age)]...)
	hh := g.household.draw(rng)
	if age >= 20 && age < 35 || age >= 75 {
		if rng.Intn(2) == 0 {
			hh = 0 // living alone
		}
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(hh+1), 10)
	b = append(b, ',')
	b = append(b, nationalityNames[g.nat.draw(rng)]...)
	b = append(b, ',', 'D')
	b = strconv.AppendInt(b, int64(rng.Intn(10)), 10)
	return append(b, '\n')
}

// marital draws a marital status that depends on age.
func marital(rng *rand.Rand, age int) int {
	var w [marriedStatus]float64
	switch {
	case age < 18:
		return 0
	case age < 30:
		w = [4]float64{80, 18, 0, 2}
	case age < 60:
		w = [4]float64{25, 65, 2, 8}
	default:
		w = [4]float64{8, 60, float64(age - 55), 7}
	}
	x := rng.Float64() * (w[0] + w[1] + w[2] + w[3])
	for i, v := range w {
		if x < v {
			return i
		}
		x -= v
	}
	return 3
}

// hierarchy returns the ARX-format hierarchy rows of a quasi-identifier.
func (g *residents) hierarchy(q string) [][]string {
	var rows [][]string
	switch q {
	case "age":
		for a := 0; a <= maxAge; a++ {
			rows = append(rows, []string{strconv.Itoa(a), iv(a, 5), iv(a, 10), iv(a, 20), "*"})
		}
	case "sex":
		rows = [][]string{{"M", "*"}, {"F", "*"}}
	case "ward":
		for w := 1; w <= wards; w++ {
			rows = append(rows, []string{fmt.Sprintf("W%02d", w), "B" + strconv.Itoa((w-1)/6), "*"})
		}
	case "chome":
		for c := 0; c < wards*chomePerWard; c++ {
			w := fmt.Sprintf("W%02d", c/chomePerWard+1)
			town := fmt.Sprintf("%s-%02d*", w, c%chomePerWard/10)
			rows = append(rows, []string{fmt.Sprintf("%s-%03d", w, c%chomePerWard), town, w, "*"})
		}
	case "birth_month":
		for m := 1; m <= 12; m++ {
			rows = append(rows, []string{strconv.Itoa(m), "Q" + strconv.Itoa((m-1)/3+1), "H" + strconv.Itoa((m-1)/6+1), "*"})
		}
	case "marital":
		for i, m := range maritalNames {
			rows = append(rows, []string{m, []string{"未婚", "既婚歴あり"}[min(i, 1)], "*"})
		}
	case "household":
		for h := 1; h <= 7; h++ {
			band := "1"
			switch {
			case h >= 4:
				band = "4+"
			case h >= 2:
				band = "2-3"
			}
			rows = append(rows, []string{strconv.Itoa(h), band, "*"})
		}
	case "nationality":
		for i, n := range nationalityNames {
			rows = append(rows, []string{n, []string{"日本", "外国"}[min(i, 1)], "*"})
		}
	}
	return rows
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
	cpu0 := cpuTime()
	phaseCPU := map[string]time.Duration{}
	phase, phaseStart := "", cpu0
	status := func(st Status) {
		if st.Phase != phase {
			now := cpuTime()
			phaseCPU[phase] += now - phaseStart
			phase, phaseStart = st.Phase, now
		}
	}
	for i := 0; i < b.N; i++ {
		if r, err = RunWith(context.Background(), spec, Options{Status: status}); err != nil {
			b.Fatal(err)
		}
		status(Status{Phase: "end"})
	}
	b.StopTimer()
	for _, p := range []string{PhaseReading, PhaseEncoding, PhaseSearching, PhaseWriting} {
		b.ReportMetric(phaseCPU[p].Seconds()/float64(b.N), p+"-cpu-s")
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	e := r.Report.ElapsedMS
	b.ReportMetric(e.Parse, "parse-ms")
	b.ReportMetric(e.Encode, "encode-ms")
	b.ReportMetric(e.Search, "search-ms")
	b.ReportMetric(e.Output, "output-ms")
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(ms.Sys)/(1<<20), "sys-MiB")
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-rss-MiB")
	b.ReportMetric(float64(r.Report.Risk.Input.EquivalenceClasses), "base-classes")
	b.ReportMetric(float64(r.Report.NodesChecked), "checked")
	b.Logf("report: %+v", r.Report)
}

// cpuTime is the user+system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is the process's peak resident set (VmHWM), 0 when unknown.
func peakRSS() int64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func iv(v, w int) string {
	lo := v / w * w
	return "[" + strconv.Itoa(lo) + "," + strconv.Itoa(lo+w) + ")"
}
