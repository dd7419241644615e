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
