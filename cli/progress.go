package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/tokumei/tokumei/pipeline"
)

// progressBar shows how far a job is on standard error: on a terminal a
// bar redrawn in place (phase, percentage, amount, rate, elapsed time);
// otherwise a plain line when the phase changes and every few seconds.
// Nothing is shown during the first second, so short jobs print no
// progress at all.
type progressBar struct {
	mu         sync.Mutex
	w          io.Writer
	tty        bool
	now        func() time.Time
	delay      time.Duration // nothing before this
	every      time.Duration // between redraws (bar) or lines (plain)
	start      time.Time
	last       time.Time
	phase      string // of the last status
	phaseStart time.Time
	printed    string // phase of the last line printed (plain)
	drawn      bool   // a bar is on the screen
}

// How long a job runs before its progress is shown, and the time between
// redraws of the bar and between plain lines (tests set them to 0).
var (
	progressDelay      = time.Second
	progressRedraw     = 200 * time.Millisecond
	progressPlainEvery = 10 * time.Second
)

func newProgressBar(w io.Writer, tty bool, now func() time.Time) *progressBar {
	p := &progressBar{w: w, tty: tty, now: now, delay: progressDelay, every: progressPlainEvery}
	if tty {
		p.every = progressRedraw
	}
	p.start = now()
	return p
}

// isTerminal tells whether w is a terminal (a character device) that can
// redraw a line.
func isTerminal(w io.Writer, getenv func(string) string) bool {
	f, ok := w.(*os.File)
	if !ok || (getenv != nil && getenv("TERM") == "dumb") {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// status receives a pipeline status (from the job's goroutines).
func (p *progressBar) status(s pipeline.Status) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if s.Phase != p.phase {
		p.phase, p.phaseStart = s.Phase, now
	}
	if now.Sub(p.start) < p.delay {
		return
	}
	changed := s.Phase != p.printed
	if !changed && now.Sub(p.last) < p.every {
		return
	}
	p.last, p.printed = now, s.Phase
	line := renderStatus(s, now.Sub(p.phaseStart), now.Sub(p.start))
	if p.tty {
		fmt.Fprintf(p.w, "\r%s\x1b[K", line)
		p.drawn = true
		return
	}
	fmt.Fprintf(p.w, "tokumei: %s\n", line)
}

// end clears the bar before the summary line.
func (p *progressBar) end() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

const barWidth = 24

// renderStatus formats one status: the phase, a bar and percentage when
// the total is known, the amount done, the rate over the phase so far and
// the time since the start.
func renderStatus(s pipeline.Status, inPhase, total time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-9s", s.Phase)
	if s.Total > 0 && s.Phase != pipeline.PhaseEncoding {
		f := min(float64(s.Done)/float64(s.Total), 1)
		full := int(f * barWidth)
		fmt.Fprintf(&b, " [%s%s] %3.0f%%", strings.Repeat("#", full), strings.Repeat("-", barWidth-full), f*100)
	}
	sec := inPhase.Seconds()
	switch s.Phase {
	case pipeline.PhaseReading:
		if s.Total > 0 {
			fmt.Fprintf(&b, "  %s/%s", megabytes(s.Done), megabytes(s.Total))
		} else if s.Done > 0 {
			fmt.Fprintf(&b, "  %s", megabytes(s.Done))
		}
		if sec > 0 && s.Done > 0 {
			fmt.Fprintf(&b, "  %s/s", megabytes(int64(float64(s.Done)/sec)))
		}
	case pipeline.PhaseSearching:
		fmt.Fprintf(&b, "  %d/%d transformations", s.Done, s.Total)
	case pipeline.PhaseWriting:
		fmt.Fprintf(&b, "  %s/%s rows", count(s.Done), count(s.Total))
		if sec > 0 {
			fmt.Fprintf(&b, "  %s rows/s", count(int64(float64(s.Done)/sec)))
		}
	}
	t := int(total.Seconds())
	fmt.Fprintf(&b, "  %d:%02d", t/60, t%60)
	return b.String()
}

func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

// count writes large counts as 1.2M.
func count(n int64) string {
	if n >= 1_000_000 {
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	}
	return fmt.Sprint(n)
}
