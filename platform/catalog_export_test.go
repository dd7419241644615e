package platform

import "time"

// SameFilePart reports whether two snapshots share their file part (the
// incremental rebuild re-used it).
func SameFilePart(a, b *CatalogIndex) bool { return a.filePart == b.filePart }

// SameDatasetPart reports whether two snapshots share their dataset part.
func SameDatasetPart(a, b *CatalogIndex) bool { return a.datasetPart == b.datasetPart }

// NewTestIndex returns an empty snapshot (for memo tests).
func NewTestIndex() *CatalogIndex {
	return buildCatalogIndex(&catalogData{}, "t", time.Time{})
}
