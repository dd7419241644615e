package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

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
	pf := addProgressFlags(fs)
	printReport := fs.Bool("print-report", false, "also print the report on standard output")
	recordFull := fs.Bool("record-full", false, "write the full processing record (with the 仮ID keys, seeds and hierarchies) to output.record, not its public view")
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
	p, err := pf.bar(env)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(spec.Path(spec.Input.Path)); err == nil && fi.Mode().IsRegular() && env.Process {
		pipeline.OneJobHeap(fi.Size()) // this process runs one job and exits
	}
	o := pipeline.Options{Exhaustive: *exhaustive}
	if p != nil {
		o.Status = p.status
	}
	res, err := pipeline.RunWith(ctx, spec, o)
	p.end()
	if err != nil {
		return err
	}
	r := res.Report
	if err := writeRecord(env, *specPath, spec, &r, *recordFull); err != nil {
		removeOutputs(spec)
		return err
	}
	fmt.Fprintf(env.Stderr, "%s = %v, %d classes, %d suppressed, %d/%d transformations checked, optimal=%v\n",
		r.Metric, r.InformationLoss, r.EquivalenceClasses, r.SuppressedRecords, r.NodesChecked, r.LatticeSize, r.Optimal)
	if *printReport {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return nil
}

// removeOutputs removes the files of a run that could not write its
// processing record: no output leaves without its record.
func removeOutputs(spec *anon.Spec) {
	for _, p := range []string{spec.Output.Path, spec.Output.Report, spec.Output.Record, spec.Output.RecordHTML} {
		if p != "" {
			os.Remove(spec.Path(p))
		}
	}
}
