package platform_test

import (
	"context"
	"testing"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

// TestCatalogServiceRefreshAndRoles: a published dataset appears in the
// next snapshot; roles are enforced; usage cases follow the workflow.
func TestCatalogServiceRefreshAndRoles(t *testing.T) {
	ctx := context.Background()
	db := sqlstoretest.SQLite(t)
	if err := db.UpsertLocalGovernments(ctx, []platform.LocalGovernment{{Code: "011002", Name: "札幌市", PrefCode: "01", Pref: "北海道", Kind: "designated-city"}}); err != nil {
		t.Fatal(err)
	}
	b := platform.Body{LGCode: "011002", Kind: platform.BodyMayor, Name: "札幌市長", CreatedAt: time.Now()}
	if err := db.CreateBody(ctx, &b); err != nil {
		t.Fatal(err)
	}
	cat := &platform.Catalog{Store: db, Refresh: time.Hour}
	ix, err := cat.Index(ctx)
	if err != nil || len(ix.AllDatasets()) != 0 {
		t.Fatalf("empty index: %v", err)
	}
	officer := platform.WithActor(ctx, platform.Actor{UserID: 1, Role: platform.RoleWindowOfficer})
	business := platform.WithActor(ctx, platform.Actor{UserID: 2, Role: platform.RoleBusiness, BusinessID: 1})
	d := &platform.CatalogDataset{Name: "sapporo-stat", Kind: platform.DatasetStatistics, Title: "統計", LGCode: "011002",
		BodyID: b.ID, LicenseID: "cc-by-4.0", State: platform.PublishPublished}
	if err := cat.PutDataset(business, d); fault.ErrorCode(err) != fault.Forbidden {
		t.Fatalf("business put dataset: %v", err)
	}
	if err := cat.PutDataset(officer, d); err != nil {
		t.Fatal(err)
	}
	if ix, _ = cat.Sync(ctx); len(ix.AllDatasets()) != 1 || d.ID == "" {
		t.Fatalf("published dataset not in the next snapshot (Invalidate)")
	}
	u := &platform.UsageCase{Title: "事例", Summary: "概要"}
	if err := cat.SubmitUsageCase(business, u); err != nil {
		t.Fatal(err)
	}
	if _, err := cat.MoveUsageCase(business, u.ID, 1, platform.PublishPublished, ""); fault.ErrorCode(err) != fault.Conflict {
		t.Fatalf("draft straight to published: %v", err)
	}
	if _, err := cat.MoveUsageCase(business, u.ID, 1, platform.PublishReview, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := cat.MoveUsageCase(business, u.ID, 2, platform.PublishPublished, ""); fault.ErrorCode(err) != fault.Forbidden {
		t.Fatalf("business published: %v", err)
	}
	if _, err := cat.MoveUsageCase(officer, u.ID, 1, platform.PublishPublished, ""); fault.ErrorCode(err) != fault.Conflict {
		t.Fatalf("stale version: %v", err)
	}
	if _, err := cat.MoveUsageCase(officer, u.ID, 2, platform.PublishPublished, ""); err != nil {
		t.Fatal(err)
	}
	if ix, _ = cat.Sync(ctx); len(ix.UsageCases()) != 1 {
		t.Fatalf("published usage case not in the snapshot")
	}
	recs, _ := db.AuditRecords(ctx, 0, 0)
	if len(recs) < 4 {
		t.Fatalf("audit records: %d", len(recs))
	}
}
