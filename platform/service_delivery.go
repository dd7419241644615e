package platform

import (
	"context"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
)

func (p *Procedure) downloadTTL() time.Duration {
	if p.DownloadTTL > 0 {
		return p.DownloadTTL
	}
	return 7 * 24 * time.Hour
}

// outputOf returns the vault object and hash of the dataset a case delivers:
// its own output, or for reuse the output of the case that created it.
func outputOf(ctx context.Context, s Store, c *Case) (string, string, error) {
	if c.Kind != KindReuse {
		if c.Processing == nil || c.Processing.OutputVault == "" {
			return "", "", fault.New(fault.Conflict, "no output", "加工結果がありません")
		}
		return c.Processing.OutputVault, c.Processing.OutputSHA256, nil
	}
	cs, err := s.Cases(ctx, CaseFilter{DatasetID: c.DatasetID})
	if err != nil {
		return "", "", err
	}
	for _, o := range cs {
		if o.Kind == KindNew && o.Processing != nil && o.Processing.OutputVault != "" {
			return o.Processing.OutputVault, o.Processing.OutputSHA256, nil
		}
	}
	// Data the body created without a proposal (§2.5): the file it uploaded.
	f, err := s.DatasetFile(ctx, c.DatasetID)
	if fault.ErrorCode(err) == fault.NotFound {
		return "", "", fault.New(fault.Conflict, "the created dataset's file has not been registered", "作成済みの情報のファイルが登録されていません")
	}
	if err != nil {
		return "", "", err
	}
	return f.VaultID, f.SHA256, nil
}

// downloadName is the name a recipient's download gets: the case's output
// is CSV; a body-created file keeps its own extension (CSV or XLSX).
func downloadName(ctx context.Context, s Store, c *Case) string {
	name := "dataset-" + idStr(c.ID) + ".csv"
	if c.Kind != KindReuse {
		return name
	}
	if f, err := s.DatasetFile(ctx, c.DatasetID); err == nil && strings.HasSuffix(strings.ToLower(f.Name), ".xlsx") {
		return "dataset-" + idStr(c.ID) + ".xlsx"
	}
	return name
}

// Deliver: the window, on behalf of the body, grants the contract's named
// recipients a single-use download valid for DownloadTTL and writes the
// provision record.
func (p *Procedure) Deliver(ctx context.Context, caseID ID) (*Case, error) {
	return p.caseStep(ctx, caseID, ActDeliver, "", func(s Store, a Actor, c *Case, now time.Time) error {
		if c.State == StateContracted && c.Kind != KindReuse {
			return fault.New(fault.Conflict, "new data must be processed and registered first", "加工とファイル簿への記載が済んでいません")
		}
		_, hash, err := outputOf(ctx, s, c)
		if err != nil {
			return err
		}
		exp := now.Add(p.downloadTTL())
		for _, u := range c.Contract.RecipientIDs {
			if err := s.CreateDownload(ctx, &Download{CaseID: c.ID, UserID: u, ExpiresAt: exp, CreatedAt: now}); err != nil {
				return err
			}
		}
		c.Provision = &Provision{DatasetID: c.DatasetID, OutputHash: hash, Contract: c.Contract.Number,
			Recipients: c.Contract.RecipientIDs, Method: "期限付き・一回限りのダウンロード（指定受領者）",
			Statement: ProvisionStatement, DeliveredAt: now, DeliveredBy: a.UserID, ExpiresAt: exp, DeleteBy: c.UseTo}
		return nil
	})
}

// Download returns the dataset to a named recipient, once, before the grant
// expires; the first download starts the use (PROVIDED → IN_USE).
func (p *Procedure) Download(ctx context.Context, caseID ID) (io.ReadCloser, string, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, "", err
	}
	var vaultID, name string
	var c *Case
	err = p.Store.Atomic(ctx, func(s Store) error {
		c, err = s.Case(ctx, caseID)
		if err != nil {
			return err
		}
		if a.Role != RoleBusiness || c.Contract == nil || !slices.Contains(c.Contract.RecipientIDs, a.UserID) {
			return fault.New(fault.Forbidden, "only a named recipient may download", "指定された受領者のみがダウンロードできます")
		}
		if c.State != StateProvided && c.State != StateInUse {
			return fault.New(fault.Conflict, "nothing to download in this state", "この状態ではダウンロードできません")
		}
		now := p.now()
		if _, err := s.UseDownload(ctx, caseID, a.UserID, now); err != nil {
			return err
		}
		if vaultID, _, err = outputOf(ctx, s, c); err != nil {
			return err
		}
		name = downloadName(ctx, s, c)
		_, err = s.AppendAudit(ctx, AuditEntry{Actor: a, BodyID: c.BodyID, Action: "vault.read", TargetKind: "vault_object",
			TargetID: vaultID, Detail: "download case " + idStr(c.ID)}, now)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	if c.State == StateProvided {
		if _, err := p.caseStep(ctx, caseID, ActStartUse, "download", nil); err != nil {
			return nil, "", err
		}
	}
	rc, err := p.Vault.Open(ctx, vaultID)
	return rc, name, err
}

// StartUse: the contractor confirms receipt (when delivered another way).
func (p *Procedure) StartUse(ctx context.Context, caseID ID) (*Case, error) {
	return p.caseStep(ctx, caseID, ActStartUse, "", nil)
}

// ProposeChange: the contractor proposes to change its business (art. 118).
func (p *Procedure) ProposeChange(ctx context.Context, caseID ID, purpose, reason string) (*Case, error) {
	if strings.TrimSpace(purpose) == "" || strings.TrimSpace(reason) == "" {
		return nil, fault.New(fault.Invalid, "purpose and reason are required", "変更後の目的と理由を入力してください").In("purpose")
	}
	return p.caseStep(ctx, caseID, ActProposeChange, purpose, func(s Store, a Actor, c *Case, now time.Time) error {
		c.Changes = append(c.Changes, ChangeProposal{Purpose: purpose, Reason: reason, ProposedAt: now})
		return nil
	})
}

// ReviewChange records the body's review of the proposed change against
// the criteria, as for a proposal (domain.md §2 C16: the change goes
// through review again). Any body user may save it; the approver decides.
func (p *Procedure) ReviewChange(ctx context.Context, caseID ID, findings []Finding) (*Case, error) {
	return p.caseEdit(ctx, caseID, "change.review", "", []State{StateChangeProposed}, PartyBody, bodyAny,
		func(s Store, a Actor, c *Case, now time.Time) error {
			for i, f := range findings {
				if f.Criterion < 1 || f.Criterion > len(Criteria) {
					return fault.New(fault.Invalid, "criterion must be 1–7", "審査基準の番号は1〜7です").In("findings").At("", i+1, 0)
				}
			}
			c.Changes[len(c.Changes)-1].Review = &Review{Findings: findings, ReviewerID: a.UserID, SubmittedAt: now}
			return nil
		})
}

// DecideChange: the approver decides on the reviewed change; it can be
// approved only when the review is complete and conforming. When approved
// the contract's purpose changes and the change fee (12,600 yen by
// default) is recorded.
func (p *Procedure) DecideChange(ctx context.Context, caseID ID, approve bool, decision string) (*Case, error) {
	if strings.TrimSpace(decision) == "" {
		return nil, fault.New(fault.Invalid, "the reasons of the decision are required", "判断の理由を入力してください").In("decision")
	}
	return p.caseStep(ctx, caseID, ActDecideChange, decision, func(s Store, a Actor, c *Case, now time.Time) error {
		ch := &c.Changes[len(c.Changes)-1]
		reviewed := *c
		reviewed.Review = ch.Review
		if err := p.checkReview(ctx, s, &reviewed, now); err != nil {
			return err
		}
		if approve && !ch.Review.Conforming() {
			return fault.New(fault.Conflict, "the review found the change non-conforming", "審査の結果、変更後の事業は基準に適合しないため承認できません").In("approve")
		}
		ch.Approved, ch.Decision, ch.DecidedAt = &approve, decision, &now
		if approve {
			tables, err := s.FeeTables(ctx, c.BodyID)
			if err != nil {
				return err
			}
			f, err := FeeTableAt(tables, c.BodyID, now).Compute(FeeChange, 0, 0, 0)
			if err != nil {
				return err
			}
			ch.Fee = f.Total
			c.Contract.Purpose = ch.Purpose
			c.Contract.Clauses = ContractClauses(c.Contract)
		}
		return nil
	})
}

// Cancel: the body cancels the contract under art. 120; the contractor is
// disqualified for two years.
func (p *Procedure) Cancel(ctx context.Context, caseID ID, ground, reason string) (*Case, error) {
	if !slices.Contains([]string{"fraud", "disqualified", "breach"}, ground) || strings.TrimSpace(reason) == "" {
		return nil, fault.New(fault.Invalid, "ground (fraud, disqualified, breach) and reason are required", "解除の事由と理由を入力してください").In("ground")
	}
	return p.caseStep(ctx, caseID, ActCancel, ground+": "+reason, func(s Store, a Actor, c *Case, now time.Time) error {
		c.Cancel = &Cancellation{Ground: ground, Reason: reason, At: now, By: a.UserID}
		return s.AddDisqualification(ctx, &Disqualification{BusinessID: c.BusinessID, CaseID: c.ID, From: now,
			Until: now.AddDate(DisqualificationYears, 0, 0), Reason: reason})
	})
}

// Expire ends the use when the use period is over.
func (p *Procedure) Expire(ctx context.Context, caseID ID) (*Case, error) {
	return p.caseStep(ctx, caseID, ActExpire, "", func(s Store, a Actor, c *Case, now time.Time) error {
		end := c.UseTo
		if c.Contract != nil {
			end = c.Contract.UseTo
		}
		if now.Before(end) {
			return fault.New(fault.Conflict, "the use period has not ended", "利用期間が満了していません")
		}
		return nil
	})
}

// SubmitDeletionCertificate: the contractor reports the deletion.
func (p *Procedure) SubmitDeletionCertificate(ctx context.Context, caseID ID, statement, method string, file io.Reader) (*Case, error) {
	if strings.TrimSpace(statement) == "" || strings.TrimSpace(method) == "" {
		return nil, fault.New(fault.Invalid, "statement and method are required", "消去の内容と方法を入力してください").In("statement")
	}
	var obj *VaultObject
	if file != nil {
		var err error
		if obj, err = p.Vault.Put(ctx, "deletion-"+idStr(caseID), file); err != nil {
			return nil, err
		}
	}
	return p.caseEdit(ctx, caseID, "deletion.submit", "", []State{StateCancelled, StateExpired}, PartyProposer, business,
		func(s Store, a Actor, c *Case, now time.Time) error {
			c.Deletion = &DeletionCertificate{Statement: statement, Method: method, SubmittedAt: now, SubmittedBy: a.UserID}
			if obj != nil {
				c.Deletion.VaultID, c.Deletion.SHA256 = obj.ID, obj.SHA256
			}
			return nil
		})
}

// ConfirmDeletion: the body confirms the deletion certificate.
func (p *Procedure) ConfirmDeletion(ctx context.Context, caseID ID) (*Case, error) {
	return p.caseStep(ctx, caseID, ActConfirmDeletion, "", func(s Store, a Actor, c *Case, now time.Time) error {
		if c.Deletion == nil {
			return fault.New(fault.Conflict, "no deletion certificate has been submitted", "消去報告書が提出されていません")
		}
		c.Deletion.ConfirmedBy = a.UserID
		return nil
	})
}

// Archive closes a case: after deletion, a non-conforming notice, or a
// withdrawal. The source extract is deleted from the vault first (outside
// the transaction: the vault shares the database), then the case is
// archived with the deletion in the audit chain. A retry after a failure
// finds the extract already gone and archives.
func (p *Procedure) Archive(ctx context.Context, caseID ID) (*Case, error) {
	c, err := p.precheck(ctx, caseID, ActArchive)
	if err != nil {
		return nil, err
	}
	if err := archivable(c, p.now()); err != nil {
		return nil, err
	}
	if c.Extract != nil && c.SourceDeletedAt == nil {
		if err := p.Vault.Delete(ctx, c.Extract.VaultID); err != nil && fault.ErrorCode(err) != fault.NotFound {
			return nil, err
		}
	}
	return p.caseStep(ctx, caseID, ActArchive, "", func(s Store, a Actor, c *Case, now time.Time) error {
		if err := archivable(c, now); err != nil {
			return err
		}
		if c.Extract == nil || c.SourceDeletedAt != nil {
			return nil
		}
		c.Extract.DeletedAt, c.SourceDeletedAt = &now, &now
		_, err := s.AppendAudit(ctx, AuditEntry{Actor: a, BodyID: c.BodyID, Action: "vault.delete", TargetKind: "vault_object",
			TargetID: c.Extract.VaultID, Detail: "source extract of case " + idStr(c.ID) + " sha256:" + c.Extract.SHA256}, now)
		return err
	})
}

func archivable(c *Case, now time.Time) error {
	if c.State == StateNotified && c.Notice != nil && c.Notice.Result == NoticeConforming &&
		(c.Notice.ApplyBy == nil || now.Before(*c.Notice.ApplyBy)) {
		return fault.New(fault.Conflict, "the proposer may still apply for the contract", "契約の申込期限前です")
	}
	return nil
}

// WithdrawCase: the proposer withdraws from one body before the contract.
func (p *Procedure) WithdrawCase(ctx context.Context, caseID ID, reason string) (*Case, error) {
	return p.caseStep(ctx, caseID, ActWithdraw, reason, nil)
}

// UseReminders lists cases in use whose use period ends within the body's
// reminder days, and records a reminder once per case (window officer; run
// daily by the jobs package).
func (p *Procedure) UseReminders(ctx context.Context) ([]Case, error) {
	now := p.now()
	out, err := p.EndingSoon(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range out {
		events, err := p.Store.Events(ctx, c.ProposalID)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(events, func(e Event) bool { return e.CaseID == c.ID && e.Action == "reminder" }) {
			continue
		}
		a, err := ActorFrom(ctx)
		if err != nil {
			return nil, err
		}
		err = p.Store.Atomic(ctx, func(s Store) error {
			return record(ctx, s, a, Event{ProposalID: c.ProposalID, CaseID: c.ID, BodyID: c.BodyID, Action: "reminder",
				Note: "利用期間の終了日 " + FormatDateJA(c.UseTo)}, now)
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// EndingSoon lists the cases in use whose use period ends within their
// body's reminder days. It writes nothing (the reminders job does).
func (p *Procedure) EndingSoon(ctx context.Context) ([]Case, error) {
	now := p.now()
	horizon := now.AddDate(0, 0, 366)
	cs, err := p.Cases(ctx, CaseFilter{States: []State{StateInUse, StateChangeProposed}, UseToBefore: &horizon})
	if err != nil {
		return nil, err
	}
	var out []Case
	for _, c := range cs {
		dl, err := deadlinesOf(ctx, p.Store, c.BodyID)
		if err != nil {
			return nil, err
		}
		if !c.UseTo.After(now.AddDate(0, 0, dl.ReminderDays)) {
			out = append(out, c)
		}
	}
	return out, nil
}
