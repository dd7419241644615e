package cli

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/tokumei/tokumei/sqlstore"
)

// runStore runs a tokumei command in env with dir as TOKUMEI_DATA_DIR.
func runStore(t *testing.T, dir, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
		if k == "TOKUMEI_DATA_DIR" {
			return dir
		}
		return ""
	}}
	code := Main(context.Background(), args, env)
	return out.String(), errb.String(), code
}

// The operator flow on SQLite: migrate, first administrator, audit verify,
// tampering detected naming the record, backup.
func TestOperatorCommands(t *testing.T) {
	dir := t.TempDir()
	out, errs, code := runStore(t, dir, "", "migrate")
	if code != 0 || !strings.Contains(out, "applied 0001_foundation.sql") {
		t.Fatalf("migrate: %d %s %s", code, out, errs)
	}
	out, errs, code = runStore(t, dir, "correct horse battery staple 42\n", "user", "create", "--login", "root", "--role", "admin", "--password-stdin")
	if code != 0 || !strings.Contains(out, `"root" (admin)`) || strings.Contains(out, "password:") {
		t.Fatalf("user create: %d %s %s", code, out, errs)
	}
	_, errs, code = runStore(t, dir, "", "user", "create", "--login", "root", "--role", "admin")
	if code != 5 || !strings.Contains(errs, "taken") {
		t.Fatalf("duplicate login: %d %s", code, errs)
	}
	_, errs, code = runStore(t, dir, "", "user", "create", "--login", "x", "--role", "wizard")
	if code != 2 || !strings.Contains(errs, "role") {
		t.Fatalf("bad role: %d %s", code, errs)
	}
	out, _, _ = runStore(t, dir, "", "user", "create", "--login", "officer", "--role", "window_officer")
	if !strings.Contains(out, "password: ") {
		t.Fatalf("generated password not printed: %s", out)
	}
	out, errs, code = runStore(t, dir, "", "audit", "verify")
	if code != 0 || !strings.Contains(out, "intact: 2 records") {
		t.Fatalf("verify: %d %s %s", code, out, errs)
	}

	backup := filepath.Join(t.TempDir(), sqlstore.SQLiteFile)
	out, errs, code = runStore(t, dir, "", "backup", "--out", backup)
	if code != 0 || !strings.Contains(out, "backup written") {
		t.Fatalf("backup: %d %s %s", code, out, errs)
	}
	if _, _, code := runStore(t, dir, "", "backup", "--out", backup); code != 5 {
		t.Errorf("backup over an existing file: exit %d", code)
	}

	raw, err := sql.Open("sqlite", filepath.Join(dir, sqlstore.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE audit_records SET detail = '{"login":"mallory","role":"admin"}' WHERE seq = 1`); err != nil {
		t.Fatal(err)
	}
	out, errs, code = runStore(t, dir, "", "audit", "verify")
	if code == 0 || !strings.Contains(errs, "audit record 1 (user.create user") || !strings.Contains(errs, "altered") {
		t.Fatalf("tampered verify: %d %s %s", code, out, errs)
	}
	// the backup, taken before the tampering, verifies
	out, errs, code = runStore(t, filepath.Dir(backup), "", "audit", "verify")
	if code != 0 || !strings.Contains(out, "intact: 2 records") {
		t.Fatalf("verify backup: %d %s %s", code, out, errs)
	}
}
