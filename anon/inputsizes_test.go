package anon

import (
	"context"
	"slices"
	"testing"
)

// The input's class sizes are those of the data as it is, also when a
// quasi-identifier may not stay at level 0 (min_level 1) and the lattice
// starts above it.
func TestInputClassSizesWithMinLevel(t *testing.T) {
	rows := [][]string{{"a", "1"}, {"a", "1"}, {"b", "1"}, {"c", "2"}, {"c", "2"}, {"c", "2"}, {"d", "3"}}
	for _, minL := range []int{0, 1} {
		p := Problem{Table: smallTable(t, rows), Models: []ModelSpec{{Model: modelK, K: 2}}, SuppressionLimit: 0.5,
			QIs: []QI{{Name: "q", Hierarchy: qHier, MinLevel: minL, MaxLevel: -1}}}
		r, err := Anonymize(context.Background(), &p)
		if err != nil {
			t.Fatalf("min level %d: %v", minL, err)
		}
		if r.Transformation[0] < minL {
			t.Errorf("min level %d: transformation level %d", minL, r.Transformation[0])
		}
		got := r.InputClassSizes()
		slices.Sort(got)
		// a:2 b:1 c:3 d:1, recounted by hand from rows.
		if want := []int64{1, 1, 2, 3}; !slices.Equal(got, want) {
			t.Errorf("min level %d: input class sizes %v, want %v", minL, got, want)
		}
	}
}
