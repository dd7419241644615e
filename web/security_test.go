package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/web/i18n"
)

func TestCSRF(t *testing.T) {
	f := newFixture(t)
	c := f.login("rev-a")
	base := fmt.Sprintf("/bodies/%d/register", f.bodyA.ID)
	n := len(f.entries(f.bodyA.ID))
	cases := []struct {
		name string
		send func() (int, string)
	}{
		{"form without token", func() (int, string) { return c.do("POST", base, formOf("x", 0)) }},
		{"form with a wrong token", func() (int, string) {
			v := formOf("x", 0)
			v.Set("csrf", "forged-token-forged-token-forged-token")
			return c.do("POST", base, v)
		}},
		{"API without header", func() (int, string) {
			saved := c.csrf
			c.csrf = ""
			defer func() { c.csrf = saved }()
			return c.json("POST", "/api/v1"+base, entryJSON("x", 0))
		}},
		{"upload without token", func() (int, string) {
			saved := c.csrf
			c.csrf = ""
			defer func() { c.csrf = saved }()
			return c.upload(base+"/import", "r.csv", goodCSV, false)
		}},
		{"logout without token", func() (int, string) { return c.do("POST", "/logout", url.Values{}) }},
	}
	for _, tc := range cases {
		st, b := tc.send()
		if st != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", tc.name, st)
		}
		if !strings.Contains(b, "フォームの有効期限") && !strings.Contains(b, `"forbidden"`) {
			t.Errorf("%s: no CSRF message\n%.300s", tc.name, b)
		}
	}
	if len(f.entries(f.bodyA.ID)) != n {
		t.Error("a request without a valid CSRF token wrote data")
	}
	if st, _ := c.get("/dashboard"); st != http.StatusOK {
		t.Error("session ended by a forged logout")
	}
	// The login form needs its double-submit token too.
	a := f.anon()
	if st, _ := a.do("POST", "/login", url.Values{"login": {"rev-a"}, "password": {testPassword}}); st != http.StatusForbidden {
		t.Errorf("login without token: %d, want 403", st)
	}
}

func TestSecurityHeadersHealthMetrics(t *testing.T) {
	f := newFixture(t)
	resp, err := http.Get(f.srv.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for h, want := range map[string]string{
		"Content-Security-Policy": "default-src 'none'", "X-Frame-Options": "DENY",
		"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
	} {
		if got := resp.Header.Get(h); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	for _, ck := range resp.Cookies() {
		if !ck.HttpOnly {
			t.Errorf("cookie %s is not HttpOnly", ck.Name)
		}
	}
	c := f.anon()
	if st, b := c.get("/healthz"); st != http.StatusOK || !strings.Contains(b, `"ok"`) {
		t.Errorf("healthz: %d %s", st, b)
	}
	st, b := c.get("/metrics")
	if st != http.StatusOK || !strings.Contains(b, `tokumei_http_requests_total{method="GET",route="GET /healthz",status="200"} 1`) ||
		!strings.Contains(b, "tokumei_http_request_duration_seconds_bucket") {
		t.Errorf("metrics: %d\n%s", st, b)
	}
}

// TestNoEnglishOnJapanesePages: errors without a Japanese text (from the
// store, or internal) never show English on a Japanese page.
func TestNoEnglishOnJapanesePages(t *testing.T) {
	f := newFixture(t)
	c := f.login("admin")
	pages := []struct {
		path   string
		status int
	}{
		{"/bodies/999/register", http.StatusNotFound},
		{"/bodies/1/register/999", http.StatusNotFound},
		{"/bodies/abc/register", http.StatusNotFound},
		{"/no/such/page", http.StatusNotFound},
	}
	for _, p := range pages {
		st, b := c.get(p.path)
		if st != p.status {
			t.Errorf("%s: %d, want %d", p.path, st, p.status)
		}
		msg := between(b, `<div class="errors" role="alert">`, `</div>`)
		if msg == "" || asciiWords(msg) {
			t.Errorf("%s: error message not Japanese: %q", p.path, msg)
		}
	}
	// The same page in English is English.
	st, b := c.get("/bodies/999/register?lang=en")
	if st != http.StatusNotFound || !strings.Contains(b, `lang="en"`) {
		t.Errorf("English error page: %d", st)
	}
}

func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	in, _, _ := strings.Cut(after, to)
	return in
}

// asciiWords reports whether s holds a run of 4+ ASCII letters outside tags.
func asciiWords(s string) bool {
	depth, run := 0, 0
	for _, r := range s {
		switch {
		case r == '<':
			depth++
		case r == '>':
			depth--
		case depth == 0 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'):
			run++
			if run >= 4 {
				return true
			}
			continue
		}
		run = 0
	}
	return false
}

func TestSafeMessageJapanese(t *testing.T) {
	codes := []fault.Code{fault.Invalid, fault.NotFound, fault.Conflict, fault.Unauthorized, fault.Forbidden,
		fault.TooMany, fault.TooLarge, fault.Unsatisfiable, fault.Internal, fault.Unavailable, fault.SchemaTooNew}
	for _, c := range codes {
		for _, err := range []error{fault.Errorf(c, "raw English detail"), errors.New("pq: relation users")} {
			got := safeMessage(err, i18n.JA)
			if got == "" || asciiWords(got) {
				t.Errorf("%s: %q", c, got)
			}
		}
	}
	// A Japanese message keeps its field label and location.
	err := fault.New(fault.Invalid, "bad", "正しくありません").In("purpose")
	if got := safeMessage(err, i18n.JA); got != "利用目的: 正しくありません" {
		t.Errorf("field message = %q", got)
	}
}

// TestCSRFInUploadURL: a multipart upload may carry the token in its URL
// (streaming uploads), but not a wrong one.
func TestCSRFInUploadURL(t *testing.T) {
	f := newFixture(t)
	c := f.login("rev-a")
	base := fmt.Sprintf("/bodies/%d/register/import", f.bodyA.ID)
	n := len(f.entries(f.bodyA.ID))
	tok := c.csrf
	c.csrf = ""
	if st, _ := c.upload(base+"?csrf=wrong-token-wrong-token-wrong-token", "r.csv", goodCSV, true); st != http.StatusForbidden {
		t.Errorf("wrong token in URL: %d", st)
	}
	if st, b := c.upload(base+"?csrf="+url.QueryEscape(tok), "r.csv", goodCSV, true); st != http.StatusSeeOther {
		t.Errorf("token in URL: %d\n%.300s", st, b)
	}
	if len(f.entries(f.bodyA.ID)) != n+1 {
		t.Error("upload with the token in its URL not stored")
	}
}
