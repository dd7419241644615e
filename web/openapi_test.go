package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/tokumei/tokumei/platform"
)

func TestOpenAPIDocument(t *testing.T) {
	f := newFixture(t)
	st, b := f.anon().get("/api/openapi.json")
	if st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	var doc struct {
		OpenAPI    string                               `json:"openapi"`
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal([]byte(b), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
	s := f.server(t)
	n := 0
	for _, rt := range s.routes {
		if !strings.HasPrefix(rt.path(), "/api/v1/") {
			continue
		}
		n++
		op, ok := doc.Paths[rt.path()][strings.ToLower(rt.method())]
		if !ok {
			t.Errorf("route %s missing from the document", rt.Pattern)
			continue
		}
		if op["operationId"] == "" || op["summary"] == "" {
			t.Errorf("%s: no operationId or summary", rt.Pattern)
		}
	}
	if n < 14 {
		t.Errorf("only %d /api/v1 routes", n)
	}
	// Every state name of the procedure is in the document.
	enum, _ := doc.Components.Schemas["CaseState"]["enum"].([]any)
	if len(enum) != len(platform.AllStates) {
		t.Errorf("CaseState enum has %d values, want %d", len(enum), len(platform.AllStates))
	}
	for _, st := range []string{"LG_REVIEW", "CONFORMING", "DELETION_CONFIRMED", "REJECTED_FORMAL"} {
		if !strings.Contains(b, `"`+st+`"`) {
			t.Errorf("state %s missing", st)
		}
	}
	// Every reference resolves.
	for _, ref := range refs(b) {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		if _, ok := doc.Components.Schemas[name]; !ok {
			t.Errorf("dangling $ref %s", ref)
		}
	}
	entry := doc.Components.Schemas["RegisterEntry"]["properties"].(map[string]any)
	for _, p := range []string{"file_name", "items", "proposal_invited", "anon_proposal_to", "version"} {
		if _, ok := entry[p]; !ok {
			t.Errorf("RegisterEntry lacks %s", p)
		}
	}
	upd := doc.Components.Schemas["RegisterUpdate"]["properties"].(map[string]any)
	if _, ok := upd["reason"]; !ok || upd["file_name"] == nil {
		t.Errorf("RegisterUpdate does not flatten the entry: %v", upd)
	}
}

func refs(doc string) []string {
	var out []string
	for _, part := range strings.Split(doc, `"$ref": "`)[1:] {
		ref, _, _ := strings.Cut(part, `"`)
		out = append(out, ref)
	}
	return out
}
