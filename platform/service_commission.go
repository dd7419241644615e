package platform

import (
	"context"
	"slices"
	"strings"

	"github.com/tokumei/tokumei/fault"
)

// CreateCommission records a joint commission (window officer) and splits
// its shared cost; the cases it covers get its id, so that each body's
// share is added to the outsourcing cost of its fee.
func (p *Procedure) CreateCommission(ctx context.Context, c *Commission) error {
	a, err := ActorFrom(ctx)
	if err != nil {
		return err
	}
	if err := a.Require(RoleWindowOfficer); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	now := p.now()
	c.CreatedAt, c.Published, c.PublishedAt = now, false, nil
	return p.Store.Atomic(ctx, func(s Store) error {
		if err := p.prepareCommission(ctx, s, c, nil); err != nil {
			return err
		}
		if err := s.CreateCommission(ctx, c); err != nil {
			return err
		}
		if err := linkCases(ctx, s, c.ID, nil, c.CaseIDs); err != nil {
			return err
		}
		_, err := s.AppendAudit(ctx, AuditEntry{Actor: a, Action: "commission.create", TargetKind: "commission", TargetID: idStr(c.ID),
			Detail: commissionDetail(c)}, now)
		return err
	})
}

// UpdateCommission changes a commission (window officer): contractor,
// bodies, cases, period, terms and the split. A published record stays
// published with the new content. A body's share that an issued invoice
// already contains cannot change, nor can an invoiced case join or leave.
func (p *Procedure) UpdateCommission(ctx context.Context, c *Commission) error {
	a, err := ActorFrom(ctx)
	if err != nil {
		return err
	}
	if err := a.Require(RoleWindowOfficer); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	now := p.now()
	return p.Store.Atomic(ctx, func(s Store) error {
		old, err := s.Commission(ctx, c.ID)
		if err != nil {
			return err
		}
		c.CreatedAt, c.Published, c.PublishedAt = old.CreatedAt, old.Published, old.PublishedAt
		if err := p.prepareCommission(ctx, s, c, old); err != nil {
			return err
		}
		if err := invoicedUnchanged(ctx, s, old, c); err != nil {
			return err
		}
		if err := s.UpdateCommission(ctx, c); err != nil {
			return err
		}
		if err := linkCases(ctx, s, c.ID, old.CaseIDs, c.CaseIDs); err != nil {
			return err
		}
		_, err = s.AppendAudit(ctx, AuditEntry{Actor: a, Action: "commission.update", TargetKind: "commission", TargetID: idStr(c.ID),
			Detail: commissionDetail(c)}, now)
		return err
	})
}

// prepareCommission checks the bodies and cases of c and splits its cost:
// rows for "equal_rows", when not given, are counted from the cases'
// extracts. A case may belong to one commission only.
func (p *Procedure) prepareCommission(ctx context.Context, s Store, c *Commission, old *Commission) error {
	for _, b := range c.BodyIDs {
		if _, err := s.Body(ctx, b); fault.ErrorCode(err) == fault.NotFound {
			return fault.New(fault.Invalid, "unknown body", "委託元の実施機関が見つかりません").In("body_ids")
		} else if err != nil {
			return err
		}
	}
	for _, eid := range c.EntryIDs {
		e, err := s.RegisterEntry(ctx, eid)
		if fault.ErrorCode(err) == fault.NotFound {
			return fault.New(fault.Invalid, "unknown file", "対象の個人情報ファイルが見つかりません").In("entry_ids")
		}
		if err != nil {
			return err
		}
		if !containsID(c.BodyIDs, e.BodyID) {
			return fault.New(fault.Invalid, "a file of a body outside the commission", "委託元でない実施機関の個人情報ファイルが含まれています").In("entry_ids")
		}
	}
	autoRows := c.SplitKey == SplitEqualRows && len(c.Rows) == 0
	if autoRows || c.SplitKey != SplitEqualRows {
		c.Rows = map[ID]int64{}
	}
	for _, cid := range c.CaseIDs {
		cs, err := s.Case(ctx, cid)
		if fault.ErrorCode(err) == fault.NotFound {
			return fault.New(fault.Invalid, "unknown case", "対象の案件が見つかりません").In("case_ids")
		}
		if err != nil {
			return err
		}
		if !containsID(c.BodyIDs, cs.BodyID) {
			return fault.New(fault.Invalid, "a case of a body outside the commission", "委託元でない実施機関の案件が含まれています").In("case_ids")
		}
		if cs.CommissionID != 0 && (old == nil || cs.CommissionID != old.ID) {
			return fault.New(fault.Conflict, "case "+idStr(cid)+" belongs to another commission", "案件"+idStr(cid)+"は別の共同受託の記録に含まれています").In("case_ids")
		}
		if autoRows && cs.Extract != nil {
			c.Rows[cs.BodyID] += cs.Extract.Rows
		}
	}
	if c.SplitKey != SplitPercent {
		c.Percent = nil
	}
	if c.SplitKey != SplitAmount {
		c.Amounts = nil
	}
	c.Split()
	return nil
}

// invoicedUnchanged refuses an update that would change what an issued
// invoice contains: the share of the body of an invoiced case, or the
// membership of an invoiced case.
func invoicedUnchanged(ctx context.Context, s Store, old, c *Commission) error {
	for _, cid := range union(old.CaseIDs, c.CaseIDs) {
		cs, err := s.Case(ctx, cid)
		if err != nil {
			return err
		}
		if cs.Invoice == nil {
			continue
		}
		if !slices.Contains(old.CaseIDs, cid) || !slices.Contains(c.CaseIDs, cid) || old.Shares[cs.BodyID] != c.Shares[cs.BodyID] {
			return fault.New(fault.Conflict, "the fee of case "+idStr(cid)+" has been invoiced with this commission's share",
				"案件"+idStr(cid)+"の手数料は請求済みのため、その実施機関の按分額及び対象の案件は変更できません").In("shares")
		}
	}
	return nil
}

// linkCases sets the commission of the cases in now and clears it from
// those only in before.
func linkCases(ctx context.Context, s Store, id ID, before, now []ID) error {
	for _, cid := range union(before, now) {
		cs, err := s.Case(ctx, cid)
		if err != nil {
			return err
		}
		want := ID(0)
		if slices.Contains(now, cid) {
			want = id
		}
		if cs.CommissionID == want {
			continue
		}
		cs.CommissionID = want
		if err := s.UpdateCase(ctx, cs); err != nil {
			return err
		}
	}
	return nil
}

func union(a, b []ID) []ID {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// commissionDetail is the audit detail: contractor, bodies and shares.
func commissionDetail(c *Commission) string {
	parts := []string{c.Contractor, "共通経費 " + FormatYen(c.SharedCost), "按分 " + c.SplitKey}
	for _, b := range c.BodyIDs {
		parts = append(parts, "機関"+idStr(b)+" "+FormatYen(c.Shares[b]))
	}
	return strings.Join(parts, "；")
}

// PublishCommission publishes a commission record (window officer).
func (p *Procedure) PublishCommission(ctx context.Context, id ID) error {
	a, err := ActorFrom(ctx)
	if err != nil {
		return err
	}
	if err := a.Require(RoleWindowOfficer); err != nil {
		return err
	}
	now := p.now()
	return p.Store.Atomic(ctx, func(s Store) error {
		c, err := s.Commission(ctx, id)
		if err != nil {
			return err
		}
		if c.Published {
			return fault.New(fault.Conflict, "already published", "この記録は公表済みです")
		}
		c.Published, c.PublishedAt = true, &now
		if err := s.UpdateCommission(ctx, c); err != nil {
			return err
		}
		_, err = s.AppendAudit(ctx, AuditEntry{Actor: a, Action: "commission.publish", TargetKind: "commission", TargetID: idStr(c.ID)}, now)
		return err
	})
}

// Commissions lists commissions: all for operator staff and auditors; for
// the users of a body, those in which it is a commissioning body.
func (p *Procedure) Commissions(ctx context.Context) ([]Commission, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if a.Role == RoleBusiness {
		return nil, fault.New(fault.Forbidden, "not allowed", "この操作を行う権限がありません")
	}
	cs, err := p.Store.Commissions(ctx, false)
	if err != nil || !a.Role.BodyScoped() {
		return cs, err
	}
	var out []Commission
	for _, c := range cs {
		if containsID(c.BodyIDs, a.BodyID) {
			out = append(out, c)
		}
	}
	return out, nil
}

// Commission returns one commission to those who may list it.
func (p *Procedure) Commission(ctx context.Context, id ID) (*Commission, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if a.Role == RoleBusiness {
		return nil, fault.New(fault.Forbidden, "not allowed", "この操作を行う権限がありません")
	}
	c, err := p.Store.Commission(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Role.BodyScoped() && !containsID(c.BodyIDs, a.BodyID) {
		return nil, fault.New(fault.NotFound, "commission not found", "見つかりません")
	}
	return c, nil
}

// PublishedCommissions returns the public commission records, for the portal.
// It needs no actor.
func (p *Procedure) PublishedCommissions(ctx context.Context) ([]PublicCommission, error) {
	cs, err := p.Store.Commissions(ctx, true)
	if err != nil {
		return nil, err
	}
	out := make([]PublicCommission, 0, len(cs))
	for _, c := range cs {
		pc := PublicCommission{ID: c.ID, Contractor: c.Contractor, Title: c.Title, SharedCost: c.SharedCost,
			SplitKey: c.SplitKey, Shares: c.Shares, Terms: c.Terms, From: c.From, To: c.To}
		for _, b := range c.BodyIDs {
			body, err := p.Store.Body(ctx, b)
			if err != nil {
				return nil, err
			}
			pc.Bodies = append(pc.Bodies, body.Name)
		}
		out = append(out, pc)
	}
	return out, nil
}
