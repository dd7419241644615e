package tabular

import (
	"fmt"
	"math"

	"github.com/tokumei/tokumei/fault"
)

// Rule is one primary sensitivity rule (一次秘匿の基準).
type Rule struct {
	Rule string  `json:"rule"`          // threshold, dominance, p-percent
	Min  int     `json:"min,omitempty"` // threshold: cells with fewer contributors are unsafe
	N    int     `json:"n,omitempty"`   // dominance: the n largest contributors ...
	K    float64 `json:"k,omitempty"`   // ... make up more than k% of the cell
	P    float64 `json:"p,omitempty"`   // p%: the runner-up estimates the largest within p%
	// Range is the safety range of the threshold rule on magnitude tables,
	// in percent of the cell value (default 10).
	Range float64 `json:"range,omitempty"`
}

// Zeros says how empty cells are treated.
type Zeros struct {
	Unsafe       bool // empty cells are primary (e.g. when absence discloses)
	UseSecondary bool // empty cells may be suppressed as secondary cells
}

// Status of a published cell, as written in the JSON output.
type Status uint8

// Cell statuses.
const (
	Safe Status = iota
	Total
	Primary
	Secondary
)

func (s Status) String() string {
	return [...]string{"safe", "total", "primary", "secondary"}[s]
}

// MarshalText writes the status name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Protection is the required protection of a primary cell: the attacker's
// interval must reach at least Value+Up and at most Value-Down.
type Protection struct {
	Up, Down float64
	Rule     string
}

// CheckRules validates rules against the table measure and sets TopN.
func CheckRules(rules []Rule, spec *Spec) error {
	for i, r := range rules {
		field := fmt.Sprintf("protection.rules[%d]", i)
		switch r.Rule {
		case "threshold":
			if r.Min < 1 {
				return fault.Errorf(fault.Invalid, "threshold rule needs min >= 1").In(field)
			}
		case "dominance":
			if r.N < 1 || r.N > 10 || !(r.K > 0 && r.K < 100) {
				return fault.Errorf(fault.Invalid, "dominance rule needs 1 <= n <= 10 and 0 < k < 100").In(field)
			}
			if spec.Measure.Type == "count" || spec.Measure.Type == "" {
				return fault.Errorf(fault.Invalid, "the dominance rule applies to sums and means, not counts").In(field)
			}
			spec.TopN = max(spec.TopN, r.N)
		case "p-percent":
			if !(r.P > 0 && r.P < 100) {
				return fault.Errorf(fault.Invalid, "p-percent rule needs 0 < p < 100").In(field)
			}
			if spec.Measure.Type == "count" || spec.Measure.Type == "" {
				return fault.Errorf(fault.Invalid, "the p%% rule applies to sums and means, not counts").In(field)
			}
			spec.TopN = max(spec.TopN, 2)
		default:
			return fault.Errorf(fault.Invalid, "unknown rule %q (threshold, dominance, p-percent)", r.Rule).In(field)
		}
	}
	return nil
}

// contributors returns the number of contributors of cell c: rows, or
// distinct contributors when a contributor column is set (then bounded
// below by the non-empty top entries).
func (t *Table) contributors(c int) int64 {
	if t.ncont != nil {
		return t.ncont[c]
	}
	return t.Count[c]
}

// primary evaluates the rules on cell c and returns whether it is unsafe
// and its required protection.
func (t *Table) primary(c int, rules []Rule, z Zeros) (bool, Protection) {
	x := t.Magnitude(c)
	if t.Count[c] == 0 {
		if z.Unsafe {
			return true, Protection{Up: 1, Rule: "zero"}
		}
		return false, Protection{}
	}
	var p Protection
	unsafe := false
	set := func(up, down float64, rule string) {
		unsafe = true
		if up > p.Up || down > p.Down {
			p.Rule = rule
		}
		p.Up, p.Down = math.Max(p.Up, up), math.Max(p.Down, down)
	}
	for _, r := range rules {
		switch r.Rule {
		case "threshold":
			n := t.contributors(c)
			if n >= int64(r.Min) {
				continue
			}
			if t.Sum == nil {
				set(float64(int64(r.Min)-n), 0, "threshold")
			} else {
				rg := r.Range
				if rg == 0 {
					rg = 10
				}
				w := math.Max(math.Abs(x)*rg/100, 1)
				set(w, w, "threshold")
			}
		case "dominance":
			var tn float64
			for i := 0; i < r.N; i++ {
				tn += t.Top(c, i)
			}
			if tn > r.K/100*x*(1+1e-12) {
				w := math.Max(tn*100/r.K-x, 1e-9)
				set(w, w, "dominance")
			}
		case "p-percent":
			x1, x2 := t.Top(c, 0), t.Top(c, 1)
			rest := x - x1 - x2
			if rest < r.P/100*x1*(1-1e-12) {
				w := math.Max(r.P/100*x1-rest, 1e-9)
				set(w, w, "p-percent")
			}
		}
	}
	return unsafe, p
}
