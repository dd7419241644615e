package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/platform"
)

// addBodyC adds a third body (of Chiyoda) with a reviewer "rev-c".
func addBodyC(t *testing.T, f *fixture) platform.Body {
	t.Helper()
	ctx := context.Background()
	b := platform.Body{LGCode: "131016", Kind: platform.BodyMayor, Name: "千代田区長", CreatedAt: f.now}
	hash, _ := auth.HashPassword(testPassword)
	k, err := auth.NewTOTP("rev-c")
	if err == nil {
		err = f.db.CreateBody(ctx, &b)
	}
	if err == nil {
		err = f.db.CreateUser(ctx, &platform.User{Login: "rev-c", Name: "審査C", Role: platform.RoleBodyReviewer, BodyID: b.ID,
			PasswordHash: hash, TOTPSecret: k.Secret, CreatedAt: f.now})
	}
	if err != nil {
		t.Fatal(err)
	}
	f.secrets["rev-c"] = k.Secret
	return b
}

// Joint commissions through the pages: only the window creates, edits and
// publishes; a split that does not add up is refused in Japanese naming the
// field; bodies see only the commissions they are party to.
func TestCommissionPages(t *testing.T) {
	f, _, cs := caseFixture(t)
	bodyC := addBodyC(t, f)
	a, b := strconv.FormatInt(f.bodyA.ID, 10), strconv.FormatInt(f.bodyB.ID, 10)
	form := func(split string, shares map[string]string) url.Values {
		v := url.Values{"contractor": {"一般社団法人 匿名加工センター"}, "title": {"健診データ共同受託"}, "terms": {"環境構築費を按分"},
			"from": {"2026-04-01"}, "to": {"2027-03-31"}, "shared_cost": {"100,000"}, "split_key": {split},
			"body_ids": {a, b}, "case_ids": {strconv.FormatInt(cs[0].ID, 10), strconv.FormatInt(cs[1].ID, 10)},
			"entry_ids": {strconv.FormatInt(f.entryA.ID, 10), strconv.FormatInt(f.entryB.ID, 10)}}
		for k, s := range shares {
			v.Set(k, s)
		}
		return v
	}
	// Refused by role before anything is read.
	for _, login := range []string{"rev-a", "appr-a", "auditor"} {
		c := f.login(login)
		if st, _ := c.get("/commissions/new"); st != http.StatusForbidden {
			t.Errorf("%s opened the commission form: %d", login, st)
		}
		c.get("/dashboard")
		if st, _ := c.post("/commissions", form("equal", nil)); st != http.StatusForbidden {
			t.Errorf("%s created a commission: %d", login, st)
		}
	}
	win := f.login("window")
	if st, body := win.get("/commissions/new"); st != http.StatusOK || !strings.Contains(body, f.bodyA.Name) || !strings.Contains(body, "#"+strconv.FormatInt(cs[0].ID, 10)) {
		t.Fatalf("form: %d", st)
	}
	for _, tc := range []struct {
		name   string
		v      url.Values
		status int
		ja     string
	}{
		{"percent short", form("percent", map[string]string{"percent_" + a: "60", "percent_" + b: "35"}), http.StatusBadRequest,
			"按分割合（%）の合計が100%になっていません（合計 95%）"},
		{"amount over", form("amount", map[string]string{"amount_" + a: "60,000", "amount_" + b: "50,000"}), http.StatusBadRequest,
			"按分額（円）の合計 110,000円 が共通経費 100,000円 と一致しません"},
		{"percent not a number", form("percent", map[string]string{"percent_" + a: "六割", "percent_" + b: "40"}), http.StatusBadRequest,
			"按分割合（%）を数で入力してください"},
		{"one body", func() url.Values { v := form("equal", nil); v["body_ids"] = []string{a}; return v }(), http.StatusBadRequest,
			"共同受託には2以上の実施機関（委託元）が必要です"},
		{"file of another body", func() url.Values {
			v := form("equal", nil)
			v["body_ids"], v["case_ids"] = []string{a, strconv.FormatInt(bodyC.ID, 10)}, []string{strconv.FormatInt(cs[0].ID, 10)}
			return v
		}(), http.StatusBadRequest, "委託元でない実施機関の個人情報ファイルが含まれています"},
		{"case of another body", func() url.Values {
			v := form("equal", nil)
			v["body_ids"], v["entry_ids"] = []string{a, strconv.FormatInt(bodyC.ID, 10)}, []string{strconv.FormatInt(f.entryA.ID, 10)}
			return v
		}(),
			http.StatusBadRequest, "委託元でない実施機関の案件が含まれています"},
	} {
		win.get("/commissions/new")
		st, body := win.post("/commissions", tc.v)
		if st != tc.status || !strings.Contains(body, tc.ja) || !strings.Contains(body, `value="一般社団法人 匿名加工センター"`) {
			t.Errorf("%s: %d, want %d with %q and the typed values", tc.name, st, tc.status, tc.ja)
		}
	}
	win.get("/commissions/new")
	st, _ := win.post("/commissions", form("percent", map[string]string{"percent_" + a: "60", "percent_" + b: "40"}))
	if st != http.StatusSeeOther {
		t.Fatalf("create: %d", st)
	}
	list, err := f.db.Commissions(context.Background(), false)
	if err != nil || len(list) != 1 {
		t.Fatalf("commissions %v %v", list, err)
	}
	id := strconv.FormatInt(list[0].ID, 10)
	page := "/commissions/" + id
	if _, body := win.get(page); !strings.Contains(body, "60,000円") || !strings.Contains(body, "40,000円") || !strings.Contains(body, f.entryB.FileName+"（"+f.bodyB.Name+"）") {
		t.Errorf("show page lacks the shares:\n%s", body)
	}
	if _, body := win.get("/commissions"); !strings.Contains(body, `href="/commissions/`+id+`"`) || !strings.Contains(body, `href="/commissions/new"`) {
		t.Errorf("list lacks the links")
	}

	// Bodies: party to it → read; outside → not found; never edit.
	revA := f.login("rev-a")
	if st, _ := revA.get(page); st != http.StatusOK {
		t.Errorf("commissioning body: %d", st)
	}
	revC := f.login("rev-c")
	if st, _ := revC.get(page); st != http.StatusNotFound {
		t.Errorf("body outside the commission read it: %d", st)
	}
	if _, body := revC.get("/commissions"); strings.Contains(body, "健診データ共同受託") {
		t.Errorf("body outside the commission sees it in the list")
	}
	revA.get(page)
	if st, _ := revA.post(page, form("equal", nil)); st != http.StatusForbidden {
		t.Errorf("body reviewer edited: %d", st)
	}
	if st, _ := revA.post(page+"/publish", nil); st != http.StatusForbidden {
		t.Errorf("body reviewer published: %d", st)
	}

	// Edit by the window: amounts.
	if st, body := win.get(page + "/edit"); st != http.StatusOK || !strings.Contains(body, `value="60"`) {
		t.Errorf("edit form: %d", st)
	}
	if st, _ := win.post(page, form("amount", map[string]string{"amount_" + a: "25,000", "amount_" + b: "75,000"})); st != http.StatusSeeOther {
		t.Fatalf("edit: %d", st)
	}
	if _, body := win.get(page); !strings.Contains(body, "25,000円") || !strings.Contains(body, "75,000円") {
		t.Errorf("edited shares not shown")
	}

	// JSON API: read, a bad split by PUT, refusals.
	st, body := win.get("/api/v1/commissions/" + id)
	var c platform.Commission
	if st != http.StatusOK || json.Unmarshal([]byte(body), &c) != nil || c.Shares[f.bodyB.ID] != 75000 {
		t.Fatalf("API read: %d %s", st, body)
	}
	c.SplitKey, c.Amounts, c.Percent = "percent", nil, map[platform.ID]float64{f.bodyA.ID: 50, f.bodyB.ID: 60}
	if st, body := win.json("PUT", "/api/v1/commissions/"+id, c); st != http.StatusBadRequest || !strings.Contains(body, "percent") {
		t.Errorf("API bad split: %d %s", st, body)
	}
	if st, _ := revA.json("PUT", "/api/v1/commissions/"+id, c); st != http.StatusForbidden {
		t.Errorf("API edit by a body: %d", st)
	}
	if st, _ := revC.get("/api/v1/commissions/" + id); st != http.StatusNotFound {
		t.Errorf("API read by a body outside: %d", st)
	}

	// Publish: then public.
	win.get(page)
	if st, _ := win.post(page+"/publish", nil); st != http.StatusSeeOther {
		t.Fatalf("publish: %d", st)
	}
	anon := f.anon()
	if st, body := anon.get("/api/v1/public/commissions"); st != http.StatusOK || !strings.Contains(body, "一般社団法人 匿名加工センター") || !strings.Contains(body, "75000") {
		t.Errorf("public commissions: %d %s", st, body)
	}
	// The portal's commission records show the split (after the catalogue's refresh).
	portal := eventually(t, func() string { _, b := anon.get("/portal/commissions"); return b }, "75,000円")
	if !strings.Contains(portal, "共通経費の按分") || !strings.Contains(portal, "100,000円（金額）") || !strings.Contains(portal, "25,000円") {
		t.Errorf("portal commission records lack the split:\n%s", portal)
	}
	// In English the split's words follow the page; the CSV keeps standard Japanese.
	if _, en := anon.get("/portal/commissions?lang=en"); !strings.Contains(en, "100,000円 (by amount): ") || strings.Contains(en, "（金額）") {
		t.Errorf("English commission records: the split is not in English:\n%s", en)
	}
	if _, csv := anon.get("/portal/commissions.csv?lang=en"); !strings.Contains(csv, "100,000円（金額）：") {
		t.Errorf("commission CSV must keep the Japanese split:\n%s", csv)
	}
	recs, _ := f.db.AuditRecords(context.Background(), 0, 0)
	seen := map[string]bool{}
	for _, r := range recs {
		seen[r.Action] = true
	}
	for _, act := range []string{"commission.create", "commission.update", "commission.publish"} {
		if !seen[act] {
			t.Errorf("audit chain lacks %s", act)
		}
	}
}
