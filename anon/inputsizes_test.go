package anon

import (
	"context"
	"slices"
	"testing"
)

// The input's class sizes are those of the data as it is, also when a
// quasi-identifier may not stay at level 0 (min_level 1, or a floor raised
// without a suppression limit: b and d have one record each) and the
// lattice starts above it, and when the engine releases the rows' codes
// (the pipeline: the sizes are counted before).
func TestInputClassSizesWithMinLevel(t *testing.T) {
	rows := [][]string{{"a", "1"}, {"a", "1"}, {"b", "1"}, {"c", "2"}, {"c", "2"}, {"c", "2"}, {"d", "3"}}
	for _, c := range []struct {
		minL  int
		limit float64
	}{{0, 0.5}, {1, 0.5}, {0, 0}} {
		for _, release := range []bool{false, true} {
			tab := smallTable(t, rows)
			tab.ReleaseQICodes = release
			p := Problem{Table: tab, Models: []ModelSpec{{Model: modelK, K: 2}}, SuppressionLimit: c.limit,
				QIs: []QI{{Name: "q", Hierarchy: qHier, MinLevel: c.minL, MaxLevel: -1}}}
			r, err := Anonymize(context.Background(), &p)
			if err != nil {
				t.Fatalf("%+v: %v", c, err)
			}
			if r.Transformation[0] < c.minL || (c.limit == 0 && r.Transformation[0] == 0) {
				t.Errorf("%+v: transformation level %d", c, r.Transformation[0])
			}
			got := r.InputClassSizes()
			slices.Sort(got)
			// a:2 b:1 c:3 d:1, recounted by hand from rows.
			if want := []int64{1, 1, 2, 3}; !slices.Equal(got, want) {
				t.Errorf("%+v, codes released %v: input class sizes %v, want %v", c, release, got, want)
			}
		}
	}
}
