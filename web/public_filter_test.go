package web

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestPortalBodyFilter: /portal/files?body=ID keeps exactly the files of that
// body, counted here from the unfiltered list; a body that is not a number
// is refused.
func TestPortalBodyFilter(t *testing.T) {
	f, seed := newPublicFixture(t)
	c := f.anon()
	rows := func(path string) []map[string]any {
		t.Helper()
		st, body := c.get(path)
		if st != http.StatusOK {
			t.Fatalf("%s: %d", path, st)
		}
		var out []map[string]any
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatalf("%s: %v\n%.300s", path, err, body)
		}
		return out
	}
	all := rows("/portal/files.json")
	seen := 0
	for _, b := range seed.Bodies {
		want := 0
		for _, r := range all {
			if r["lg_code"] == b.LGCode && r["body"] == b.Name {
				want++
			}
		}
		got := rows("/portal/files.json?body=" + itoa(b.ID))
		if len(got) != want {
			t.Errorf("body %d (%s %s): %d files, want %d", b.ID, b.LGCode, b.Name, len(got), want)
		}
		for _, r := range got {
			if r["lg_code"] != b.LGCode || r["body"] != b.Name {
				t.Errorf("body %d filter kept a file of %v %v", b.ID, r["lg_code"], r["body"])
			}
		}
		seen += want
	}
	if seen == 0 || seen == len(all) && len(seed.Bodies) < 2 {
		t.Fatalf("the seed gave nothing to filter (%d of %d files)", seen, len(all))
	}
	if st, _ := c.get("/portal/files?body=abc"); st != http.StatusBadRequest {
		t.Errorf("body=abc: %d, want 400", st)
	}
}

// rawLabelKey matches a catalogue key of the columns, states, criteria and
// forms shown untranslated.
var rawLabelKey = regexp.MustCompile(`[^/a-z_.](col|state|criterion|form|doc)\.[a-z_0-9]+`)

// TestPortalLabelsTranslated: the lists, the national view, the guide and
// the forms show their headers in the page's language and no raw key.
func TestPortalLabelsTranslated(t *testing.T) {
	f, seed := newPublicFixture(t)
	c := f.anon()
	paths := append(publicPaths(seed), "/portal/forms/proposal", "/portal/forms/pledge", "/portal/forms/contract")
	for _, lang := range []string{"ja", "en"} {
		for _, p := range paths {
			if strings.Contains(p, "secret") || strings.HasSuffix(p, ".csv") || strings.HasSuffix(p, ".json") ||
				strings.Contains(p, "/api/") || strings.HasSuffix(p, ".jsonld") || strings.HasSuffix(p, ".xml") ||
				strings.HasSuffix(p, ".atom") || strings.HasSuffix(p, ".svg") {
				continue
			}
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			_, body := c.get(p + sep + "lang=" + lang)
			if k := rawLabelKey.FindString(body); k != "" {
				t.Errorf("%s (%s) shows an untranslated key %q", p, lang, k)
			}
		}
	}
	for lang, want := range map[string][2]string{"ja": {"全国地方公共団体コード", "Local government code"},
		"en": {"Local government code", "全国地方公共団体コード"}} {
		for _, p := range []string{"/portal/files", "/portal/calls"} {
			_, body := c.get(p + "?lang=" + lang)
			if !strings.Contains(body, want[0]) || strings.Contains(body, ">"+want[1]+"<") {
				t.Errorf("%s (%s): header should read %q, not %q", p, lang, want[0], want[1])
			}
		}
	}
	// The CSV keeps the standard Japanese headers whatever the language.
	if _, body := c.get("/portal/files.csv?lang=en"); !strings.Contains(body, "全国地方公共団体コード") {
		t.Error("CSV header is not the standard Japanese one on the English UI")
	}
}

// TestPortalCodeValuesTranslated: flags, call status and kinds keep their
// codes in CSV/JSON but read as words in the page's language.
func TestPortalCodeValuesTranslated(t *testing.T) {
	f, _ := newPublicFixture(t)
	c := f.anon()
	cases := []struct {
		path, lang string
		want, dont []string
	}{
		{"/portal/files", "ja", []string{"<td>該当</td>", "<td>非該当</td>"}, []string{"<td>0</td>", "<td>1</td>", "<td>No</td>"}},
		{"/portal/files", "en", []string{"<td>Yes</td>", "<td>No</td>"}, []string{"<td>0</td>", "<td>非該当</td>"}},
		{"/datasets", "ja", []string{"<td>行政機関等匿名加工情報</td>"}, []string{"<td>anonymized</td>"}},
		{"/datasets", "en", []string{"<td>Anonymised information</td>"}, []string{"<td>anonymized</td>"}},
		{"/portal/calls", "ja", nil, []string{"<td>open</td>", "<td>closed</td>", "<td>upcoming</td>"}},
	}
	for _, tc := range cases {
		_, body := c.get(tc.path + "?lang=" + tc.lang)
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s (%s) lacks %q", tc.path, tc.lang, w)
			}
		}
		for _, d := range tc.dont {
			if strings.Contains(body, d) {
				t.Errorf("%s (%s) shows %q", tc.path, tc.lang, d)
			}
		}
	}
	_, calls := c.get("/portal/calls?lang=ja")
	if !strings.Contains(calls, "<td>募集中</td>") && !strings.Contains(calls, "<td>募集終了</td>") && !strings.Contains(calls, "<td>募集開始前</td>") {
		t.Error("calls page shows no call status")
	}
	if _, csv := c.get("/portal/files.csv"); !strings.Contains(csv, ",0,") && !strings.Contains(csv, ",1,") {
		t.Error("CSV lost the 0/1 flags")
	}
	if _, js := c.get("/datasets.json"); !strings.Contains(js, `"kind":"anonymized"`) {
		t.Error("JSON lost the dataset kind code")
	}
}
