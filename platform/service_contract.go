package platform

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// fee computes the fee of c under the body's table in force at now: new
// creation from hours and outsourcing (plus the body's share of a joint
// commission's shared cost), reuse at the original contract's fee.
func (p *Procedure) fee(ctx context.Context, s Store, c *Case, hours float64, outsourcing int64, now time.Time) (Fee, error) {
	tables, err := s.FeeTables(ctx, c.BodyID)
	if err != nil {
		return Fee{}, err
	}
	ft := FeeTableAt(tables, c.BodyID, now)
	if c.Kind == KindReuse {
		orig, err := originalFee(ctx, s, c.DatasetID)
		if err != nil {
			return Fee{}, err
		}
		if orig > 0 {
			return ft.Compute(FeeReuse, 0, 0, orig)
		}
		// A dataset the body created without a proposal (§2.5) has no
		// original contract: the fee is what a contract under art. 115 for
		// its creation would pay (the work the body recorded with the file),
		// or, before the file is registered, computed from the work stated.
		if f, err := s.DatasetFile(ctx, c.DatasetID); err == nil {
			return bodyDatasetFee(ft, f)
		} else if fault.ErrorCode(err) != fault.NotFound {
			return Fee{}, err
		}
	}
	if c.CommissionID != 0 {
		cm, err := s.Commission(ctx, c.CommissionID)
		if err != nil {
			return Fee{}, err
		}
		outsourcing += cm.Shares[c.BodyID]
	}
	return ft.Compute(FeeNew, hours, outsourcing, 0)
}

// bodyDatasetFee is the reuse fee of a body-created dataset: the amount of
// a new creation with the recorded work, under the table in force.
func bodyDatasetFee(ft FeeTable, f *DatasetFile) (Fee, error) {
	n, err := ft.Compute(FeeNew, f.Hours, f.Outsourcing, 0)
	if err != nil {
		return Fee{}, err
	}
	fee, err := ft.Compute(FeeReuse, f.Hours, f.Outsourcing, n.Total)
	if err != nil {
		return Fee{}, err
	}
	fee.Lines = []FeeLine{{"作成済みの行政機関等匿名加工情報の利用（実施機関が作成：作成に要した時間 " +
		strconv.FormatFloat(f.Hours, 'f', -1, 64) + "時間・委託費用 " + FormatYen(f.Outsourcing) + " による額）", n.Total}}
	return fee, nil
}

// originalFee is the fee of the contract under which the dataset was created.
func originalFee(ctx context.Context, s Store, dataset string) (int64, error) {
	cs, err := s.Cases(ctx, CaseFilter{DatasetID: dataset})
	if err != nil {
		return 0, err
	}
	for _, c := range cs {
		if c.Kind == KindNew && c.Invoice != nil {
			return c.Invoice.Fee.Total, nil
		}
	}
	return 0, nil
}

// ApplyContract: the proposer applies to conclude the contract (art. 115)
// after a conforming notice, before the application deadline.
func (p *Procedure) ApplyContract(ctx context.Context, caseID ID) (*Case, error) {
	return p.caseStep(ctx, caseID, ActApplyContract, "", func(s Store, a Actor, c *Case, now time.Time) error {
		if c.Notice == nil || c.Notice.Result != NoticeConforming {
			return fault.New(fault.Conflict, "the notice was not conforming", "基準に適合する旨の通知を受けていません")
		}
		if c.Notice.ApplyBy != nil && now.After(*c.Notice.ApplyBy) {
			return fault.New(fault.Conflict, "the application deadline has passed", "契約の申込期限を過ぎています")
		}
		c.AppliedAt = &now
		return nil
	})
}

// IssueInvoice: the body computes the fee under its ordinance and requests it.
func (p *Procedure) IssueInvoice(ctx context.Context, caseID ID, hours float64, outsourcing int64, payDays int) (*Case, error) {
	if payDays <= 0 {
		payDays = 30
	}
	return p.caseStep(ctx, caseID, ActInvoice, "", func(s Store, a Actor, c *Case, now time.Time) error {
		f, err := p.fee(ctx, s, c, hours, outsourcing, now)
		if err != nil {
			return err
		}
		tables, err := s.FeeTables(ctx, c.BodyID)
		if err != nil {
			return err
		}
		body, err := s.Body(ctx, c.BodyID)
		if err != nil {
			return err
		}
		c.Invoice = &Invoice{Number: body.LGCode + "-F" + idStr(c.ID), Fee: f, Ordinance: FeeTableAt(tables, c.BodyID, now).Ordinance,
			DueAt: now.AddDate(0, 0, payDays), IssuedAt: now, IssuedBy: a.UserID}
		return nil
	})
}

// RecordPayment: the body records receipt of the full fee.
func (p *Procedure) RecordPayment(ctx context.Context, caseID ID, pay Payment) (*Case, error) {
	return p.caseStep(ctx, caseID, ActRecordPayment, pay.Receipt, func(s Store, a Actor, c *Case, now time.Time) error {
		if pay.Amount != c.Invoice.Fee.Total {
			return fault.New(fault.Invalid, "the amount paid differs from the invoice", "納付額が請求額と一致しません").In("amount")
		}
		if strings.TrimSpace(pay.Receipt) == "" {
			return fault.New(fault.Invalid, "the receipt number is required", "領収番号を入力してください").In("receipt")
		}
		if pay.PaidAt.IsZero() {
			pay.PaidAt = now
		}
		pay.RecordedBy = a.UserID
		c.Payment = &pay
		return nil
	})
}

// SignContract: the contractor agrees to the contract and names the users
// (staff names and their accounts, who alone may download).
func (p *Procedure) SignContract(ctx context.Context, caseID ID, location string, users []string, recipients []ID) (*Case, error) {
	return p.caseEdit(ctx, caseID, "contract.sign", "", []State{StateFeePaid}, PartyProposer, business,
		func(s Store, a Actor, c *Case, now time.Time) error {
			if len(recipients) == 0 {
				return fault.New(fault.Invalid, "at least one recipient account is required", "受領者のアカウントを1つ以上指定してください").In("recipients")
			}
			for _, r := range recipients {
				u, err := s.User(ctx, r)
				if err != nil {
					return err
				}
				if u.BusinessID != c.BusinessID || u.Role != RoleBusiness {
					return fault.New(fault.Invalid, "a recipient must be a user of the contractor", "受領者は契約者の利用者である必要があります").In("recipients")
				}
			}
			ct, err := p.draftContract(ctx, s, c)
			if err != nil {
				return err
			}
			ct.UseLocation, ct.Users, ct.RecipientIDs, ct.SignedByBiz = location, users, recipients, &now
			ct.Clauses = ContractClauses(ct)
			c.Contract = ct
			return nil
		})
}

func (p *Procedure) draftContract(ctx context.Context, s Store, c *Case) (*Contract, error) {
	body, err := s.Body(ctx, c.BodyID)
	if err != nil {
		return nil, err
	}
	pr, err := s.Proposal(ctx, c.ProposalID)
	if err != nil {
		return nil, err
	}
	var items []string
	for _, t := range c.Targets {
		for _, it := range t.Items {
			if it.Requested() {
				items = append(items, it.Item+"（"+GranularityJA(it.Granularity)+"）")
			}
		}
	}
	contractor := pr.Proposer.Name
	for _, j := range pr.JointProposers {
		contractor += "・" + j.Name
	}
	k := &Contract{Number: body.LGCode + "-C" + idStr(c.ID), BodyName: body.Name, Contractor: contractor, Title: c.Title,
		Items: items, Subjects: c.Subjects, Purpose: pr.Purpose, UseFrom: c.UseFrom, UseTo: c.UseTo, Fee: c.Invoice.Fee.Total}
	if c.DatasetID != "" { // a reuse: the dataset exists
		d, err := s.CatalogDataset(ctx, c.DatasetID)
		if err != nil {
			return nil, err
		}
		k.DatasetID, k.DatasetVersion = d.ID, d.Version
	}
	return k, nil
}

// ConcludeContract: the body's approver concludes the signed contract.
func (p *Procedure) ConcludeContract(ctx context.Context, caseID ID) (*Case, error) {
	return p.caseStep(ctx, caseID, ActConcludeContract, "", func(s Store, a Actor, c *Case, now time.Time) error {
		if c.Contract == nil {
			return fault.New(fault.Conflict, "the contractor has not signed", "契約者の同意がありません")
		}
		if err := c.Contract.Validate(); err != nil {
			return err
		}
		if c.Payment == nil {
			return fault.New(fault.Conflict, "the fee is not paid", "手数料が納付されていません")
		}
		c.Contract.ConcludedAt, c.Contract.ConcludedBy = &now, a.UserID
		if c.Kind != KindReuse {
			return nil
		}
		ds, err := s.CatalogDataset(ctx, c.DatasetID)
		if err != nil {
			return err
		}
		ds.Contracts++ // the public count of contracts (no names)
		ds.ModifiedAt = now
		return s.PutCatalogDataset(ctx, ds)
	})
}

var granJA = map[Granularity]string{GranAsIs: "そのまま", GranDelete: "削除", GranPseudonym: "仮ID", GranBand: "階級区分",
	GranTopCode: "トップ・ボトムコーディング", GranYear: "年", GranMonth: "年月", GranPrefecture: "都道府県",
	GranMunicipality: "市区町村", GranTown: "町字", GranCategory: "分類"}

// GranularityJA returns the Japanese label of g.
func GranularityJA(g Granularity) string {
	if l, ok := granJA[g]; ok {
		return l
	}
	return string(g)
}
