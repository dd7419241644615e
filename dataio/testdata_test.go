package dataio

import (
	"os"
	"path/filepath"
	"testing"
)

// datasetPath returns the path of a file under ../shared/datasets (found by
// walking up to go.mod), or skips the test when the datasets are absent.
func datasetPath(t testing.TB, rel string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("go.mod not found; cannot locate ../shared/datasets")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "datasets", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared dataset %s is absent (%v); skipping test that needs real data", rel, err)
	}
	return p
}
