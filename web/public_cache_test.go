package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestPublicMemo: anonymous answers come from the snapshot's memo without
// anyone's cookie in them; a logged-in user is never served a memoised
// page (it shows the user); an error is not memoised.
func TestPublicMemo(t *testing.T) {
	f, _ := newPublicFixture(t)
	get := func(c *http.Client, p string) (*http.Response, string) {
		t.Helper()
		resp, err := c.Get(f.srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 32<<10)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return resp, b.String()
	}
	for _, p := range []string{"/portal", "/portal/files?pref=01", "/api/3/action/package_search?rows=5", "/datasets/ds-0001"} {
		r1, b1 := get(http.DefaultClient, p)
		r2, b2 := get(&http.Client{}, p)
		if r1.StatusCode != 200 || r2.StatusCode != 200 || b1 != b2 {
			t.Fatalf("%s: %d/%d, bodies equal %v", p, r1.StatusCode, r2.StatusCode, b1 == b2)
		}
		for _, r := range []*http.Response{r1, r2} {
			if len(r.Header.Values("Set-Cookie")) > 0 {
				t.Fatalf("%s: a memoised answer sets a cookie: %v", p, r.Header.Values("Set-Cookie"))
			}
			if r.Header.Get("Content-Security-Policy") == "" {
				t.Fatalf("%s: security headers missing on a memoised answer", p)
			}
		}
	}
	win := f.login("window")
	if st, b := win.get("/portal"); st != 200 || !strings.Contains(b, "窓口") {
		t.Fatalf("logged-in portal page does not show the user (memoised?): %d", st)
	}
	if st, _ := f.anon().get("/datasets/no-such-dataset"); st != http.StatusNotFound {
		t.Fatalf("missing dataset: %d", st)
	}
}
