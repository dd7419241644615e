package pipeline

import (
	"path/filepath"
	"testing"

	"github.com/tokumei/tokumei/anon"
)

// BenchmarkReadAdult reads adult.csv into a table (the parse phase of
// BenchmarkAnonymizeProcess).
func BenchmarkReadAdult(b *testing.B) {
	arx, _ := loadCases(b)
	spec := &anon.Spec{Input: anon.InputSpec{Path: filepath.Join(arx, "adult", "adult.csv"), Delimiter: ";", Encoding: "utf-8"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := readInput(spec, Options{Open: osOpen}, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}
