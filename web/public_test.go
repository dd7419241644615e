package web

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/ckan/ckantest"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

// newPublicFixture runs a server on a store seeded by ckantest (the full
// local-government list, published records and secret-marked unpublished
// ones), with a business user and a window officer.
func newPublicFixture(t *testing.T) (*fixture, *ckantest.Seeded) {
	t.Helper()
	ctx := context.Background()
	db := sqlstoretest.SQLite(t)
	seed, err := ckantest.Seed(ctx, db, 30)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, db: db, now: time.Date(2026, 4, 10, 10, 0, 0, 0, platform.JST), secrets: map[string]string{}}
	hash, _ := auth.HashPassword(testPassword)
	for _, u := range []platform.User{
		{Login: "biz", Name: "事業者", Role: platform.RoleBusiness, BusinessID: seed.Business.ID},
		{Login: "window", Name: "窓口", Role: platform.RoleWindowOfficer},
	} {
		u.PasswordHash, u.CreatedAt = hash, f.now
		if u.Role.Officer() {
			k, _ := auth.NewTOTP(u.Login)
			u.TOTPSecret, f.secrets[u.Login] = k.Secret, k.Secret
		}
		if err := db.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
	}
	svc := &platform.Services{Store: db, Now: func() time.Time { return f.now }}
	s, err := New(Deps{Store: db, Services: svc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(s.Handler())
	t.Cleanup(f.srv.Close)
	return f, seed
}

var rawKey = regexp.MustCompile(`[^/a-z_](public|national|usage)\.[a-z_]+[a-z_.]*`)

func publicPaths(seed *ckantest.Seeded) []string {
	ps := []string{"/portal", "/portal/guide", "/portal/files", "/portal/files?invited=1&special_care=yes",
		"/portal/files?q=SECRET", "/portal/calls", "/datasets", "/portal/statistics", "/portal/usage-cases",
		"/portal/commissions", "/national", "/national?pref=13", "/national/map.svg", "/sitemap.xml", "/feed.atom",
		"/datasets/ds-0001", "/datasets/ds-0004", "/datasets/ds-0001/items.csv", "/datasets/secret-draft",
		"/api/3/action/package_search?rows=1000", "/api/3/action/organization_list?all_fields=true", "/catalog.jsonld"}
	for _, l := range []string{"/portal/files", "/portal/calls", "/datasets", "/portal/statistics", "/portal/usage-cases",
		"/portal/commissions", "/national"} {
		ps = append(ps, l+".csv", l+".json")
	}
	for _, b := range seed.Bodies {
		p := "/portal/bodies/" + itoa(b.ID) + "/register"
		ps = append(ps, p, p+".csv", p+".json")
	}
	return ps
}

// TestPublicNothingProtectedLeaks reads every public page, list, feed and
// API answer in both languages and scans them for the seeded secrets.
func TestPublicNothingProtectedLeaks(t *testing.T) {
	f, seed := newPublicFixture(t)
	c := f.anon()
	for _, lang := range []string{"ja", "en"} {
		for _, p := range publicPaths(seed) {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			st, body := c.get(p + sep + "lang=" + lang)
			if st != 200 && !strings.Contains(p, "secret") {
				t.Errorf("%s: status %d", p, st)
			}
			for _, m := range ckantest.Markers() {
				if strings.Contains(body, m) {
					t.Errorf("%s (%s) leaks %s", p, lang, m)
				}
			}
			if k := rawKey.FindString(body); k != "" {
				t.Errorf("%s (%s) shows an untranslated key %q", p, lang, k)
			}
		}
	}
	// The published counterparts are there, so the scan looked at real pages.
	for p, want := range map[string]string{
		"/portal/files":       "国民健康保険被保険者ファイル0-0",
		"/portal/calls":       "令和8年度 行政機関等匿名加工情報に関する提案募集",
		"/portal/commissions": "一般社団法人 匿名加工センター",
		"/portal/usage-cases": "地域医療計画への活用",
		"/datasets/ds-0001":   "5歳階級",
	} {
		if _, body := c.get(p); !strings.Contains(body, want) {
			t.Errorf("%s lacks %q", p, want)
		}
	}
}

func TestPublicCSVConventions(t *testing.T) {
	f, seed := newPublicFixture(t)
	resp, err := http.Get(f.srv.URL + "/portal/files.csv?pref=01")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	s := string(b)
	if !strings.HasPrefix(s, "\ufeff全国地方公共団体コード,ID,地方公共団体名,") || !strings.Contains(s, "\r\n") {
		t.Fatalf("CSV header/BOM/CRLF: %q", s[:min(len(s), 80)])
	}
	lines := strings.Split(strings.TrimSpace(s), "\r\n")
	if len(lines) != 1+8 { // 2 bodies × 4 files in 011002
		t.Fatalf("CSV rows for pref 01: %d", len(lines)-1)
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "011002,") {
			t.Fatalf("code column not first or not zero-padded: %q", l)
		}
	}
	var rows []map[string]string
	getJSON(t, f.srv.URL+"/portal/files.json?special_care=yes&invited=1", &rows)
	want := 0
	for _, e := range seed.Entries {
		if e.SpecialCare && e.ProposalInvited {
			want++
		}
	}
	if len(rows) != want || rows[0]["special_care"] != "1" {
		t.Fatalf("special-care filter: %d rows, want %d", len(rows), want)
	}
	getJSON(t, f.srv.URL+"/portal/files.json?item="+url.QueryEscape("病名")+"&lg=130001", &rows)
	if len(rows) != 8 {
		t.Fatalf("item+lg filter: %d rows, want 8", len(rows))
	}
	getJSON(t, f.srv.URL+"/portal/files.json?q="+url.QueryEscape("ファイル2-3"), &rows)
	if len(rows) != 1 || rows[0]["file_name"] != "国民健康保険被保険者ファイル2-3" {
		t.Fatalf("q filter: %v", rows)
	}
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s: %v", u, err)
	}
}

// TestNationalView: every prefecture and municipality, no wards; the tile
// grid is accessible and has one tile per prefecture.
func TestNationalView(t *testing.T) {
	f, _ := newPublicFixture(t)
	var rows []map[string]string
	getJSON(t, f.srv.URL+"/national.json", &rows)
	prefs, munis, provided := 0, 0, 0
	for _, r := range rows {
		switch r["kind"] {
		case "prefecture":
			prefs++
		case "ward":
			t.Fatalf("ward %s in the national view", r["lg_name"])
		default:
			munis++
		}
		if r["provisions"] != "0" {
			provided++
		}
	}
	if prefs != 47 || munis != 1741 {
		t.Fatalf("national view: %d prefectures, %d municipalities; want 47, 1741", prefs, munis)
	}
	if provided != 1 {
		t.Errorf("provisions counted in %d local governments, want 1", provided)
	}
	_, svg := f.anon().get("/national/map.svg")
	if strings.Count(svg, "<a href=\"/national?pref=") != 47 || !strings.Contains(svg, `role="img"`) ||
		!strings.Contains(svg, `<title id="map-title">`) || !strings.Contains(svg, `<desc id="map-desc">`) {
		t.Fatalf("tile grid not accessible or incomplete")
	}
	if err := xml.Unmarshal([]byte(svg[strings.Index(svg, "<svg"):]), new(struct{ XMLName xml.Name })); err != nil {
		t.Fatalf("SVG is not well-formed: %v", err)
	}
	seen := map[[2]int]bool{}
	for _, p := range tileGrid {
		if seen[p] {
			t.Fatalf("two prefectures on tile %v", p)
		}
		seen[p] = true
	}
	if len(tileGrid) != 47 {
		t.Fatalf("tile grid has %d prefectures", len(tileGrid))
	}
}

func TestFeeds(t *testing.T) {
	f, _ := newPublicFixture(t)
	_, body := f.anon().get("/feed.atom")
	var feed atomFeed
	if err := xml.Unmarshal([]byte(body), &feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Entries) != 31 || !strings.Contains(body, "【提案募集】") {
		t.Fatalf("atom: %d entries", len(feed.Entries))
	}
	_, body = f.anon().get("/sitemap.xml")
	var set urlset
	if err := xml.Unmarshal([]byte(body), &set); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "/datasets/ds-0029") || !strings.Contains(body, "/portal/forms/pledge") ||
		len(set.URLs) != 9+len(forms)+6+30 {
		t.Fatalf("sitemap: %d urls", len(set.URLs))
	}
}

// TestUsageCaseWorkflow: draft → review → published; only the published
// case is public, and the review note never is.
func TestUsageCaseWorkflow(t *testing.T) {
	f, _ := newPublicFixture(t)
	biz := f.login("biz")
	st, _ := biz.post("/usage-cases", url.Values{"title": {"観光動態の分析"}, "summary": {"SUMMARY-X"}, "organisation": {"株式会社テスト"}})
	if st != http.StatusSeeOther {
		t.Fatalf("submit: %d", st)
	}
	public := func() string { _, b := f.anon().get("/portal/usage-cases"); return b }
	if strings.Contains(public(), "観光動態の分析") {
		t.Fatal("draft is public")
	}
	cases, err := f.db.UsageCases(context.Background(), platform.PublishDraft)
	if err != nil {
		t.Fatal(err)
	}
	var id platform.ID
	for _, u := range cases {
		if u.Title == "観光動態の分析" {
			id = u.ID
		}
	}
	move := func(c *client, to string, version int) int {
		c.get("/usage-cases")
		st, _ := c.post("/usage-cases/"+itoa(id)+"/move", url.Values{"to": {to}, "version": {itoa(int64(version))}, "note": {"NOTE-Y"}})
		return st
	}
	if st := move(biz, "published", 1); st != http.StatusForbidden && st != http.StatusConflict {
		t.Fatalf("business published directly: %d", st)
	}
	if st := move(biz, "review", 1); st != http.StatusSeeOther {
		t.Fatalf("to review: %d", st)
	}
	win := f.login("window")
	if st := move(win, "published", 2); st != http.StatusSeeOther {
		t.Fatalf("publish: %d", st)
	}
	body := eventually(t, public, "観光動態の分析")
	if !strings.Contains(body, "観光動態の分析") || strings.Contains(body, "NOTE-Y") {
		t.Fatalf("published case not shown, or note leaked")
	}
}

// TestCKANThroughServer: CKAN clients POST JSON without a CSRF token (the
// API is read-only), and get the same answers as with GET.
func TestCKANThroughServer(t *testing.T) {
	f, seed := newPublicFixture(t)
	resp, err := http.Post(f.srv.URL+"/api/3/action/package_search", "application/json",
		strings.NewReader(`{"rows": 1000, "fq": "license_id:contract"}`))
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Success bool
		Result  struct{ Count int }
	}
	json.NewDecoder(resp.Body).Decode(&env)
	resp.Body.Close()
	want := 0
	for _, d := range seed.Published {
		if d.LicenseID == "contract" {
			want++
		}
	}
	if resp.StatusCode != 200 || !env.Success || env.Result.Count != want {
		t.Fatalf("POST package_search: %d %+v, want count %d", resp.StatusCode, env, want)
	}
	resp, _ = http.Post(f.srv.URL+"/api/3/action/package_create", "application/json", strings.NewReader(`{"name": "x"}`))
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("package_create: %d, want 403", resp.StatusCode)
	}
}

// eventually calls get until its answer contains want or the documented
// freshness bound (catalogFreshness) has passed, and returns the last answer.
func eventually(t *testing.T, get func() string, want string) string {
	t.Helper()
	deadline := time.Now().Add(catalogFreshness)
	for {
		b := get()
		if strings.Contains(b, want) || time.Now().After(deadline) {
			return b
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// catalogFreshness is the documented bound (docs/open-data.md) on how long
// a published change takes to reach the portal of a small catalogue: the
// refresh interval (1 s) plus one rebuild.
const catalogFreshness = 3 * time.Second
