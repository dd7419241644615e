package cli

import (
	"flag"
	"os"
	"time"

	"github.com/tokumei/tokumei/dataio"
	"github.com/tokumei/tokumei/pipeline"
)

// progressFlags are the --quiet and --progress flags of the commands that
// show how far they are (anonymize, tabulate, risk, profile).
type progressFlags struct {
	quiet *bool
	mode  *string
}

func addProgressFlags(fs *flag.FlagSet) progressFlags {
	return progressFlags{
		quiet: fs.Bool("quiet", false, "no progress display"),
		mode:  fs.String("progress", "auto", "progress display: auto (a bar on a terminal, plain lines otherwise), bar, plain"),
	}
}

// bar returns the display the flags ask for on standard error, or nil
// with --quiet (a nil bar shows nothing).
func (f progressFlags) bar(env *Env) (*progressBar, error) {
	if *f.quiet {
		return nil, nil
	}
	tty := isTerminal(env.Stderr, env.Getenv)
	switch *f.mode {
	case "auto":
	case "bar":
		tty = true
	case "plain":
		tty = false
	default:
		return nil, UsageError("--progress must be auto, bar or plain")
	}
	return newProgressBar(env.Stderr, tty, time.Now), nil
}

// step reports a phase whose amount is not measured (nil-safe).
func (p *progressBar) step(name string) {
	if p != nil {
		p.status(pipeline.Status{Phase: name})
	}
}

// fileProgress reports the reading of one file: the bytes its records
// took (dataio.Reader.Offset) against the file's size.
type fileProgress struct {
	p    *progressBar
	r    *dataio.Reader
	size int64
	rows int
}

// reading starts the "reading" phase of the file at path read by r; its
// methods do nothing when p is nil.
func (p *progressBar) reading(path string, r *dataio.Reader) *fileProgress {
	if p == nil {
		return nil
	}
	f := &fileProgress{p: p, r: r}
	if fi, err := os.Stat(path); err == nil {
		f.size = fi.Size()
	}
	f.report(0)
	return f
}

// row counts a record; every 1,024 records it reports the bytes read.
func (f *fileProgress) row() {
	if f == nil {
		return
	}
	if f.rows++; f.rows&1023 == 0 {
		f.report(f.r.Offset())
	}
}

// done reports the whole file read.
func (f *fileProgress) done() {
	if f != nil && f.r.Offset() >= 0 {
		f.report(max(f.size, f.r.Offset()))
	}
}

func (f *fileProgress) report(off int64) {
	if off < 0 || f.size <= 0 { // XLSX, UTF-16: the amount is unknown
		f.p.status(pipeline.Status{Phase: pipeline.PhaseReading})
		return
	}
	f.p.status(pipeline.Status{Phase: pipeline.PhaseReading, Done: off, Total: max(f.size, off)})
}
