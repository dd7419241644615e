package anon

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSpeculationDeterministic: with speculative checks every reference
// case makes exactly the sequential search's checks and finds the same
// transformation; several runs roll up the same source classes.
func TestSpeculationDeterministic(t *testing.T) {
	dir, cases := loadCases(t)
	defer func() { specOn = true }()
	for _, c := range cases {
		name := strings.TrimSuffix(filepath.Base(c.Dataset), ".csv") + "/" + c.Case
		p := refProblem(t, dir, c)
		specOn = false
		seq, err := Anonymize(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		specOn = true
		rolled := int64(-1)
		for run := 0; run < 3; run++ {
			r, err := Anonymize(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if r.NodesChecked != seq.NodesChecked || !slices.Equal(r.Transformation, seq.Transformation) ||
				r.InformationLoss != seq.InformationLoss || r.SuppressedRecords != seq.SuppressedRecords {
				t.Errorf("%s run %d: checked %d, %v, loss %v, suppressed %d; sequential %d, %v, %v, %d", name, run,
					r.NodesChecked, r.Transformation, r.InformationLoss, r.SuppressedRecords,
					seq.NodesChecked, seq.Transformation, seq.InformationLoss, seq.SuppressedRecords)
			}
			if rolled >= 0 && r.rolled != rolled { // the sources are chosen at fixed points
				t.Errorf("%s run %d: rolled %d, before %d", name, run, r.rolled, rolled)
			}
			rolled = r.rolled
		}
	}
}
