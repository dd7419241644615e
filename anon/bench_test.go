package anon

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkReference measures the in-process search (input already parsed)
// for every reference case; compare with arx_warm_ms / 20.
func BenchmarkReference(b *testing.B) {
	dir, cases := loadCases(b)
	for _, c := range cases {
		b.Run(strings.TrimSuffix(filepath.Base(c.Dataset), ".csv")+"/"+c.Case, func(b *testing.B) {
			p := refProblem(b, dir, c)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Anonymize(context.Background(), p); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(c.ArxWarmMS/20, "target-ms")
		})
	}
}
