package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tokumei/tokumei/dataio"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/standard"
)

func init() {
	Register(Command{Name: "profile", Summary: "classify the columns of a file (identifiers, codes, quasi-identifiers) and draft a spec", Run: runProfile})
}

func runProfile(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	format := fs.String("format", "text", `output format: "text" or "json"`)
	specOut := fs.String("spec-out", "", "write a draft job spec to this file")
	delim := fs.String("delimiter", "", "field separator (default ',')")
	enc := fs.String("encoding", "auto", "auto, utf-8, utf-8-bom, cp932, shift_jis, euc-jp")
	sheet := fs.String("sheet", "", "XLSX sheet")
	k := fs.Int("k", 5, "class size below which a category is rare; k of the draft spec")
	refDate := fs.String("reference-date", time.Now().Format("2006-01-02"), "reference date for ages from birth dates")
	template := fs.String("template", "", "print (or with --spec-out write) a ready spec: "+templateNames())
	pf := addProgressFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return fault.New(fault.Invalid, `--format must be "text" or "json"`, `--format は "text" か "json" です`).In("format")
	}
	if *template != "" {
		return writeTemplate(env, *template, *specOut, *format)
	}
	if len(pos) != 1 {
		return fault.New(fault.Invalid, "usage: tokumei profile FILE [--format json] [--spec-out job.json] | --template NAME", "使い方: tokumei profile ファイル [--format json] [--spec-out job.json] | --template 名前")
	}
	d, err := delimiterRune(*delim)
	if err != nil {
		return err
	}
	ref, err := time.Parse("2006-01-02", *refDate)
	if err != nil {
		return fault.New(fault.Invalid, "--reference-date must be YYYY-MM-DD", "--reference-date は YYYY-MM-DD 形式です").In("reference-date")
	}
	bar, err := pf.bar(env)
	if err != nil {
		return err
	}
	names, cols, err := readAll(pos[0], dataio.Options{Delimiter: d, Encoding: *enc, Sheet: *sheet}, bar)
	if err != nil {
		bar.end()
		return err
	}
	bar.step("profiling")
	p, err := standard.ProfileColumns(names, cols, standard.ProfileOptions{K: *k, ReferenceYear: ref.Year()})
	bar.end()
	if err != nil {
		return err
	}
	if *specOut != "" {
		if err := writeDraft(*specOut, pos[0], p, *refDate, *k, d, *enc); err != nil {
			return err
		}
	}
	if *format == "json" {
		e := json.NewEncoder(env.Stdout)
		e.SetIndent("", "  ")
		e.SetEscapeHTML(false)
		return e.Encode(p.Columns)
	}
	return writeProfileText(env.Stdout, p)
}

// parseInterspersed parses flags that may come before or after the
// positional arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, fault.Errorf(fault.Invalid, "%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// readAll reads every column of a file, column-major, showing the
// reading on bar.
func readAll(path string, o dataio.Options, bar *progressBar) ([]string, [][]string, error) {
	r, err := dataio.Open(path, o)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	fp := bar.reading(path, r)
	names := append([]string(nil), r.Header()...)
	cols := make([][]string, len(names))
	for {
		rec, err := r.Read()
		if err == io.EOF {
			fp.done()
			return names, cols, nil
		}
		if err != nil {
			return nil, nil, err
		}
		fp.row()
		for j := range cols {
			v := ""
			if j < len(rec) {
				v = rec[j]
			}
			cols[j] = append(cols[j], v)
		}
	}
}

func writeDraft(out, input string, p *standard.Profile, refDate string, k int, d rune, enc string) error {
	rel := input
	if abs, err := filepath.Abs(input); err == nil {
		if dir, err := filepath.Abs(filepath.Dir(out)); err == nil {
			if r, err := filepath.Rel(dir, abs); err == nil {
				rel = r
			}
		}
	}
	s := standard.DraftSpec(p, standard.DraftOptions{InputPath: rel, ReferenceDate: refDate, K: k})
	if d != 0 {
		s.Input.Delimiter = string(d)
	}
	s.Input.Encoding = enc
	f, err := os.Create(out)
	if err != nil {
		return fault.Errorf(fault.Invalid, "cannot write %s", out).Wrap(err)
	}
	if err := s.WriteJSON(f); err != nil {
		f.Close()
		return fault.Errorf(fault.Internal, "write %s: %v", out, err).Wrap(err)
	}
	return f.Close()
}

func writeProfileText(w io.Writer, p *standard.Profile) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "列\t分類\t理由\n")
	for _, c := range p.Columns {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Column, c.Class, c.ReasonJA)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if ps := p.Peculiars(); len(ps) > 0 {
		fmt.Fprintf(w, "\n特異な記述（%d件）\n", len(ps))
		for _, x := range ps {
			fmt.Fprintf(w, "  %s = %s: %d件 (%s) %s\n", x.Column, x.Value, x.Count, x.Kind, x.Reason)
		}
	}
	return nil
}

func templateNames() string {
	var names []string
	for _, t := range standard.Templates() {
		names = append(names, t.Name+" ("+t.NameJA+")")
	}
	return strings.Join(names, ", ")
}

// writeTemplate writes a template's spec to specOut (or standard output)
// and prints its per-column plan.
func writeTemplate(env *Env, name, specOut, format string) error {
	t, err := standard.TemplateByName(name)
	if err != nil {
		return err
	}
	if specOut == "" {
		if format == "json" {
			e := json.NewEncoder(env.Stdout)
			e.SetIndent("", "  ")
			e.SetEscapeHTML(false)
			return e.Encode(t)
		}
		return t.Spec.WriteJSON(env.Stdout)
	}
	f, err := os.Create(specOut)
	if err != nil {
		return fault.Errorf(fault.Invalid, "cannot write %s", specOut).Wrap(err)
	}
	if err := t.Spec.WriteJSON(f); err != nil {
		f.Close()
		return fault.Errorf(fault.Internal, "write %s: %v", specOut, err).Wrap(err)
	}
	if err := f.Close(); err != nil {
		return fault.Errorf(fault.Internal, "write %s: %v", specOut, err).Wrap(err)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "列\t種別\t措置\t説明\n")
	for _, p := range t.Plan {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Column, p.Type, p.Action, p.Comment)
	}
	return tw.Flush()
}
