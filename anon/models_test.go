package anon

import (
	"context"
	"testing"
)

func smallTable(t *testing.T, rows [][]string) *Table {
	b, err := NewTableBuilder([]string{"q", "s"}, "t.csv")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if err := b.Append(r, int64(i+2)); err != nil {
			t.Fatal(err)
		}
	}
	return b.Build()
}

var qHier = &Hierarchy{Source: "h", Rows: [][]string{{"a", "ab", "*"}, {"b", "ab", "*"}, {"c", "cd", "*"}, {"d", "cd", "*"}}}

// TestKMapAndDeltaPresence checks the two population-based models on a
// table small enough to work out by hand.
func TestKMapAndDeltaPresence(t *testing.T) {
	tab := smallTable(t, [][]string{{"a", "1"}, {"b", "1"}, {"c", "2"}, {"d", "2"}, {"d", "3"}})
	popTab := smallTable(t, [][]string{{"a", ""}, {"b", ""}, {"c", ""}, {"d", ""}})
	cases := []struct {
		name   string
		p      Problem
		levels int
		supp   int64
		rows   int
	}{
		// population a:3 b:1 c:10 d:10 → k-map 3 holds for a, c, d at level 0; b needs "ab" (4)
		{"k-map, no suppression", Problem{Models: []ModelSpec{{Model: modelKMap, K: 3}},
			Population: &Population{Table: popTab, Counts: []int64{3, 1, 10, 10}}}, 1, 0, 5},
		{"k-map, one suppressed", Problem{Models: []ModelSpec{{Model: modelKMap, K: 3}}, SuppressionLimit: 0.2,
			Population: &Population{Table: popTab, Counts: []int64{3, 1, 10, 10}}}, 0, 1, 5},
		// subset rows 0, 2, 3: level 0 gives δ = 1 for a and c and 1/2 for d; δ ≤ 0.6 needs level 1 (ab: 1/2, cd: 2/3)…
		// and level 2 (*: 3/5).
		{"delta-presence", Problem{Models: []ModelSpec{{Model: modelDeltaPresence, DeltaMin: 0, DeltaMax: 0.6}},
			Subset: []bool{true, false, true, true, false}}, 2, 0, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := c.p
			p.Table = tab
			p.QIs = []QI{{Name: "q", Hierarchy: qHier, MaxLevel: -1}}
			r, err := Anonymize(context.Background(), &p)
			if err != nil {
				t.Fatal(err)
			}
			if r.Transformation[0] != c.levels || r.SuppressedRecords != c.supp {
				t.Errorf("level %d, %d suppressed; want %d, %d", r.Transformation[0], r.SuppressedRecords, c.levels, c.supp)
			}
			n := 0
			r.EachOutputRow(OutputOptions{}, func([]string) error { n++; return nil })
			if n != c.rows {
				t.Errorf("%d output rows, want %d", n, c.rows)
			}
		})
	}
}

// TestDiversityAndCloseness checks ℓ-diversity and t-closeness decisions
// against hand-computed values.
func TestDiversityAndCloseness(t *testing.T) {
	// at level 0: a:{1,1} b:{2} c:{1,2} d:{3}; at level 1: ab:{1,1,2} cd:{1,2,3}
	tab := smallTable(t, [][]string{{"a", "1"}, {"a", "1"}, {"b", "2"}, {"c", "1"}, {"c", "2"}, {"d", "3"}})
	cases := []struct {
		name  string
		m     ModelSpec
		level int
	}{
		{"distinct-l 2", ModelSpec{Model: modelDistinctL, Attribute: "s", L: 2}, 1},
		{"distinct-l 3", ModelSpec{Model: modelDistinctL, Attribute: "s", L: 3}, 2},
		{"entropy-l 1.9", ModelSpec{Model: modelEntropyL, Attribute: "s", L: 1.9}, 2},          // ab: H = 0.637 < ln 1.9 = 0.642
		{"recursive (2,2)", ModelSpec{Model: modelRecursiveCL, Attribute: "s", L: 2, C: 2}, 2}, // ab: r1=2 < 2·r2=2 fails; *: 3 < 2·(2+1)
		{"equal-t 0.5", ModelSpec{Model: modelEqualT, Attribute: "s", T: 0.5}, 1},              // ab: ½(|2/3−1/2|+|1/3−1/3|+|0−1/6|) = 1/6
		{"equal-t 0.1", ModelSpec{Model: modelEqualT, Attribute: "s", T: 0.1}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &Problem{Table: tab, QIs: []QI{{Name: "q", Hierarchy: qHier, MaxLevel: -1}}, Models: []ModelSpec{c.m}}
			r, err := Anonymize(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if r.Transformation[0] != c.level {
				t.Errorf("level %d, want %d", r.Transformation[0], c.level)
			}
		})
	}
}
