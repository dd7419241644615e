package anon

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/tokumei/tokumei/fault"
)

// randomProblem makes a small random table with tree hierarchies.
func randomProblem(rng *rand.Rand) *Problem {
	nq := 2 + rng.Intn(3)
	rows := 10 + rng.Intn(150)
	names := []string{}
	var qis []QI
	for q := 0; q < nq; q++ {
		name := fmt.Sprintf("q%d", q)
		names = append(names, name)
		m := 2 + rng.Intn(7)
		levels := 2 + rng.Intn(3)
		b := 2 + rng.Intn(2)
		h := &Hierarchy{Source: name}
		for i := 0; i < m; i++ {
			row := []string{fmt.Sprintf("v%d", i)}
			div := 1
			for l := 1; l < levels-1; l++ {
				div *= b
				row = append(row, fmt.Sprintf("g%d-%d", l, i/div))
			}
			h.Rows = append(h.Rows, append(row, "*"))
		}
		maxL := -1
		if rng.Intn(4) == 0 {
			maxL = levels - 2
		}
		qis = append(qis, QI{Name: name, Hierarchy: h, MaxLevel: maxL, MinLevel: rng.Intn(2) * min(1, levels-2)})
	}
	names = append(names, "s")
	tb, _ := NewTableBuilder(names, "random.csv")
	for r := 0; r < rows; r++ {
		row := []string{}
		for q := 0; q < nq; q++ {
			m := len(qis[q].Hierarchy.Rows)
			row = append(row, fmt.Sprintf("v%d", min(rng.Intn(m), rng.Intn(m))))
		}
		row = append(row, fmt.Sprintf("%d", rng.Intn(5)))
		tb.Append(row, int64(r+2))
	}
	metrics := []string{MetricLoss, MetricDM, MetricDMStar, MetricPrecision, MetricEntropy, MetricAECS, MetricHeight}
	p := &Problem{Table: tb.Build(), QIs: qis, Metric: metrics[rng.Intn(len(metrics))],
		SuppressionLimit: []float64{0, 0.02, 0.05, 0.1, 0.3}[rng.Intn(5)]}
	p.Models = append(p.Models, ModelSpec{Model: modelK, K: 2 + rng.Intn(4)})
	sensH := &Hierarchy{Source: "s", Rows: [][]string{{"0", "a", "*"}, {"1", "a", "*"}, {"2", "b", "*"}, {"3", "b", "*"}, {"4", "b", "*"}}}
	p.SensitiveHierarchies = map[string]*Hierarchy{"s": sensH}
	switch rng.Intn(8) {
	case 0:
		p.Models = append(p.Models, ModelSpec{Model: modelDistinctL, Attribute: "s", L: 2})
	case 1:
		p.Models = append(p.Models, ModelSpec{Model: modelEntropyL, Attribute: "s", L: 1.5})
	case 2:
		p.Models = append(p.Models, ModelSpec{Model: modelRecursiveCL, Attribute: "s", L: 2, C: 3})
	case 3:
		p.Models = append(p.Models, ModelSpec{Model: modelEqualT, Attribute: "s", T: 0.4})
	case 4:
		p.Models = append(p.Models, ModelSpec{Model: modelOrderedT, Attribute: "s", T: 0.3})
	case 5:
		p.Models = append(p.Models, ModelSpec{Model: modelHierarchicalT, Attribute: "s", T: 0.3})
	case 6:
		p.Models = p.Models[:0]
		p.Models = append(p.Models, ModelSpec{Model: modelEntropyL, Attribute: "s", L: 1.8})
	}
	return p
}

func TestPropertySearchEqualsExhaustive(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	solved, fewer := 0, 0
	for i := 0; i < 300; i++ {
		p := randomProblem(rng)
		r1, err1 := Anonymize(context.Background(), p)
		q := *p
		q.Exhaustive = true
		r2, err2 := Anonymize(context.Background(), &q)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("case %d: search err %v, exhaustive err %v", i, err1, err2)
		}
		if err1 != nil {
			if fault.ErrorCode(err1) != fault.Unsatisfiable {
				t.Fatalf("case %d: %v", i, err1)
			}
			continue
		}
		if r1.InformationLoss != r2.InformationLoss {
			t.Fatalf("case %d (%s, %v, limit %v): search %v at %v, exhaustive %v at %v", i, p.Metric, p.Models, p.SuppressionLimit,
				r1.InformationLoss, r1.Transformation, r2.InformationLoss, r2.Transformation)
		}
		checkOutput(t, i, p, r1)
		solved++
		if r1.NodesChecked < r2.NodesChecked {
			fewer++
		}
	}
	if solved < 100 || fewer < 50 {
		t.Errorf("only %d of 300 random problems solvable, %d searched fewer nodes than the oracle", solved, fewer)
	}
}

// checkOutput recounts the classes from the output rows and checks the
// models and the suppression limit.
func checkOutput(t *testing.T, i int, p *Problem, r *Result) {
	header := r.OutputHeader(OutputOptions{})
	qcol := map[int]bool{}
	scol := -1
	for k, h := range header {
		for _, q := range p.QIs {
			if q.Name == h {
				qcol[k] = true
			}
		}
		if h == "s" {
			scol = k
		}
	}
	classes := map[string][]string{}
	var supp int64
	r.EachOutputRow(OutputOptions{}, func(row []string) error {
		var key []string
		stars := 0
		for k := range header {
			if qcol[k] {
				key = append(key, row[k])
				if row[k] == "*" {
					stars++
				}
			}
		}
		k := strings.Join(key, "|")
		classes[k] = append(classes[k], row[scol])
		return nil
	})
	for k := int64(0); k < p.Table.Rows; k++ {
		if r.Suppressed(k) {
			supp++
		}
	}
	if supp != r.SuppressedRecords || float64(supp) > p.SuppressionLimit*float64(p.Table.Rows)+1e-9 {
		t.Fatalf("case %d: %d rows suppressed, reported %d", i, supp, r.SuppressedRecords)
	}
	allStar := strings.TrimSuffix(strings.Repeat("*|", len(p.QIs)), "|")
	for k, vals := range classes {
		if k == allStar && supp > 0 {
			continue // the suppressed rows (and any class generalised to the root)
		}
		for _, m := range p.Models {
			distinct := map[string]int{}
			for _, v := range vals {
				distinct[v]++
			}
			switch m.Model {
			case modelK:
				if len(vals) < m.K {
					t.Fatalf("case %d: class %s has %d < k=%d records", i, k, len(vals), m.K)
				}
			case modelDistinctL:
				if float64(len(distinct)) < m.L {
					t.Fatalf("case %d: class %s has %d < l distinct values", i, k, len(distinct))
				}
			}
		}
	}
}

// TestTimeLimit checks that a search cut short reports optimal=false and
// still returns a transformation that satisfies its models.
func TestTimeLimit(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	cut := 0
	for i := 0; i < 50; i++ {
		p := randomProblem(rng)
		p.TimeLimit = 1 // nanosecond: stops at the first opportunity
		r, err := Anonymize(context.Background(), p)
		if err != nil {
			if fault.ErrorCode(err) != fault.Unsatisfiable {
				t.Fatal(err)
			}
			continue
		}
		if !r.Optimal {
			cut++
		}
		checkOutput(t, i, p, r)
	}
	if cut == 0 {
		t.Error("no search was cut short by the time limit")
	}
}

// TestPropertySuppressionBounds exercises the bounds used with a
// suppression limit (the down-set bounds of discernibility and Loss, the
// projection pre-check with triples, the descent) against the exhaustive
// oracle, on tables with four or five quasi-identifiers so that triples
// apply.
func TestPropertySuppressionBounds(t *testing.T) {
	rng := rand.New(rand.NewSource(23))
	solved := 0
	for i := 0; i < 400; i++ {
		var p *Problem
		for p == nil || len(p.QIs) < 4 {
			p = randomProblem(rng)
		}
		p.Metric = []string{MetricDM, MetricDMStar, MetricAECS, MetricLoss}[i%4]
		p.SuppressionLimit = []float64{0.02, 0.05, 0.1, 0.2}[rng.Intn(4)]
		r1, err1 := Anonymize(context.Background(), p)
		q := *p
		q.Exhaustive = true
		r2, err2 := Anonymize(context.Background(), &q)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("case %d: search err %v, exhaustive err %v", i, err1, err2)
		}
		if err1 != nil {
			continue
		}
		if r1.InformationLoss != r2.InformationLoss || fmt.Sprint(r1.Transformation) != fmt.Sprint(r2.Transformation) {
			t.Fatalf("case %d (%s, %v, limit %v): search %v at %v, exhaustive %v at %v", i, p.Metric, p.Models, p.SuppressionLimit,
				r1.InformationLoss, r1.Transformation, r2.InformationLoss, r2.Transformation)
		}
		checkOutput(t, i, p, r1)
		solved++
	}
	if solved < 150 {
		t.Errorf("only %d of 400 problems solvable", solved)
	}
}
