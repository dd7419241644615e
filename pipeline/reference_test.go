package pipeline

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokumei/tokumei/internal/shareddata"

	"github.com/tokumei/tokumei/anon"
)

func datasets(t testing.TB) string {
	return filepath.Dir(filepath.Dir(shareddata.Path(t, "arx/reference.json")))
}

type refCase struct {
	Dataset            string            `json:"dataset"`
	Case               string            `json:"case"`
	Models             []anon.ModelSpec  `json:"privacy_models"`
	SuppressionLimit   float64           `json:"suppression_limit"`
	Metric             string            `json:"metric"`
	QIs                []string          `json:"quasi_identifiers"`
	Transformation     map[string]int    `json:"transformation"`
	SuppressedRecords  int64             `json:"suppressed_records"`
	EquivalenceClasses int               `json:"equivalence_classes"`
	InformationLoss    float64           `json:"information_loss"`
	Sensitive          string            `json:"sensitive"`
	ArxWarmMS          float64           `json:"arx_warm_ms"`
	Extra              map[string]string `json:"-"`
}

func loadCases(t testing.TB) (string, []refCase) {
	d := datasets(t)
	b, err := os.ReadFile(filepath.Join(d, "arx", "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct{ Cases []refCase }
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(d, "arx"), ref.Cases
}

// refSpec writes the spec of a reference case into dir and reads it back.
func refSpec(t testing.TB, arx, dir string, c refCase) *anon.Spec {
	data := filepath.Join(arx, c.Dataset)
	base := strings.TrimSuffix(data, ".csv")
	s := anon.Spec{
		Input:            anon.InputSpec{Path: data, Delimiter: ";", Encoding: "utf-8"},
		Privacy:          c.Models,
		SuppressionLimit: c.SuppressionLimit,
		Metric:           c.Metric,
		Output:           anon.OutputSpec{Path: "out.csv", Report: "report.json"},
	}
	for _, q := range c.QIs {
		s.Attributes = append(s.Attributes, anon.AttributeSpec{Name: q, Type: anon.Quasi,
			Hierarchy: &anon.HierarchySpec{File: base + "_hierarchy_" + q + ".csv"}})
	}
	if c.Sensitive != "" {
		s.Attributes = append(s.Attributes, anon.AttributeSpec{Name: c.Sensitive, Type: anon.Sensitive})
	}
	b, _ := json.Marshal(s)
	path := filepath.Join(dir, "job.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	spec, err := anon.ReadSpecFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func TestReferenceRecount(t *testing.T) {
	arx, cases := loadCases(t)
	for _, c := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(c.Dataset), ".csv")+"/"+c.Case, func(t *testing.T) {
			dir := t.TempDir()
			spec := refSpec(t, arx, dir, c)
			res, err := Run(context.Background(), spec, nil)
			if err != nil {
				t.Fatal(err)
			}
			var rep Report
			b, err := os.ReadFile(filepath.Join(dir, "report.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &rep); err != nil {
				t.Fatal(err)
			}
			if rep.NodesChecked != res.Report.NodesChecked || !rep.Optimal {
				t.Errorf("report file differs from the result or is not optimal: %+v", rep)
			}
			hier := map[string]string{}
			base := strings.TrimSuffix(filepath.Join(arx, c.Dataset), ".csv")
			for _, q := range c.QIs {
				hier[q] = base + "_hierarchy_" + q + ".csv"
			}
			got := recount(t, filepath.Join(arx, c.Dataset), filepath.Join(dir, "out.csv"), hier, rep.Transformation, c.Models, c.Sensitive)
			if got.suppressed != rep.SuppressedRecords || got.classes != rep.EquivalenceClasses || got.minSize != rep.MinClassSize {
				t.Errorf("recount: %d suppressed, %d classes, min %d; report: %d, %d, %d",
					got.suppressed, got.classes, got.minSize, rep.SuppressedRecords, rep.EquivalenceClasses, rep.MinClassSize)
			}
			if got.suppressed > int64(math.Floor(c.SuppressionLimit*float64(got.n))) {
				t.Errorf("%d records suppressed, over the limit", got.suppressed)
			}
			var v, want float64
			switch c.Metric {
			case anon.MetricLoss:
				v, want = got.loss, c.InformationLoss
				if math.Abs(v-want) > 1e-9 || math.Abs(rep.InformationLoss-want) > 1e-9 {
					t.Errorf("loss recounted %.15f, reported %.15f, ARX %.15f", v, rep.InformationLoss, want)
				}
			case anon.MetricDM:
				if got.dm != c.InformationLoss || rep.InformationLoss != c.InformationLoss {
					t.Errorf("DM recounted %.0f, reported %.0f, ARX %.0f", got.dm, rep.InformationLoss, c.InformationLoss)
				}
			case anon.MetricDMStar:
				if got.dmStar != c.InformationLoss || rep.InformationLoss != c.InformationLoss {
					t.Errorf("DM* recounted %.0f, reported %.0f, ARX %.0f", got.dmStar, rep.InformationLoss, c.InformationLoss)
				}
			}
		})
	}
}

// recounted figures of an output file, computed from the files only.
type recounted struct {
	n, suppressed    int64
	classes          int
	minSize          int64
	loss, dm, dmStar float64
}

func readCSV(t testing.TB, path string, delim rune) [][]string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = delim
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// recount reads input, output and hierarchy files, checks every output row
// against the hierarchy, recounts the classes, checks the models and
// recomputes the metrics.
func recount(t *testing.T, inPath, outPath string, hier map[string]string, levels map[string]int, models []anon.ModelSpec, sens string) recounted {
	in := readCSV(t, inPath, ';')
	out := readCSV(t, outPath, ';')
	if len(in) != len(out) {
		t.Fatalf("output has %d lines, input %d", len(out), len(in))
	}
	head := out[0]
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	type hi struct {
		gen   map[string]string // value → label at the level
		share map[string]float64
		d     float64
	}
	hs := map[string]hi{}
	var qis []string
	for q, file := range hier {
		qis = append(qis, q)
		rows := readCSV(t, file, ';')
		L := levels[q]
		h := hi{gen: map[string]string{}, share: map[string]float64{}, d: float64(len(rows))}
		for _, r := range rows {
			h.gen[r[0]] = r[L]
			h.share[r[L]]++
		}
		for k := range h.share {
			h.share[k] /= h.d
		}
		hs[q] = h
	}
	var rc recounted
	rc.n = int64(len(out) - 1)
	classes := map[string]int64{}
	sensVals := map[string]map[string]bool{}
	origSupp := map[string]int64{}
	sums := map[string]float64{}
	for i := 1; i < len(out); i++ {
		key := make([]string, len(qis))
		orig := make([]string, len(qis))
		stars := 0
		for k, q := range qis {
			v := out[i][col[q]]
			orig[k] = hs[q].gen[in[i][col[q]]]
			key[k] = v
			if v == "*" && orig[k] != "*" {
				stars++
			} else if v != orig[k] {
				t.Fatalf("line %d column %s: output %q is not the level-%d label of the input", i+1, q, v, levels[q])
			}
		}
		if stars > 0 && stars+countStar(orig) < len(qis) {
			t.Fatalf("line %d: partly suppressed row", i+1)
		}
		suppressed := stars > 0
		ok := strings.Join(orig, "\x1f")
		if suppressed {
			rc.suppressed++
			origSupp[ok]++
			for _, q := range qis {
				sums[q]++
			}
			continue
		}
		k := strings.Join(key, "\x1f")
		classes[k]++
		if sens != "" {
			if sensVals[k] == nil {
				sensVals[k] = map[string]bool{}
			}
			sensVals[k][out[i][col[sens]]] = true
		}
		for _, q := range qis {
			sums[q] += hs[q].share[key[indexOf(qis, q)]]
		}
	}
	rc.classes = len(classes)
	for k, c := range classes {
		if rc.minSize == 0 || c < rc.minSize {
			rc.minSize = c
		}
		rc.dm += float64(c * c)
		for _, m := range models {
			if (m.Model == "k-anonymity" && c < int64(m.K)) || (m.Model == "distinct-l-diversity" && float64(len(sensVals[k])) < m.L) {
				t.Errorf("class of size %d violates %s", c, m.Model)
			}
		}
	}
	// suppressed rows count n per record of their original class (DM)
	for _, c := range origSupp {
		rc.dm += float64(rc.n) * float64(c)
	}
	// DM*: the classes of the transformation before suppression
	rc.dmStar = 0
	full := map[string]int64{}
	for i := 1; i < len(in); i++ {
		key := make([]string, len(qis))
		for k, q := range qis {
			key[k] = hs[q].gen[in[i][col[q]]]
		}
		full[strings.Join(key, "\x1f")]++
	}
	for _, c := range full {
		rc.dmStar += float64(c * c)
	}
	n := float64(rc.n)
	prod := 1.0
	for _, q := range qis {
		d := hs[q].d
		v := math.Max(0, (sums[q]-n/d)/(n-n/d))
		v = math.Trunc(v*1e10) / 1e10
		prod *= v + 1
	}
	rc.loss = math.Pow(prod, 1/float64(len(qis))) - 1
	return rc
}

func countStar(v []string) int {
	n := 0
	for _, s := range v {
		if s == "*" {
			n++
		}
	}
	return n
}

func indexOf(s []string, x string) int {
	for i, v := range s {
		if v == x {
			return i
		}
	}
	return -1
}
