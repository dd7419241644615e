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
