package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
)

// catalogDBs opens a migrated SQLite database, and a fresh PostgreSQL
// database when TOKUMEI_TEST_POSTGRES is set.
func catalogDBs(t *testing.T) map[string]*sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	out := map[string]*sqlstore.DB{}
	db, err := sqlstore.Open(ctx, sqlstore.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	out["sqlite"] = db
	if base := os.Getenv("TOKUMEI_TEST_POSTGRES"); base != "" {
		out["postgres"] = freshPostgres(t, base)
	}
	for _, db := range out {
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
	}
	return out
}

func freshPostgres(t *testing.T, base string) *sqlstore.DB {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "tk_cat_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(base)
	u.Path = "/" + name
	db, err := sqlstore.Open(context.Background(), sqlstore.Config{URL: u.String()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		if a, err := sql.Open("pgx", base); err == nil {
			a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			a.Close()
		}
	})
	return db
}

func TestCatalogStore(t *testing.T) {
	for name, db := range catalogDBs(t) {
		t.Run(name, func(t *testing.T) { testCatalogStore(t, db) })
	}
}

func testCatalogStore(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	stamp := func() string {
		s, err := db.CatalogStamp(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s0 := stamp()
	if err := db.UpsertLocalGovernments(ctx, []platform.LocalGovernment{{Code: "011002", Name: "札幌市", PrefCode: "01", Pref: "北海道", Kind: "designated-city"}}); err != nil {
		t.Fatal(err)
	}
	s1 := stamp()
	if s1 == s0 {
		t.Fatal("stamp did not change on a local-government upsert")
	}
	b := platform.Body{LGCode: "011002", Kind: platform.BodyMayor, Name: "札幌市長", CreatedAt: time.Now()}
	if err := db.CreateBody(ctx, &b); err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	d := platform.CatalogDataset{ID: platform.StableUUID("t", "1"), Name: "sapporo-kokuho", Kind: platform.DatasetAnonymized,
		Title: "国民健康保険 匿名加工情報", LGCode: "011002", BodyID: b.ID, Subjects: 12000, LicenseID: "contract",
		Items:        []platform.DatasetItem{{Name: "年齢", Granularity: "5歳階級"}},
		Tags:         []string{"医療"},
		ProposalFrom: &from, State: platform.PublishDraft, CreatedAt: from, ModifiedAt: from,
		Resources: []platform.CatalogResource{{ID: "r1", Name: "概要", URL: "/x.csv", Format: "CSV", CreatedAt: from, ModifiedAt: from}}}
	if err := db.PutCatalogDataset(ctx, &d); err != nil {
		t.Fatal(err)
	}
	s2 := stamp()
	if s2 == s1 {
		t.Fatal("stamp did not change on a dataset insert")
	}
	if pub, _ := db.CatalogDatasets(ctx, false); len(pub) != 0 {
		t.Fatalf("draft listed as published: %d", len(pub))
	}
	d.State = platform.PublishPublished
	if err := db.PutCatalogDataset(ctx, &d); err != nil {
		t.Fatal(err)
	}
	if d.Version != 2 {
		t.Fatalf("version %d, want 2", d.Version)
	}
	stale := d
	stale.Version = 1
	if err := db.PutCatalogDataset(ctx, &stale); fault.ErrorCode(err) != fault.Conflict {
		t.Fatalf("stale update: %v, want conflict", err)
	}
	got, err := db.CatalogDataset(ctx, "sapporo-kokuho")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != d.ID || got.Items[0].Granularity != "5歳階級" || got.Resources[0].Format != "CSV" || *got.ProposalFrom != from {
		t.Fatalf("round trip: %+v", got)
	}
	if _, err := db.CatalogDataset(ctx, "nope"); fault.ErrorCode(err) != fault.NotFound {
		t.Fatalf("missing dataset: %v", err)
	}
	u := platform.UsageCase{Title: "事例", Summary: "概要", State: platform.PublishDraft, SubmittedBy: 7, CreatedAt: from, UpdatedAt: from}
	if err := db.CreateUsageCase(ctx, &u); err != nil {
		t.Fatal(err)
	}
	u.State = platform.PublishPublished
	if err := db.UpdateUsageCase(ctx, &u); err != nil {
		t.Fatal(err)
	}
	pub, err := db.UsageCases(ctx, platform.PublishPublished)
	if err != nil || len(pub) != 1 || pub[0].SubmittedBy != 7 {
		t.Fatalf("published usage cases: %v %+v", err, pub)
	}
	if stamp() == s2 {
		t.Fatal("stamp did not change on usage-case writes")
	}
}
