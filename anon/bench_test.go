package anon

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkReference measures the in-process search (input already parsed)
// for every reference case; compare with arx_warm_ms / 20.
func BenchmarkReference(b *testing.B) {
	dir, cases := loadCases(b)
	for _, c := range cases {
		b.Run(strings.TrimSuffix(filepath.Base(c.Dataset), ".csv")+"/"+c.Case, func(b *testing.B) {
			p := refProblem(b, dir, c)
			b.ReportAllocs()
			var r *Result
			c0 := cpuTime()
			for i := 0; i < b.N; i++ {
				var err error
				if r, err = Anonymize(context.Background(), p); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(r.NodesChecked), "checked")
			b.ReportMetric(float64(r.rolled), "rolled")
			b.ReportMetric(float64(r.produced), "produced")
			b.ReportMetric(c.ArxWarmMS/20, "target-ms")
		})
	}
}

// cpuTime returns the user and system CPU time of the process: the machine
// is shared, so wall-clock times alone mislead.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
