package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokumei/tokumei/dataio"
	"github.com/tokumei/tokumei/internal/shareddata"
	"github.com/tokumei/tokumei/jp"
)

// osakaFile returns the real Osaka police open-data file (CP932), or skips.
func osakaFile(t *testing.T) string {
	return shareddata.Path(t, "japan/osaka_2018zitensyatou.csv")
}

// TestAnonymizeOsakaLGCode runs the real CP932 file through `tokumei
// anonymize` with the lgcode builder, then recounts the output file: every
// row kept, every unsuppressed class of size >= k, and every code published
// at the level the report names.
func TestAnonymizeOsakaLGCode(t *testing.T) {
	in := osakaFile(t)
	dir := t.TempDir()
	spec := map[string]any{
		"input": map[string]any{"path": in, "encoding": "auto"},
		"attributes": []map[string]any{
			{"name": "市区町村コード（発生地）", "type": "quasi", "hierarchy": map[string]any{"builder": "lgcode"}},
			{"name": "被害者の職業", "type": "sensitive"},
			{"name": "町丁目（発生地）", "type": "identifying"},
		},
		"privacy":           []map[string]any{{"model": "k-anonymity", "k": 20}},
		"suppression_limit": 0.01,
		"metric":            "loss",
		"output":            map[string]any{"path": "out.csv", "report": "report.json"},
	}
	b, _ := json.Marshal(spec)
	specPath := filepath.Join(dir, "job.json")
	if err := os.WriteFile(specPath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
	if code := Main(context.Background(), []string{"anonymize", "--spec", specPath}, env); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var rep struct {
		Transformation    map[string]int `json:"transformation"`
		SuppressedRecords int64          `json:"suppressed_records"`
	}
	rb, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil || json.Unmarshal(rb, &rep) != nil {
		t.Fatalf("report: %v", err)
	}
	r, err := dataio.Open(filepath.Join(dir, "out.csv"), dataio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	col := -1
	for i, h := range r.Header() {
		if h == "市区町村コード（発生地）" {
			col = i
		}
		if h == "町丁目（発生地）" {
			t.Error("the identifying column is still in the output")
		}
	}
	if col < 0 {
		t.Fatalf("quasi-identifier column missing from %v", r.Header())
	}
	level := rep.Transformation["市区町村コード（発生地）"]
	counts := map[string]int{}
	rows, suppressed := 0, 0
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows++
		v := row[col]
		if v == "*" {
			suppressed++
			continue
		}
		counts[v]++
		if level == 0 && v != "" {
			if _, err := jp.LookupLG(v); err != nil {
				t.Errorf("row %d: %q is not a local-government code: %v", rows, v, err)
			}
		}
	}
	if rows != 26990 {
		t.Errorf("output has %d rows, want 26990", rows)
	}
	if int64(suppressed) != rep.SuppressedRecords || suppressed > 269 {
		t.Errorf("suppressed %d rows, report says %d, limit 269", suppressed, rep.SuppressedRecords)
	}
	for v, n := range counts {
		if n < 20 {
			t.Errorf("class %q has %d records < k=20", v, n)
		}
	}
	t.Logf("level %d, %d classes, %d suppressed", level, len(counts), suppressed)
	if len(counts) < 2 {
		t.Errorf("only %d classes: the result generalised everything", len(counts))
	}
}
