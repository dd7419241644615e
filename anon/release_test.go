package anon

import (
	"context"
	"reflect"
	"slices"
	"testing"
)

// With ReleaseQICodes the engine frees the quasi-identifiers' row codes
// after grouping; the output rows, the suppressed rows and the input class
// sizes must be the same as without.
func TestReleaseQICodesSameOutput(t *testing.T) {
	rows := [][]string{{"a", "1"}, {"a", "1"}, {"b", "1"}, {"c", "2"}, {"c", "2"}, {"c", "2"}, {"d", "3"}, {"b", "2"}}
	for _, minL := range []int{0, 1} {
		for _, remove := range []bool{false, true} {
			var outs [2][][]string
			var sizes [2][]int64
			var supp [2][]bool
			for i, release := range []bool{false, true} {
				tab := smallTable(t, rows)
				tab.ReleaseQICodes = release
				p := Problem{Table: tab, Models: []ModelSpec{{Model: modelK, K: 2}}, SuppressionLimit: 0.3,
					QIs: []QI{{Name: "q", Hierarchy: qHier, MinLevel: minL, MaxLevel: -1}}}
				r, err := Anonymize(context.Background(), &p)
				if err != nil {
					t.Fatal(err)
				}
				if got := tab.Column("q").Codes == nil; got != release {
					t.Errorf("release=%v: codes freed = %v", release, got)
				}
				r.EachOutputRow(OutputOptions{RemoveSuppressed: remove}, func(row []string) error {
					outs[i] = append(outs[i], slices.Clone(row))
					return nil
				})
				for row := int64(0); row < tab.Rows; row++ {
					supp[i] = append(supp[i], r.Suppressed(row))
				}
				sizes[i] = r.InputClassSizes()
				slices.Sort(sizes[i])
			}
			if !reflect.DeepEqual(outs[0], outs[1]) || !reflect.DeepEqual(supp[0], supp[1]) {
				t.Errorf("min level %d, remove %v: output %v / %v, suppressed %v / %v", minL, remove, outs[0], outs[1], supp[0], supp[1])
			}
			// a:2 b:2 c:3 d:1 on the values as they are.
			if want := []int64{1, 2, 2, 3}; !slices.Equal(sizes[0], want) || !slices.Equal(sizes[1], want) {
				t.Errorf("min level %d: input class sizes %v / %v, want %v", minL, sizes[0], sizes[1], want)
			}
			if len(outs[0]) == 0 || (!remove && len(outs[0]) != len(rows)) {
				t.Errorf("min level %d remove %v: %d output rows", minL, remove, len(outs[0]))
			}
		}
	}
}
