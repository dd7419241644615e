package dp

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sync"
	"time"
)

// Scope names what a budget protects: one dataset (source file) or one
// population (the persons behind it, possibly across datasets). An empty
// field matches nothing.
type Scope struct {
	Dataset    string `json:"dataset,omitempty"`
	Population string `json:"population,omitempty"`
}

// Charge is one release's privacy cost, as written in the ledger.
type Charge struct {
	Release    string    `json:"release"`
	Dataset    string    `json:"dataset"`
	Population string    `json:"population"`
	Mechanism  string    `json:"mechanism"`
	Epsilon    float64   `json:"epsilon,omitempty"` // pure DP
	Rho        float64   `json:"rho,omitempty"`     // zCDP
	At         time.Time `json:"at"`
	Note       string    `json:"note,omitempty"`
}

// Limit is the total budget of a scope, as approximate DP (epsilon, delta).
// With Delta = 0 only pure-DP charges may be made.
type Limit struct {
	Scope   Scope   `json:"scope"`
	Epsilon float64 `json:"epsilon"`
	Delta   float64 `json:"delta"`
}

// Spent is the composed cost of the charges of one scope.
type Spent struct {
	Epsilon float64 `json:"epsilon"` // sum of pure-DP charges
	Rho     float64 `json:"rho"`     // sum of zCDP charges
	Charges int     `json:"charges"`
}

// ApproxEpsilon converts the spending to (epsilon, delta)-DP by basic
// composition of the pure part with the zCDP part converted by Bun–Steinke
// Prop. 1.3: rho + 2 sqrt(rho ln(1/delta)). It is +Inf when rho > 0 and
// delta = 0.
func (s Spent) ApproxEpsilon(delta float64) float64 {
	if s.Rho == 0 {
		return s.Epsilon
	}
	if delta <= 0 {
		return math.Inf(1)
	}
	return s.Epsilon + s.Rho + 2*math.Sqrt(s.Rho*math.Log(1/delta))
}

// Accountant keeps the privacy ledger. The platform persists it (it is a
// JSON document); MemoryAccountant is the in-process implementation.
type Accountant interface {
	// Spend records c unless it would exceed the limit of its dataset or of
	// its population; then it returns a *BudgetError and records nothing.
	Spend(ctx context.Context, c Charge) error
	// Spent returns the composed cost of the charges matching scope.
	Spent(ctx context.Context, scope Scope) (Spent, error)
}

// BudgetError reports a charge refused for lack of budget.
type BudgetError struct {
	Scope     Scope
	Limit     float64
	WouldHave float64
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("dp: privacy budget exceeded for %+v: limit epsilon %.4g, would be %.4g",
		e.Scope, e.Limit, e.WouldHave)
}

// Ledger is the serialisable state of an accountant.
type Ledger struct {
	Limits  []Limit  `json:"limits"`
	Charges []Charge `json:"charges"`
}

// MemoryAccountant is an Accountant over an in-memory Ledger, safe for
// concurrent use. Marshal it with JSON to persist; Load to restore.
type MemoryAccountant struct {
	mu     sync.Mutex
	ledger Ledger
}

// NewMemoryAccountant returns an accountant with the given limits.
func NewMemoryAccountant(limits ...Limit) *MemoryAccountant {
	return &MemoryAccountant{ledger: Ledger{Limits: limits}}
}

// LoadLedger restores an accountant from its JSON ledger.
func LoadLedger(data []byte) (*MemoryAccountant, error) {
	var l Ledger
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("dp: bad ledger: %w", err)
	}
	return &MemoryAccountant{ledger: l}, nil
}

// MarshalJSON writes the ledger.
func (a *MemoryAccountant) MarshalJSON() ([]byte, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return json.Marshal(a.ledger)
}

// matches reports whether charge c counts against scope s: same dataset,
// same population, or both when the scope names both.
func matches(s Scope, c Charge) bool {
	if s.Dataset != "" && s.Population != "" {
		return c.Dataset == s.Dataset && c.Population == s.Population
	}
	return (s.Dataset != "" && s.Dataset == c.Dataset) || (s.Population != "" && s.Population == c.Population)
}

func sum(charges []Charge, s Scope) Spent {
	var sp Spent
	for _, c := range charges {
		if !matches(s, c) {
			continue
		}
		sp.Epsilon += c.Epsilon
		sp.Rho += c.Rho
		sp.Charges++
	}
	return sp
}

// Spend implements Accountant.
func (a *MemoryAccountant) Spend(_ context.Context, c Charge) error {
	if c.Epsilon < 0 || c.Rho < 0 || math.IsNaN(c.Epsilon) || math.IsNaN(c.Rho) {
		return fmt.Errorf("%w: negative cost", ErrParameter)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	trial := append(append([]Charge(nil), a.ledger.Charges...), c)
	for _, l := range a.ledger.Limits {
		if !matches(l.Scope, c) {
			continue
		}
		if got := sum(trial, l.Scope).ApproxEpsilon(l.Delta); got > l.Epsilon*(1+1e-12) {
			return &BudgetError{Scope: l.Scope, Limit: l.Epsilon, WouldHave: got}
		}
	}
	if c.At.IsZero() {
		c.At = time.Now().UTC()
	}
	a.ledger.Charges = append(a.ledger.Charges, c)
	return nil
}

// Spent implements Accountant.
func (a *MemoryAccountant) Spent(_ context.Context, s Scope) (Spent, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return sum(a.ledger.Charges, s), nil
}
