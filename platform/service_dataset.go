package platform

import (
	"context"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// BodyDataset is anonymised information a body created outside the proposal
// procedure (domain.md §2.5), listed so that art. 118 proposals may follow.
type BodyDataset struct {
	EntryID        ID            `json:"entry_id"` // the source file
	Title          string        `json:"title"`
	Subjects       int64         `json:"subjects"`
	Items          []DatasetItem `json:"items"`
	MethodsSummary string        `json:"methods_summary"`
	ProposalTo     time.Time     `json:"proposal_to"`
}

// ListBodyDataset records a body-created dataset: the art. 117 items in the
// file register and a catalogue entry open for proposals until ProposalTo.
// The body's approver only.
func (p *Procedure) ListBodyDataset(ctx context.Context, in BodyDataset) (*CatalogDataset, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Title) == "" || len(in.Items) == 0 || in.Subjects <= 0 {
		return nil, fault.New(fault.Invalid, "title, items and subjects are required", "名称、項目及び本人の数を入力してください").In("title")
	}
	now := p.now()
	if !in.ProposalTo.After(now) {
		return nil, fault.New(fault.Invalid, "the proposal period must end in the future", "提案をすることができる期間の終期は将来の日付としてください").In("proposal_to")
	}
	var out *CatalogDataset
	err = p.Store.Atomic(ctx, func(s Store) error {
		e, err := s.RegisterEntry(ctx, in.EntryID)
		if err != nil {
			return err
		}
		if !a.Role.BodyScoped() || a.BodyID != e.BodyID || a.Role != RoleBodyApprover {
			return fault.New(fault.Forbidden, "only the body's approver lists its datasets", "作成した情報の掲載は当該実施機関の決裁者が行います")
		}
		b, err := s.Body(ctx, e.BodyID)
		if err != nil {
			return err
		}
		to := in.ProposalTo
		office := e.ProposalOffice
		if office == "" {
			office = b.Name + " " + b.Unit
		}
		d := &CatalogDataset{ID: StableUUID("body-dataset", idStr(e.ID), in.Title), Name: "anon-" + b.LGCode + "-e" + idStr(e.ID) + "-" + now.Format("20060102150405"),
			Kind: DatasetAnonymized, Title: in.Title, Notes: in.MethodsSummary, LGCode: b.LGCode, BodyID: b.ID, FileID: e.ID,
			Subjects: in.Subjects, Items: in.Items, MethodsSummary: in.MethodsSummary, ProposalOffice: office,
			ProposalFrom: &now, ProposalTo: &to, LicenseID: "contract", State: PublishPublished, CreatedAt: now, ModifiedAt: now, PublishedAt: &now}
		if err := s.PutCatalogDataset(ctx, d); err != nil {
			return err
		}
		e.AnonSummary, e.AnonOffice, e.AnonProposalFrom, e.AnonProposalTo = summarize(d), office, &now, &to
		if err := s.UpdateRegisterEntry(ctx, e, a.UserID, "第117条：実施機関が作成した行政機関等匿名加工情報の記載"); err != nil {
			return err
		}
		out = d
		_, err = s.AppendAudit(ctx, AuditEntry{Actor: a, BodyID: b.ID, Action: "dataset.list", TargetKind: "catalog_dataset", TargetID: d.ID, Detail: in.Title}, now)
		return err
	})
	return out, err
}
