package pipeline

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
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
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(bin, "anonymize", "--quiet", "--spec", filepath.Join(dir, "job.json"))
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
	}
}
