package jobs

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/pipeline"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/standard"
)

// The processing worker (加工): it decrypts a case's extract from the vault,
// runs the engine with the case's spec (spec.go), stores the output and the
// processing record (standard.Record, record.go) in the vault, reports its
// progress to the store (progress.go) and moves the case to RISK_CHECK — all through platform.Procedure.RunProcessing, as the
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
// (engine refused the data, case no longer PROCESSING) cancel the job. The
// job's progress (phase and percentage) goes to the store as it runs.
func RunProcessJob(ctx context.Context, svc *platform.Services, args platform.ProcessCaseJob) error {
	u, err := svc.Store.User(ctx, args.UserID)
	if err != nil {
		return river.JobCancel(err)
	}
	ctx = platform.WithActor(ctx, u.Actor())
	if c, err := svc.Store.Case(ctx, args.CaseID); err != nil || c.State != platform.StateProcessing {
		// Processed already (a job run twice): leave its progress alone.
		return river.JobCancel(fault.New(fault.Conflict, "the case is not being processed", "加工中の案件ではありません"))
	}
	p := newProgress(svc.Store, args.CaseID)
	p.set(ctx, platform.PhaseReading, pctReading)
	err = svc.Procedure().RunProcessing(ctx, args.CaseID, EngineWithProgress(p))
	switch fault.ErrorCode(err) {
	case "":
		p.set(ctx, platform.PhaseDone, 100)
		return nil
	case fault.Invalid, fault.Unsatisfiable, fault.Conflict, fault.NotFound, fault.Forbidden:
		p.set(ctx, platform.PhaseFailed, p.last())
		return river.JobCancel(err)
	}
	p.set(ctx, platform.PhaseFailed, p.last())
	return err
}

// Engine is the platform.Engine of the server, without progress reports.
func Engine(ctx context.Context, in *platform.ProcessingInput) (*platform.ProcessingOutput, error) {
	return EngineWithProgress(nil)(ctx, in)
}

// EngineWithProgress is the platform.Engine of the server: the extract
// read, profiled (standard) and given the case's spec (template, item
// matrix, Japanese hierarchies), 仮ID and shuffling, pipeline.RunWith, the
// five Rule 62 checks and the processing record (standard.Record). p (may
// be nil) receives the phases and the search's progress. A panic in the
// engine becomes an internal fault, so the case records a failed run
// instead of the job dying.
func EngineWithProgress(p *progress) platform.Engine {
	return func(ctx context.Context, in *platform.ProcessingInput) (out *platform.ProcessingOutput, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fault.Errorf(fault.Internal, "the engine failed: %v", r)
			}
		}()
		return process(ctx, in, p)
	}
}

func process(ctx context.Context, in *platform.ProcessingInput, p *progress) (*platform.ProcessingOutput, error) {
	r := &run{in: in, at: time.Now().UTC(), outName: "output-" + strconv.FormatInt(in.Case.ID, 10) + ".csv"}
	r.ref = time.Now().In(platform.JST)
	r.ref = time.Date(r.ref.Year(), r.ref.Month(), r.ref.Day(), 0, 0, 0, 0, time.UTC)
	if a, err := platform.ActorFrom(ctx); err == nil {
		r.operator = a.Login
	}
	src, err := readTable(in.Extract, in.Name)
	if err != nil {
		return nil, err
	}
	p.set(ctx, platform.PhaseProfiling, pctProfiling)
	prof, err := standard.ProfileColumns(src.header, src.columns(), standard.ProfileOptions{ReferenceYear: r.ref.Year()})
	if err != nil {
		return nil, err
	}
	spec, tmpl, actions, cut := caseSpec(in.Case, in.Entry, src, prof, r.ref)
	if err := src.cutDates(in.Name, cut); err != nil {
		return nil, err
	}
	r.spec, r.template, r.actions, r.source = spec, tmpl, actions, src
	p.set(ctx, platform.PhasePseudonyms, pctPseudonym)
	prepared, key, seed, pseudo := pseudonymise(src, in.Case, actions)
	r.key, r.seed, r.pseudo = key, seed, pseudo
	input, err := prepared.csv()
	if err != nil {
		return nil, fault.Errorf(fault.Internal, "write the prepared extract").Wrap(err)
	}
	spec.Input = anon.InputSpec{Path: in.Name, Encoding: "utf-8", Reader: bytes.NewReader(input)}
	p.set(ctx, platform.PhaseEncoding, pctEncoding)
	var buf bytes.Buffer
	o := pipeline.Options{Output: &buf, Open: func(string) (io.ReadCloser, error) {
		return nil, fault.New(fault.Invalid, "hierarchy files are not available to platform jobs", "プラットフォームの加工ではファイル階層は使えません")
	}}
	if p != nil {
		o.Status = p.engine(ctx)
	}
	res, err := pipeline.RunWith(ctx, spec, o)
	if err != nil {
		return nil, err
	}
	p.set(ctx, platform.PhaseChecking, pctChecking)
	r.report = res.Report
	r.outSHA, _ = standard.HashReader(bytes.NewReader(buf.Bytes()))
	if r.output, err = parseCSV(buf.Bytes()); err != nil {
		return nil, err
	}
	r.checks, err = standard.Check(&standard.Job{Source: prof, SourceCols: src.columns(), OutputNames: r.output.header,
		OutputCols: r.output.columns(), Actions: actions, Risk: &res.Report.Risk.Output})
	if err != nil {
		return nil, err
	}
	var rec bytes.Buffer
	if err := r.record().WriteJSON(&rec); err != nil {
		return nil, fault.Errorf(fault.Internal, "encode processing record").Wrap(err)
	}
	p.set(ctx, platform.PhaseStoring, pctStoring)
	out := &platform.ProcessingOutput{Output: buf.Bytes(), Rows: res.Report.OutputRecords, Record: rec.Bytes(),
		Summary: methodsSummary(actions), MinClass: res.Report.MinClassSize, Suppressed: res.Report.SuppressedRecords}
	for _, c := range r.checks {
		if !c.Passed {
			out.ChecksFailed = append(out.ChecksFailed, fmt.Sprintf("第%d号：%s", c.Item, strings.Join(c.FindingsJA, "／")))
		}
	}
	return out, nil
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
