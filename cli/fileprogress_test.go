package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestFileProgress runs tabulate, risk and profile on a generated file with
// the bar forced on, plain lines, and --quiet: the bar reads the whole file
// in growing steps up to its size, then shows the command's own phase;
// plain mode prints lines; --quiet prints no progress.
func TestFileProgress(t *testing.T) {
	dir := t.TempDir()
	var in bytes.Buffer
	in.WriteString("id,age,sex,income\n")
	const rows = 30000
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&in, "%d,%d,%s,%d\n", i, 20+i%60, []string{"M", "F"}[i%2], 100+i%977)
	}
	os.WriteFile(filepath.Join(dir, "in.csv"), in.Bytes(), 0o600)
	os.WriteFile(filepath.Join(dir, "risk.json"), []byte(`{"input":{"path":"in.csv"},"attributes":[{"name":"id","type":"identifying"},
	  {"name":"age","type":"quasi"},{"name":"sex","type":"quasi"}]}`), 0o600)
	os.WriteFile(filepath.Join(dir, "tab.json"), []byte(`{"input":{"path":"in.csv"},"dimensions":[{"column":"age"},{"column":"sex"}],
	  "measure":{"type":"count"},"protection":{"rules":[{"rule":"threshold","min":5}],"secondary":"auto"},"output":{"path":"t.csv"}}`), 0o600)
	oldDelay, oldRedraw := progressDelay, progressRedraw
	progressDelay, progressRedraw = 0, 0
	defer func() { progressDelay, progressRedraw = oldDelay, oldRedraw }()

	mb := float64(in.Len()) / 1e6
	size := fmt.Sprintf("%.1f MB/%.1f MB", mb, mb)
	cases := []struct {
		name  string
		args  []string
		phase string
	}{
		{"tabulate", []string{"tabulate", "--spec", filepath.Join(dir, "tab.json")}, "protecting"},
		{"risk", []string{"risk", "--spec", filepath.Join(dir, "risk.json")}, "measuring"},
		{"profile", []string{"profile", filepath.Join(dir, "in.csv"), "--format", "json"}, "profiling"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			run := func(flags ...string) string {
				_, stderr, code := runCmd(t, append(append([]string(nil), c.args...), flags...)...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				return stderr
			}
			bar := run("--progress", "bar")
			for _, w := range []string{"\rreading", "100%", size, "\r" + c.phase, "\r\x1b[K"} {
				if !strings.Contains(bar, w) {
					t.Errorf("progress output lacks %q:\n%q", w, bar)
				}
			}
			var seen []float64
			for _, m := range regexp.MustCompile(`reading +\[[#-]+\] +\d+%  ([0-9.]+) MB`).FindAllStringSubmatch(bar, -1) {
				var v float64
				fmt.Sscan(m[1], &v)
				if len(seen) > 0 && v < seen[len(seen)-1] || v > mb+0.05 {
					t.Errorf("bytes read %v after %v (file %.2f MB)", v, seen, mb)
				}
				seen = append(seen, v)
			}
			if len(seen) < 3 || seen[0] >= seen[len(seen)-1] {
				t.Errorf("the bytes read do not grow: %v", seen)
			}
			if plain := run("--progress", "plain"); !strings.Contains(plain, "tokumei: reading") ||
				!strings.Contains(plain, "tokumei: "+c.phase) || strings.Contains(plain, "\r") {
				t.Errorf("plain progress: %q", plain)
			}
			if quiet := run("--quiet"); strings.Contains(quiet, "reading") || strings.Contains(quiet, "\r") {
				t.Errorf("--quiet printed %q", quiet)
			}
		})
	}
	if _, stderr, code := runCmd(t, "risk", "--spec", filepath.Join(dir, "risk.json"), "--progress", "fancy"); code == 0 {
		t.Errorf("--progress fancy accepted: %s", stderr)
	}
}
