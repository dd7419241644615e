package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

const goodCSV = "個人情報ファイルの名称,利用目的,記録項目,ファイルの種別,提案の募集,提案を受ける組織\n" +
	"国民健康保険ファイル,保険給付,氏名:氏名;生年月日:日付;病名:文字:要配慮,電算処理,該当,札幌市 総務局\n"

func formOf(name string, version int) url.Values {
	return url.Values{"file_name": {name}, "purpose": {"税務事務"}, "kind": {"computer"},
		"item_name_0": {"氏名"}, "item_type_0": {"name"}, "version": {fmt.Sprint(version)}, "reason": {"test"}}
}

func entryJSON(name string, version int) map[string]any {
	return map[string]any{"file_name": name, "purpose": "税務事務", "kind": "computer", "version": version,
		"items": []map[string]any{{"name": "氏名", "type": "name"}}}
}

// request builds the request of a register route for body and entry.
func (f *fixture) registerRequest(c *client, rt route, body, entry platform.ID) (int, string) {
	p := strings.NewReplacer("{body}", fmt.Sprint(body), "{entry}", fmt.Sprint(entry)).Replace(rt.path())
	api := strings.HasPrefix(p, "/api/")
	switch {
	case rt.method() == "GET":
		return c.get(p)
	case strings.HasSuffix(p, "/import"):
		return c.upload(p, "register.csv", goodCSV, api)
	case api:
		return c.json(rt.method(), p, entryJSON("変更後の名称", 1))
	default:
		return c.post(p, formOf("変更後の名称", 1))
	}
}

// TestOtherBodyRegister walks every route of the route table that names a
// body or a register entry and shows that users of body A can neither read
// nor change body B's register, while the same route works on their own.
func TestOtherBodyRegister(t *testing.T) {
	sqlstoretest.Each(t, testOtherBodyRegister)
}

func testOtherBodyRegister(t *testing.T, db *sqlstore.DB) {
	f := newFixtureOn(t, db)
	s := f.server(t)
	users := []string{"rev-a", "appr-a"}
	var routes []route
	for _, rt := range s.routes {
		// Published registers (public pages) are read by anyone.
		if !rt.Public && strings.Contains(rt.Pattern, "/register") {
			routes = append(routes, rt)
		}
	}
	if len(routes) < 15 {
		t.Fatalf("only %d register routes found", len(routes))
	}
	for _, login := range users {
		c := f.login(login)
		for _, rt := range routes {
			// Body B, its own entry: refused.
			st, b := f.registerRequest(c, rt, f.bodyB.ID, f.entryB.ID)
			if st != http.StatusForbidden && st != http.StatusNotFound {
				t.Errorf("%s %s on body B: status %d, want 403 or 404\n%.300s", login, rt.Pattern, st, b)
			}
			if strings.Contains(b, f.entryB.FileName) {
				t.Errorf("%s %s on body B: response shows B's file name", login, rt.Pattern)
			}
			// Body A with B's entry in the path: not found.
			if strings.Contains(rt.Pattern, "{entry}") {
				st, _ := f.registerRequest(c, rt, f.bodyA.ID, f.entryB.ID)
				if st != http.StatusNotFound && st != http.StatusForbidden {
					t.Errorf("%s %s with A's body and B's entry: status %d, want 404", login, rt.Pattern, st)
				}
			}
			// Control: the same route on body A works.
			entryA := f.entries(f.bodyA.ID)[0]
			st, b = f.registerRequest(c, rt, f.bodyA.ID, entryA.ID)
			if st == http.StatusForbidden || st == http.StatusNotFound || st >= 500 {
				t.Errorf("%s %s on own body A: status %d\n%.500s", login, rt.Pattern, st, b)
			}
		}
	}
	es := f.entries(f.bodyB.ID)
	if len(es) != 1 || es[0].Version != 1 || es[0].FileName != f.entryB.FileName {
		t.Errorf("body B's register changed: %+v", es)
	}
	if len(f.entries(f.bodyA.ID)) < 3 {
		t.Errorf("control writes on body A did not happen")
	}
}

func TestRegisterCreateEditImport(t *testing.T) {
	f := newFixture(t)
	c := f.login("rev-a")
	base := fmt.Sprintf("/bodies/%d/register", f.bodyA.ID)

	// A bad form is shown again with a Japanese message naming the field.
	bad := formOf("", 0)
	st, b := c.post(base, bad)
	if st != http.StatusBadRequest || !strings.Contains(b, "個人情報ファイルの名称を入力してください") {
		t.Fatalf("bad form: %d\n%s", st, b)
	}
	st, _ = c.post(base, formOf("固定資産税課税台帳", 0))
	if st != http.StatusSeeOther {
		t.Fatalf("create: %d", st)
	}
	var e platform.RegisterEntry
	for _, x := range f.entries(f.bodyA.ID) {
		if x.FileName == "固定資産税課税台帳" {
			e = x
		}
	}
	if e.ID == 0 || len(e.Items) != 1 || e.Items[0].Type != platform.ItemName {
		t.Fatalf("created entry: %+v", e)
	}
	// Stale version: conflict.
	st, _ = c.post(fmt.Sprintf("%s/%d", base, e.ID), formOf("改名", e.Version+5))
	if st != http.StatusConflict {
		t.Errorf("stale update: %d, want 409", st)
	}
	st, _ = c.post(fmt.Sprintf("%s/%d", base, e.ID), formOf("改名", e.Version))
	if st != http.StatusSeeOther {
		t.Errorf("update: %d", st)
	}
	st, b = c.get(fmt.Sprintf("%s/%d/history", base, e.ID))
	if st != http.StatusOK || !strings.Contains(b, "改名") || !strings.Contains(b, "固定資産税課税台帳") {
		t.Errorf("history: %d", st)
	}

	// Import with two bad rows: nothing stored, both rows reported in Japanese.
	n := len(f.entries(f.bodyA.ID))
	csv := goodCSV + ",目的,氏名,電算処理,非該当,\n名称,目的,氏名,紙,非該当,\n"
	st, b = c.upload(base+"/import", "r.csv", csv, false)
	if st != http.StatusBadRequest {
		t.Fatalf("bad import: %d", st)
	}
	for _, want := range []string{"3行目", "個人情報ファイルの名称を入力してください", "4行目「ファイルの種別」"} {
		if !strings.Contains(b, want) {
			t.Errorf("import errors lack %q\n%s", want, b)
		}
	}
	if len(f.entries(f.bodyA.ID)) != n {
		t.Errorf("a failed import stored rows")
	}
	st, b = c.upload(base+"/import", "r.csv", goodCSV, false)
	if st != http.StatusSeeOther || len(f.entries(f.bodyA.ID)) != n+1 {
		t.Errorf("good import: %d\n%s", st, b)
	}
}
