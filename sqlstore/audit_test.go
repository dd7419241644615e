package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

func appendN(t *testing.T, s platform.Store, n int) {
	t.Helper()
	for i := range n {
		e := platform.AuditEntry{Actor: platform.Actor{UserID: 1, Login: "admin"}, BodyID: 2,
			Action: "register.update", TargetKind: "register_entry", TargetID: fmt.Sprint(i + 1), Detail: "{}"}
		if _, err := s.AppendAudit(context.Background(), e, t0.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditTamper(t *testing.T) {
	cases := []struct {
		name   string
		sql    string
		naming string // the error must contain this
	}{
		{"altered", "UPDATE audit_records SET detail = '{\"x\":1}' WHERE seq = 3", "audit record 3 "},
		{"actor changed", "UPDATE audit_records SET actor_login = 'eve' WHERE seq = 4", "audit record 4 "},
		{"removed", "DELETE FROM audit_records WHERE seq = 2", "audit record 3 "},
		{"reordered", "UPDATE audit_records SET seq = -2 WHERE seq = 2; UPDATE audit_records SET seq = 2 WHERE seq = 3; UPDATE audit_records SET seq = 3 WHERE seq = -2", "audit record 2 "},
		{"last removed", "DELETE FROM audit_records WHERE seq = 5", "record 5"},
		{"rehashed", "UPDATE audit_records SET hash = 'ab' WHERE seq = 5", "audit record 5 "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				appendN(t, db, 5)
				n, head, err := db.VerifyAudit(context.Background())
				if err != nil || n != 5 || head == "" {
					t.Fatalf("intact chain: n=%d head=%q err=%v", n, head, err)
				}
				if _, err := db.SQL().Exec(c.sql); err != nil {
					t.Fatal(err)
				}
				_, _, err = db.VerifyAudit(context.Background())
				if err == nil || !strings.Contains(err.Error(), c.naming) {
					t.Fatalf("verify after %s: %v, want error naming %q", c.name, err, c.naming)
				}
			})
		})
	}
}

// Two handles on one database (two servers) appending concurrently build
// one valid chain.
func TestAuditConcurrentServers(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		other := sqlstoretest.SecondHandle(t, db)
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for g := range 8 {
			s := platform.Store(db)
			if g%2 == 1 {
				s = other
			}
			wg.Go(func() {
				for i := range 15 {
					e := platform.AuditEntry{Actor: platform.Actor{UserID: int64(g), Login: "u"}, Action: "x", TargetKind: "t", TargetID: fmt.Sprint(i)}
					if _, err := s.AppendAudit(context.Background(), e, time.Now()); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		n, _, err := other.VerifyAudit(context.Background())
		if err != nil || n != 120 {
			t.Fatalf("chain of %d records: %v", n, err)
		}
	})
}

func TestSchemaTooNew(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if _, err := db.SQL().Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', 'x')"); err != nil {
			t.Fatal(err)
		}
		cfg := sqlstore.Config{URL: db.DSN()}
		if db.Dialect() == sqlstore.SQLite {
			cfg = sqlstore.Config{DataDir: strings.TrimSuffix(db.Path(), "/"+sqlstore.SQLiteFile)}
		}
		_, err := sqlstore.Open(context.Background(), cfg)
		mustCode(t, err, fault.SchemaTooNew)
		if !strings.Contains(err.Error(), "9999") {
			t.Fatalf("error does not name the migration: %v", err)
		}
	})
}

func TestMigrateIdempotent(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		applied, err := db.Migrate(context.Background())
		if err != nil || len(applied) != 0 {
			t.Fatalf("second migrate applied %d: %v", len(applied), err)
		}
		pending, err := db.Pending(context.Background())
		if err != nil || len(pending) != 0 {
			t.Fatalf("pending %d: %v", len(pending), err)
		}
	})
}

func TestMigrationNames(t *testing.T) {
	for _, d := range []sqlstore.Dialect{sqlstore.SQLite, sqlstore.Postgres} {
		ms, err := sqlstore.Migrations(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if strings.Contains(m.SQL, "{{") {
				t.Errorf("%s: unknown substitution left in %s", d, m.Name)
			}
		}
		if sqlstore.LatestVersion(d) < 2 {
			t.Errorf("%s: latest version %d", d, sqlstore.LatestVersion(d))
		}
	}
}
