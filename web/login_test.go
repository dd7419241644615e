package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tokumei/tokumei/auth"
)

func TestTOTPLogin(t *testing.T) {
	f := newFixture(t)
	c := f.anon()
	c.get("/login")
	st, _ := c.post("/login", url.Values{"login": {"window"}, "password": {testPassword}, "next": {"/bodies"}})
	if st != http.StatusSeeOther {
		t.Fatalf("password step: %d", st)
	}
	// Between the factors, nothing but the TOTP page is reachable.
	if st, _ := c.get("/dashboard"); st != http.StatusSeeOther {
		t.Errorf("dashboard before TOTP: %d, want redirect to login", st)
	}
	if st, _ := c.get("/api/v1/bodies"); st != http.StatusUnauthorized {
		t.Errorf("API before TOTP: %d, want 401", st)
	}
	st, b := c.get("/login/totp?next=/bodies")
	if st != http.StatusOK || !strings.Contains(b, "確認コード") {
		t.Fatalf("totp page: %d", st)
	}
	if st, b := c.post("/login/totp", url.Values{"code": {"000000"}, "next": {"/bodies"}}); st != http.StatusUnauthorized ||
		!strings.Contains(b, "確認コードが正しくありません") {
		t.Errorf("wrong code: %d", st)
	}
	code, _ := auth.TOTPCode(f.secrets["window"], f.now)
	resp, err := c.http.PostForm(f.srv.URL+"/login/totp", url.Values{"code": {code}, "next": {"/bodies"}, "csrf": {c.csrf}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/bodies" {
		t.Fatalf("right code: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if st, b := c.get("/bodies"); st != http.StatusOK || !strings.Contains(b, "札幌市長") {
		t.Errorf("after TOTP: %d", st)
	}
	// An open redirect is refused.
	if got := safeNext("//evil.example/x"); got != "/dashboard" {
		t.Errorf("safeNext(//evil) = %q", got)
	}
}

func TestTOTPEnrolment(t *testing.T) {
	f := newFixture(t)
	c := f.anon()
	c.get("/login")
	c.post("/login", url.Values{"login": {"newbie"}, "password": {testPassword}})
	st, _ := c.get("/login/totp")
	if st != http.StatusSeeOther {
		t.Fatalf("TOTP page without a secret: %d, want redirect to enrolment", st)
	}
	st, b := c.get("/login/totp/enrol")
	if st != http.StatusOK || !strings.Contains(b, "otpauth://totp/Tokumei:newbie") {
		t.Fatalf("enrol page: %d\n%s", st, b)
	}
	secret := regexp.MustCompile(`name="secret" value="([A-Z2-7]+)"`).FindStringSubmatch(b)
	if secret == nil {
		t.Fatal("no secret on the enrolment page")
	}
	if st, _ := c.post("/login/totp/enrol", url.Values{"secret": {secret[1]}, "code": {"123456"}}); st != http.StatusBadRequest {
		t.Errorf("wrong enrolment code: %d", st)
	}
	code, _ := auth.TOTPCode(secret[1], f.now)
	if st, _ := c.post("/login/totp/enrol", url.Values{"secret": {secret[1]}, "code": {code}}); st != http.StatusSeeOther {
		t.Fatalf("enrolment: %d", st)
	}
	u, _ := f.db.UserByLogin(context.Background(), "newbie")
	if u.TOTPSecret != secret[1] {
		t.Errorf("secret not stored")
	}
	if st, _ := c.get("/dashboard"); st != http.StatusOK {
		t.Errorf("dashboard after enrolment: %d", st)
	}
	// A second enrolment (to replace the secret) is not possible by the user.
	c2 := f.anon()
	c2.get("/login")
	c2.post("/login", url.Values{"login": {"newbie"}, "password": {testPassword}})
	if st, _ := c2.get("/login/totp/enrol"); st != http.StatusSeeOther {
		t.Errorf("re-enrolment page: %d, want redirect", st)
	}
}

func TestLoginThrottling(t *testing.T) {
	f := newFixture(t)
	c := f.anon()
	c.get("/login")
	for i := 0; i < auth.MaxFailures; i++ {
		st, b := c.post("/login", url.Values{"login": {"rev-a"}, "password": {"wrong-password"}})
		if st != http.StatusUnauthorized || !strings.Contains(b, "ログインIDまたはパスワードが正しくありません") {
			t.Fatalf("failure %d: %d", i, st)
		}
	}
	st, b := c.post("/login", url.Values{"login": {"rev-a"}, "password": {testPassword}})
	if st != http.StatusTooManyRequests || !strings.Contains(b, "しばらくログインできません") {
		t.Fatalf("after %d failures: %d", auth.MaxFailures, st)
	}
	// Other logins are not affected.
	f.login("rev-b")
	// After the window, the right password works again.
	f.now = f.now.Add(auth.FailureWindow + time.Second)
	f.login("rev-a")
}

func TestLogout(t *testing.T) {
	f := newFixture(t)
	c := f.login("auditor")
	if st, _ := c.post("/logout", nil); st != http.StatusSeeOther {
		t.Fatalf("logout: %d", st)
	}
	if st, _ := c.get("/audit"); st != http.StatusSeeOther {
		t.Errorf("after logout: %d, want redirect to login", st)
	}
}
