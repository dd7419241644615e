package platform_test

import (
	"context"
	"testing"
	"time"

	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

// catalogRefresh is short for the test; the documented freshness bound (docs/open-data.md): a
// change written by any server is public within Refresh plus one rebuild.
const catalogRefresh = 200 * time.Millisecond

// TestCatalogFreshness: a running catalogue (Start) shows a dataset
// published and then withdrawn by another server (straight into the store,
// no Invalidate) within the bound; readers never wait meanwhile; a dataset
// change re-uses the file part of the index, a register change does not.
func TestCatalogFreshness(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if err := db.UpsertLocalGovernments(ctx, []platform.LocalGovernment{{Code: "011002", Name: "札幌市", PrefCode: "01", Pref: "北海道", Kind: "designated-city"}}); err != nil {
			t.Fatal(err)
		}
		b := platform.Body{LGCode: "011002", Kind: platform.BodyMayor, Name: "札幌市長", CreatedAt: time.Now()}
		if err := db.CreateBody(ctx, &b); err != nil {
			t.Fatal(err)
		}
		cat := &platform.Catalog{Store: db, Refresh: catalogRefresh}
		if err := cat.Start(ctx); err != nil {
			t.Fatal(err)
		}
		ix0, _ := cat.Index(ctx)
		now := time.Now().UTC()
		d := platform.CatalogDataset{ID: platform.StableUUID("fresh"), Name: "fresh-stat", Kind: platform.DatasetStatistics,
			Title: "統計", LGCode: "011002", BodyID: b.ID, LicenseID: "cc-by-4.0", State: platform.PublishPublished,
			CreatedAt: now, ModifiedAt: now, PublishedAt: &now}
		if err := db.PutCatalogDataset(ctx, &d); err != nil {
			t.Fatal(err)
		}
		wait := func(what string, ok func(*platform.CatalogIndex) bool) *platform.CatalogIndex {
			start := time.Now()
			for {
				t0 := time.Now()
				ix, err := cat.Index(ctx)
				if err != nil || time.Since(t0) > 50*time.Millisecond {
					t.Fatalf("Index waited %v (err %v)", time.Since(t0), err)
				}
				if ok(ix) {
					t.Logf("%s: visible after %v", what, time.Since(start))
					return ix
				}
				if time.Since(start) > catalogRefresh+2*time.Second {
					t.Fatalf("%s: not visible after %v", what, time.Since(start))
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
		ix1 := wait("publish", func(ix *platform.CatalogIndex) bool { _, ok := ix.Dataset("fresh-stat"); return ok })
		if !platform.SameFilePart(ix0, ix1) || platform.SameDatasetPart(ix0, ix1) {
			t.Fatal("a dataset change should rebuild the dataset part only")
		}
		d.State = platform.PublishWithdrawn
		if err := db.PutCatalogDataset(ctx, &d); err != nil {
			t.Fatal(err)
		}
		wait("withdraw", func(ix *platform.CatalogIndex) bool { _, ok := ix.Dataset("fresh-stat"); return !ok })
		e := platform.RegisterEntry{BodyID: b.ID, FileName: "新しいファイル", Kind: platform.FileComputer, Published: true, UpdatedAt: now}
		if err := db.CreateRegisterEntry(ctx, &e, 1); err != nil {
			t.Fatal(err)
		}
		ix3 := wait("register entry", func(ix *platform.CatalogIndex) bool { return ix.Files(platform.FileQuery{}).Total == 1 })
		if platform.SameFilePart(ix1, ix3) {
			t.Fatal("a register change must rebuild the file part")
		}
	})
}
