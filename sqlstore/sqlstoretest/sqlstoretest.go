// Package sqlstoretest runs store tests on every database: SQLite always
// (a fresh file per test) and PostgreSQL when TOKUMEI_TEST_POSTGRES holds a
// postgres:// URL (a fresh schema per test, dropped afterwards). Other
// packages reuse it for their own store and service tests:
//
//	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) { … })
//
// It imports sqlstore and testing.
package sqlstoretest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/tokumei/tokumei/sqlstore"
)

// EnvPostgres names the variable holding the PostgreSQL test URL.
const EnvPostgres = "TOKUMEI_TEST_POSTGRES"

// Each runs f as a subtest per database ("sqlite", "postgres"), each with a
// freshly migrated, isolated database.
func Each(t *testing.T, f func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { f(t, SQLite(t)) })
	if os.Getenv(EnvPostgres) != "" {
		t.Run("postgres", func(t *testing.T) { f(t, Postgres(t)) })
	}
}

// Open returns one migrated database per available dialect.
func Open(tb testing.TB) []*sqlstore.DB {
	tb.Helper()
	dbs := []*sqlstore.DB{SQLite(tb)}
	if os.Getenv(EnvPostgres) != "" {
		dbs = append(dbs, Postgres(tb))
	}
	return dbs
}

// SQLite opens a migrated SQLite database in a temporary directory.
func SQLite(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	return open(tb, sqlstore.Config{DataDir: tb.TempDir()})
}

// Postgres opens a migrated PostgreSQL database in a fresh schema; it skips
// the test when TOKUMEI_TEST_POSTGRES is not set.
func Postgres(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	return open(tb, sqlstore.Config{URL: PostgresURL(tb)})
}

// SecondHandle opens another handle on the same database as db (as a second
// server would), closed at the end of the test.
func SecondHandle(tb testing.TB, db *sqlstore.DB) *sqlstore.DB {
	tb.Helper()
	if db.Dialect() == sqlstore.Postgres {
		return open(tb, sqlstore.Config{URL: db.DSN()})
	}
	return open(tb, sqlstore.Config{DataDir: dirOf(db.Path())})
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' || path[i] == os.PathSeparator {
			return path[:i]
		}
	}
	return "."
}

func open(tb testing.TB, cfg sqlstore.Config) *sqlstore.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, cfg)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return db
}

// PostgresURL creates a fresh schema on the test server and returns a URL
// whose search_path is that schema; the schema is dropped after the test.
// It skips the test when TOKUMEI_TEST_POSTGRES is not set.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		tb.Skip("PostgreSQL tests need " + EnvPostgres + "=postgres://…")
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("postgres: %v", err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		tb.Fatalf("postgres: create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("postgres url: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("synchronous_commit", "off") // tests need no durability
	u.RawQuery = q.Encode()
	return u.String()
}
