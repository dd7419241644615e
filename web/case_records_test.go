package web

import (
	"context"
	"net/http"
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
	for _, k := range []string{"payment", "source", "source_deleted", "provision", "changes", "deletion"} {
		if !seen[k] {
			t.Errorf("no demo case holds a %s record", k)
		}
	}
}
