package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tokumei/tokumei/pipeline"
)

func TestRenderStatus(t *testing.T) {
	cases := []struct {
		name    string
		s       pipeline.Status
		inPhase time.Duration
		want    []string
		not     []string
	}{
		{"reading a file of known size", pipeline.Status{Phase: pipeline.PhaseReading, Done: 45_000_000, Total: 100_000_000}, 2 * time.Second,
			[]string{"reading", "[" + strings.Repeat("#", 10) + strings.Repeat("-", 14) + "]", " 45%", "45.0 MB/100.0 MB", "22.5 MB/s"}, nil},
		{"reading a stream", pipeline.Status{Phase: pipeline.PhaseReading, Done: 3_000_000}, time.Second,
			[]string{"reading", "3.0 MB", "3.0 MB/s"}, []string{"%", "["}},
		{"encoding", pipeline.Status{Phase: pipeline.PhaseEncoding}, time.Second, []string{"encoding"}, []string{"%"}},
		{"searching", pipeline.Status{Phase: pipeline.PhaseSearching, Done: 1728, Total: 17280}, time.Second,
			[]string{"searching", " 10%", "1728/17280 transformations"}, nil},
		{"writing", pipeline.Status{Phase: pipeline.PhaseWriting, Done: 2_500_000, Total: 10_000_000}, 2 * time.Second,
			[]string{"writing", " 25%", "2.5M/10.0M rows", "1.2M rows/s"}, nil},
		{"done beyond total", pipeline.Status{Phase: pipeline.PhaseReading, Done: 120, Total: 100}, time.Second,
			[]string{"100%", strings.Repeat("#", 24)}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := renderStatus(c.s, c.inPhase, 75*time.Second)
			for _, w := range append(c.want, "1:15") {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			for _, n := range c.not {
				if strings.Contains(got, n) {
					t.Errorf("%q has %q", got, n)
				}
			}
		})
	}
}

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestProgressBarTerminalAndPlain(t *testing.T) {
	reading := func(done int64) pipeline.Status {
		return pipeline.Status{Phase: pipeline.PhaseReading, Done: done, Total: 1000}
	}
	type step struct {
		after time.Duration
		s     pipeline.Status
	}
	steps := []step{
		{0, reading(10)},                        // before the delay: nothing
		{1100 * time.Millisecond, reading(100)}, // first draw
		{50 * time.Millisecond, reading(150)},   // too soon for a redraw
		{250 * time.Millisecond, reading(500)},  // redraw (bar), not a plain line
		{10 * time.Millisecond, pipeline.Status{Phase: pipeline.PhaseSearching, Done: 1, Total: 10}}, // phase change: always
		{11 * time.Second, pipeline.Status{Phase: pipeline.PhaseSearching, Done: 5, Total: 10}},      // plain: every 10 s
	}
	for _, tty := range []bool{true, false} {
		t.Run(fmt.Sprint("tty=", tty), func(t *testing.T) {
			var out bytes.Buffer
			clk := &fakeClock{t: time.Unix(1000, 0)}
			p := newProgressBar(&out, tty, clk.now)
			p.delay, p.every = time.Second, 10*time.Second
			if tty {
				p.every = 200 * time.Millisecond
			}
			var shown []string
			for _, st := range steps {
				clk.t = clk.t.Add(st.after)
				before := out.Len()
				p.status(st.s)
				shown = append(shown, out.String()[before:])
			}
			p.end()
			wantShown := []bool{false, true, false, tty, true, true}
			for i, s := range shown {
				if (s != "") != wantShown[i] {
					t.Errorf("step %d printed %q, want printed=%v", i, s, wantShown[i])
				}
				if s == "" {
					continue
				}
				if tty && (!strings.HasPrefix(s, "\r") || !strings.HasSuffix(s, "\x1b[K") || strings.Contains(s, "\n")) {
					t.Errorf("step %d: bar %q is not redrawn in place", i, s)
				}
				if !tty && (!strings.HasPrefix(s, "tokumei: ") || !strings.HasSuffix(s, "\n") || strings.Contains(s, "\r")) {
					t.Errorf("step %d: plain line %q", i, s)
				}
			}
			if !strings.Contains(shown[1], " 10%") || !strings.Contains(shown[4], "1/10 transformations") {
				t.Errorf("content: %q / %q", shown[1], shown[4])
			}
			if end := out.String(); tty != strings.HasSuffix(end, "\r\x1b[K") {
				t.Errorf("end of output %q: the bar must be cleared on a terminal only", end[max(0, len(end)-20):])
			}
		})
	}
}

// TestAnonymizeProgress runs `tokumei anonymize` on a generated file with
// the bar forced on and with --quiet: the bar shows every phase and ends
// with the whole file read; --quiet shows nothing but the summary.
func TestAnonymizeProgress(t *testing.T) {
	dir := t.TempDir()
	var in bytes.Buffer
	in.WriteString("id,age\n")
	const rows = 20000
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&in, "%d,%d\n", i, i%90)
	}
	os.WriteFile(filepath.Join(dir, "in.csv"), in.Bytes(), 0o600)
	var h bytes.Buffer
	for a := 0; a < 90; a++ {
		fmt.Fprintf(&h, "%d;%d-%d;*\n", a, a/10*10, a/10*10+9)
	}
	os.WriteFile(filepath.Join(dir, "age.csv"), h.Bytes(), 0o600)
	spec := `{"input":{"path":"in.csv"},"attributes":[{"name":"id","type":"identifying"},` +
		`{"name":"age","type":"quasi","hierarchy":{"file":"age.csv"}}],"privacy":[{"model":"k-anonymity","k":5}],` +
		`"output":{"path":"out.csv","report":"r.json"}}`
	os.WriteFile(filepath.Join(dir, "job.json"), []byte(spec), 0o600)
	oldDelay, oldRedraw := progressDelay, progressRedraw
	progressDelay, progressRedraw = 0, 0
	defer func() { progressDelay, progressRedraw = oldDelay, oldRedraw }()
	run := func(flags ...string) string {
		var stdout, stderr bytes.Buffer
		env := &Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
		args := append([]string{"anonymize", "--spec", filepath.Join(dir, "job.json")}, flags...)
		if code := Main(context.Background(), args, env); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		return stderr.String()
	}
	bar := run("--progress", "bar")
	size := fmt.Sprintf("%.1f MB/%.1f MB", float64(in.Len())/1e6, float64(in.Len())/1e6)
	for _, w := range []string{"\rreading", "100%", size, "\rencoding", "\rsearching", "\rwriting", "\r\x1b[K", "loss = "} {
		if !strings.Contains(bar, w) {
			t.Errorf("progress output lacks %q:\n%q", w, bar)
		}
	}
	// Every reading draw reports at most the file size, growing.
	var last float64
	for _, m := range regexp.MustCompile(`reading +\[[#-]+\] +\d+%  ([0-9.]+) MB`).FindAllStringSubmatch(bar, -1) {
		var v float64
		fmt.Sscan(m[1], &v)
		if v < last || v > float64(in.Len())/1e6+0.05 {
			t.Errorf("bytes read %v after %v (file %d bytes)", v, last, in.Len())
		}
		last = v
	}
	plain := run("--progress", "plain")
	if !strings.Contains(plain, "tokumei: reading") || strings.Contains(plain, "\r") {
		t.Errorf("plain progress: %q", plain)
	}
	if quiet := run("--quiet"); strings.Contains(quiet, "reading") || strings.Contains(quiet, "\r") ||
		!strings.HasPrefix(quiet, "loss = ") {
		t.Errorf("--quiet printed %q", quiet)
	}
}
