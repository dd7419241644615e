package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tokumei/tokumei/platform"
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

// TestWarmSwap: after a change, the new snapshot already holds the most
// asked answers before it is published: file pages carried over as they
// were, dataset pages rendered again with the change.
func TestWarmSwap(t *testing.T) {
	f, seed := newPublicFixture(t)
	s, err := New(Deps{Store: f.db, Services: &platform.Services{Store: f.db}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	ctx := context.Background()
	old, err := s.catalog().Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	key := func(p string) string { return "http\x00ja\x00http\x00" + host + "\x00" + p }
	for range 3 {
		for _, p := range []string{"/portal/files?pref=01", "/portal/statistics"} {
			resp, err := http.Get(srv.URL + p)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("%s: %v", p, err)
			}
			resp.Body.Close()
		}
	}
	now := time.Now().UTC()
	d := platform.CatalogDataset{ID: platform.StableUUID("warm"), Name: "warm-stat", Kind: platform.DatasetStatistics,
		Title: "WARM-SWAP-TITLE", LGCode: seed.Bodies[0].LGCode, BodyID: seed.Bodies[0].ID, LicenseID: "cc-by-4.0",
		State: platform.PublishPublished, CreatedAt: now, ModifiedAt: now, PublishedAt: &now}
	if err := f.db.PutCatalogDataset(ctx, &d); err != nil {
		t.Fatal(err)
	}
	ix, err := s.catalog().Sync(ctx)
	if err != nil || ix == old {
		t.Fatalf("no new snapshot: %v", err)
	}
	oldFiles, _ := old.Peek(key("/portal/files?pref=01"))
	newFiles, ok := ix.Peek(key("/portal/files?pref=01"))
	if !ok || newFiles != oldFiles {
		t.Fatal("file page not carried over to the new snapshot")
	}
	stats, ok := ix.Peek(key("/portal/statistics?")) // the key holds the sorted query, empty here
	if !ok || !strings.Contains(string(stats.(*cachedAnswer).body), "WARM-SWAP-TITLE") {
		t.Fatalf("statistics page not rendered again into the new snapshot: %v %v", ok, ix.HotKeys(5))
	}
}
