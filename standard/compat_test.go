package standard

import (
	"bytes"
	"testing"

	"github.com/tokumei/tokumei/anon"
)

// The draft spec and every template must be accepted by the engine's spec
// parser, which rejects unknown keys.
func TestSpecsParseInTheEngine(t *testing.T) {
	specs := map[string]*Spec{}
	for _, tp := range Templates() {
		s := tp.Spec
		specs[tp.Name] = &s
		if len(tp.Plan) != len(s.Attributes) || tp.RiskThreshold <= 0 {
			t.Errorf("%s: plan %d, threshold %v", tp.Name, len(tp.Plan), tp.RiskThreshold)
		}
	}
	p, _, _ := residentJob(t)
	specs["draft"] = DraftSpec(p, DraftOptions{InputPath: "juki.csv", ReferenceDate: "2026-04-01"})
	for name, s := range specs {
		var buf bytes.Buffer
		if err := s.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		if _, err := anon.ParseSpec(buf.Bytes(), name+".json", t.TempDir()); err != nil {
			t.Errorf("%s: engine rejects the spec: %v\n%s", name, err, buf.String())
		}
	}
}
