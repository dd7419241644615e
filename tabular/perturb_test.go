package tabular

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tokumei/tokumei/dp"
	"github.com/tokumei/tokumei/fault"
)

func seedReader(s byte) *rand.ChaCha8 {
	var k [32]byte
	k[0] = s
	return rand.NewChaCha8(k)
}

func TestRounding(t *testing.T) {
	rows := genRows(5, 700)
	for _, tc := range []struct {
		name     string
		dims     []Dimension
		method   string
		base     int
		additive bool
	}{
		{"random base 3", []Dimension{{Column: "area"}, {Column: "age"}}, "random", 3, false},
		{"random base 10 hierarchical", []Dimension{{Column: "area", Hierarchy: areaHierarchy(), Levels: []int{0, 1}}, {Column: "sex"}}, "random", 10, false},
		{"controlled 2D base 5", []Dimension{{Column: "area"}, {Column: "age"}}, "controlled", 5, true},
		{"controlled 1D base 10", []Dimension{{Column: "age"}}, "controlled", 10, true},
		{"controlled 2D base 3", []Dimension{{Column: "sex"}, {Column: "year"}}, "controlled", 3, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab := build(t, Spec{Dimensions: tc.dims}, rows)
			mean := make([]float64, tab.N)
			const reps = 400
			for rep := 0; rep < reps; rep++ {
				res, err := tab.Round(tc.method, tc.base, seedReader(byte(rep)))
				if err != nil {
					t.Fatal(err)
				}
				if res.Report.Rounding.Additive != tc.additive {
					t.Fatalf("additive = %v", res.Report.Rounding.Additive)
				}
				b := float64(tc.base)
				for c := 0; c < tab.N; c++ {
					v, x := res.Value[c], float64(tab.Count[c])
					if math.Mod(v, b) != 0 || v < math.Floor(x/b)*b || v > math.Ceil(x/b)*b {
						t.Fatalf("cell %v: %g rounds to %g (base %d)", tab.KeyMap(c), x, v, tc.base)
					}
					mean[c] += v / reps
				}
				if tc.additive {
					sums := append([]float64(nil), res.Value...)
					tab.sumUp(sums)
					for c := range sums {
						if sums[c] != res.Value[c] {
							t.Fatalf("controlled rounding not additive at %v: %g vs %g", tab.KeyMap(c), res.Value[c], sums[c])
						}
					}
				}
			}
			// Unbiased: the mean over repetitions is close to the value.
			for c := 0; c < tab.N; c++ {
				sd := float64(tc.base) / 2 / math.Sqrt(reps)
				if d := math.Abs(mean[c] - float64(tab.Count[c])); d > 5*sd {
					t.Errorf("cell %v: mean rounded %.2f vs %d", tab.KeyMap(c), mean[c], tab.Count[c])
				}
			}
		})
	}
	tab := build(t, Spec{Dimensions: []Dimension{{Column: "area"}, {Column: "age"}, {Column: "sex"}}}, rows)
	res, err := tab.Round("controlled", 5, nil)
	if err != nil || len(res.Report.Fallbacks) != 0 || !res.Report.Rounding.Additive || res.Report.Rounding.Solver != "branch-and-bound" {
		t.Errorf("3-D controlled rounding: %v %+v %v", err, res.Report.Rounding, res.Report.Fallbacks)
	}
	if _, err := tab.Round("random", 7, nil); err == nil {
		t.Error("base 7 accepted")
	}
}

func TestCellKeyConsistentAcrossTables(t *testing.T) {
	rows := genRows(6, 2000)
	secret := []byte("s3cret")
	a := build(t, Spec{Dimensions: []Dimension{{Column: "area"}}, CellKeySecret: secret}, rows)
	b := build(t, Spec{Dimensions: []Dimension{{Column: "area"}, {Column: "sex"}}, CellKeySecret: secret}, rows)
	ra, err := a.CellKey(3, 2)
	if err != nil {
		t.Fatal(err)
	}
	rb, _ := b.CellKey(3, 2)
	perturbed := 0
	for c := 0; c < a.N; c++ {
		// The same cell (area x, all sexes) in table b.
		cb := c * b.stride[0]
		if a.KeyMap(c)["area"] != b.KeyMap(cb)["area"] {
			t.Fatalf("cell mismatch %v %v", a.KeyMap(c), b.KeyMap(cb))
		}
		if ra.Value[c] != rb.Value[cb] {
			t.Errorf("cell %v: %g in one table, %g in the other", a.KeyMap(c), ra.Value[c], rb.Value[cb])
		}
		if d := ra.Value[c] - float64(a.Count[c]); math.Abs(d) > 3 {
			t.Errorf("noise %g beyond max", d)
		} else if d != 0 {
			perturbed++
		}
	}
	if perturbed == 0 {
		t.Error("no cell perturbed")
	}
	// Another secret gives other noise somewhere.
	c2 := build(t, Spec{Dimensions: []Dimension{{Column: "area"}, {Column: "sex"}}, CellKeySecret: []byte("other")}, rows)
	r2, _ := c2.CellKey(3, 2)
	same := true
	for c := range r2.Value {
		same = same && r2.Value[c] == rb.Value[c]
	}
	if same {
		t.Error("the secret does not change the noise")
	}
}

func TestPTableMeanZero(t *testing.T) {
	pt := NewPTable(4, 2)
	for i := 1; i <= 4; i++ {
		var mean, prev float64
		for k, c := range pt.cum[i] {
			p := c - prev
			prev = c
			v := k - 4
			if v < -i && p > 1e-15 {
				t.Errorf("value %d may go to %d", i, i+v)
			}
			mean += p * float64(v)
		}
		if math.Abs(mean) > 1e-9 || math.Abs(prev-1) > 1e-9 {
			t.Errorf("value %d: mean %g, total %g", i, mean, prev)
		}
	}
}

func TestDPRelease(t *testing.T) {
	rows := genRows(7, 3000)
	spec := Spec{Dimensions: []Dimension{{Column: "sex", Values: []string{"M", "F"}}, {Column: "age", Values: []string{"a0", "a1", "a2", "a3", "a4"}}},
		Bound: &Bound{Person: "firm", MaxPartitions: 1, MaxRows: 1}}
	tab := build(t, spec, rows)
	if tab.Dropped == 0 {
		t.Fatal("contribution bounding dropped nothing: firms have several rows")
	}
	acct := dp.NewMemoryAccountant(dp.Limit{Scope: dp.Scope{Dataset: "d"}, Epsilon: 1})
	s := &dp.Sampler{Source: seedReader(9)}
	ctx := context.Background()
	res, err := tab.Noise(ctx, DPOptions{Mechanism: "discrete-laplace", Epsilon: 0.6, Sampler: s, Accountant: acct, Charge: dp.Charge{Release: "r1", Dataset: "d"}})
	if err != nil {
		t.Fatal(err)
	}
	sums := append([]float64(nil), res.Value...)
	tab.sumUp(sums)
	diff := 0.0
	for c := range sums {
		if sums[c] != res.Value[c] {
			t.Fatalf("DP release not additive")
		}
		diff += math.Abs(res.Value[c] - float64(tab.Count[c]))
	}
	if diff == 0 || !res.Report.DP.Charged || !res.Report.DP.DeclaredDomain {
		t.Errorf("no noise or no charge: %+v", res.Report.DP)
	}
	// The second release would exceed epsilon 1 for the dataset.
	_, err = tab.Noise(ctx, DPOptions{Mechanism: "discrete-laplace", Epsilon: 0.6, Sampler: s, Accountant: acct, Charge: dp.Charge{Release: "r2", Dataset: "d"}})
	var ferr *fault.Error
	if !errors.As(err, &ferr) || ferr.Code != fault.Conflict {
		t.Errorf("budget overrun: %v", err)
	}
	g, err := tab.Noise(ctx, DPOptions{Mechanism: "discrete-gaussian", Rho: 0.5, Sampler: s})
	if err != nil || g.Report.DP.Scale != "1.000000" {
		t.Errorf("gaussian: %v %+v", err, g.Report.DP)
	}
	// Without bounds: refused.
	nb := build(t, Spec{Dimensions: []Dimension{{Column: "sex"}}}, rows)
	if _, err := nb.Noise(ctx, DPOptions{Mechanism: "discrete-laplace", Epsilon: 1}); err == nil {
		t.Error("DP without bounds accepted")
	}
}
