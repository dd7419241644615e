package web

import (
	"io/fs"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/web/i18n"
)

func TestWareki(t *testing.T) {
	d := func(y, m, dd int) time.Time { return time.Date(y, time.Month(m), dd, 12, 0, 0, 0, platform.JST) }
	cases := []struct {
		t    time.Time
		want string
	}{
		{d(2026, 4, 1), "令和8年4月1日"},
		{d(2019, 5, 1), "令和元年5月1日"},
		{d(2019, 4, 30), "平成31年4月30日"},
		{d(1989, 1, 8), "平成元年1月8日"},
		{d(1989, 1, 7), "昭和64年1月7日"},
		{d(1926, 12, 25), "昭和元年12月25日"},
		{d(1912, 7, 30), "大正元年7月30日"},
		{d(1900, 1, 1), "明治33年1月1日"},
		{time.Date(2019, 4, 30, 15, 30, 0, 0, time.UTC), "令和元年5月1日"}, // 00:30 JST
	}
	for _, c := range cases {
		if got := Wareki(c.t); got != c.want {
			t.Errorf("Wareki(%v) = %q, want %q", c.t, got, c.want)
		}
	}
	if got := formatDate(i18n.JA, d(2026, 4, 1)); got != "令和8年4月1日（2026年4月1日）" {
		t.Errorf("formatDate ja = %q", got)
	}
	if got := formatDate(i18n.EN, d(2026, 4, 1)); got != "2026-04-01" {
		t.Errorf("formatDate en = %q", got)
	}
	var nilTime *time.Time
	if got := formatDate(i18n.JA, nilTime); got != "" {
		t.Errorf("nil date = %q", got)
	}
}

func TestYen(t *testing.T) {
	cases := []struct {
		n      int64
		ja, en string
	}{
		{0, "0円", "¥0"}, {999, "999円", "¥999"}, {1000, "1,000円", "¥1,000"},
		{21000, "21,000円", "¥21,000"}, {1234567, "1,234,567円", "¥1,234,567"}, {-5000, "-5,000円", "-¥5,000"},
	}
	for _, c := range cases {
		if got := formatYen(i18n.JA, c.n); got != c.ja {
			t.Errorf("yen ja %d = %q, want %q", c.n, got, c.ja)
		}
		if got := formatYen(i18n.EN, c.n); got != c.en {
			t.Errorf("yen en %d = %q, want %q", c.n, got, c.en)
		}
	}
}

// TestTemplateKeys: every literal catalogue key in a template exists.
func TestTemplateKeys(t *testing.T) {
	re := regexp.MustCompile(`\{\{-?\s*t\s+"([^"]+)"`)
	re2 := regexp.MustCompile(`\(t\s+"([^"]+)"`)
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, n := range names {
		b, _ := fs.ReadFile(templateFS, n)
		for _, r := range []*regexp.Regexp{re, re2} {
			for _, m := range r.FindAllSubmatch(b, -1) {
				if !i18n.Has(string(m[1])) {
					t.Errorf("%s: unknown key %q", n, m[1])
				}
			}
		}
	}
	for _, r := range platform.AllRoles {
		if !i18n.Has("role." + string(r)) {
			t.Errorf("role %s has no label", r)
		}
	}
	for _, c := range importColumns {
		if !i18n.Has("field." + c.Key) {
			t.Errorf("import column %s has no label", c.Key)
		}
	}
}

func TestSwitchURL(t *testing.T) {
	r := httptest.NewRequest("GET", "/bodies?lg=011002&notice=saved", nil)
	if got := switchURL(r, i18n.JA); got != "/bodies?lang=en&lg=011002" {
		t.Errorf("switchURL = %q", got)
	}
	r = httptest.NewRequest("POST", "/login", nil)
	if got := switchURL(r, i18n.EN); got != "?lang=ja" {
		t.Errorf("switchURL after POST = %q", got)
	}
}
