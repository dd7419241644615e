package web

import (
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/platform"
)

const (
	statsTitle = "STATS-RELEASE-TITLE-6d1e"
	statsFile  = "STATS-FILE-CONTENT-93ab"
)

// postMultipart posts fields and an optional file as multipart/form-data
// with the client's CSRF token.
func (c *client) postMultipart(path string, fields url.Values, fileName, content string) (int, string) {
	c.f.t.Helper()
	var buf strings.Builder
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if fileName != "" {
		fw, _ := mw.CreateFormFile("file", fileName)
		fw.Write([]byte(content))
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.f.srv.URL+path, strings.NewReader(buf.String()))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.send(req)
}

// addOfficer creates an officer (with TOTP) of body.
func (f *fixture) addOfficer(login string, role platform.Role, body platform.ID) {
	f.t.Helper()
	hash, _ := auth.HashPassword(testPassword)
	k, _ := auth.NewTOTP(login)
	u := platform.User{Login: login, Name: login, Role: role, BodyID: body, PasswordHash: hash, TOTPSecret: k.Secret, CreatedAt: f.now}
	if err := f.db.CreateUser(context.Background(), &u); err != nil {
		f.t.Fatal(err)
	}
	f.secrets[login] = k.Secret
}

// TestStatisticsReleaseWorkflow: a body's reviewer drafts a release with an
// uploaded CSV; nothing of it is public (pages, lists, CKAN, DCAT, feeds,
// the file URL) until the body's approver publishes it; other roles and
// other bodies are refused; withdrawing hides it again; every step is
// audited.
func TestStatisticsReleaseWorkflow(t *testing.T) {
	f, seed := newPublicFixture(t)
	ctx := context.Background()
	bodyA, bodyB := seed.Bodies[0], seed.Bodies[2]
	f.addOfficer("reviewer-a", platform.RoleBodyReviewer, bodyA.ID)
	f.addOfficer("approver-a", platform.RoleBodyApprover, bodyA.ID)
	f.addOfficer("approver-b", platform.RoleBodyApprover, bodyB.ID)
	form := url.Values{"body_id": {itoa(bodyA.ID)}, "name": {"stats-release-test"}, "title": {statsTitle},
		"notes": {"国民健康保険の受診件数（年齢5歳階級別）"}, "license_id": {"cc-by-4.0"}, "period_from": {"2025-04-01"},
		"period_to": {"2026-03-31"}, "tags": {"医療 統計"}}

	biz := f.login("biz")
	if st, _ := biz.get("/statistics-releases"); st != http.StatusForbidden {
		t.Fatalf("business lists releases: %d", st)
	}
	if st, _ := biz.postMultipart("/statistics-releases", form, "t.csv", statsFile); st != http.StatusForbidden {
		t.Fatalf("business creates a release: %d", st)
	}
	appB := f.login("approver-b")
	if st, _ := appB.get("/statistics-releases/new"); st != http.StatusOK {
		t.Fatalf("approver B new form: %d", st)
	}
	if st, _ := appB.postMultipart("/statistics-releases", form, "t.csv", statsFile); st != http.StatusForbidden {
		t.Fatalf("approver of body B creates a release of body A: %d", st)
	}
	rev := f.login("reviewer-a")
	rev.get("/statistics-releases/new")
	if st, b := rev.postMultipart("/statistics-releases", form, "集計表.csv", "地域,件数\r\n札幌市,"+statsFile+"\r\n"); st != http.StatusSeeOther {
		t.Fatalf("reviewer creates: %d\n%s", st, b)
	}
	d, err := f.db.CatalogDataset(ctx, "stats-release-test")
	if err != nil || d.State != platform.PublishDraft || len(d.Resources) != 1 || d.PeriodFrom == nil {
		t.Fatalf("stored release: %+v, %v", d, err)
	}
	fileURL := d.Resources[0].URL
	paths := append(publicPaths(seed), "/datasets/stats-release-test",
		"/api/3/action/package_show?id=stats-release-test", "/api/3/action/package_search?q="+url.QueryEscape(statsTitle),
		"/dataset/"+d.ID+".jsonld", fileURL)
	assertAbsent := func(when string) {
		t.Helper()
		for _, lang := range []string{"ja", "en"} {
			for _, p := range paths {
				sep := "?"
				if strings.Contains(p, "?") {
					sep = "&"
				}
				st, b := f.anon().get(p + sep + "lang=" + lang)
				if strings.Contains(b, statsTitle) || strings.Contains(b, statsFile) || strings.Contains(b, d.ID+`"`) {
					t.Fatalf("%s: %s shows the release", when, p)
				}
				if strings.Contains(p, "stats-release-test") && !strings.Contains(p, "?q=") && st != http.StatusNotFound {
					t.Fatalf("%s: %s answers %d, want 404", when, p, st)
				}
			}
		}
	}
	assertAbsent("draft")

	move := func(c *client, to string) int {
		cur, _ := f.db.CatalogDataset(ctx, d.ID)
		c.get("/statistics-releases/" + d.ID)
		st, _ := c.post("/statistics-releases/"+d.ID+"/move", url.Values{"to": {to}, "version": {itoa(int64(cur.Version))}})
		return st
	}
	if st := move(rev, "published"); st != http.StatusForbidden {
		t.Fatalf("reviewer publishes: %d", st)
	}
	if st, _ := appB.get("/statistics-releases/" + d.ID); st != http.StatusForbidden {
		t.Fatalf("approver of body B opens the release: %d", st)
	}
	if st := move(appB, "published"); st != http.StatusForbidden {
		t.Fatalf("approver of body B publishes: %d", st)
	}
	assertAbsent("after refused moves")
	appA := f.login("approver-a")
	if st := move(appA, "published"); st != http.StatusSeeOther {
		t.Fatalf("approver A publishes: %d", st)
	}
	list := eventually(t, func() string { _, b := f.anon().get("/portal/statistics"); return b }, statsTitle)
	if !strings.Contains(list, statsTitle) {
		t.Fatal("published release not on the statistics page")
	}
	for _, p := range []string{"/api/3/action/package_show?id=stats-release-test", "/dataset/" + d.ID + ".jsonld", fileURL} {
		if st, b := f.anon().get(p); st != http.StatusOK || !strings.Contains(b, map[bool]string{true: statsFile, false: "stats-release-test"}[p == fileURL]) {
			t.Fatalf("%s after publishing: %d", p, st)
		}
	}
	if _, b := f.anon().get("/api/3/action/package_show?id=stats-release-test"); !strings.Contains(b, "temporal_start") {
		t.Fatal("period not in the CKAN extras")
	}
	if st := move(appA, "withdrawn"); st != http.StatusSeeOther {
		t.Fatalf("approver A withdraws: %d", st)
	}
	eventuallyNot(t, func() string { _, b := f.anon().get("/portal/statistics"); return b }, statsTitle)
	assertAbsent("withdrawn")

	recs, err := f.db.AuditRecords(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range recs {
		if r.TargetID == d.ID {
			got[r.Action]++
		}
	}
	if got["statistics.release.save"] != 1 || got["statistics.release.move"] != 2 {
		t.Fatalf("audit entries for the release: %v", got)
	}
}

// eventuallyNot waits (within catalogFreshness) until get's answer no
// longer contains unwanted.
func eventuallyNot(t *testing.T, get func() string, unwanted string) {
	t.Helper()
	for start := 0; ; start++ {
		if !strings.Contains(get(), unwanted) {
			return
		}
		if start > int(catalogFreshness/(50*1e6)) {
			t.Fatalf("%q still shown after %v", unwanted, catalogFreshness)
		}
		sleep50()
	}
}

func sleep50() { time.Sleep(50 * time.Millisecond) }
