package dataio

import (
	"testing"

	"github.com/tokumei/tokumei/internal/shareddata"
)

// datasetPath returns the path of a file under ../shared/datasets, or skips
// the test when the datasets are absent.
func datasetPath(t testing.TB, rel string) string {
	t.Helper()
	return shareddata.Path(t, rel)
}
