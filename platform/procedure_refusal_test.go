package platform_test

import (
	"context"
	"testing"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

// Actions by the wrong body, the wrong role, or in the wrong state are
// refused, and leave no trace in the case.
func TestProcedureRefusals(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		p := w.p
		w.openCalls()
		pr := w.proposal(w.biz, 0, 2)
		mustV[*platform.Proposal](t)(p.Submit(w.biz, pr.ID))
		mustV[*platform.Proposal](t)(p.StartCheck(w.window, pr.ID))
		cases := mustV[[]platform.Case](t)(p.Fork(w.window, pr.ID))
		c0 := cases[0].ID
		mustV[*platform.Case](t)(p.Route(w.window, c0))
		review := func(ctx context.Context) error { _, err := p.SaveReview(ctx, c0, findings(0)); return err }
		tests := []struct {
			name string
			do   func() error
			code fault.Code
		}{
			{"other body reviews", func() error { return review(w.rev[2]) }, fault.NotFound},
			{"business reviews", func() error { return review(w.biz) }, fault.Forbidden},
			{"window reviews", func() error { return review(w.window) }, fault.Forbidden},
			{"admin decides", func() error { _, err := p.DecideNonConforming(w.admin, c0); return err }, fault.Forbidden},
			{"decide before review", func() error { _, err := p.DecideConforming(w.appr[0], c0, nil); return err }, fault.Conflict},
			{"apply before notice", func() error { _, err := p.ApplyContract(w.biz, c0); return err }, fault.Conflict},
			{"process before contract", func() error { _, err := p.StartProcessing(w.proc, c0); return err }, fault.Conflict},
			{"other business replies", func() error { _, err := p.ReplyCaseCorrection(w.biz2, c0, "x"); return err }, fault.NotFound},
			{"route twice", func() error { _, err := p.Route(w.window, c0); return err }, fault.Conflict},
			{"body routes", func() error { _, err := p.Route(w.appr[2], cases[1].ID); return err }, fault.Forbidden},
			{"fork twice", func() error { _, err := p.Fork(w.window, pr.ID); return err }, fault.Conflict},
			{"body starts check", func() error { _, err := p.StartCheck(w.appr[0], pr.ID); return err }, fault.Conflict},
			{"invoice before application", func() error { _, err := p.IssueInvoice(w.rev[0], c0, 1, 0, 30); return err }, fault.Conflict},
			{"cancel before contract", func() error { _, err := p.Cancel(w.appr[0], c0, "breach", "x"); return err }, fault.Conflict},
			{"archive under review", func() error { _, err := p.Archive(w.window, c0); return err }, fault.Conflict},
			{"other body sets fee table", func() error {
				ft := platform.DefaultFeeTable(w.bodies[0].ID, w.now)
				return p.AddFeeTable(w.appr[2], &ft)
			}, fault.Forbidden},
			{"29-day call", func() error {
				return p.CreateCall(w.window, &platform.Call{BodyID: w.bodies[0].ID, Title: "x", EntryIDs: []platform.ID{w.entry[0].ID},
					OpensAt: w.now, ClosesAt: w.now.AddDate(0, 0, 29), Office: "x", MaxUseMonths: 12})
			}, fault.Invalid},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) { refused(t, tc.code, tc.do()) })
		}
		c := mustV[*platform.Case](t)(p.Case(w.appr[0], c0))
		if c.State != platform.StateLGReview || c.Review != nil {
			t.Fatalf("refused actions changed the case: %s %+v", c.State, c.Review)
		}
		// A proposal outside any open call is refused.
		w.now = w.now.AddDate(0, 2, 0)
		late := w.proposal(w.biz, 0)
		refused(t, fault.Conflict, func() error { _, err := p.Submit(w.biz, late.ID); return err }())
	})
}

// §2.5: a body lists data it created without a proposal; the register gets
// the art. 117 items and the dataset is open for art. 118 proposals.
func TestListBodyDataset(t *testing.T) {
	db := sqlstoretest.SQLite(t)
	w := newWorld(t, db)
	in := platform.BodyDataset{EntryID: w.entry[0].ID, Title: "健診データ（匿名加工・令和7年度）", Subjects: 20000,
		Items:      []platform.DatasetItem{{Name: "生年月日", Granularity: "5歳階級"}, {Name: "性別"}},
		ProposalTo: w.now.AddDate(1, 0, 0), MethodsSummary: "生年月日を5歳階級に一般化"}
	if _, err := w.p.ListBodyDataset(w.rev[0], in); fault.ErrorCode(err) != fault.Forbidden {
		t.Fatalf("reviewer listed a dataset: %v", err)
	}
	if _, err := w.p.ListBodyDataset(w.appr[2], in); fault.ErrorCode(err) != fault.Forbidden {
		t.Fatalf("another body listed a dataset: %v", err)
	}
	d := mustV[*platform.CatalogDataset](t)(w.p.ListBodyDataset(w.appr[0], in))
	if !d.ProposalOpen(w.now) {
		t.Error("listed dataset not open for proposals")
	}
	e := mustV[*platform.RegisterEntry](t)(db.RegisterEntry(context.Background(), w.entry[0].ID))
	if e.AnonProposalTo == nil || e.AnonSummary == "" {
		t.Errorf("register entry lacks the art. 117 items: %+v", e)
	}
}
