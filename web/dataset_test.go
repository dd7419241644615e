package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/vault"
)

// withVault restarts the fixture's server with an encrypted vault (the
// plain fixture has none).
func withVault(t *testing.T, f *fixture) {
	t.Helper()
	v, err := vault.New(f.db, bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return f.now }
	s, err := New(Deps{Store: f.db, Services: &platform.Services{Store: f.db, Vault: v, Now: clock},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Close()
	f.srv = httptest.NewServer(s.Handler())
	t.Cleanup(f.srv.Close)
}

// uploadFields posts a multipart form: text parts, then the file part.
// api: the CSRF token in the header; else in the URL (as the page's form).
func (c *client) uploadFields(path string, fields map[string]string, name string, content []byte, api bool) (int, string) {
	c.f.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, k := range []string{"record_ref", "hours", "outsourcing"} {
		if v, ok := fields[k]; ok {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	if !api {
		path += "?csrf=" + url.QueryEscape(c.csrf)
	}
	req, _ := http.NewRequest("POST", c.f.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if api {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	return c.send(req)
}

func cp932CSV(t *testing.T, header string, rows int) []byte {
	t.Helper()
	var b strings.Builder
	b.WriteString(header + "\n")
	for i := range rows {
		b.WriteString("1970-0" + strconv.Itoa(1+i%9) + "," + []string{"男", "女"}[i%2] + "\n")
	}
	s, err := japanese.ShiftJIS.NewEncoder().String(b.String())
	if err != nil {
		t.Fatal(err)
	}
	return []byte(s)
}

// §2.5 through the pages: the approver lists created information, the
// body's officer uploads its file; other bodies and roles are refused.
func TestBodyDatasetPages(t *testing.T) {
	f := newFixture(t)
	withVault(t, f)
	a := strconv.FormatInt(f.bodyA.ID, 10)
	base := "/bodies/" + a + "/datasets"
	form := url.Values{"entry_id": {strconv.FormatInt(f.entryA.ID, 10)}, "title": {"健診データ（実施機関作成）"}, "subjects": {"1,200"},
		"items": {"生年月日：年月\n性別"}, "methods_summary": {"生年月日を年月に一般化"}, "proposal_to": {"2027-03-31"}}

	appr := f.login("appr-a")
	if st, body := appr.get(base + "/new"); st != http.StatusOK || !strings.Contains(body, f.entryA.FileName) {
		t.Fatalf("new form: %d", st)
	}
	bad := cloneForm(form)
	bad.Set("subjects", "")
	if st, body := appr.post(base, bad); st != http.StatusBadRequest || !strings.Contains(body, "本人の数を1以上の数で入力してください") {
		t.Fatalf("bad listing: %d\n%s", st, body)
	}
	// Refusals of the listing: a reviewer, another body's officer, the window.
	for _, tc := range []struct {
		login string
		want  int
	}{{"rev-a", http.StatusForbidden}, {"rev-b", http.StatusForbidden}, {"window", http.StatusForbidden}, {"auditor", http.StatusForbidden}} {
		c := f.login(tc.login)
		c.get("/dashboard")
		if st, _ := c.post(base, cloneForm(form)); st != tc.want {
			t.Errorf("%s listed a dataset of body A: %d, want %d", tc.login, st, tc.want)
		}
	}
	if st, body := appr.post(base, cloneForm(form)); st != http.StatusSeeOther {
		t.Fatalf("listing: %d\n%s", st, body)
	}
	ds, _, err := f.procAs(t, "appr-a").BodyDatasets(f.ctxAs(t, "appr-a"), f.bodyA.ID)
	if err != nil || len(ds) != 1 {
		t.Fatalf("listed datasets %v, %v", ds, err)
	}
	d := ds[0]
	page := base + "/" + d.ID
	if _, body := appr.get(base); !strings.Contains(body, "健診データ（実施機関作成）") || !strings.Contains(body, "ファイルが登録されていません") {
		t.Errorf("list page:\n%s", body)
	}

	good := cp932CSV(t, "生年月日,性別", 40)
	meta := map[string]string{"record_ref": "札幌-作成記録-7", "hours": "2.5", "outsourcing": "30,000"}
	// Refusals of the upload.
	for _, tc := range []struct {
		login string
		want  int
	}{{"rev-b", http.StatusNotFound}, {"window", http.StatusForbidden}, {"auditor", http.StatusForbidden}} {
		c := f.login(tc.login)
		c.get("/dashboard")
		if st, _ := c.uploadFields(page+"/file", meta, "created.csv", good, false); st != tc.want {
			t.Errorf("%s uploaded the file of body A: %d, want %d", tc.login, st, tc.want)
		}
	}
	rev := f.login("rev-a")
	rev.get(page)
	if st, body := rev.uploadFields(page+"/file", meta, "created.csv", cp932CSV(t, "生年月日,住所", 3), false); st != http.StatusBadRequest ||
		!strings.Contains(body, "ファイルに項目「性別」の列がありません") {
		t.Fatalf("wrong columns: %d\n%s", st, body)
	}
	if st, body := rev.uploadFields(page+"/file", map[string]string{"hours": "1"}, "created.csv", good, false); st != http.StatusBadRequest ||
		!strings.Contains(body, "作成の記録の番号又は所在を入力してください") {
		t.Fatalf("no record reference: %d\n%s", st, body)
	}
	if _, f0, _ := f.procAs(t, "rev-a").DatasetFileOf(f.ctxAs(t, "rev-a"), d.ID); f0 != nil {
		t.Fatalf("refused uploads stored a file: %+v", f0)
	}
	if st, body := rev.uploadFields(page+"/file", meta, "created.csv", good, false); st != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", st, body)
	}
	sum := sha256.Sum256(good)
	hash := hex.EncodeToString(sum[:])
	if _, body := rev.get(page); !strings.Contains(body, hash) || !strings.Contains(body, "札幌-作成記録-7") || !strings.Contains(body, "40件") {
		t.Errorf("show page lacks hash, record reference or count:\n%s", body)
	}

	// JSON API: the file record; another body is refused; upload by API.
	st, body := rev.get("/api/v1/bodies/" + a + "/datasets/" + d.ID + "/file")
	var rec platform.DatasetFile
	if st != http.StatusOK || json.Unmarshal([]byte(body), &rec) != nil || rec.SHA256 != hash || rec.Rows != 40 || rec.Outsourcing != 30000 {
		t.Fatalf("file record: %d %s", st, body)
	}
	other := f.login("rev-b")
	other.get("/dashboard")
	for _, p := range []string{"/api/v1/bodies/" + a + "/datasets", "/api/v1/bodies/" + a + "/datasets/" + d.ID + "/file"} {
		if st, _ := other.get(p); st != http.StatusForbidden && st != http.StatusNotFound {
			t.Errorf("another body read %s: %d", p, st)
		}
	}
	again := cp932CSV(t, "生年月日,性別", 50)
	if st, body := rev.uploadFields("/api/v1/bodies/"+a+"/datasets/"+d.ID+"/file", meta, "created2.csv", again, true); st != http.StatusCreated ||
		!strings.Contains(body, `"rows": 50`) {
		t.Fatalf("API upload: %d %s", st, body)
	}
	if st, body := rev.get("/api/v1/bodies/" + a + "/datasets"); st != http.StatusOK || !strings.Contains(body, d.ID) || !strings.Contains(body, `"rows": 50`) {
		t.Errorf("API list: %d %s", st, body)
	}
	// A dataset of body A under body B's path is not found.
	if st, _ := rev.get("/bodies/" + strconv.FormatInt(f.bodyB.ID, 10) + "/datasets/" + d.ID); st != http.StatusNotFound && st != http.StatusForbidden {
		t.Errorf("dataset under another body's path: %d", st)
	}
}

// cloneForm copies a form (post adds the client's CSRF token to it).
func cloneForm(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// ctxAs returns a context acting as login.
func (f *fixture) ctxAs(t *testing.T, login string) context.Context {
	t.Helper()
	u, err := f.db.UserByLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	return platform.WithActor(context.Background(), u.Actor())
}

func (f *fixture) procAs(t *testing.T, _ string) *platform.Procedure {
	return (&platform.Services{Store: f.db, Now: func() time.Time { return f.now }}).Procedure()
}
