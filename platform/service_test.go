package platform_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

var t0 = time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)

type fixture struct {
	svc          *platform.Services
	sapporo      *platform.Body
	chiyoda      *platform.Body
	admin, rev1  context.Context
	rev2, audit  context.Context
	business     context.Context
	entry1       *platform.RegisterEntry
	vaultObjects map[string][]byte
}

func as(a platform.Actor) context.Context { return platform.WithActor(context.Background(), a) }

func newFixture(t *testing.T, db *sqlstore.DB) *fixture {
	t.Helper()
	f := &fixture{vaultObjects: map[string][]byte{}}
	f.svc = &platform.Services{Store: db, Vault: memVault(f.vaultObjects), Now: func() time.Time { return t0 }}
	f.admin = as(platform.SystemActor("test"))
	must(t, f.svc.ImportLocalGovernments(f.admin, []platform.LocalGovernment{
		{Code: "011002", Name: "札幌市", PrefCode: "01", Pref: "北海道", Kind: "designated-city"},
		{Code: "131016", Name: "千代田区", PrefCode: "13", Pref: "東京都", Kind: "special-ward"}}))
	f.sapporo = &platform.Body{LGCode: "011002", Kind: platform.BodyMayor, Name: "札幌市長"}
	f.chiyoda = &platform.Body{LGCode: "131016", Kind: platform.BodyMayor, Name: "千代田区長"}
	must(t, f.svc.CreateBody(f.admin, f.sapporo))
	must(t, f.svc.CreateBody(f.admin, f.chiyoda))
	f.rev1 = as(platform.Actor{UserID: 11, Login: "rev1", Role: platform.RoleBodyReviewer, BodyID: f.sapporo.ID})
	f.rev2 = as(platform.Actor{UserID: 12, Login: "rev2", Role: platform.RoleBodyApprover, BodyID: f.chiyoda.ID})
	f.audit = as(platform.Actor{UserID: 13, Login: "aud", Role: platform.RoleAuditor})
	f.business = as(platform.Actor{UserID: 14, Login: "biz", Role: platform.RoleBusiness, BusinessID: 1})
	f.entry1 = &platform.RegisterEntry{BodyID: f.sapporo.ID, FileName: "住民基本台帳ファイル", Purpose: "住民基本台帳事務",
		Items: []platform.RecordItem{{Name: "氏名", Type: platform.ItemName}}, Kind: platform.FileComputer}
	must(t, f.svc.CreateRegisterEntry(f.rev1, f.entry1))
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, what string, err error, code fault.Code) {
	t.Helper()
	if got := fault.ErrorCode(err); got != code {
		t.Errorf("%s: code %q (%v), want %q", what, got, err, code)
	}
}

// A user of one body can neither read nor change another body's register.
func TestRegisterIsolatedByBody(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		_, err := f.svc.RegisterEntry(f.rev2, f.entry1.ID)
		wantCode(t, "read other body's entry", err, fault.NotFound)
		_, err = f.svc.RegisterEntries(f.rev2, f.sapporo.ID)
		wantCode(t, "list other body's register", err, fault.Forbidden)
		_, err = f.svc.RegisterHistory(f.rev2, f.entry1.ID)
		wantCode(t, "history of other body's entry", err, fault.NotFound)
		own, err := f.svc.RegisterEntries(f.rev2, 0)
		if err != nil || len(own) != 0 {
			t.Errorf("rev2's own register: %d entries, %v", len(own), err)
		}

		changed := *f.entry1
		changed.Purpose = "改ざん"
		wantCode(t, "update other body's entry", f.svc.UpdateRegisterEntry(f.rev2, &changed, "x"), fault.NotFound)
		moved := *f.entry1
		moved.BodyID = f.chiyoda.ID
		wantCode(t, "move entry into own body", f.svc.UpdateRegisterEntry(f.rev2, &moved, "x"), fault.NotFound)
		foreign := *f.entry1
		foreign.ID, foreign.FileName = 0, "他団体のファイル"
		wantCode(t, "create in other body", f.svc.CreateRegisterEntry(f.rev2, &foreign), fault.Forbidden)
		wantCode(t, "business writes register", f.svc.CreateRegisterEntry(f.business, &foreign), fault.Forbidden)
		_, err = f.svc.RegisterEntries(f.business, 0)
		wantCode(t, "business reads internal register", err, fault.Forbidden)

		got, err := f.svc.RegisterEntry(f.rev1, f.entry1.ID)
		if err != nil || got.Purpose != "住民基本台帳事務" || got.Version != 1 {
			t.Fatalf("entry after refused changes: %+v, %v", got, err)
		}
		// the owner can change it, and an auditor can read it
		got.Purpose = "統計作成"
		must(t, f.svc.UpdateRegisterEntry(f.rev1, got, "目的の追加"))
		if _, err := f.svc.RegisterEntry(f.audit, f.entry1.ID); err != nil {
			t.Errorf("auditor read: %v", err)
		}
		wantCode(t, "auditor writes", f.svc.UpdateRegisterEntry(f.audit, got, "x"), fault.Forbidden)
		recs, err := f.svc.AuditRecords(f.audit, 1, 0)
		must(t, err)
		last := recs[len(recs)-1]
		if last.Action != "register.update" || last.ActorLogin != "rev1" || last.BodyID != f.sapporo.ID {
			t.Errorf("last audit record %+v", last)
		}
		if n, _, err := f.svc.VerifyAudit(f.audit); err != nil || n != int64(len(recs)) {
			t.Errorf("verify: %d, %v", n, err)
		}
	})
}

func TestServicesValidateAndAudit(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		bad := &platform.RegisterEntry{BodyID: f.sapporo.ID, FileName: "x", Kind: platform.FileComputer}
		err := f.svc.CreateRegisterEntry(f.rev1, bad)
		wantCode(t, "missing purpose", err, fault.Invalid)
		if !strings.Contains(err.Error(), "purpose") {
			t.Errorf("error does not name the field: %v", err)
		}
		before, _ := db.AuditRecords(context.Background(), 1, 0)
		wantCode(t, "body in unknown lg", f.svc.CreateBody(f.admin, &platform.Body{LGCode: "999999", Kind: platform.BodyMayor, Name: "x"}), fault.Invalid)
		wantCode(t, "reviewer creates body", f.svc.CreateBody(f.rev1, &platform.Body{LGCode: "011002", Kind: platform.BodyMayor, Name: "y"}), fault.Forbidden)
		wantCode(t, "no actor", f.svc.CreateRegisterEntry(context.Background(), f.entry1), fault.Unauthorized)
		after, _ := db.AuditRecords(context.Background(), 1, 0)
		if len(after) != len(before) {
			t.Errorf("refused calls wrote %d audit records", len(after)-len(before))
		}

		u := &platform.User{Login: "newrev", Role: platform.RoleBodyReviewer, BodyID: f.sapporo.ID, PasswordHash: "$argon2id$x"}
		must(t, f.svc.CreateUser(f.admin, u))
		wantCode(t, "duplicate login", f.svc.CreateUser(f.admin, &platform.User{Login: "newrev", Role: platform.RoleAdmin, PasswordHash: "h"}), fault.Conflict)
		us, err := f.svc.Users(f.audit)
		if err != nil || len(us) != 1 || us[0].PasswordHash != "" {
			t.Errorf("users: %+v, %v", us, err)
		}
	})
}

func TestProtectedFilesAudited(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		obj, err := f.svc.PutProtected(f.rev1, f.sapporo.ID, "source", "extract.csv", strings.NewReader("a,b\n1,2\n"))
		must(t, err)
		_, err = f.svc.OpenProtected(f.rev2, f.sapporo.ID, obj.ID, "peek")
		wantCode(t, "other body reads source", err, fault.Forbidden)
		_, err = f.svc.OpenProtected(f.audit, f.sapporo.ID, obj.ID, "peek")
		wantCode(t, "auditor reads source", err, fault.Forbidden)
		proc := as(platform.Actor{UserID: 20, Login: "proc", Role: platform.RoleProcessor})
		rc, err := f.svc.OpenProtected(proc, f.sapporo.ID, obj.ID, "processing")
		must(t, err)
		b, _ := io.ReadAll(rc)
		rc.Close()
		if string(b) != "a,b\n1,2\n" {
			t.Errorf("read %q", b)
		}
		must(t, f.svc.DeleteProtected(f.rev1, f.sapporo.ID, obj.ID, "case done"))
		recs, _ := db.AuditRecords(context.Background(), 1, 0)
		var actions []string
		for _, r := range recs[len(recs)-3:] {
			actions = append(actions, r.Action+"/"+r.ActorLogin)
		}
		if got := strings.Join(actions, " "); got != "vault.put/rev1 vault.read/proc vault.delete/rev1" {
			t.Errorf("audit trail %q", got)
		}
	})
}

// memVault is an in-memory platform.Vault for service tests.
type memVaultT struct{ m map[string][]byte }

func memVault(m map[string][]byte) platform.Vault { return &memVaultT{m} }

func (v *memVaultT) Put(_ context.Context, name string, r io.Reader) (*platform.VaultObject, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	id := name + "#" + time.Now().String()
	v.m[id] = b
	return &platform.VaultObject{ID: id, Name: name, Size: int64(len(b))}, nil
}

func (v *memVaultT) Open(_ context.Context, id string) (io.ReadCloser, error) {
	b, ok := v.m[id]
	if !ok {
		return nil, fault.New(fault.NotFound, "no object", "なし")
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (v *memVaultT) Delete(_ context.Context, id string) error { delete(v.m, id); return nil }
