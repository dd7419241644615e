package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/tokumei/tokumei/anon"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGoldenSmall runs the small fixture (builders, a hierarchy file, an
// identifying column, ℓ-diversity, suppression) and compares the output and
// the report (times zeroed) with the golden files.
func TestGoldenSmall(t *testing.T) {
	src := filepath.Join("testdata", "small")
	dir := t.TempDir()
	for _, f := range []string{"input.csv", "sex.csv", "job.json"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o600)
	}
	spec, err := anon.ReadSpecFile(filepath.Join(dir, "job.json"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile(filepath.Join(dir, "out.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rep := res.Report
	rep.ElapsedMS = Elapsed{}
	rb, _ := json.MarshalIndent(rep, "", "  ")
	golden(t, filepath.Join(src, "golden_out.csv"), out)
	golden(t, filepath.Join(src, "golden_report.json"), append(rb, '\n'))
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n%s", path, got)
	}
}
