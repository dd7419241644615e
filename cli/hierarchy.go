package cli

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"path/filepath"
	"strings"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/dataio"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/pipeline"
)

func init() {
	Register(Command{Name: "hierarchy", Summary: "print a generalisation hierarchy (一般化階層) in ARX format", Run: runHierarchy})
}

func runHierarchy(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("hierarchy", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	specPath := fs.String("spec", "", "job spec: print the hierarchy of --attribute as the job builds it")
	attr := fs.String("attribute", "", "attribute of the spec, or column of --input")
	builder := fs.String("builder", "", "builder: interval, date, mask, groups, lgcode, address, age-band, era-date")
	options := fs.String("options", "", `builder options as JSON, e.g. {"widths":[5,10]} or {"reference_date":"2026-04-01"}`)
	values := fs.String("values", "", "comma-separated values (instead of --input)")
	input := fs.String("input", "", "read the values of --attribute from this CSV/XLSX file")
	delim := fs.String("delimiter", "", "delimiter of --input (default ,)")
	if err := fs.Parse(args); err != nil {
		return UsageError("%v", err)
	}
	var hs anon.HierarchySpec
	var vals []string
	baseDir := "."
	switch {
	case *specPath != "":
		spec, err := anon.ReadSpecFile(*specPath)
		if err != nil {
			return err
		}
		var found *anon.AttributeSpec
		for i := range spec.Attributes {
			if spec.Attributes[i].Name == *attr {
				found = &spec.Attributes[i]
			}
		}
		if found == nil || found.Hierarchy == nil {
			return UsageError("the spec has no attribute %q with a hierarchy", *attr)
		}
		hs, baseDir = *found.Hierarchy, spec.BaseDir
		d, err := anon.Delim(spec.Input.Delimiter, 0)
		if err != nil {
			return err
		}
		if vals, err = columnValues(spec.Path(spec.Input.Path), *attr, dataio.Options{Delimiter: d, Encoding: spec.Input.Encoding, Sheet: spec.Input.Sheet}); err != nil {
			return err
		}
	case *builder != "":
		hs.Builder = *builder
		if *options != "" {
			dec := json.NewDecoder(strings.NewReader(*options))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&hs); err != nil {
				return UsageError("bad --options: %v", err)
			}
			hs.Builder = *builder
		}
		if *values != "" {
			vals = strings.Split(*values, ",")
		} else if *input != "" {
			d, err := anon.Delim(*delim, 0)
			if err != nil {
				return err
			}
			if vals, err = columnValues(*input, *attr, dataio.Options{Delimiter: d}); err != nil {
				return err
			}
		} else {
			return UsageError("give --values or --input with --attribute")
		}
	default:
		return UsageError("give --spec and --attribute, or --builder with --values or --input")
	}
	h, err := pipeline.BuildHierarchy(hs, vals, baseDir)
	if err != nil {
		return err
	}
	return h.WriteARX(env.Stdout, ';')
}

// columnValues returns the distinct values of a column, in order of first
// appearance.
func columnValues(path, column string, o dataio.Options) ([]string, error) {
	r, err := dataio.Open(path, o)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	idx := -1
	for i, h := range r.Header() {
		if h == column {
			idx = i
		}
	}
	if idx < 0 {
		return nil, fault.Errorf(fault.Invalid, "no column %q", column).At(filepath.Base(path), 1, 0)
	}
	seen := map[string]bool{}
	var vals []string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return vals, nil
		}
		if err != nil {
			return nil, err
		}
		if !seen[rec[idx]] {
			seen[rec[idx]] = true
			vals = append(vals, rec[idx])
		}
	}
}
