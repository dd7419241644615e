package platform

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/standard"
)

// RequestedColumns returns the record items the body must extract for c:
// every item asked for (not deleted), in matrix order.
func RequestedColumns(c *Case) []string {
	var out []string
	for _, t := range c.Targets {
		for _, it := range t.Items {
			if it.Requested() {
				out = append(out, it.Item)
			}
		}
	}
	return out
}

// RequestSource: the window asks the body to extract the source file with
// the minimum columns and records.
func (p *Procedure) RequestSource(ctx context.Context, caseID ID, note string) (*Case, error) {
	return p.caseStep(ctx, caseID, ActRequestSource, note, func(s Store, a Actor, c *Case, now time.Time) error {
		if c.Kind == KindReuse {
			return fault.New(fault.Conflict, "a reuse case is delivered from the existing dataset", "作成済みの情報の利用は抽出を要しません")
		}
		sub := Subset{Kind: SubsetAll}
		if len(c.Targets) > 0 {
			sub = c.Targets[0].Subset
		}
		c.Source = &SourceRequest{Columns: RequestedColumns(c), Subset: sub, Note: note, RequestedAt: now, RequestedBy: a.UserID}
		return nil
	})
}

// UploadExtract: the body uploads the extract (CSV in UTF-8 or CP932, or
// XLSX). It is stored encrypted; its columns must be exactly the requested
// ones; its hash and counts are recorded. A refused file is deleted again.
func (p *Procedure) UploadExtract(ctx context.Context, caseID ID, name string, r io.Reader) (*Case, error) {
	c, err := p.precheck(ctx, caseID, ActUploadExtract)
	if err != nil {
		return nil, err
	}
	if p.Inspect == nil {
		return nil, fault.Errorf(fault.Internal, "no extract inspector configured")
	}
	obj, err := p.Vault.Put(ctx, "extract-"+idStr(caseID)+"-"+name, r)
	if err != nil {
		return nil, err
	}
	info, err := p.inspectVault(ctx, obj.ID, name)
	if err == nil {
		err = CheckColumns(info.Columns, c.Source.Columns)
	}
	if err == nil {
		c, err = p.caseStep(ctx, caseID, ActUploadExtract, name+" sha256:"+obj.SHA256, func(s Store, a Actor, c *Case, now time.Time) error {
			c.Extract = &Extract{VaultID: obj.ID, Name: name, SHA256: obj.SHA256, Size: obj.Size, Encoding: info.Encoding,
				Rows: info.Rows, Columns: info.Columns, UploadedAt: now, UploadedBy: a.UserID}
			return nil
		})
	}
	if err != nil {
		p.Vault.Delete(ctx, obj.ID)
		return nil, err
	}
	return c, nil
}

func (p *Procedure) inspectVault(ctx context.Context, id, name string) (*ExtractInfo, error) {
	rc, err := p.Vault.Open(ctx, id)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return p.Inspect(name, rc)
}

// StartProcessing: a processor starts the engine on the extract; the job
// runs on the persistent queue (enqueued after the transition commits, so
// the worker finds the case PROCESSING).
func (p *Procedure) StartProcessing(ctx context.Context, caseID ID) (*Case, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if cur, err := p.Case(ctx, caseID); err == nil && cur.State == StateProcessing && a.Has(RoleProcessor) && p.Queue != nil {
		// Queue again (after a failed enqueue or a lost job): a run that
		// finds the case processed already stores nothing.
		_, err := p.Queue.EnqueueProcessing(ctx, caseID, a)
		return cur, err
	}
	var previous *ProcessingRun // a rejected run, whose files go
	c, err := p.caseStep(ctx, caseID, ActStartProcessing, "", func(s Store, a Actor, c *Case, now time.Time) error {
		previous = c.Processing
		c.Processing = &ProcessingRun{StartedBy: a.UserID, StartedAt: now, JobID: "process_case:" + idStr(caseID)}
		return nil
	})
	if err == nil && previous != nil {
		for _, id := range []string{previous.OutputVault, previous.RecordVault} {
			if id != "" && p.Vault.Delete(ctx, id) == nil {
				p.Store.AppendAudit(ctx, AuditEntry{Actor: a, BodyID: c.BodyID, Action: "vault.delete", TargetKind: "vault_object",
					TargetID: id, Detail: "rejected processing run of case " + idStr(caseID)}, p.now())
			}
		}
	}
	if err != nil {
		return c, err
	}
	// The case page shows the new run as queued, not the last run's end.
	p.Store.SetJobProgress(ctx, caseID, JobProgress{Phase: PhaseQueued, UpdatedAt: p.now()})
	if p.Queue == nil {
		return c, nil
	}
	if _, err := p.Queue.EnqueueProcessing(ctx, caseID, a); err != nil {
		return c, fault.New(fault.Unavailable, "processing could not be queued; start it again", "加工ジョブを登録できませんでした。再度開始してください").Wrap(err)
	}
	return c, nil
}

// ProcessingInput is what the engine gets for one case.
type ProcessingInput struct {
	Case    *Case
	Body    *Body
	Entry   *RegisterEntry // the source file's register entry
	Extract io.Reader      // decrypted source extract
	Name    string         // the extract's file name
}

// ProcessingOutput is what the engine returns.
type ProcessingOutput struct {
	Output     []byte // the anonymised dataset (CSV, UTF-8)
	Rows       int64
	Record     []byte // the processing record (JSON): protected, kept in the vault
	Summary    string // methods at a level that reveals no parameter
	MinClass   int64
	Suppressed int64
	// ChecksFailed lists the Rule 62 items the output fails (empty: all pass).
	ChecksFailed []string
}

// Engine runs the anonymisation for a case (wired by package jobs).
type Engine func(ctx context.Context, in *ProcessingInput) (*ProcessingOutput, error)

// RunProcessing runs engine on the case's extract and records the result,
// as the processor who started it (the actor of ctx). The output and the
// processing record go to the vault. Used by the processing job; if the
// case is no longer PROCESSING (the job ran already) nothing is stored.
func (p *Procedure) RunProcessing(ctx context.Context, caseID ID, engine Engine) error {
	a, err := ActorFrom(ctx)
	if err != nil {
		return err
	}
	c, err := p.Store.Case(ctx, caseID)
	if err != nil {
		return err
	}
	if c.State != StateProcessing || c.Extract == nil {
		return fault.New(fault.Conflict, "the case is not being processed", "加工中の案件ではありません")
	}
	out, runErr := p.runEngine(ctx, a, c, engine)
	if runErr != nil {
		// The note is shown on the (Japanese) timeline: the Japanese message.
		_, err := p.caseStep(ctx, caseID, ActFailProcessing, fault.Safe(runErr, true), func(s Store, a Actor, c *Case, now time.Time) error {
			c.Processing.Error = fault.Safe(runErr, true)
			return nil
		})
		if err != nil {
			return err
		}
		return runErr
	}
	outObj, err := p.Vault.Put(ctx, "output-"+idStr(caseID)+".csv", bytes.NewReader(out.Output))
	if err != nil {
		return err
	}
	recObj, err := p.Vault.Put(ctx, "record-"+idStr(caseID)+".json", bytes.NewReader(out.Record))
	if err != nil {
		p.Vault.Delete(ctx, outObj.ID)
		return err
	}
	_, err = p.caseStep(ctx, caseID, ActFinishProcessing, "output sha256:"+outObj.SHA256, func(s Store, a Actor, c *Case, now time.Time) error {
		pr := c.Processing
		pr.FinishedAt, pr.OutputVault, pr.OutputSHA256, pr.OutputRows = &now, outObj.ID, outObj.SHA256, out.Rows
		pr.RecordVault, pr.RecordSHA256, pr.Summary = recObj.ID, recObj.SHA256, out.Summary
		pr.MinClass, pr.Suppressed, pr.Error, pr.ChecksFailed = out.MinClass, out.Suppressed, "", out.ChecksFailed
		return nil
	})
	if err != nil {
		p.Vault.Delete(ctx, outObj.ID)
		p.Vault.Delete(ctx, recObj.ID)
	}
	return err
}

func (p *Procedure) runEngine(ctx context.Context, a Actor, c *Case, engine Engine) (*ProcessingOutput, error) {
	body, err := p.Store.Body(ctx, c.BodyID)
	if err != nil {
		return nil, err
	}
	entry, err := p.Store.RegisterEntry(ctx, c.Targets[0].EntryID)
	if err != nil {
		return nil, err
	}
	rc, err := p.Vault.Open(ctx, c.Extract.VaultID)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if _, err := p.Store.AppendAudit(ctx, AuditEntry{Actor: a, BodyID: c.BodyID, Action: "vault.read", TargetKind: "vault_object",
		TargetID: c.Extract.VaultID, Detail: "processing case " + idStr(c.ID)}, p.now()); err != nil {
		return nil, err
	}
	return engine(ctx, &ProcessingInput{Case: c, Body: body, Entry: entry, Extract: rc, Name: c.Extract.Name})
}

// ApproveRisk: a risk assessor who is not the processor approves the
// processing record. An output that fails a Rule 62 item is released only
// with an override for that item (ApproveRiskOverriding).
func (p *Procedure) ApproveRisk(ctx context.Context, caseID ID, note string) (*Case, error) {
	return p.ApproveRiskOverriding(ctx, caseID, note, nil)
}

// CheckOverride is the reason given for releasing an output that fails one
// item of the processing standard (Rule 62).
type CheckOverride struct {
	Item   int    `json:"item" doc:"the Rule 62 item (1–5) that failed"`
	Reason string `json:"reason" doc:"why the output may be released nonetheless"`
}

// ApproveRiskOverriding approves the processing record; every failed Rule
// 62 item needs an override with a reason. The gate (standard.Gate) takes
// the processor who ran the job as requester and operator and the risk
// assessor as the second person who approves: the assessor can never be
// the processor, so no one releases a failing output alone.
func (p *Procedure) ApproveRiskOverriding(ctx context.Context, caseID ID, note string, overrides []CheckOverride) (*Case, error) {
	return p.caseStep(ctx, caseID, ActApproveRisk, note, func(s Store, a Actor, c *Case, now time.Time) error {
		if c.Processing == nil || c.Processing.StartedBy == a.UserID {
			return fault.New(fault.Forbidden, "the risk check must be made by someone other than the processor", "リスク確認は加工担当者以外が行います")
		}
		if strings.TrimSpace(note) == "" {
			return fault.New(fault.Invalid, "the check report is required", "確認結果を記載してください").In("note")
		}
		operator := idStr(c.Processing.StartedBy)
		if u, err := s.User(ctx, c.Processing.StartedBy); err == nil {
			operator = u.Login
		}
		var given []standard.Override
		for _, o := range overrides {
			if strings.TrimSpace(o.Reason) != "" {
				given = append(given, standard.Override{Item: o.Item, Reason: strings.TrimSpace(o.Reason), RequestedBy: operator, ApprovedBy: a.Login, At: now})
			}
		}
		if err := standard.Gate(failedChecks(c.Processing.ChecksFailed), given, operator); err != nil {
			return fault.New(fault.Conflict, "the output fails the processing standard (Rule 62): "+strings.Join(c.Processing.ChecksFailed, " / ")+"; "+err.Error(),
				"出力が加工基準（規則第62条）を満たしていません。再加工を求めるか、不適合の号ごとに提供してよい理由を記載してください："+strings.Join(c.Processing.ChecksFailed, " / ")).In("checks")
		}
		c.Processing.RiskBy, c.Processing.RiskAt, c.Processing.RiskNote = a.UserID, &now, note
		c.Processing.Overrides = nil
		for _, o := range given {
			if slices.ContainsFunc(failedChecks(c.Processing.ChecksFailed), func(r standard.CheckResult) bool { return r.Item == o.Item }) {
				c.Processing.Overrides = append(c.Processing.Overrides, o)
			}
		}
		return nil
	})
}

// failedChecks reads the failed items back from ChecksFailed ("第N号：…").
func failedChecks(failed []string) []standard.CheckResult {
	var out []standard.CheckResult
	for _, f := range failed {
		var n int
		if _, err := fmt.Sscanf(f, "第%d号", &n); err == nil {
			out = append(out, standard.CheckResult{Item: n})
		} else {
			out = append(out, standard.CheckResult{Item: 0}) // unreadable: no override can match
		}
	}
	return out
}

// ProcessingRecord returns the processing record of the case's last run as
// the people who check it may see it: the public view of the record kept
// in the vault (standard.Record.Public: no keys, seeds or hierarchies, rare
// source categories merged), with the risk assessor and the overrides of
// the approval. The read is audited (OpenCaseFile).
func (p *Procedure) ProcessingRecord(ctx context.Context, caseID ID) (*standard.Record, error) {
	rc, err := p.OpenCaseFile(ctx, caseID, "record")
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var rec standard.Record
	if err := json.NewDecoder(rc).Decode(&rec); err != nil {
		return nil, fault.New(fault.Internal, "the processing record cannot be read", "加工の記録を読めません").Wrap(err)
	}
	c, err := p.Store.Case(ctx, caseID)
	if err != nil {
		return nil, err
	}
	if pr := c.Processing; pr != nil && pr.RiskBy != 0 {
		rec.Reviewer = idStr(pr.RiskBy)
		if u, err := p.Store.User(ctx, pr.RiskBy); err == nil {
			rec.Reviewer = u.Login
		}
		rec.Overrides = pr.Overrides
	}
	return rec.Public(), nil
}

// RejectRisk sends the case back for processing again.
func (p *Procedure) RejectRisk(ctx context.Context, caseID ID, note string) (*Case, error) {
	return p.caseStep(ctx, caseID, ActRejectRisk, note, func(s Store, a Actor, c *Case, now time.Time) error {
		if c.Processing != nil && c.Processing.StartedBy == a.UserID {
			return fault.New(fault.Forbidden, "the risk check must be made by someone other than the processor", "リスク確認は加工担当者以外が行います")
		}
		return nil
	})
}

// RejectOutput: the body does not accept the output; processing again.
func (p *Procedure) RejectOutput(ctx context.Context, caseID ID, reason string) (*Case, error) {
	return p.caseStep(ctx, caseID, ActRejectOutput, reason, nil)
}

// AcceptOutput: the body accepts the output as its own anonymised
// information, adds the art. 117 items to the file register and lists the
// dataset for reuse proposals (art. 118) until proposalTo.
func (p *Procedure) AcceptOutput(ctx context.Context, caseID ID, proposalTo time.Time) (*Case, error) {
	return p.caseStep(ctx, caseID, ActAcceptOutput, "", func(s Store, a Actor, c *Case, now time.Time) error {
		if !proposalTo.After(now) {
			return fault.New(fault.Invalid, "the proposal period must end in the future", "提案をすることができる期間の終期は将来の日付としてください").In("proposal_to")
		}
		c.Processing.AcceptedBy, c.Processing.AcceptedAt = a.UserID, &now
		entry, err := s.RegisterEntry(ctx, c.Targets[0].EntryID)
		if err != nil {
			return err
		}
		body, err := s.Body(ctx, c.BodyID)
		if err != nil {
			return err
		}
		ds := p.datasetFor(c, entry, body, now, proposalTo)
		if err := s.PutCatalogDataset(ctx, ds); err != nil {
			return err
		}
		c.DatasetID = ds.ID
		if c.Contract != nil { // the contract's information is now identified
			c.Contract.DatasetID, c.Contract.DatasetVersion = ds.ID, ds.Version
		}
		entry.AnonSummary = summarize(ds)
		entry.AnonOffice, entry.AnonProposalFrom, entry.AnonProposalTo = ds.ProposalOffice, ds.ProposalFrom, ds.ProposalTo
		return s.UpdateRegisterEntry(ctx, entry, a.UserID, "第117条：行政機関等匿名加工情報の作成（案件"+idStr(c.ID)+"）")
	})
}

func (p *Procedure) datasetFor(c *Case, e *RegisterEntry, b *Body, now, to time.Time) *CatalogDataset {
	var items []DatasetItem
	for _, t := range c.Targets {
		for _, it := range t.Items {
			if it.Requested() {
				items = append(items, DatasetItem{Name: it.Item, Granularity: GranularityJA(it.Granularity)})
			}
		}
	}
	office := e.ProposalOffice
	if office == "" {
		office = b.Name + " " + b.Unit
	}
	return &CatalogDataset{ID: StableUUID("case-dataset", idStr(c.ID)), Name: "anon-" + b.LGCode + "-" + idStr(c.ID),
		Kind: DatasetAnonymized, Title: e.FileName + "（行政機関等匿名加工情報）", Notes: c.Processing.Summary,
		LGCode: b.LGCode, BodyID: b.ID, FileID: e.ID, Subjects: c.Processing.OutputRows, Items: items,
		MethodsSummary: c.Processing.Summary, ProposalOffice: office, ProposalFrom: &now, ProposalTo: &to,
		Contracts: 1, LicenseID: "contract", State: PublishPublished, CreatedAt: now, ModifiedAt: now, PublishedAt: &now}
}

func summarize(d *CatalogDataset) string {
	names := make([]string, len(d.Items))
	for i, it := range d.Items {
		names[i] = it.Name + "（" + it.Granularity + "）"
	}
	return "本人の数 " + groupDigits(d.Subjects) + "人；項目：" + strings.Join(names, "、")
}

// OpenCaseFile opens the processing record ("record") or the output
// ("output") of a case for the people who check it: the processor, the
// risk assessor, the window, auditors, and the users of the case's body.
// The read is written to the audit chain before any byte is returned.
func (p *Procedure) OpenCaseFile(ctx context.Context, caseID ID, kind string) (io.ReadCloser, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	c, err := p.Case(ctx, caseID)
	if err != nil {
		return nil, err
	}
	if a.Role == RoleBusiness || a.Role == RoleAdmin {
		return nil, fault.New(fault.Forbidden, "the processing files are protected", "加工の記録及び出力は閲覧できません")
	}
	if c.Processing == nil || c.Processing.OutputVault == "" {
		return nil, fault.New(fault.NotFound, "nothing has been processed yet", "加工結果がありません")
	}
	id := c.Processing.OutputVault
	if kind == "record" {
		id = c.Processing.RecordVault
	} else if kind != "output" {
		return nil, fault.New(fault.NotFound, "unknown file", "見つかりません")
	}
	if _, err := p.Store.AppendAudit(ctx, AuditEntry{Actor: a, BodyID: c.BodyID, Action: "vault.read", TargetKind: "vault_object",
		TargetID: id, Detail: kind + " of case " + idStr(c.ID)}, p.now()); err != nil {
		return nil, err
	}
	return p.Vault.Open(ctx, id)
}
