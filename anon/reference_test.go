package anon

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokumei/tokumei/internal/shareddata"
)

// datasets returns ../shared/datasets seen from the repository root, or
// skips the test when it is absent.
func datasets(t testing.TB) string {
	return filepath.Dir(filepath.Dir(shareddata.Path(t, "arx/reference.json")))
}

type refCase struct {
	Dataset            string         `json:"dataset"`
	Case               string         `json:"case"`
	Models             []ModelSpec    `json:"privacy_models"`
	SuppressionLimit   float64        `json:"suppression_limit"`
	Metric             string         `json:"metric"`
	QIs                []string       `json:"quasi_identifiers"`
	Transformation     map[string]int `json:"transformation"`
	SuppressedRecords  int64          `json:"suppressed_records"`
	EquivalenceClasses int            `json:"equivalence_classes"`
	MinClassSize       int64          `json:"min_class_size"`
	InformationLoss    float64        `json:"information_loss"`
	LatticeSize        int64          `json:"lattice_size"`
	ArxWarmMS          float64        `json:"arx_warm_ms"`
	Sensitive          string         `json:"sensitive"`
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

var tableCache = map[string]*Table{}

// refProblem builds the engine problem of a reference case.
func refProblem(t testing.TB, dir string, c refCase) *Problem {
	path := filepath.Join(dir, c.Dataset)
	tab := tableCache[path]
	if tab == nil {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		tab, err = ReadCSV(f, path, ';')
		if err != nil {
			t.Fatal(err)
		}
		tableCache[path] = tab
	}
	p := &Problem{Table: tab, File: path, Models: c.Models, SuppressionLimit: c.SuppressionLimit, Metric: c.Metric}
	base := strings.TrimSuffix(path, ".csv")
	for _, q := range c.QIs {
		f, err := os.Open(base + "_hierarchy_" + q + ".csv")
		if err != nil {
			t.Fatal(err)
		}
		h, err := ReadHierarchy(f, f.Name(), ';')
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		p.QIs = append(p.QIs, QI{Name: q, Hierarchy: h, MaxLevel: -1})
	}
	return p
}

func TestReferenceEngine(t *testing.T) {
	dir, cases := loadCases(t)
	for _, c := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(c.Dataset), ".csv")+"/"+c.Case, func(t *testing.T) {
			p := refProblem(t, dir, c)
			r, err := Anonymize(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("value %v (ARX %v) levels %v supp %d classes %d min %d checked %d search %v",
				r.InformationLoss, c.InformationLoss, r.Levels(), r.SuppressedRecords, r.EquivalenceClasses, r.MinClassSize, r.NodesChecked, r.SearchTime)
			if c.Metric == MetricLoss {
				if math.Abs(r.InformationLoss-c.InformationLoss) > 1e-9 {
					t.Errorf("loss = %.15f, ARX %.15f", r.InformationLoss, c.InformationLoss)
				}
			} else if r.InformationLoss != c.InformationLoss {
				t.Errorf("%s = %.0f, ARX %.0f", c.Metric, r.InformationLoss, c.InformationLoss)
			}
			if r.LatticeSize != c.LatticeSize {
				t.Errorf("lattice size %d, ARX %d", r.LatticeSize, c.LatticeSize)
			}
		})
	}
}
