package web

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

// fixture is a running server on a real store with two bodies (A, B) of
// two local governments, their users and the operator's staff.
type fixture struct {
	t       *testing.T
	db      *sqlstore.DB
	srv     *httptest.Server
	now     time.Time
	bodyA   platform.Body
	bodyB   platform.Body
	entryA  platform.RegisterEntry
	entryB  platform.RegisterEntry
	secrets map[string]string // login → TOTP secret of officers
	logins  map[string]int    // login → TOTP logins so far (a code works once)
}

const testPassword = "correct-horse-42"

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureOn(t, sqlstoretest.SQLite(t))
}

func newFixtureOn(t *testing.T, db *sqlstore.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, db: db, now: time.Date(2026, 4, 1, 10, 0, 0, 0, platform.JST), secrets: map[string]string{}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.UpsertLocalGovernments(ctx, []platform.LocalGovernment{
		{Code: "011002", Name: "札幌市", PrefCode: "01", Pref: "北海道", Kind: "designated-city", SchemeMandatory: true},
		{Code: "131016", Name: "千代田区", PrefCode: "13", Pref: "東京都", Kind: "special-ward"},
	}))
	f.bodyA = platform.Body{LGCode: "011002", Kind: platform.BodyMayor, Name: "札幌市長", Unit: "総務局", CreatedAt: f.now}
	f.bodyB = platform.Body{LGCode: "131016", Kind: platform.BodyBoardEducation, Name: "千代田区教育委員会", CreatedAt: f.now}
	must(db.CreateBody(ctx, &f.bodyA))
	must(db.CreateBody(ctx, &f.bodyB))
	hash, err := auth.HashPassword(testPassword)
	must(err)
	users := []platform.User{
		{Login: "rev-a", Name: "審査A", Role: platform.RoleBodyReviewer, BodyID: f.bodyA.ID},
		{Login: "rev-b", Name: "審査B", Role: platform.RoleBodyReviewer, BodyID: f.bodyB.ID},
		{Login: "appr-a", Name: "決裁A", Role: platform.RoleBodyApprover, BodyID: f.bodyA.ID},
		{Login: "admin", Name: "管理者", Role: platform.RoleAdmin},
		{Login: "auditor", Name: "監査", Role: platform.RoleAuditor},
		{Login: "window", Name: "窓口", Role: platform.RoleWindowOfficer},
		{Login: "newbie", Name: "新任", Role: platform.RoleBodyReviewer, BodyID: f.bodyA.ID},
	}
	for i := range users {
		u := &users[i]
		u.PasswordHash, u.CreatedAt = hash, f.now
		if u.Login != "newbie" {
			k, err := auth.NewTOTP(u.Login)
			must(err)
			u.TOTPSecret = k.Secret
			f.secrets[u.Login] = k.Secret
		}
		must(db.CreateUser(ctx, u))
	}
	mk := func(body platform.ID, name string) platform.RegisterEntry {
		e := platform.RegisterEntry{BodyID: body, FileName: name, Purpose: "住民基本台帳事務",
			Items: []platform.RecordItem{{Name: "氏名", Type: platform.ItemName}}, Kind: platform.FileComputer, UpdatedAt: f.now}
		must(db.CreateRegisterEntry(ctx, &e, 1))
		return e
	}
	f.entryA = mk(f.bodyA.ID, "住民基本台帳ファイルA")
	f.entryB = mk(f.bodyB.ID, "学齢簿ファイルB")
	svc := &platform.Services{Store: db, Now: func() time.Time { return f.now }}
	s, err := New(Deps{Store: db, Services: svc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return f.now }})
	must(err)
	f.srv = httptest.NewServer(s.Handler())
	t.Cleanup(f.srv.Close)
	return f
}

// client is a browser: cookies, no automatic redirects, the last CSRF token.
type client struct {
	f    *fixture
	http *http.Client
	csrf string
}

func (f *fixture) anon() *client {
	jar, _ := cookiejar.New(nil)
	return &client{f: f, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// do sends a request and returns status and body; it remembers the page's
// CSRF token.
func (c *client) do(method, path string, form url.Values) (int, string) {
	c.f.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.f.srv.URL+path, body)
	if err != nil {
		c.f.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return c.send(req)
}

func (c *client) send(req *http.Request) (int, string) {
	c.f.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := csrfRE.FindSubmatch(b); m != nil {
		c.csrf = html.UnescapeString(string(m[1]))
	}
	return resp.StatusCode, string(b)
}

func (c *client) get(path string) (int, string) { return c.do("GET", path, nil) }

// post sends a form with the current CSRF token.
func (c *client) post(path string, form url.Values) (int, string) {
	c.f.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("csrf") == "" {
		form.Set("csrf", c.csrf)
	}
	return c.do("POST", path, form)
}

// login logs in as login, passing the second factor; it fails the test
// unless the dashboard is reached.
func (f *fixture) login(login string) *client {
	f.t.Helper()
	c := f.anon()
	c.get("/login")
	st, _ := c.post("/login", url.Values{"login": {login}, "password": {testPassword}})
	if st != http.StatusSeeOther {
		f.t.Fatalf("login %s: status %d", login, st)
	}
	if secret := f.secrets[login]; secret != "" {
		c.get("/login/totp")
		// Each login needs a fresh code: use the steps around f.now in turn
		// (the server accepts one step of skew), then move the clock on.
		if f.logins == nil {
			f.logins = map[string]int{}
		}
		n := f.logins[login]
		if n == 3 {
			f.now, n = f.now.Add(90*time.Second), 0
			for k := range f.logins {
				f.logins[k] = 0
			}
		}
		f.logins[login] = n + 1
		code, _ := auth.TOTPCode(secret, f.now.Add(time.Duration(n-1)*30*time.Second))
		if st, b := c.post("/login/totp", url.Values{"code": {code}}); st != http.StatusSeeOther {
			f.t.Fatalf("totp %s: status %d\n%s", login, st, b)
		}
	}
	if st, b := c.get("/dashboard"); st != http.StatusOK {
		f.t.Fatalf("dashboard after login %s: %d\n%s", login, st, b)
	}
	return c
}

// json sends an API request with a JSON body (nil: none) and the session's
// CSRF token in the header.
func (c *client) json(method, path string, v any) (int, string) {
	c.f.t.Helper()
	var body io.Reader
	if v != nil {
		b, err := jsonMarshal(v)
		if err != nil {
			c.f.t.Fatal(err)
		}
		body = strings.NewReader(string(b))
	}
	req, err := http.NewRequest(method, c.f.srv.URL+path, body)
	if err != nil {
		c.f.t.Fatal(err)
	}
	if v != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("X-CSRF-Token", c.csrf)
	return c.send(req)
}

// upload posts a multipart form with one file part "file"; api says whether
// the CSRF token goes in the header (API) or in the form (UI).
func (c *client) upload(path, name, content string, api bool) (int, string) {
	c.f.t.Helper()
	var buf strings.Builder
	mw := multipart.NewWriter(&buf)
	if !api {
		mw.WriteField("csrf", c.csrf)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	req, _ := http.NewRequest("POST", c.f.srv.URL+path, strings.NewReader(buf.String()))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if api {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	return c.send(req)
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

// entries returns the register of body as stored.
func (f *fixture) entries(body platform.ID) []platform.RegisterEntry {
	f.t.Helper()
	es, err := f.db.RegisterEntries(context.Background(), body)
	if err != nil {
		f.t.Fatal(err)
	}
	return es
}

// server builds a second Server on the same store, to read its route table.
func (f *fixture) server(t *testing.T) *Server {
	t.Helper()
	s, err := New(Deps{Store: f.db, Services: &platform.Services{Store: f.db}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
