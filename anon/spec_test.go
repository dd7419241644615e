package anon

import (
	"encoding/json"
	"fmt"
	"testing"
)

// TestParseSpecRisk checks that a spec with a risk block (tokumei risk)
// is accepted and the block kept, while other unknown keys stay errors.
func TestParseSpecRisk(t *testing.T) {
	const base = `{"input": {"path": "in.csv"},
 "attributes": [{"name": "age", "type": "quasi", "hierarchy": {"builder": "interval", "widths": [10]}}],
 "privacy": [{"model": "k-anonymity", "k": 2}], "suppression_limit": 0,
 "output": {"path": "out.csv"}%s}`
	cases := []struct {
		name, extra string
		ok          bool
		risk        string
	}{
		{"no risk", "", true, ""},
		{"risk", `, "risk": {"population": 188000, "threshold": 0.2, "missing": "own-category"}`, true, "188000"},
		{"unknown key", `, "riskx": {}`, false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := ParseSpec([]byte(fmt.Sprintf(base, c.extra)), "job.json", ".")
			if (err == nil) != c.ok {
				t.Fatalf("ParseSpec error = %v, want ok %v", err, c.ok)
			}
			if !c.ok {
				return
			}
			if c.risk == "" {
				if s.Risk != nil {
					t.Fatalf("Risk = %s, want none", s.Risk)
				}
				return
			}
			var r struct{ Population json.Number }
			if err := json.Unmarshal(s.Risk, &r); err != nil || r.Population.String() != c.risk {
				t.Fatalf("Risk = %s (%v), want population %s", s.Risk, err, c.risk)
			}
		})
	}
}
