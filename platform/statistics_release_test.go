package platform_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

// TestStatisticsReleaseRules: who may edit and publish which body's
// releases, what a release needs, and that only published ones reach the
// snapshot — on both stores.
func TestStatisticsReleaseRules(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if err := db.UpsertLocalGovernments(ctx, []platform.LocalGovernment{
			{Code: "011002", Name: "札幌市", PrefCode: "01", Pref: "北海道", Kind: "designated-city"},
			{Code: "130001", Name: "東京都", PrefCode: "13", Pref: "東京都", Kind: "prefecture"}}); err != nil {
			t.Fatal(err)
		}
		a := platform.Body{LGCode: "011002", Kind: platform.BodyMayor, Name: "札幌市長", CreatedAt: time.Now()}
		b := platform.Body{LGCode: "130001", Kind: platform.BodyGovernor, Name: "東京都知事", CreatedAt: time.Now()}
		for _, x := range []*platform.Body{&a, &b} {
			if err := db.CreateBody(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		cat := &platform.Catalog{Store: db, Refresh: time.Hour}
		as := func(role platform.Role, body platform.ID) context.Context {
			return platform.WithActor(ctx, platform.Actor{UserID: 9, Role: role, BodyID: body})
		}
		window, reviewerA, approverA, approverB := as(platform.RoleWindowOfficer, 0), as(platform.RoleBodyReviewer, a.ID),
			as(platform.RoleBodyApprover, a.ID), as(platform.RoleBodyApprover, b.ID)
		release := func() *platform.CatalogDataset {
			return &platform.CatalogDataset{Name: "rel-" + time.Now().Format("150405.000000000")[7:], Title: "統計表", BodyID: a.ID, LicenseID: "cc-by-4.0"}
		}
		cases := []struct {
			name string
			ctx  context.Context
			d    *platform.CatalogDataset
			want fault.Code
		}{
			{"business", as(platform.RoleBusiness, 0), release(), fault.Forbidden},
			{"approver of another body", approverB, release(), fault.Forbidden},
			{"contract licence", window, func() *platform.CatalogDataset { d := release(); d.LicenseID = "contract"; return d }(), fault.Invalid},
			{"period backwards", window, func() *platform.CatalogDataset {
				d := release()
				from, to := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
				d.PeriodFrom, d.PeriodTo = &from, &to
				return d
			}(), fault.Invalid},
			{"javascript link", window, func() *platform.CatalogDataset {
				d := release()
				d.Resources = []platform.CatalogResource{{ID: "x", Name: "x", URL: "javascript:alert(1)"}}
				return d
			}(), fault.Invalid},
		}
		for _, c := range cases {
			if err := cat.SaveStatisticsRelease(c.ctx, c.d, nil); fault.ErrorCode(err) != c.want {
				t.Fatalf("%s: %v, want %s", c.name, err, c.want)
			}
		}
		d := release()
		if err := cat.SaveStatisticsRelease(reviewerA, d, nil); err != nil {
			t.Fatal(err)
		}
		if d.State != platform.PublishDraft || d.LGCode != "011002" {
			t.Fatalf("new release: state %s, lg %s", d.State, d.LGCode)
		}
		if _, err := cat.MoveStatisticsRelease(approverA, d.ID, d.Version, platform.PublishPublished); fault.ErrorCode(err) != fault.Invalid {
			t.Fatalf("published without a file or link: %v", err)
		}
		file := &platform.StatisticsFile{Name: "表.csv", MediaType: "text/csv", Content: []byte("a,b\r\n1,2\r\n")}
		if err := cat.SaveStatisticsRelease(window, d, file); err != nil { // the window edits any body's release
			t.Fatal(err)
		}
		if _, err := cat.MoveStatisticsRelease(reviewerA, d.ID, d.Version, platform.PublishPublished); fault.ErrorCode(err) != fault.Forbidden {
			t.Fatalf("reviewer published: %v", err)
		}
		if _, err := cat.MoveStatisticsRelease(approverB, d.ID, d.Version, platform.PublishPublished); fault.ErrorCode(err) != fault.Forbidden {
			t.Fatalf("approver of another body published: %v", err)
		}
		if ix, _ := cat.Sync(ctx); len(ix.AllDatasets()) != 0 {
			t.Fatal("a draft release is in the snapshot")
		}
		if _, err := cat.MoveStatisticsRelease(approverA, d.ID, d.Version-1, platform.PublishPublished); fault.ErrorCode(err) != fault.Conflict {
			t.Fatalf("stale version: %v", err)
		}
		if _, err := cat.MoveStatisticsRelease(approverA, d.ID, d.Version, platform.PublishPublished); err != nil {
			t.Fatal(err)
		}
		ix, _ := cat.Sync(ctx)
		got, ok := ix.Dataset(d.Name)
		if !ok || len(got.Resources) != 1 || got.Resources[0].URL != platform.StatisticsFileURL(file.ID, "表.csv") {
			t.Fatalf("published release in the snapshot: %v %+v", ok, got)
		}
		if f, err := db.StatisticsFile(ctx, file.ID); err != nil || string(f.Content) != "a,b\r\n1,2\r\n" {
			t.Fatalf("stored file: %v", err)
		}
		mine, err := cat.StatisticsReleases(approverB)
		if err != nil || len(mine) != 0 {
			t.Fatalf("approver B sees body A's releases: %d %v", len(mine), err)
		}
	})
}

// countingStore counts catalogue-stamp queries.
type countingStore struct {
	platform.Store
	stamps atomic.Int64
}

func (s *countingStore) CatalogStamp(ctx context.Context) (string, error) {
	s.stamps.Add(1)
	return s.Store.CatalogStamp(ctx)
}

// TestCatalogReadsDoNotQuery: once started, reading the snapshot never
// queries the store (the background loop does, once per Refresh).
func TestCatalogReadsDoNotQuery(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := &countingStore{Store: sqlstoretest.SQLite(t)}
	cat := &platform.Catalog{Store: st, Refresh: time.Hour}
	if err := cat.Start(ctx); err != nil {
		t.Fatal(err)
	}
	n := st.stamps.Load()
	for range 1000 {
		if _, err := cat.Index(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := st.stamps.Load() - n; got != 0 {
		t.Fatalf("1000 reads queried the stamp %d times", got)
	}
}
