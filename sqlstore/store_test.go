package sqlstore_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

var t0 = time.Date(2026, 4, 1, 9, 30, 0, 123456789, time.UTC)

func mustCode(t *testing.T, err error, want fault.Code) {
	t.Helper()
	if got := fault.ErrorCode(err); got != want {
		t.Fatalf("error code %q (%v), want %q", got, err, want)
	}
}

// seed stores a local government and a body and returns the body.
func seed(t *testing.T, s platform.Store, code, name string) *platform.Body {
	t.Helper()
	ctx := context.Background()
	lg := platform.LocalGovernment{Code: code, Name: name + "市", PrefCode: code[:2], Pref: "北海道", Kind: "city"}
	if err := s.UpsertLocalGovernments(ctx, []platform.LocalGovernment{lg}); err != nil {
		t.Fatal(err)
	}
	b := &platform.Body{LGCode: code, Kind: platform.BodyMayor, Name: name + "市長", CreatedAt: t0}
	if err := s.CreateBody(ctx, b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLocalGovernmentsAndBodies(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		b := seed(t, db, "011002", "札幌")
		if b.ID == 0 {
			t.Fatal("no id assigned")
		}
		lg, err := db.LocalGovernment(ctx, "011002")
		if err != nil || lg.Name != "札幌市" || lg.OrdinanceStatus != "none" {
			t.Fatalf("lg = %+v, %v", lg, err)
		}
		d := time.Date(2023, 4, 1, 0, 0, 0, 0, time.UTC)
		lg.SchemeAdopted, lg.OrdinanceStatus, lg.OrdinanceDate = true, "enacted", &d
		if err := db.UpdateSchemeStatus(ctx, lg); err != nil {
			t.Fatal(err)
		}
		// a re-import keeps the scheme status
		if err := db.UpsertLocalGovernments(ctx, []platform.LocalGovernment{{Code: "011002", Name: "札幌市", PrefCode: "01", Pref: "北海道", Kind: "designated-city"}}); err != nil {
			t.Fatal(err)
		}
		lg, _ = db.LocalGovernment(ctx, "011002")
		if !lg.SchemeAdopted || lg.OrdinanceDate == nil || !lg.OrdinanceDate.Equal(d) || lg.Kind != "designated-city" {
			t.Fatalf("after upsert: %+v", lg)
		}
		_, err = db.LocalGovernment(ctx, "999999")
		mustCode(t, err, fault.NotFound)

		got, err := db.Body(ctx, b.ID)
		if err != nil || got.Name != "札幌市長" || !got.CreatedAt.Equal(sqlstore.T(t0)) {
			t.Fatalf("body = %+v, %v", got, err)
		}
		mustCode(t, db.CreateBody(ctx, &platform.Body{LGCode: "011002", Kind: platform.BodyMayor, Name: "札幌市長", CreatedAt: t0}), fault.Conflict)
		mustCode(t, db.CreateBody(ctx, &platform.Body{LGCode: "000000", Kind: platform.BodyMayor, Name: "x", CreatedAt: t0}), fault.Invalid)
		seed(t, db, "131016", "千代田")
		all, _ := db.Bodies(ctx, "")
		one, _ := db.Bodies(ctx, "131016")
		if len(all) != 2 || len(one) != 1 || one[0].LGCode != "131016" {
			t.Fatalf("bodies: all %d, one %+v", len(all), one)
		}
		_, err = db.Body(ctx, 9999)
		mustCode(t, err, fault.NotFound)
		mustCode(t, db.UpdateBody(ctx, &platform.Body{ID: 9999, Name: "x"}), fault.NotFound)
	})
}

func TestAtomicRollsBack(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		b := seed(t, db, "011002", "札幌")
		err := db.Atomic(ctx, func(s platform.Store) error {
			if err := s.CreateBody(ctx, &platform.Body{LGCode: "011002", Kind: platform.BodyElectionBoard, Name: "札幌市選挙管理委員会", CreatedAt: t0}); err != nil {
				return err
			}
			if _, err := s.AppendAudit(ctx, platform.AuditEntry{Action: "body.create", TargetKind: "body"}, t0); err != nil {
				return err
			}
			return fault.New(fault.Invalid, "stop", "中止")
		})
		mustCode(t, err, fault.Invalid)
		bs, _ := db.Bodies(ctx, "")
		recs, _ := db.AuditRecords(ctx, 1, 0)
		if len(bs) != 1 || bs[0].ID != b.ID || len(recs) != 0 {
			t.Fatalf("rolled back transaction left %d bodies, %d audit records", len(bs), len(recs))
		}
	})
}

func TestUsersAndSessions(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		b := seed(t, db, "011002", "札幌")
		biz := &platform.Business{Name: "株式会社テスト", CreatedAt: t0}
		if err := db.CreateBusiness(ctx, biz); err != nil {
			t.Fatal(err)
		}
		u := &platform.User{Login: "rev", Role: platform.RoleBodyReviewer, BodyID: b.ID, PasswordHash: "h", CreatedAt: t0}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		mustCode(t, db.CreateUser(ctx, &platform.User{Login: "rev", Role: platform.RoleAdmin, CreatedAt: t0}), fault.Conflict)
		bu := &platform.User{Login: "biz", Role: platform.RoleBusiness, BusinessID: biz.ID, CreatedAt: t0}
		if err := db.CreateUser(ctx, bu); err != nil {
			t.Fatal(err)
		}
		got, err := db.UserByLogin(ctx, "rev")
		if err != nil || got.BodyID != b.ID || got.BusinessID != 0 || got.Role != platform.RoleBodyReviewer {
			t.Fatalf("user = %+v, %v", got, err)
		}
		got.TOTPSecret, got.Disabled = "ABC", true
		if err := db.UpdateUser(ctx, got); err != nil {
			t.Fatal(err)
		}
		again, _ := db.User(ctx, u.ID)
		if again.TOTPSecret != "ABC" || !again.Disabled {
			t.Fatalf("update lost: %+v", again)
		}
		_, err = db.UserByLogin(ctx, "nobody")
		mustCode(t, err, fault.NotFound)
		us, _ := db.Users(ctx)
		if len(us) != 2 {
			t.Fatalf("%d users", len(us))
		}

		for i := range 3 {
			db.RecordLoginFailure(ctx, "rev", t0.Add(time.Duration(i)*time.Minute))
		}
		n, err := db.LoginFailures(ctx, "rev", t0.Add(time.Minute))
		if err != nil || n != 2 {
			t.Fatalf("failures since = %d, %v", n, err)
		}

		ss := &platform.Session{TokenHash: "th", UserID: u.ID, CSRF: "c", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		if err := db.CreateSession(ctx, ss); err != nil {
			t.Fatal(err)
		}
		ss.TOTPPassed = true
		if err := db.UpdateSession(ctx, ss); err != nil {
			t.Fatal(err)
		}
		gs, err := db.Session(ctx, "th")
		if err != nil || !gs.TOTPPassed || !gs.ExpiresAt.Equal(sqlstore.T(t0.Add(time.Hour))) {
			t.Fatalf("session = %+v, %v", gs, err)
		}
		db.DeleteExpiredSessions(ctx, t0.Add(2*time.Hour))
		_, err = db.Session(ctx, "th")
		mustCode(t, err, fault.NotFound)
	})
}

func entry(body platform.ID, name string) *platform.RegisterEntry {
	return &platform.RegisterEntry{BodyID: body, FileName: name, Purpose: "住民基本台帳事務",
		Items: []platform.RecordItem{{Name: "氏名", Type: platform.ItemName}, {Name: "生年月日", Type: platform.ItemDate}},
		Kind:  platform.FileComputer, UpdatedAt: t0}
}

func TestRegisterVersions(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		b := seed(t, db, "011002", "札幌")
		e := entry(b.ID, "住民基本台帳ファイル")
		if err := db.CreateRegisterEntry(ctx, e, 7); err != nil {
			t.Fatal(err)
		}
		mustCode(t, db.CreateRegisterEntry(ctx, entry(b.ID, "住民基本台帳ファイル"), 7), fault.Conflict)
		stale := *e
		e.Purpose, e.UpdatedAt = "統計", t0.Add(time.Hour)
		if err := db.UpdateRegisterEntry(ctx, e, 8, "目的の修正"); err != nil {
			t.Fatal(err)
		}
		if e.Version != 2 {
			t.Fatalf("version %d after update", e.Version)
		}
		mustCode(t, db.UpdateRegisterEntry(ctx, &stale, 8, "stale"), fault.Conflict)
		got, _ := db.RegisterEntry(ctx, e.ID)
		if got.Purpose != "統計" || got.Version != 2 || len(got.Items) != 2 || got.Items[1].Type != platform.ItemDate {
			t.Fatalf("entry = %+v", got)
		}
		h, err := db.RegisterHistory(ctx, e.ID)
		if err != nil || len(h) != 2 || h[0].Entry.Purpose != "住民基本台帳事務" || h[1].Reason != "目的の修正" || h[1].ActorID != 8 {
			t.Fatalf("history = %+v, %v", h, err)
		}
		other := seed(t, db, "131016", "千代田")
		db.CreateRegisterEntry(ctx, entry(other.ID, "住民基本台帳ファイル"), 7)
		mine, _ := db.RegisterEntries(ctx, b.ID)
		all, _ := db.RegisterEntries(ctx, 0)
		if len(mine) != 1 || len(all) != 2 {
			t.Fatalf("entries: mine %d all %d", len(mine), len(all))
		}
	})
}

// Servers starting together on an empty database all come up. On SQLite
// the first connections of several openers to a new file could be refused
// as busy (about 2 in 100 before Open tried again), so it is tried on 30
// new files.
func TestConcurrentMigrate(t *testing.T) {
	cfgs := map[string]func() sqlstore.Config{"sqlite": func() sqlstore.Config { return sqlstore.Config{DataDir: t.TempDir()} }}
	rounds := map[string]int{"sqlite": 30, "postgres": 1}
	if os.Getenv(sqlstoretest.EnvPostgres) != "" {
		url := sqlstoretest.PostgresURL(t)
		cfgs["postgres"] = func() sqlstore.Config { return sqlstore.Config{URL: url} }
	}
	for name, newCfg := range cfgs {
		for range rounds[name] {
			concurrentMigrate(t, name, newCfg())
		}
	}
}

func concurrentMigrate(t *testing.T, name string, cfg sqlstore.Config) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make([]error, 3)
		for i := range errs {
			wg.Go(func() {
				db, err := sqlstore.Open(context.Background(), cfg)
				if err == nil {
					_, err = db.Migrate(context.Background())
					db.Close()
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("server %d: %v", i, err)
			}
		}
	})
}
