package jobs

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/riverqueue/river"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/anon/risk"
	"github.com/tokumei/tokumei/dataio"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/pipeline"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/standard"
)

// The processing worker (加工): it decrypts a case's extract from the vault,
// runs the engine with the case's spec (from a standard template when the
// file is of a known kind, completed from the proposal's item matrix),
// stores the output and the processing record in the vault and moves the
// case to RISK_CHECK — all through platform.Procedure.RunProcessing, as the
// processor who started it. River runs a job on one server; RunProcessing
// stores a result only while the case is PROCESSING, so a job that runs
// again stores nothing twice.

type processWorker struct {
	river.WorkerDefaults[platform.ProcessCaseJob]
	d Deps
}

func init() {
	Register(func(d Deps) river.Worker[platform.ProcessCaseJob] { return &processWorker{d: d} })
}

// Work runs one processing job.
func (w *processWorker) Work(ctx context.Context, job *river.Job[platform.ProcessCaseJob]) error {
	return RunProcessJob(ctx, w.d.Services, job.Args)
}

// RunProcessJob runs the job's processing; errors that a retry cannot fix
// (engine refused the data, case no longer PROCESSING) cancel the job.
func RunProcessJob(ctx context.Context, svc *platform.Services, args platform.ProcessCaseJob) error {
	u, err := svc.Store.User(ctx, args.UserID)
	if err != nil {
		return river.JobCancel(err)
	}
	ctx = platform.WithActor(ctx, u.Actor())
	err = svc.Procedure().RunProcessing(ctx, args.CaseID, Engine)
	switch fault.ErrorCode(err) {
	case "":
		return nil
	case fault.Invalid, fault.Unsatisfiable, fault.Conflict, fault.NotFound, fault.Forbidden:
		return river.JobCancel(err)
	}
	return err
}

// ProcessingRecord is the processing record (作成の記録, domain.md §3.6)
// kept in the vault: it holds processing-method information.
type ProcessingRecord struct {
	CaseID        platform.ID             `json:"case_id"`
	BodyID        platform.ID             `json:"body_id"`
	ExtractSHA256 string                  `json:"extract_sha256"`
	ExtractRows   int64                   `json:"extract_rows"`
	Template      string                  `json:"template,omitempty"`
	Spec          *anon.Spec              `json:"spec"`
	Actions       []standard.ColumnAction `json:"actions"`
	Report        pipeline.Report         `json:"report"`
	Checks        []standard.CheckResult  `json:"checks"` // the five Rule 62 items
	OutputSHA256  string                  `json:"output_sha256"`
	Shuffled      bool                    `json:"rows_shuffled"`
	// 仮ID: the columns replaced, the key's public id and the key itself
	// (processing-method information: this record is kept encrypted in the
	// vault and never published; the key never reaches the output).
	PseudonymColumns []string `json:"pseudonym_columns,omitempty"`
	PseudonymKeyID   string   `json:"pseudonym_key_id,omitempty"`
	PseudonymKey     string   `json:"pseudonym_key,omitempty"`
}

// Engine is the platform.Engine of the server: the spec from the case,
// the extract with dates cut to the requested level, pipeline.RunWith, and
// the processing record. A panic in the engine becomes an internal fault,
// so the case records a failed run instead of the job dying.
func Engine(ctx context.Context, in *platform.ProcessingInput) (out *platform.ProcessingOutput, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fault.Errorf(fault.Internal, "the engine failed: %v", r)
		}
	}()
	spec, tmpl, actions := CaseSpec(in.Case, in.Entry, in.Case.Extract.Columns)
	input, err := coarsen(in.Extract, in.Name, in.Case)
	if err != nil {
		return nil, err
	}
	source := input.Bytes()
	prepared, key, pseudo, err := pseudonymise(source, in.Case, actions)
	if err != nil {
		return nil, err
	}
	spec.Input = anon.InputSpec{Path: in.Name, Encoding: "utf-8", Reader: bytes.NewReader(prepared)}
	var buf bytes.Buffer
	res, err := pipeline.RunWith(ctx, spec, pipeline.Options{Output: &buf,
		Open: func(string) (io.ReadCloser, error) {
			return nil, fault.New(fault.Invalid, "hierarchy files are not available to platform jobs", "プラットフォームの加工ではファイル階層は使えません")
		}})
	if err != nil {
		return nil, err
	}
	sum, _ := standard.HashReader(bytes.NewReader(buf.Bytes()))
	checks, err := rule62(source, buf.Bytes(), actions, &res.Report.Risk.Output)
	if err != nil {
		return nil, err
	}
	rec := ProcessingRecord{CaseID: in.Case.ID, BodyID: in.Body.ID, ExtractSHA256: in.Case.Extract.SHA256,
		ExtractRows: in.Case.Extract.Rows, Template: tmpl, Spec: spec, Actions: actions, Report: res.Report, Checks: checks, OutputSHA256: sum,
		Shuffled: true}
	if len(pseudo) > 0 {
		rec.PseudonymColumns, rec.PseudonymKeyID, rec.PseudonymKey = pseudo, key.KeyID(), key.Hex()
	}
	recJSON, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return nil, fault.Errorf(fault.Internal, "encode processing record").Wrap(err)
	}
	out = &platform.ProcessingOutput{Output: buf.Bytes(), Rows: res.Report.OutputRecords, Record: recJSON,
		Summary: methodsSummary(actions), MinClass: res.Report.MinClassSize, Suppressed: res.Report.SuppressedRecords}
	for _, c := range checks {
		if !c.Passed {
			out.ChecksFailed = append(out.ChecksFailed, fmt.Sprintf("第%d号：%s", c.Item, strings.Join(c.Findings, "; ")))
		}
	}
	return out, nil
}

// rule62 runs the five checks of the processing standard (standard.Check)
// on the source as the engine read it and on the output.
func rule62(source, output []byte, actions []standard.ColumnAction, residual *risk.Measures) ([]standard.CheckResult, error) {
	sn, sc, err := columns(source)
	if err != nil {
		return nil, err
	}
	on, oc, err := columns(output)
	if err != nil {
		return nil, err
	}
	prof, err := standard.ProfileColumns(sn, sc, standard.ProfileOptions{})
	if err != nil {
		return nil, err
	}
	return standard.Check(&standard.Job{Source: prof, SourceCols: sc, OutputNames: on, OutputCols: oc, Actions: actions, Risk: residual})
}

// columns splits a UTF-8 CSV into its header and columns.
func columns(b []byte) ([]string, [][]string, error) {
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(rows) == 0 {
		return nil, nil, fault.New(fault.Internal, "cannot reread the table for the checks", "検査のためにデータを読めません").Wrap(err)
	}
	cols := make([][]string, len(rows[0]))
	for _, r := range rows[1:] {
		for i := range cols {
			if i < len(r) {
				cols[i] = append(cols[i], r[i])
			}
		}
	}
	return rows[0], cols, nil
}

// coarsen reads the extract (any encoding, CSV or XLSX) and writes it as
// UTF-8 CSV with the date items cut to the level the proposal asked for
// (year-month or year), so that no finer date reaches the engine.
func coarsen(r io.Reader, name string, c *platform.Case) (*bytes.Buffer, error) {
	rd, err := dataio.NewReader(r, name, dataio.Options{Encoding: "auto"})
	if err != nil {
		return nil, err
	}
	level := map[int]platform.Granularity{}
	for i, h := range rd.Header() {
		for _, t := range c.Targets {
			for _, it := range t.Items {
				if it.Item == h && (it.Granularity == platform.GranMonth || it.Granularity == platform.GranYear) {
					level[i] = it.Granularity
				}
			}
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(rd.Header())
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		for i, g := range level {
			v, ok := cutDate(rec[i], g)
			if !ok {
				return nil, fault.New(fault.Invalid, "a value of this date column is not a date", "日付でない値があります").At(name, rd.Line(), i+1).In(rd.Header()[i])
			}
			rec[i] = v
		}
		w.Write(rec)
	}
	w.Flush()
	return &buf, w.Error()
}

// cutDate keeps the year and month (or the year) of a Gregorian date
// written with digits (2006-01-02, 2006/1/2, 20060102); empty stays empty.
func cutDate(v string, g platform.Granularity) (string, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", true
	}
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	if len(parts) == 1 && len(v) == 8 {
		parts = []string{v[:4], v[4:6], v[6:]}
	}
	if len(parts) < 2 || len(parts[0]) != 4 || !digits(parts[0]) || !digits(parts[1]) || len(parts[1]) > 2 {
		return "", false
	}
	if g == platform.GranYear {
		return parts[0], true
	}
	m := parts[1]
	if len(m) == 1 {
		m = "0" + m
	}
	return parts[0] + "-" + m, true
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// templateFor names the standard template for a file, from its name.
func templateFor(fileName string) string {
	for _, k := range []struct{ key, name string }{{"住民基本台帳", "resident-register"}, {"国民健康保険", "national-health-insurance"},
		{"介護", "long-term-care"}, {"税", "local-tax"}, {"健診", "health-checkup"}, {"健康診査", "health-checkup"}} {
		if strings.Contains(fileName, k.key) {
			return k.name
		}
	}
	return ""
}

// CaseSpec builds the anonymisation spec of a case: the template's
// attributes for the columns it knows, the item matrix for the others, with
// k-anonymity (k = 5) on the quasi-identifiers. It returns the template
// used ("" for none) and the Rule 62 action per column.
func CaseSpec(c *platform.Case, e *platform.RegisterEntry, columns []string) (*anon.Spec, string, []standard.ColumnAction) {
	spec := &anon.Spec{Privacy: []anon.ModelSpec{{Model: "k-anonymity", K: 5}}, SuppressionLimit: 0.05, Metric: "loss"}
	known := map[string]standard.Attribute{}
	tmplName := ""
	if t, err := standard.TemplateByName(templateFor(e.FileName)); err == nil {
		tmplName = t.Name
		for _, a := range t.Spec.Attributes {
			known[a.Name] = a
		}
	}
	want := map[string]platform.ItemRequest{}
	for _, t := range c.Targets {
		for _, it := range t.Items {
			want[it.Item] = it
		}
	}
	var actions []standard.ColumnAction
	for _, col := range columns {
		if a, ok := known[col]; ok {
			as := fromTemplate(a)
			if a.Action == "pseudonym" {
				as.Type = anon.Insensitive // replaced by keyed pseudonyms (pseudonymise)
			}
			spec.Attributes = append(spec.Attributes, as)
			actions = append(actions, actionOf(col, a.Type, a.Action))
			continue
		}
		as := matrixAttribute(col, want[col])
		spec.Attributes = append(spec.Attributes, as)
		if want[col].Granularity == platform.GranPseudonym {
			actions = append(actions, standard.ColumnAction{Item: standard.ItemLinkingCodes, Column: col, Action: "pseudonym"})
			continue
		}
		actions = append(actions, actionOf(col, as.Type, ""))
	}
	if !hasQuasi(spec) {
		spec.Privacy = nil
	}
	return spec, tmplName, actions
}

func hasQuasi(s *anon.Spec) bool {
	for _, a := range s.Attributes {
		if a.Type == anon.Quasi {
			return true
		}
	}
	return false
}

func fromTemplate(a standard.Attribute) anon.AttributeSpec {
	out := anon.AttributeSpec{Name: a.Name, Type: a.Type, MinLevel: a.MinLevel}
	if a.Hierarchy != nil {
		b, _ := json.Marshal(a.Hierarchy)
		var h anon.HierarchySpec
		if json.Unmarshal(b, &h) == nil {
			out.Hierarchy = &h
		}
	}
	if out.Type == anon.Quasi && out.Hierarchy == nil {
		out.Hierarchy = &anon.HierarchySpec{Builder: "mask", Chars: 1}
	}
	return out
}

// matrixAttribute turns one row of the item matrix into an attribute.
func matrixAttribute(col string, it platform.ItemRequest) anon.AttributeSpec {
	a := anon.AttributeSpec{Name: col, Type: anon.Insensitive}
	switch it.Granularity {
	case platform.GranDelete:
		a.Type = anon.Identifying
	case platform.GranPseudonym:
		return a // replaced by keyed pseudonyms before the engine runs (pseudonymise)
	case platform.GranMonth:
		// coarsen has cut the dates to YYYY-MM already.
		a.Type, a.Hierarchy = anon.Quasi, &anon.HierarchySpec{Builder: "date", Layout: "2006-01", Steps: []string{"year"}}
	case platform.GranYear:
		a.Type, a.Hierarchy = anon.Quasi, &anon.HierarchySpec{Builder: "interval", Widths: []float64{5, 10, 20}}
	case platform.GranBand, platform.GranTopCode:
		a.Type, a.Hierarchy = anon.Quasi, &anon.HierarchySpec{Builder: "interval", Widths: []float64{5, 10, 20}}
	case platform.GranPrefecture, platform.GranMunicipality, platform.GranTown, platform.GranCategory:
		a.Type, a.Hierarchy = anon.Quasi, &anon.HierarchySpec{Builder: "mask", Chars: 2}
	case platform.GranAsIs:
		if it.Type == platform.ItemCode {
			a.Type, a.Hierarchy = anon.Quasi, &anon.HierarchySpec{Builder: "mask", Chars: 1}
		}
	}
	if it.Type == platform.ItemName || it.Type == platform.ItemIDNumber {
		a.Type, a.Hierarchy, a.MinLevel = anon.Identifying, nil, nil
	}
	return a
}

func actionOf(col, typ, action string) standard.ColumnAction {
	switch typ {
	case anon.Identifying:
		if action == "" {
			action = "delete"
		}
		return standard.ColumnAction{Item: standard.ItemIdentifiers, Column: col, Action: action}
	case anon.Quasi:
		return standard.ColumnAction{Item: standard.ItemDataSpecific, Column: col, Action: "generalize"}
	}
	if action == "" {
		action = "keep"
	}
	return standard.ColumnAction{Item: standard.ItemDataSpecific, Column: col, Action: action}
}

// methodsSummary names the kinds of processing without parameters.
func methodsSummary(actions []standard.ColumnAction) string {
	var parts []string
	for _, a := range actions {
		switch a.Action {
		case "delete":
			parts = append(parts, a.Column+"を削除")
		case "pseudonym":
			parts = append(parts, a.Column+"を仮IDに置換")
		case "generalize":
			parts = append(parts, a.Column+"を一般化")
		}
	}
	if len(parts) == 0 {
		return "k-匿名化"
	}
	return strings.Join(parts, "、") + "（k-匿名性を確認）"
}
