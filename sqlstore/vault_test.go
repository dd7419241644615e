package sqlstore_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
	"github.com/tokumei/tokumei/vault"
)

// The vault on the database: round trip, shared by a second server,
// tamper detection, deletion of segments and key.
func TestVaultInDatabase(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		key := bytes.Repeat([]byte{9}, 32)
		v, _ := vault.New(db, key)
		in := bytes.Repeat([]byte("氏名,住所\n山田太郎,札幌市\n"), 5000) // 185,000 bytes: 3 segments
		obj, err := v.Put(ctx, "extract.csv", bytes.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		v2, _ := vault.New(sqlstoretest.SecondHandle(t, db), key)
		rc, err := v2.Open(ctx, obj.ID)
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(rc)
		if err != nil || !bytes.Equal(out, in) {
			t.Fatalf("second server read %d bytes: %v", len(out), err)
		}
		var n int
		db.SQL().QueryRow("SELECT COUNT(*) FROM vault_segments").Scan(&n)
		if n != 3 {
			t.Fatalf("%d segments stored", n)
		}
		q := "UPDATE vault_segments SET data = ? WHERE n = 1"
		if db.Dialect() == sqlstore.Postgres {
			q = "UPDATE vault_segments SET data = $1 WHERE n = 1"
		}
		if _, err := db.SQL().Exec(q, bytes.Repeat([]byte{0}, 100)); err != nil {
			t.Fatal(err)
		}
		rc, _ = v.Open(ctx, obj.ID)
		if _, err := io.ReadAll(rc); err == nil || !strings.Contains(err.Error(), "segment 1") {
			t.Fatalf("tampered read: %v", err)
		}
		if err := v.Delete(ctx, obj.ID); err != nil {
			t.Fatal(err)
		}
		db.SQL().QueryRow("SELECT COUNT(*) FROM vault_segments").Scan(&n)
		var keyNull bool
		db.SQL().QueryRow("SELECT wrapped_key IS NULL FROM vault_objects").Scan(&keyNull)
		if n != 0 || !keyNull {
			t.Fatalf("after delete: %d segments, key null %v", n, keyNull)
		}
		if _, err := v.Open(ctx, obj.ID); fault.ErrorCode(err) != fault.NotFound {
			t.Fatalf("open deleted: %v", err)
		}
		if err := v.Delete(ctx, obj.ID); fault.ErrorCode(err) != fault.NotFound {
			t.Fatalf("second delete: %v", err)
		}
	})
}
