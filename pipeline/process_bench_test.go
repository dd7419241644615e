package pipeline

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// BenchmarkAnonymizeProcess runs the whole "tokumei anonymize" process on
// adult (k11_s5_loss): it builds the binary once, then execs it b.N times.
func BenchmarkAnonymizeProcess(b *testing.B) {
	arx, cases := loadCases(b)
	var c refCase
	for _, x := range cases {
		if x.Case == "k11_s5_loss" && x.Dataset == "adult/adult.csv" {
			c = x
		}
	}
	dir := b.TempDir()
	refSpec(b, arx, dir, c)
	bin := filepath.Join(dir, "tokumei")
	build := exec.Command("go", "build", "-o", bin, "../cmd/tokumei")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	b.ResetTimer()
	var cpu time.Duration
	var rss int64
	var phases Elapsed
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(bin, "anonymize", "--quiet", "--spec", filepath.Join(dir, "job.json"))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			b.Fatalf("%v: %s", err, stderr.Bytes())
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = max(rss, ru.Maxrss<<10)
		}
		var rep Report
		if data, err := os.ReadFile(filepath.Join(dir, "report.json")); err != nil || json.Unmarshal(data, &rep) != nil {
			b.Fatalf("report: %v", err)
		}
		phases.Parse += rep.ElapsedMS.Parse
		phases.Encode += rep.ElapsedMS.Encode
		phases.Search += rep.ElapsedMS.Search
		phases.Output += rep.ElapsedMS.Output
	}
	n := float64(b.N)
	b.ReportMetric(float64(cpu.Microseconds())/1000/n, "cpu-ms/op")
	b.ReportMetric(float64(rss)/(1<<20), "max-rss-MiB")
	b.ReportMetric(phases.Parse/n, "parse-ms")
	b.ReportMetric(phases.Encode/n, "encode-ms")
	b.ReportMetric(phases.Search/n, "search-ms")
	b.ReportMetric(phases.Output/n, "output-ms")
}
