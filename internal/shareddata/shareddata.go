// Package shareddata locates the read-only material in ../shared/datasets
// (next to the repository root) for tests, and skips a test with a clear
// message when it is absent. For tests only; it imports the standard library.
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// Path returns the path of rel under ../shared/datasets, found by walking
// up from the working directory to go.mod, or skips the test when that file
// is absent.
func Path(t testing.TB, rel string) string {
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
	p := filepath.Join(dir, "..", "shared", "datasets", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		t.Skipf("../shared/datasets/%s is absent: test skipped", rel)
	}
	return p
}
