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

// TestDistinctSets checks when bit sets or capped sets replace the
// histograms: only when every model reading the attribute is distinct-ℓ;
// bit sets for at most maxMaskDomain values, else capped sets with ⌈ℓ⌉ up
// to the cap; otherwise the full histograms are built (the fallback). The
// base classes' sets agree with the full histograms.
func TestDistinctSets(t *testing.T) {
	cases := []struct {
		models []ModelSpec
		capL   int // without bit sets
		mask   bool
	}{
		{[]ModelSpec{{Model: modelK, K: 5}, {Model: modelDistinctL, Attribute: "s", L: 3}}, 3, true},
		{[]ModelSpec{{Model: modelDistinctL, Attribute: "s", L: 2.5}}, 3, true},
		{[]ModelSpec{{Model: modelDistinctL, Attribute: "s", L: 2}, {Model: modelDistinctL, Attribute: "s", L: 4}}, 4, true},
		{[]ModelSpec{{Model: modelDistinctL, Attribute: "s", L: 8}}, 8, true},
		{[]ModelSpec{{Model: modelDistinctL, Attribute: "s", L: 9}}, 0, true}, // larger than the cap
		{[]ModelSpec{{Model: modelDistinctL, Attribute: "s", L: 2}, {Model: modelEntropyL, Attribute: "s", L: 2}}, 0, false},
		{[]ModelSpec{{Model: modelDistinctL, Attribute: "s", L: 2}, {Model: modelEqualT, Attribute: "s", T: 0.5}}, 0, false},
		{[]ModelSpec{{Model: modelRecursiveCL, Attribute: "s", L: 2, C: 3}}, 0, false},
	}
	defer func(d int) { maxMaskDomain = d }(maxMaskDomain)
	for i, c := range cases {
		for _, masks := range []bool{true, false} {
			maxMaskDomain = 64
			if !masks {
				maxMaskDomain = 0
			}
			p := randomProblem(rand.New(rand.NewSource(int64(i))))
			p.Models = c.models
			e, err := p.compile()
			if err != nil {
				t.Fatal(err)
			}
			w := &worker{}
			if err := e.buildBase(w); err != nil {
				t.Fatal(err)
			}
			h := &e.base.hist[0]
			wantMask, wantCap := c.mask && masks, c.capL
			if wantMask {
				wantCap = 0
			}
			if h.masked != wantMask || h.capL != wantCap {
				t.Errorf("case %d %v, bit sets allowed %v: masked %v capL %d, want %v %d", i, c.models, masks, h.masked, h.capL, wantMask, wantCap)
			}
			full := rowHist(e.rowClass, e.base.classes(), e.sens[0].col.Codes, nil, len(e.sens[0].col.Dict))
			for j := 0; j < e.base.classes(); j++ {
				want := distinct(&full, j)
				if wantCap > 0 {
					want = min(want, wantCap)
				}
				if distinct(h, j) != want {
					t.Fatalf("case %d class %d: %d distinct, want %d", i, j, distinct(h, j), want)
				}
			}
		}
	}
}

func TestMergeMasks(t *testing.T) {
	src := histo{masked: true, mask: []uint64{0b0011, 0, 0b0110, 1 << 63, 0b1000}}
	out := (&worker{}).mergeHist(&src, []int32{0, 1, 0, 1, 2}, 3, 64)
	if !out.masked || fmt.Sprint(out.mask) != fmt.Sprint([]uint64{0b0111, 1 << 63, 0b1000}) {
		t.Fatalf("merged %v %b", out.masked, out.mask)
	}
	for j, want := range []int{3, 1, 1} {
		if distinct(&out, j) != want {
			t.Errorf("class %d: %d distinct, want %d", j, distinct(&out, j), want)
		}
	}
}

// TestDistinctCappedEqualsFull runs random distinct-ℓ problems with bit
// sets, capped sets and full histograms: the search must take the same
// path to the same result.
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
		r1, err1 := Anonymize(context.Background(), p) // bit sets
		maxMaskDomain = 0
		r2, err2 := Anonymize(context.Background(), p) // capped sets
		maxDistinctCap = 0
		r3, err3 := Anonymize(context.Background(), p) // full histograms
		maxMaskDomain, maxDistinctCap = 64, 8
		if (err1 == nil) != (err3 == nil) || (err2 == nil) != (err3 == nil) {
			t.Fatalf("case %d: bit sets err %v, capped err %v, full err %v", i, err1, err2, err3)
		}
		if err1 != nil {
			continue
		}
		if !r1.e.base.hist[0].masked || r2.e.base.hist[0].capL == 0 || r3.e.base.hist[0].capL != 0 || r3.e.base.hist[0].masked {
			t.Fatalf("case %d: bit sets or capped sets not used (or not disabled)", i)
		}
		say := func(r *Result) string {
			return fmt.Sprint(r.InformationLoss, r.Transformation, r.NodesChecked, r.SuppressedRecords, r.EquivalenceClasses)
		}
		if say(r1) != say(r3) || say(r2) != say(r3) {
			t.Fatalf("case %d (%v, limit %v): bit sets %s, capped %s, full %s", i, p.Models, p.SuppressionLimit, say(r1), say(r2), say(r3))
		}
		checkOutput(t, i, p, r1)
		checkOutput(t, i, p, r2)
		solved++
	}
	if solved < 60 {
		t.Errorf("only %d of 200 problems solvable", solved)
	}
}
