package pipeline

import (
	"context"
	"testing"
)

// BenchmarkAdultPipeline runs the whole job in process (read, encode,
// search, write) for adult k11_s5_loss.
func BenchmarkAdultPipeline(b *testing.B) {
	arx, cases := loadCases(b)
	for _, c := range cases {
		if c.Case != "k11_s5_loss" || c.Dataset != "adult/adult.csv" {
			continue
		}
		dir := b.TempDir()
		spec := refSpec(b, arx, dir, c)
		var r *Result
		for i := 0; i < b.N; i++ {
			var err error
			if r, err = Run(context.Background(), spec, nil); err != nil {
				b.Fatal(err)
			}
		}
		e := r.Report.ElapsedMS
		b.ReportMetric(e.Parse, "parse-ms")
		b.ReportMetric(e.Encode, "encode-ms")
		b.ReportMetric(e.Search, "search-ms")
		b.ReportMetric(e.Output, "output-ms")
	}
}
