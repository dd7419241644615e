package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tokumei/tokumei/platform"
)

func TestBusinessSignup(t *testing.T) {
	f := newFixture(t)
	form := func(mod func(url.Values)) url.Values {
		v := url.Values{"name": {"株式会社テスト分析"}, "address": {"東京都千代田区霞が関1-1"},
			"corporate": {"7000012050002"}, "contact": {"山田太郎"}, "email": {"t@example.jp"},
			"login": {"new-biz"}, "password": {"correct-horse-9"}, "password2": {"correct-horse-9"}}
		if mod != nil {
			mod(v)
		}
		return v
	}
	cases := []struct {
		name   string
		mod    func(url.Values)
		status int
		want   string
	}{
		{"passwords differ", func(v url.Values) { v.Set("password2", "other-horse-9") }, http.StatusBadRequest, "確認用のパスワードが一致しません"},
		{"short password", func(v url.Values) { v.Set("password", "short"); v.Set("password2", "short") }, http.StatusBadRequest, "パスワード"},
		{"bad corporate number", func(v url.Values) { v.Set("corporate", "7000012050003") }, http.StatusBadRequest, "法人番号は13桁"},
		{"no name", func(v url.Values) { v.Set("name", " ") }, http.StatusBadRequest, "事業者名を入力してください"},
		{"ok", nil, http.StatusSeeOther, ""},
		{"login taken", nil, http.StatusConflict, "このログインIDは既に使われています"},
	}
	for _, tc := range cases {
		c := f.anon()
		if st, b := c.get("/signup"); st != http.StatusOK || !strings.Contains(b, "事業者の利用者登録") {
			t.Fatalf("%s: GET /signup %d", tc.name, st)
		}
		st, b := c.post("/signup", form(tc.mod))
		if st != tc.status || !strings.Contains(b, tc.want) {
			t.Errorf("%s: status %d, want %d with %q\n%.300s", tc.name, st, tc.status, tc.want, b)
		}
	}
	// Without the CSRF token nothing is created.
	c := f.anon()
	c.get("/signup")
	v := form(func(v url.Values) { v.Set("login", "csrf-biz"); v.Set("csrf", "forged") })
	if st, _ := c.post("/signup", v); st != http.StatusForbidden {
		t.Errorf("forged CSRF: %d, want 403", st)
	}
	if _, err := f.db.UserByLogin(context.Background(), "csrf-biz"); err == nil {
		t.Error("a user was created without a valid CSRF token")
	}
	// The new user is a business user of the new business and can log in.
	u, err := f.db.UserByLogin(context.Background(), "new-biz")
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.db.Business(context.Background(), u.BusinessID)
	if err != nil || u.Role != platform.RoleBusiness || b.Name != "株式会社テスト分析" || b.Corporate != "7000012050002" {
		t.Fatalf("user %+v business %+v err %v", u, b, err)
	}
	lc := f.anon()
	lc.get("/login")
	if st, _ := lc.post("/login", url.Values{"login": {"new-biz"}, "password": {"correct-horse-9"}}); st != http.StatusSeeOther {
		t.Errorf("login of the new business user: %d", st)
	}
}
