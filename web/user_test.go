package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/platform"
)

func TestUserAdmin(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.login("admin")

	// Non-admins cannot reach user administration.
	rev := f.login("rev-a")
	if st, _ := rev.get("/admin/users"); st != http.StatusForbidden {
		t.Errorf("reviewer on /admin/users: %d", st)
	}
	if st, _ := rev.post("/admin/users", url.Values{"login": {"x"}, "role": {"admin"}, "password": {testPassword}}); st != http.StatusForbidden {
		t.Errorf("reviewer creating a user: %d", st)
	}

	// Create: a weak password is refused in Japanese; then it works.
	form := url.Values{"login": {"tanaka"}, "name": {"田中"}, "role": {"body_approver"},
		"body_id": {fmt.Sprint(f.bodyB.ID)}, "password": {"short"}}
	admin.get("/admin/users")
	if st, b := admin.post("/admin/users", form); st != http.StatusBadRequest || !strings.Contains(b, "10文字以上") {
		t.Fatalf("weak password: %d", st)
	}
	form.Set("password", testPassword)
	if st, _ := admin.post("/admin/users", form); st != http.StatusSeeOther {
		t.Fatalf("create user: %d", st)
	}
	u, err := f.db.UserByLogin(ctx, "tanaka")
	if err != nil || u.BodyID != f.bodyB.ID || u.Role != platform.RoleBodyApprover {
		t.Fatalf("created user: %+v %v", u, err)
	}
	if ok, _ := auth.CheckPassword(u.PasswordHash, testPassword); !ok {
		t.Error("password not stored as its hash")
	}

	// Password reset, then the TOTP reset makes the next login enrol.
	path := fmt.Sprintf("/admin/users/%d", mustUserID(t, f, "rev-b"))
	admin.get(path)
	if st, _ := admin.post(path+"/password", url.Values{"password": {"another-password-9"}}); st != http.StatusSeeOther {
		t.Fatalf("password reset: %d", st)
	}
	if st, _ := admin.post(path+"/totp-reset", nil); st != http.StatusSeeOther {
		t.Fatalf("totp reset: %d", st)
	}
	c := f.anon()
	c.get("/login")
	c.post("/login", url.Values{"login": {"rev-b"}, "password": {"another-password-9"}})
	if st, _ := c.get("/login/totp"); st != http.StatusSeeOther {
		t.Errorf("after TOTP reset the login does not ask for enrolment: %d", st)
	}

	// Disabling a user ends their access at the next request.
	revID := mustUserID(t, f, "rev-a")
	upd := url.Values{"name": {"審査A"}, "role": {"body_reviewer"}, "body_id": {fmt.Sprint(f.bodyA.ID)}, "disabled": {"1"}}
	if st, _ := admin.post(fmt.Sprintf("/admin/users/%d", revID), upd); st != http.StatusSeeOther {
		t.Fatalf("disable: %d", st)
	}
	if st, _ := rev.get("/dashboard"); st != http.StatusSeeOther {
		t.Errorf("disabled user still in: %d", st)
	}
	// An admin cannot disable themself.
	adminID := mustUserID(t, f, "admin")
	if st, _ := admin.post(fmt.Sprintf("/admin/users/%d", adminID), url.Values{"role": {"admin"}, "disabled": {"1"}}); st != http.StatusBadRequest {
		t.Errorf("self-disable: %d", st)
	}
	recs, _ := f.db.AuditRecords(ctx, 1, 0)
	var acts []string
	for _, r := range recs {
		acts = append(acts, r.Action)
	}
	for _, want := range []string{"user.create", "user.password", "user.totp_reset", "user.update"} {
		if !strings.Contains(strings.Join(acts, " "), want) {
			t.Errorf("no audit record %s in %v", want, acts)
		}
	}
}

func mustUserID(t *testing.T, f *fixture, login string) platform.ID {
	t.Helper()
	u, err := f.db.UserByLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
