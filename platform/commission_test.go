package platform_test

import (
	"context"
	"testing"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

// A joint commission is created and edited by the window only; bodies see
// the commissions they are party to; a share already invoiced is fixed.
func TestCommissionLifecycle(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		p := w.p
		w.openCalls()
		pr := w.proposal(w.biz, 0, 1)
		mustV[*platform.Proposal](t)(p.Submit(w.biz, pr.ID))
		mustV[*platform.Proposal](t)(p.StartCheck(w.window, pr.ID))
		cases := mustV[[]platform.Case](t)(p.Fork(w.window, pr.ID))
		b0, b1 := w.bodies[0].ID, w.bodies[1].ID
		cm := &platform.Commission{Contractor: "一般社団法人 匿名加工センター", Title: "健診データ共同受託", BodyIDs: []platform.ID{b0, b1},
			CaseIDs: []platform.ID{cases[0].ID, cases[1].ID}, SharedCost: 100000, SplitKey: platform.SplitPercent,
			Percent: map[platform.ID]float64{b0: 70, b1: 30}, Terms: "環境構築費を割合で按分", From: w.now, To: w.now.AddDate(1, 0, 0)}
		for _, ctx := range []context.Context{w.appr[0], w.rev[0], w.biz, w.proc, w.admin} {
			c := *cm
			refused(t, fault.Forbidden, p.CreateCommission(ctx, &c))
		}
		outside := *cm
		outside.EntryIDs = []platform.ID{w.entry[0].ID, w.entry[2].ID}
		refused(t, fault.Invalid, p.CreateCommission(w.window, &outside))
		cm.EntryIDs = []platform.ID{w.entry[0].ID, w.entry[1].ID}
		ok(t, p.CreateCommission(w.window, cm))
		if cm.Shares[b0] != 70000 || cm.Shares[b1] != 30000 {
			t.Fatalf("shares %v", cm.Shares)
		}
		if c := mustV[*platform.Case](t)(p.Case(w.window, cases[0].ID)); c.CommissionID != cm.ID {
			t.Fatalf("case not linked: %d", c.CommissionID)
		}
		// Another commission cannot take the same case.
		dup := *cm
		dup.ID = 0
		refused(t, fault.Conflict, p.CreateCommission(w.window, &dup))

		// Who sees it.
		if cs := mustV[[]platform.Commission](t)(p.Commissions(w.appr[0])); len(cs) != 1 {
			t.Errorf("a commissioning body sees %d commissions", len(cs))
		}
		if cs := mustV[[]platform.Commission](t)(p.Commissions(w.appr[2])); len(cs) != 0 {
			t.Errorf("a body outside sees %d commissions", len(cs))
		}
		refused(t, fault.NotFound, func() error { _, err := p.Commission(w.rev[2], cm.ID); return err }())
		refused(t, fault.Forbidden, func() error { _, err := p.Commissions(w.biz); return err }())

		// Edit: amounts instead of percentages; only the window.
		ed := *cm
		ed.SplitKey, ed.Percent, ed.Amounts = platform.SplitAmount, nil, map[platform.ID]int64{b0: 40000, b1: 60000}
		refused(t, fault.Forbidden, p.UpdateCommission(w.appr[0], &ed))
		bad := ed
		bad.Amounts = map[platform.ID]int64{b0: 40000, b1: 50000}
		refused(t, fault.Invalid, p.UpdateCommission(w.window, &bad))
		ok(t, p.UpdateCommission(w.window, &ed))
		got := mustV[*platform.Commission](t)(p.Commission(w.appr[1], cm.ID))
		if got.Shares[b0] != 40000 || got.Shares[b1] != 60000 || got.Percent != nil {
			t.Fatalf("after the edit: %+v", got)
		}
		// Dropping a case unlinks it.
		ed.CaseIDs = []platform.ID{cases[0].ID}
		ok(t, p.UpdateCommission(w.window, &ed))
		if c := mustV[*platform.Case](t)(p.Case(w.window, cases[1].ID)); c.CommissionID != 0 {
			t.Errorf("dropped case still linked to %d", c.CommissionID)
		}

		// Body 0's case invoiced: its share is in the fee and cannot change.
		c0 := cases[0].ID
		mustV[*platform.Case](t)(p.Route(w.window, c0))
		mustV[*platform.Case](t)(p.SaveReview(w.rev[0], c0, findings(0)))
		mustV[*platform.Case](t)(p.SubmitReview(w.rev[0], c0))
		mustV[*platform.Case](t)(p.DecideConforming(w.appr[0], c0, &platform.HandoverDecision{Decision: "allow", LegalBasis: "委託"}))
		mustV[*platform.Case](t)(p.Notify(w.appr[0], c0, 1, 0))
		mustV[*platform.Case](t)(p.ApplyContract(w.biz, c0))
		inv := mustV[*platform.Case](t)(p.IssueInvoice(w.rev[0], c0, 1, 0, 30))
		// 21,000 + 3,950 × 1 + the share 40,000.
		if inv.Invoice.Fee.Total != 64950 {
			t.Fatalf("invoice %d, want 64,950 with the commission share", inv.Invoice.Fee.Total)
		}
		moved := ed
		moved.Amounts = map[platform.ID]int64{b0: 50000, b1: 50000}
		refused(t, fault.Conflict, p.UpdateCommission(w.window, &moved))
		same := ed
		same.Terms = "条件を明確化"
		ok(t, p.UpdateCommission(w.window, &same))

		ok(t, p.PublishCommission(w.window, cm.ID))
		refused(t, fault.Conflict, p.PublishCommission(w.window, cm.ID))
		pub := mustV[[]platform.PublicCommission](t)(p.PublishedCommissions(context.Background()))
		if len(pub) != 1 || pub[0].Terms != "条件を明確化" || pub[0].Shares[b1] != 60000 {
			t.Errorf("published %+v", pub)
		}
		wantAudit(t, db, "commission.create", "commission.update", "commission.publish")
	})
}
