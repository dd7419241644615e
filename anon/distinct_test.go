package anon

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"testing"
)

// capped makes a histo of capped sets of L values from per-class values.
func capped(L int, classes ...[]uint32) histo {
	h := histo{capL: L, set: make([]uint32, len(classes)*L), nset: make([]uint8, len(classes))}
	for j, vs := range classes {
		h.addDistinct(j, vs)
	}
	return h
}

func setOf(h *histo, j int) []uint32 {
	return h.set[j*h.capL : j*h.capL+int(h.nset[j])]
}

func TestMergeDistinct(t *testing.T) {
	cases := []struct {
		name string
		L    int
		src  [][]uint32
		ids  []int32
		nc   int
		want [][]uint32
	}{
		{"union without duplicates", 3, [][]uint32{{1}, {1, 2}, {4}}, []int32{0, 0, 0}, 1, [][]uint32{{1, 2, 4}}},
		{"saturated stops at L", 2, [][]uint32{{5}, {6, 7}, {8}}, []int32{0, 0, 0}, 1, [][]uint32{{5, 6}}},
		{"empty source classes", 3, [][]uint32{{}, {3}, {}}, []int32{1, 0, 1}, 2, [][]uint32{{3}, {}}},
		{"classes kept apart", 3, [][]uint32{{1, 2}, {2, 3}, {1}, {9}}, []int32{0, 1, 1, 0}, 2, [][]uint32{{1, 2, 9}, {2, 3, 1}}},
		{"L = 1", 1, [][]uint32{{4}, {7}}, []int32{0, 0}, 1, [][]uint32{{4}}},
		{"values shared by sets counted once", 4, [][]uint32{{1, 2, 3}, {3, 2, 1}}, []int32{0, 0}, 1, [][]uint32{{1, 2, 3}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := capped(c.L, c.src...)
			w := &worker{}
			out := w.mergeHist(&src, c.ids, c.nc, 10)
			if out.capL != c.L || len(out.nset) != c.nc {
				t.Fatalf("capL %d, %d classes; want %d, %d", out.capL, len(out.nset), c.L, c.nc)
			}
			for j, want := range c.want {
				if got := setOf(&out, j); !slices.Equal(got, want) {
					t.Errorf("class %d: %v, want %v", j, got, want)
				}
				if distinct(&out, j) != len(want) {
					t.Errorf("class %d: distinct %d, want %d", j, distinct(&out, j), len(want))
				}
			}
		})
	}
}

// TestDistinctCap checks when the capped sets replace the histograms: only
// when every model reading the attribute is distinct-ℓ with ⌈ℓ⌉ up to the
// cap; otherwise the full histograms are built (the fallback).
func TestDistinctCap(t *testing.T) {
	cases := []struct {
		models []ModelSpec
		want   int
	}{
		{[]ModelSpec{{Model: modelK, K: 5}, {Model: modelDistinctL, Attribute: "s", L: 3}}, 3},
		{[]ModelSpec{{Model: modelDistinctL, Attribute: "s", L: 2.5}}, 3},
		{[]ModelSpec{{Model: modelDistinctL, Attribute: "s", L: 2}, {Model: modelDistinctL, Attribute: "s", L: 4}}, 4},
		{[]ModelSpec{{Model: modelDistinctL, Attribute: "s", L: 8}}, 8},
		{[]ModelSpec{{Model: modelDistinctL, Attribute: "s", L: 9}}, 0}, // larger than the cap
		{[]ModelSpec{{Model: modelDistinctL, Attribute: "s", L: 2}, {Model: modelEntropyL, Attribute: "s", L: 2}}, 0},
		{[]ModelSpec{{Model: modelDistinctL, Attribute: "s", L: 2}, {Model: modelEqualT, Attribute: "s", T: 0.5}}, 0},
		{[]ModelSpec{{Model: modelRecursiveCL, Attribute: "s", L: 2, C: 3}}, 0},
	}
	for i, c := range cases {
		p := randomProblem(rand.New(rand.NewSource(int64(i))))
		p.Models = c.models
		e, err := p.compile()
		if err != nil {
			t.Fatal(err)
		}
		if got := e.distinctCap(0); got != c.want {
			t.Errorf("case %d %v: cap %d, want %d", i, c.models, got, c.want)
		}
		w := &worker{}
		if err := e.buildBase(w); err != nil {
			t.Fatal(err)
		}
		if got := e.base.hist[0].capL; got != c.want {
			t.Errorf("case %d: base histograms capped at %d, want %d", i, got, c.want)
		}
		// the base sets agree with the full histograms
		full := rowHist(e.rowClass, e.base.classes(), e.sens[0].col.Codes, nil, len(e.sens[0].col.Dict))
		for j := 0; j < e.base.classes(); j++ {
			want := distinct(&full, j)
			if c.want > 0 {
				want = min(want, c.want)
			}
			if distinct(&e.base.hist[0], j) != want {
				t.Fatalf("case %d class %d: %d distinct, want %d", i, j, distinct(&e.base.hist[0], j), want)
			}
		}
	}
}

// TestDistinctCappedEqualsFull runs random distinct-ℓ problems with and
// without capped sets: the search must take the same path to the same
// result.
func TestDistinctCappedEqualsFull(t *testing.T) {
	rng := rand.New(rand.NewSource(31))
	solved := 0
	for i := 0; i < 200; i++ {
		p := randomProblem(rng)
		p.Models = []ModelSpec{{Model: modelK, K: 2 + rng.Intn(3)},
			{Model: modelDistinctL, Attribute: "s", L: []float64{2, 2.5, 3, 4}[rng.Intn(4)]}}
		if rng.Intn(4) == 0 {
			p.Models = p.Models[1:]
		}
		r1, err1 := Anonymize(context.Background(), p)
		saved := maxDistinctCap
		maxDistinctCap = 0
		r2, err2 := Anonymize(context.Background(), p)
		maxDistinctCap = saved
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("case %d: capped err %v, full err %v", i, err1, err2)
		}
		if err1 != nil {
			continue
		}
		if r1.e.base.hist[0].capL == 0 || r2.e.base.hist[0].capL != 0 {
			t.Fatalf("case %d: capped sets not used (or not disabled)", i)
		}
		a := fmt.Sprint(r1.InformationLoss, r1.Transformation, r1.NodesChecked, r1.SuppressedRecords, r1.EquivalenceClasses)
		b := fmt.Sprint(r2.InformationLoss, r2.Transformation, r2.NodesChecked, r2.SuppressedRecords, r2.EquivalenceClasses)
		if a != b {
			t.Fatalf("case %d (%v, limit %v): capped %s, full %s", i, p.Models, p.SuppressionLimit, a, b)
		}
		checkOutput(t, i, p, r1)
		solved++
	}
	if solved < 60 {
		t.Errorf("only %d of 200 problems solvable", solved)
	}
}
