package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

// The window's completeness checklist shows on the proposal page, item by
// item with who checked.
func TestProposalPageShowsChecklist(t *testing.T) {
	db := sqlstoretest.SQLite(t)
	_, _, officer := demoServer(t, db, time.Now().Truncate(time.Second))
	c := caseIn(t, db, platform.StateInUse)
	pr, err := db.Proposal(context.Background(), c.ProposalID)
	if err != nil || pr.Checklist == nil {
		t.Fatalf("demo proposal without checklist: %v", err)
	}
	st, b := officer().get("/proposals/" + strconv.FormatInt(pr.ID, 10))
	for _, want := range []string{"完備性の確認", "法定の記載事項（8項目）", "誓約書（6つの欠格事由）", "欠格事由（契約解除後2年）に該当しない", pr.Checklist.Login} {
		if st != http.StatusOK || !strings.Contains(b, want) {
			t.Errorf("proposal page (%d) lacks %q", st, want)
		}
	}
}

// The case page shows the records kept in the case document: payment,
// source-data request, source deletion, provision, changes and their
// decisions, deletion certificate.
func TestCasePageShowsRecords(t *testing.T) {
	db := sqlstoretest.SQLite(t)
	_, _, login := demoServer(t, db, time.Now().Truncate(time.Second))
	officer := login()
	cs, err := db.Cases(context.Background(), platform.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range cs {
		want := map[string]string{}
		if c.Payment != nil {
			want["payment"] = "手数料の納付"
		}
		if c.Source != nil && len(c.Source.Columns) > 0 {
			want["source"] = "元データの提供依頼"
		}
		if c.SourceDeletedAt != nil {
			want["source_deleted"] = "元データの消去（保管庫）"
		}
		if c.Provision != nil {
			want["provision"] = "提供の記録"
			want["provision hash"] = c.Provision.OutputHash
		}
		if len(c.Changes) > 0 {
			want["changes"] = "変更の提案と判断"
			want["change purpose"] = c.Changes[0].Purpose
		}
		if c.Deletion != nil {
			want["deletion"] = "消去報告書"
			want["deletion method"] = c.Deletion.Method
		}
		if len(want) == 0 {
			continue
		}
		st, b := officer.get("/cases/" + strconv.FormatInt(c.ID, 10))
		if st != http.StatusOK {
			t.Fatalf("case %d: %d", c.ID, st)
		}
		for k, s := range want {
			seen[k] = true
			if !strings.Contains(b, s) {
				t.Errorf("case %d (%s): %s %q not shown", c.ID, c.State, k, s)
			}
		}
	}
	for _, c := range cs {
		if c.Contract != nil && c.Contract.DatasetID != "" {
			seen["contract dataset"] = true
			if _, b := officer.get("/cases/" + strconv.FormatInt(c.ID, 10) + "/contract"); !strings.Contains(b, c.Contract.DatasetID) {
				t.Errorf("contract of case %d lacks its dataset id %s", c.ID, c.Contract.DatasetID)
			}
		}
	}
	for _, k := range []string{"payment", "source", "source_deleted", "provision", "changes", "deletion", "contract dataset"} {
		if !seen[k] {
			t.Errorf("no demo case holds a %s record", k)
		}
	}
}

// A proposed change is reviewed against the criteria from the case page
// before the approver can approve it.
func TestChangeReviewedBeforeDecision(t *testing.T) {
	db := sqlstoretest.SQLite(t)
	_, _, login := demoServerAs(t, db, time.Now().Truncate(time.Second))
	c := caseIn(t, db, platform.StateChangeProposed)
	b, err := db.Body(context.Background(), c.BodyID)
	if err != nil {
		t.Fatal(err)
	}
	who := map[string]string{"札幌市長": "sapporo", "福岡県知事": "fukuoka"}[b.Name]
	if who == "" {
		t.Skipf("demo change case at %s", b.Name)
	}
	base := "/cases/" + strconv.FormatInt(c.ID, 10)
	appr, rev := login(who+"-approver"), login(who+"-reviewer")
	appr.get(base)
	decide := url.Values{"approve": {"1"}, "note": {"目的の範囲内"}}
	if st, _ := appr.post(base+"/act/decide_change", decide); st == http.StatusSeeOther {
		t.Fatal("change approved without a review")
	}
	if st, page := rev.get(base); st != http.StatusOK || !strings.Contains(page, "act/review_change") {
		t.Fatalf("reviewer has no change review form: %d", st)
	}
	// The demo business is disqualified (the demo's cancelled case), so
	// criterion 1 is not met: the change can be refused, not approved.
	form := url.Values{}
	for _, cr := range platform.Criteria {
		form.Set("met_"+strconv.Itoa(cr.No), "1")
		form.Set("reason_"+strconv.Itoa(cr.No), "変更後も適合する")
	}
	form.Set("met_1", "0")
	form.Set("reason_1", "契約解除から2年を経過していない")
	if st, page := rev.post(base+"/act/review_change", form); st != http.StatusSeeOther {
		t.Fatalf("review_change: %d\n%.800s", st, page)
	}
	appr.get(base)
	if st, _ := appr.post(base+"/act/decide_change", decide); st == http.StatusSeeOther {
		t.Fatal("change approved against a non-conforming review")
	}
	appr.get(base)
	if st, page := appr.post(base+"/act/decide_change", url.Values{"note": {"基準第1号に適合しない"}}); st != http.StatusSeeOther {
		t.Fatalf("refusing the change: %d\n%.800s", st, page)
	}
	if _, page := appr.get(base); !strings.Contains(page, "変更の審査") || !strings.Contains(page, "契約解除から2年を経過していない") || !strings.Contains(page, "不承認") {
		i := strings.Index(page, "変更の提案")
		t.Errorf("case page lacks the change review and decision: %d\n%.3000s", i, page[max(i, 0):])
	}
}
