package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestAPIToken(t *testing.T) {
	f := newFixture(t)
	c := f.login("rev-a")
	c.get("/account/token")
	st, b := c.post("/account/token", nil)
	m := regexp.MustCompile(`id="token" type="text" readonly value="([^"]+)"`).FindStringSubmatch(b)
	if st != http.StatusOK || m == nil {
		t.Fatalf("issue token: %d\n%s", st, b)
	}
	bearer := func(token, method, path string, body string) (int, string) {
		var rd *strings.Reader
		if body != "" {
			rd = strings.NewReader(body)
		} else {
			rd = strings.NewReader("")
		}
		req, _ := http.NewRequest(method, f.srv.URL+path, rd)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req) // no cookies
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var sb strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			sb.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return resp.StatusCode, sb.String()
	}
	tok := m[1]
	own := fmt.Sprintf("/api/v1/bodies/%d/register", f.bodyA.ID)
	other := fmt.Sprintf("/api/v1/bodies/%d/register", f.bodyB.ID)
	if st, b := bearer(tok, "GET", own, ""); st != http.StatusOK || !strings.Contains(b, f.entryA.FileName) {
		t.Errorf("own register by token: %d", st)
	}
	// No CSRF header needed with a token.
	if st, b := bearer(tok, "POST", own, `{"file_name":"トークンで作成","purpose":"p","kind":"manual","items":[{"name":"氏名","type":"name"}]}`); st != http.StatusCreated {
		t.Errorf("create by token: %d %s", st, b)
	}
	if st, _ := bearer(tok, "GET", other, ""); st != http.StatusForbidden && st != http.StatusNotFound {
		t.Errorf("other body by token: %d", st)
	}
	if st, b := bearer("not-a-token", "GET", own, ""); st != http.StatusUnauthorized || !strings.Contains(b, `"unauthorized"`) {
		t.Errorf("bad token: %d %s", st, b)
	}
	// A token does not open UI pages.
	if _, b := bearer(tok, "GET", fmt.Sprintf("/bodies/%d/register", f.bodyA.ID), ""); strings.Contains(b, f.entryA.FileName) {
		t.Error("UI page served to a bearer token")
	}
}
