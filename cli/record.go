package cli

import (
	"bytes"
	"io"
	"path/filepath"
	"runtime"
	"time"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/dataio"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/pipeline"
	"github.com/tokumei/tokumei/standard"
)

// recordFiles is a file read back for the processing record.
type recordFile struct {
	info   standard.FileInfo
	header []string
	cols   [][]string
}

// writeRecord writes the processing record (加工記録) of an anonymize run
// where the spec's output asks for it: the JSON (public view, or with full
// the processing-method information as well) and the printable Japanese
// HTML. The input and output files are read back for the checks, the
// hashes and the distributions.
func writeRecord(env *Env, specPath string, spec *anon.Spec, rep *pipeline.Report, full bool) error {
	out := spec.Output
	if out.Record == "" && out.RecordHTML == "" {
		return nil
	}
	inDelim, err := anon.Delim(spec.Input.Delimiter, ',')
	if err != nil {
		return err
	}
	src, err := readRecordFile(spec.Path(spec.Input.Path), dataio.Options{Delimiter: inDelim, Encoding: spec.Input.Encoding, Sheet: spec.Input.Sheet})
	if err != nil {
		return err
	}
	outDelim, err := anon.Delim(out.Delimiter, inDelim)
	if err != nil {
		return err
	}
	enc := out.Encoding
	if enc == "" {
		enc = "utf-8"
	}
	dst, err := readRecordFile(spec.Path(out.Path), dataio.Options{Delimiter: outDelim, Encoding: enc})
	if err != nil {
		return err
	}
	now := time.Now()
	prof, err := standard.ProfileColumns(src.header, src.cols, standard.ProfileOptions{ReferenceYear: now.Year()})
	if err != nil {
		return err
	}
	actions := specActions(spec)
	checks, err := standard.Check(&standard.Job{Source: prof, SourceCols: src.cols, OutputNames: dst.header,
		OutputCols: dst.cols, Actions: actions, Risk: &rep.Risk.Output})
	if err != nil {
		return err
	}
	quasi := standard.QuasiNames(spec)
	rec := standard.BuildRecord(&standard.Run{Dataset: filepath.Base(out.Path), PlanVersion: "仕様 " + filepath.Base(specPath),
		CreatedAt: now.UTC(), Operator: env.Getenv("USER"), Engine: "tokumei anonymize (" + runtime.Version() + ")",
		Input: src.info, Output: dst.info, Spec: spec, Actions: actions, Checks: checks,
		Transformation: rep.Transformation, SuppressedRecords: rep.SuppressedRecords, Metric: rep.Metric,
		InformationLoss: rep.InformationLoss, RiskBefore: rep.Risk.Input, RiskAfter: rep.Risk.Output,
		Other:       map[string]string{"spec": filepath.Base(specPath), "suppressed": rep.Suppressed, "search": rep.Search},
		SourceQuasi: pickColumns(src, quasi), OutputQuasi: pickColumns(dst, quasi)})
	if out.Record != "" {
		var b bytes.Buffer
		r := rec
		if !full {
			r = rec.Public()
		}
		if err := r.WriteJSON(&b); err != nil {
			return fault.Errorf(fault.Internal, "cannot encode the processing record").Wrap(err)
		}
		if err := writeFileAtomic(spec.Path(out.Record), b.Bytes(), "output.record"); err != nil {
			return err
		}
	}
	if out.RecordHTML != "" {
		var b bytes.Buffer
		if err := rec.WriteHTML(&b); err != nil {
			return fault.Errorf(fault.Internal, "cannot render the processing record").Wrap(err)
		}
		if err := writeFileAtomic(spec.Path(out.RecordHTML), b.Bytes(), "output.record_html"); err != nil {
			return err
		}
	}
	return nil
}

// specActions states what the spec does to each column, by Rule 62 item:
// identifying columns are deleted, quasi-identifiers generalised, the
// others kept.
func specActions(spec *anon.Spec) []standard.ColumnAction {
	var as []standard.ColumnAction
	for _, a := range spec.Attributes {
		switch a.Type {
		case anon.Identifying:
			as = append(as, standard.ColumnAction{Item: standard.ItemIdentifiers, Column: a.Name, Action: "delete"})
		case anon.Quasi:
			as = append(as, standard.ColumnAction{Item: standard.ItemDataSpecific, Column: a.Name, Action: "generalize"})
		default:
			as = append(as, standard.ColumnAction{Item: standard.ItemDataSpecific, Column: a.Name, Action: "keep"})
		}
	}
	return as
}

// readRecordFile reads a whole file, column-major, with its hash and shape.
func readRecordFile(path string, o dataio.Options) (*recordFile, error) {
	sum, err := standard.HashFile(path)
	if err != nil {
		return nil, fault.New(fault.NotFound, "cannot read "+filepath.Base(path), filepath.Base(path)+" を読めません").Wrap(err)
	}
	r, err := dataio.Open(path, o)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	f := &recordFile{header: append([]string(nil), r.Header()...)}
	f.cols = make([][]string, len(f.header))
	n := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		for j := range f.cols {
			v := ""
			if j < len(rec) {
				v = rec[j]
			}
			f.cols[j] = append(f.cols[j], v)
		}
		n++
	}
	f.info = standard.FileInfo{Name: filepath.Base(path), SHA256: sum, Records: n, Columns: len(f.header)}
	return f, nil
}

// pickColumns returns the named columns of f (nil where absent).
func pickColumns(f *recordFile, names []string) [][]string {
	out := make([][]string, len(names))
	for j, n := range names {
		for i, h := range f.header {
			if h == n {
				out[j] = f.cols[i]
			}
		}
	}
	return out
}

// writeFileAtomic writes b to path through a temporary file (mode 0600:
// a full record holds keys and seeds).
func writeFileAtomic(path string, b []byte, field string) error {
	return pipeline.WriteFileAtomic(path, b,
		fault.New(fault.Invalid, "cannot create "+path, path+" を作れません").In(field),
		fault.New(fault.Internal, "cannot write "+path, path+" を書き込めません").In(field))
}
