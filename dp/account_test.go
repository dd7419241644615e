package dp

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"testing"
)

func TestAccountantLimits(t *testing.T) {
	ctx := context.Background()
	a := NewMemoryAccountant(
		Limit{Scope: Scope{Dataset: "d1"}, Epsilon: 1.0},
		Limit{Scope: Scope{Population: "city-A"}, Epsilon: 1.5, Delta: 1e-6},
	)
	steps := []struct {
		c    Charge
		fail bool
	}{
		{Charge{Release: "r1", Dataset: "d1", Population: "city-A", Mechanism: MechLaplace, Epsilon: 0.6}, false},
		{Charge{Release: "r2", Dataset: "d1", Population: "city-A", Mechanism: MechLaplace, Epsilon: 0.5}, true}, // d1 > 1
		{Charge{Release: "r3", Dataset: "d2", Population: "city-A", Mechanism: MechLaplace, Epsilon: 0.8}, false},
		{Charge{Release: "r4", Dataset: "d2", Population: "city-A", Mechanism: MechLaplace, Epsilon: 0.2}, true}, // city-A > 1.5
		{Charge{Release: "r5", Dataset: "d3", Population: "city-B", Mechanism: MechGaussian, Rho: 5}, false},     // no limit
		{Charge{Release: "r6", Dataset: "d1", Population: "city-B", Mechanism: MechGaussian, Rho: 0.01}, true},   // pure-only limit on d1
	}
	for i, s := range steps {
		err := a.Spend(ctx, s.c)
		var be *BudgetError
		if s.fail != errors.As(err, &be) {
			t.Fatalf("step %d (%s): err = %v, want failure %v", i, s.c.Release, err, s.fail)
		}
	}
	sp, _ := a.Spent(ctx, Scope{Population: "city-A"})
	if sp.Charges != 2 || math.Abs(sp.Epsilon-1.4) > 1e-12 {
		t.Errorf("city-A spent %+v, want 2 charges, epsilon 1.4", sp)
	}
	// The ledger round-trips through JSON and keeps enforcing.
	data, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadLedger(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Spend(ctx, Charge{Release: "r7", Dataset: "d1", Epsilon: 0.5}); err == nil {
		t.Error("restored ledger forgot the spending of d1")
	}
	if err := b.Spend(ctx, Charge{Release: "r8", Dataset: "d1", Epsilon: 0.4}); err != nil {
		t.Errorf("0.6+0.4 = 1.0 refused: %v", err)
	}
}

func TestApproxEpsilon(t *testing.T) {
	s := Spent{Epsilon: 0.5, Rho: 0.02}
	want := 0.5 + 0.02 + 2*math.Sqrt(0.02*math.Log(1e6))
	if got := s.ApproxEpsilon(1e-6); math.Abs(got-want) > 1e-12 {
		t.Errorf("got %v want %v", got, want)
	}
	if !math.IsInf(s.ApproxEpsilon(0), 1) {
		t.Error("zCDP with delta 0 must be infinite")
	}
}
