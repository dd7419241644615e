package platform

import (
	"context"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// CreateCall stores a draft call for body c.BodyID. The body's users or the
// window (drafting on the body's behalf) may do it.
func (p *Procedure) CreateCall(ctx context.Context, c *Call) error {
	a, err := ActorFrom(ctx)
	if err != nil {
		return err
	}
	if err := a.RequireBody(c.BodyID, RoleBodyReviewer, RoleBodyApprover, RoleWindowOfficer); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	now := p.now()
	c.Published, c.PublishedAt, c.CreatedAt = false, nil, now
	return p.Store.Atomic(ctx, func(s Store) error {
		if err := p.checkCallFiles(ctx, s, c); err != nil {
			return err
		}
		if err := s.CreateCall(ctx, c); err != nil {
			return err
		}
		_, err := s.AppendAudit(ctx, AuditEntry{Actor: a, BodyID: c.BodyID, Action: "call.create", TargetKind: "call", TargetID: idStr(c.ID)}, now)
		return err
	})
}

// checkCallFiles: every target file is the body's and invites proposals.
func (p *Procedure) checkCallFiles(ctx context.Context, s Store, c *Call) error {
	for i, id := range c.EntryIDs {
		e, err := s.RegisterEntry(ctx, id)
		if err != nil {
			return err
		}
		if e.BodyID != c.BodyID || !e.ProposalInvited {
			return fault.New(fault.Invalid, "a target file must be the body's and marked as inviting proposals",
				"対象ファイルは当該実施機関の「提案の募集をする個人情報ファイル」である必要があります").In("entry_ids").At("", i+1, 0)
		}
	}
	return nil
}

// PublishCall makes the public notice (公示): a legal act of the body, by its
// approver. The period must still lie ahead or be running.
func (p *Procedure) PublishCall(ctx context.Context, id ID) (*Call, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	var out *Call
	err = p.Store.Atomic(ctx, func(s Store) error {
		c, err := s.Call(ctx, id)
		if err != nil {
			return err
		}
		if err := a.RequireBody(c.BodyID, RoleBodyApprover); err != nil {
			return err
		}
		if !a.Role.BodyScoped() {
			return fault.New(fault.Forbidden, "only the body publishes its call", "募集の公示は実施機関が行います")
		}
		if c.Published {
			return fault.New(fault.Conflict, "the call is already published", "既に公示されています")
		}
		if err := c.ValidateNotice(); err != nil {
			return err
		}
		now := p.now()
		if !now.Before(c.ClosesAt) || c.ClosesAt.Sub(maxTime(now, c.OpensAt)) < MinCallDays*24*time.Hour {
			return fault.New(fault.Invalid, "fewer than 30 days of the period remain", "募集期間が30日以上残っていません").In("closes_at")
		}
		c.Published, c.PublishedAt = true, &now
		if err := s.UpdateCall(ctx, c); err != nil {
			return err
		}
		out = c
		_, err = s.AppendAudit(ctx, AuditEntry{Actor: a, BodyID: c.BodyID, Action: "call.publish", TargetKind: "call", TargetID: idStr(c.ID)}, now)
		return err
	})
	return out, err
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Calls lists calls: all for operator staff, the body's own for body users,
// published ones for everybody else.
func (p *Procedure) Calls(ctx context.Context) ([]Call, error) {
	a, _ := ActorFrom(ctx)
	all, err := p.Store.Calls(ctx, 0)
	if err != nil {
		return nil, err
	}
	var out []Call
	for _, c := range all {
		if c.Published || (a.UserID != 0 && a.CanReadBody(c.BodyID)) {
			out = append(out, c)
		}
	}
	return out, nil
}

// PublicCalls returns the published calls for the public catalogue
// (Catalog.Calls).
func (p *Procedure) PublicCalls(ctx context.Context) ([]CatalogCall, error) {
	all, err := p.Store.Calls(ctx, 0)
	if err != nil {
		return nil, err
	}
	var out []CatalogCall
	for _, c := range all {
		if !c.Published {
			continue
		}
		b, err := p.Store.Body(ctx, c.BodyID)
		if err != nil {
			return nil, err
		}
		out = append(out, CatalogCall{ID: c.ID, BodyID: c.BodyID, LGCode: b.LGCode, Title: c.Title,
			Opens: c.OpensAt, Closes: c.ClosesAt, FileIDs: c.EntryIDs, NoticeURL: c.NoticeURL})
	}
	return out, nil
}

// AddFeeTable stores a fee table of the body (its approver; the ordinance).
func (p *Procedure) AddFeeTable(ctx context.Context, f *FeeTable) error {
	a, err := ActorFrom(ctx)
	if err != nil {
		return err
	}
	if err := a.RequireBody(f.BodyID, RoleBodyApprover); err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return err
	}
	return p.Store.Atomic(ctx, func(s Store) error {
		if err := s.CreateFeeTable(ctx, f); err != nil {
			return err
		}
		_, err := s.AppendAudit(ctx, AuditEntry{Actor: a, BodyID: f.BodyID, Action: "fee_table.create", TargetKind: "fee_table", TargetID: idStr(f.ID)}, p.now())
		return err
	})
}

// FeeTables lists the body's fee tables (public information: ordinances).
func (p *Procedure) FeeTables(ctx context.Context, body ID) ([]FeeTable, error) {
	return p.Store.FeeTables(ctx, body)
}

func containsID(ids []ID, id ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
