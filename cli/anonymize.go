package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/pipeline"
)

func init() {
	Register(Command{Name: "anonymize", Summary: "anonymise a file as a JSON spec describes (匿名加工)", Run: runAnonymize})
}

func runAnonymize(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("anonymize", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	specPath := fs.String("spec", "", "job spec (JSON); relative paths in it are relative to its folder")
	exhaustive := fs.Bool("exhaustive", false, "evaluate every transformation (slow; for checking)")
	quiet := fs.Bool("quiet", false, "no progress line")
	printReport := fs.Bool("print-report", false, "also print the report on standard output")
	if err := fs.Parse(args); err != nil {
		return UsageError("%v", err)
	}
	if *specPath == "" {
		return UsageError("--spec is required (tokumei anonymize --spec job.json)")
	}
	spec, err := anon.ReadSpecFile(*specPath)
	if err != nil {
		return err
	}
	var p *progress
	if !*quiet {
		p = &progress{w: env.Stderr, start: time.Now()}
	}
	o := pipeline.Options{Exhaustive: *exhaustive}
	if p != nil {
		o.Progress = p.update
	}
	res, err := pipeline.RunWith(ctx, spec, o)
	if p != nil {
		p.end()
	}
	if err != nil {
		return err
	}
	r := res.Report
	fmt.Fprintf(env.Stderr, "%s = %v, %d classes, %d suppressed, %d/%d transformations checked, optimal=%v\n",
		r.Metric, r.InformationLoss, r.EquivalenceClasses, r.SuppressedRecords, r.NodesChecked, r.LatticeSize, r.Optimal)
	if *printReport {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return nil
}

// progress prints a progress line on the terminal for searches that last
// more than a second.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	start   time.Time
	last    time.Time
	printed bool
}

func (p *progress) update(done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.start) < time.Second || now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	p.printed = true
	fmt.Fprintf(p.w, "\rsearch: %d/%d transformations visited, %.1fs", done, total, now.Sub(p.start).Seconds())
}

func (p *progress) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.printed {
		fmt.Fprintln(p.w)
	}
}
