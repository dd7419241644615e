package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/vault"
)

// caseFixture puts one proposal to bodies A and B through the window, so
// that each body has a case under review, and adds a business user.
func caseFixture(t *testing.T) (*fixture, *platform.Proposal, []platform.Case) {
	f := newFixture(t)
	ctx := context.Background()
	v, err := vault.New(f.db, bytes.Repeat([]byte{1}, 32))
	if err != nil {
		t.Fatal(err)
	}
	p := (&platform.Services{Store: f.db, Vault: v, Now: func() time.Time { return f.now }}).Procedure()
	as := func(login string) context.Context {
		u, err := f.db.UserByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		return platform.WithActor(ctx, u.Actor())
	}
	biz := &platform.Business{Name: "株式会社テスト", Address: "東京都", CreatedAt: f.now}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.db.CreateBusiness(ctx, biz))
	hash, _ := auth.HashPassword(testPassword)
	must(f.db.CreateUser(ctx, &platform.User{Login: "biz", Name: "事業者", Role: platform.RoleBusiness, BusinessID: biz.ID, PasswordHash: hash, CreatedAt: f.now}))
	var targets []platform.Target
	for _, e := range []*platform.RegisterEntry{&f.entryA, &f.entryB} {
		e.ProposalInvited, e.ProposalOffice, e.Subjects = true, "共同窓口", 10000
		e.Items = append(e.Items, platform.RecordItem{Name: "生年月日", Type: platform.ItemDate})
		must(f.db.UpdateRegisterEntry(ctx, e, 1, "test"))
		c := &platform.Call{BodyID: e.BodyID, Title: "募集", EntryIDs: []platform.ID{e.ID}, OpensAt: f.now, ClosesAt: f.now.AddDate(0, 0, 31),
			Office: "共同窓口", Notice: "公示", MaxUseMonths: 24, Published: true, PublishedAt: &f.now}
		must(f.db.CreateCall(ctx, c))
		targets = append(targets, platform.Target{BodyID: e.BodyID, EntryID: e.ID})
	}
	pr := &platform.Proposal{Title: "健康増進", Proposer: platform.ProposerInfo{Name: "株式会社テスト", Address: "東京都"},
		Subjects: 2000, Purpose: "研究", Method: "分析", Business: "サービス", SafetyMeasures: "管理", Targets: targets,
		UseFrom: f.now.AddDate(0, 1, 0), UseTo: f.now.AddDate(1, 0, 0),
		Pledge: platform.Pledge{NotApplicable: [6]bool{true, true, true, true, true, true}, SignedBy: "代表", SignedAt: f.now}}
	must(p.SaveProposal(as("biz"), pr))
	f.now = f.now.Add(time.Hour)
	if _, err := p.Submit(as("biz"), pr.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := p.StartCheck(as("window"), pr.ID); err != nil {
		t.Fatal(err)
	}
	cs, err := p.Fork(as("window"), pr.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if _, err := p.Route(as("window"), c.ID); err != nil {
			t.Fatal(err)
		}
	}
	return f, pr, cs
}

func TestCasePagesAndActions(t *testing.T) {
	f, pr, cs := caseFixture(t)
	caseA := "/cases/" + strconv.FormatInt(cs[0].ID, 10)
	rev := f.login("rev-a")
	st, body := rev.get(caseA)
	if st != http.StatusOK || !strings.Contains(body, "LG_REVIEW") || !strings.Contains(body, "act/save_review") {
		t.Fatalf("case page %d:\n%s", st, body)
	}
	form := url.Values{}
	for i := 1; i <= 7; i++ {
		form.Set("met_"+strconv.Itoa(i), "1")
		form.Set("reason_"+strconv.Itoa(i), "適合する")
	}
	if st, b := rev.post(caseA+"/act/save_review", form); st != http.StatusSeeOther {
		t.Fatalf("save review %d\n%s", st, b)
	}
	rev.get(caseA)
	if st, b := rev.post(caseA+"/act/submit_review", nil); st != http.StatusSeeOther {
		t.Fatalf("submit review %d\n%s", st, b)
	}
	// The reviewer of another body sees nothing; a reviewer cannot decide.
	revB := f.login("rev-b")
	if st, _ := revB.get(caseA); st != http.StatusNotFound {
		t.Fatalf("other body read the case: %d", st)
	}
	rev.get(caseA)
	if st, _ := rev.post(caseA+"/act/decide_conforming", url.Values{"decision": {"allow"}, "legal_basis": {"委託"}}); st != http.StatusForbidden {
		t.Fatalf("reviewer decided: %d", st)
	}
	appr := f.login("appr-a")
	appr.get(caseA)
	if st, b := appr.post(caseA+"/act/decide_conforming", url.Values{"decision": {"allow"}, "legal_basis": {"法令に基づく利用及び委託"}}); st != http.StatusSeeOther {
		t.Fatalf("decide %d\n%s", st, b)
	}
	appr.get(caseA)
	if st, b := appr.post(caseA+"/act/notify", url.Values{"hours": {"10.5"}, "outsourcing": {"110000"}}); st != http.StatusSeeOther {
		t.Fatalf("notify %d\n%s", st, b)
	}
	st, body = appr.get(caseA + "/notice")
	if st != http.StatusOK || !strings.Contains(body, "第114条第1項各号に掲げる基準に適合する") || !strings.Contains(body, "174,450円") {
		t.Fatalf("notice %d:\n%s", st, body)
	}
	st, body = appr.get(caseA)
	if !strings.Contains(body, "NOTIFIED") || !strings.Contains(body, "decide_conforming") && !strings.Contains(body, "適合の決定") {
		t.Fatalf("timeline missing:\n%s", body)
	}
	biz := f.login("biz")
	for _, path := range []string{"/proposals", "/proposals/" + strconv.FormatInt(pr.ID, 10), "/cases", "/calls", "/proposals/new"} {
		if st, b := biz.get(path); st != http.StatusOK {
			t.Fatalf("%s: %d\n%s", path, st, b)
		}
	}
	// An art. 118 proposal for a created dataset, from the form.
	from, to := f.now.Add(-time.Hour), f.now.AddDate(1, 0, 0)
	ds := &platform.CatalogDataset{ID: platform.StableUUID("t", "ds"), Name: "anon-test", Kind: platform.DatasetAnonymized,
		Title: "作成済みデータ", LGCode: f.bodyA.LGCode, BodyID: f.bodyA.ID, FileID: f.entryA.ID, LicenseID: "contract",
		ProposalFrom: &from, ProposalTo: &to, State: platform.PublishPublished, CreatedAt: f.now, ModifiedAt: f.now, PublishedAt: &f.now}
	if err := f.db.PutCatalogDataset(context.Background(), ds); err != nil {
		t.Fatal(err)
	}
	if _, b := biz.get("/proposals/new"); !strings.Contains(b, "作成済みデータ") {
		t.Fatal("open dataset not offered on the proposal form")
	}
	st, _ = biz.post("/proposals", url.Values{"title": {"再利用"}, "proposer_name": {"株式会社テスト"}, "proposer_address": {"東京都"},
		"purpose": {"p"}, "method": {"m"}, "business": {"b"}, "safety_measures": {"s"}, "use_from": {"2026-06-01"}, "use_to": {"2027-05-31"},
		"datasets": {ds.ID}})
	if st != http.StatusSeeOther {
		t.Fatalf("reuse draft: %d", st)
	}
	ps, _ := f.db.Proposals(context.Background(), 0)
	if ps[0].Kind != platform.KindReuse || ps[0].Targets[0].DatasetID != ds.ID {
		t.Fatalf("reuse draft stored as %+v", ps[0])
	}
	// The JSON API speaks the same state names.
	st, body = biz.get("/api/v1/cases/" + strconv.FormatInt(cs[0].ID, 10))
	if st != http.StatusOK || !strings.Contains(body, `"state": "NOTIFIED"`) {
		t.Fatalf("api case %d:\n%s", st, body)
	}
	for _, path := range []string{"/calls", "/api/v1/calls", "/api/v1/procedure"} {
		if st, b := f.anon().get(path); st != http.StatusOK || !strings.Contains(b, "募集") && path != "/api/v1/procedure" {
			t.Fatalf("public %s: %d\n%s", path, st, b)
		}
	}
	st, body = f.anon().get("/api/openapi.json")
	for _, want := range []string{"/api/v1/cases/{case}/actions/{action}", "OUT_OF_PURPOSE_DECISION", "/api/v1/proposals", "/api/v1/public/commissions"} {
		if !strings.Contains(body, want) {
			t.Errorf("openapi lacks %s", want)
		}
	}
	bodyA := "/bodies/" + strconv.FormatInt(f.bodyA.ID, 10) + "/procedure"
	appr.get(bodyA)
	if st, b := appr.post(bodyA+"/fees", url.Values{"effective_from": {"2026-04-01"}, "base": {"30000"}, "per_hour": {"4000"},
		"change_fee": {"12600"}, "ordinance": {"札幌市条例"}}); st != http.StatusSeeOther {
		t.Fatalf("fee table %d\n%s", st, b)
	}
	appr.get(bodyA)
	if st, b := appr.post(bodyA+"/deadlines", url.Values{"days_LG_REVIEW": {"20"}, "reminder_days": {"10"}}); st != http.StatusSeeOther {
		t.Fatalf("deadlines %d\n%s", st, b)
	}
	if st, b := appr.get(bodyA); st != http.StatusOK || !strings.Contains(b, "30,000") || !strings.Contains(b, `value="20"`) {
		t.Fatalf("settings page %d\n%s", st, b)
	}
	revB.get("/cases")
	if st, _ := revB.post(bodyA+"/fees", url.Values{"effective_from": {"2026-04-01"}, "base": {"1"}, "ordinance": {"x"}}); st != http.StatusForbidden {
		t.Fatalf("other body set a fee table: %d", st)
	}
	win := f.login("window")
	for _, path := range []string{"/cases/overdue", "/cases/ending", "/cases?state=LG_REVIEW", "/commissions", bodyA} {
		if st, b := win.get(path); st != http.StatusOK {
			t.Fatalf("%s: %d\n%s", path, st, b)
		}
	}
}
