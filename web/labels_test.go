package web

import (
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/web/i18n"
)

// TestStateAndCriterionLabels: every state and criterion has a label in both
// languages, and the Japanese state label is the one platform's (Japanese)
// error messages use, so the two cannot drift apart.
func TestStateAndCriterionLabels(t *testing.T) {
	for _, s := range platform.AllStates {
		k := "state." + string(s)
		if !i18n.Has(k) {
			t.Errorf("state %s has no label", s)
			continue
		}
		if ja := i18n.T(i18n.JA, k); ja != s.JA() {
			t.Errorf("state %s: catalogue %q, platform %q", s, ja, s.JA())
		}
		if i18n.T(i18n.EN, k) == i18n.T(i18n.JA, k) {
			t.Errorf("state %s: English label is the Japanese one", s)
		}
	}
	for _, c := range platform.Criteria {
		if !i18n.Has("criterion." + strconv.Itoa(c.No)) {
			t.Errorf("criterion %d has no label", c.No)
		}
	}
}

// TestCasePageLabelsFollowLanguage: the case page shows the state and the
// review criteria in the page's language; the legal documents stay Japanese
// and say so on the English UI.
func TestCasePageLabelsFollowLanguage(t *testing.T) {
	f, _, cs := caseFixture(t)
	caseA := "/cases/" + strconv.FormatInt(cs[0].ID, 10)
	rev := f.login("rev-a")
	cases := []struct {
		lang       string
		want, dont []string
	}{
		{"en", []string{"Under review", "The proposer is not disqualified under art. 113"}, []string{"<strong>審査中</strong>", "提案者が第113条各号"}},
		{"ja", []string{"<strong>審査中</strong>", "提案者が第113条各号"}, []string{"Under review", "The proposer is not disqualified"}},
	}
	for _, c := range cases {
		st, body := rev.get(caseA + "?lang=" + c.lang)
		if st != http.StatusOK {
			t.Fatalf("%s: %d", c.lang, st)
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s page lacks %q", c.lang, w)
			}
		}
		for _, d := range c.dont {
			if strings.Contains(body, d) {
				t.Errorf("%s page shows %q", c.lang, d)
			}
		}
	}

	form := url.Values{}
	for i := 1; i <= len(platform.Criteria); i++ {
		form.Set("met_"+strconv.Itoa(i), "1")
		form.Set("reason_"+strconv.Itoa(i), "適合する")
	}
	steps := []struct {
		who, act string
		form     url.Values
	}{
		{"rev-a", "save_review", form}, {"rev-a", "submit_review", nil},
		{"appr-a", "decide_conforming", url.Values{"decision": {"allow"}, "legal_basis": {"委託"}}},
		{"appr-a", "notify", url.Values{"hours": {"1"}, "outsourcing": {"0"}}},
	}
	var appr *client
	for _, s := range steps {
		c := rev
		if s.who == "appr-a" {
			if appr == nil {
				appr = f.login("appr-a")
			}
			c = appr
		}
		c.get(caseA)
		if st, b := c.post(caseA+"/act/"+s.act, s.form); st != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", s.act, st, b)
		}
	}
	note := i18n.T(i18n.EN, "doc.original_ja")
	for _, lang := range []string{"en", "ja"} {
		st, body := appr.get(caseA + "/notice?lang=" + lang)
		if st != http.StatusOK || !strings.Contains(body, "第114条第1項各号に掲げる基準に適合する") {
			t.Fatalf("%s notice %d", lang, st)
		}
		if got := strings.Contains(body, note); got != (lang == "en") {
			t.Errorf("%s notice: original-language note shown = %v", lang, got)
		}
	}
}

// TestTemplatesUseStateLabels: no template shows a state through the
// platform's Japanese label (it would read Japanese on English pages).
func TestTemplatesUseStateLabels(t *testing.T) {
	re := regexp.MustCompile(`(State|To|\$st)\.JA\b`)
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, n := range names {
		b, _ := fs.ReadFile(templateFS, n)
		if m := re.Find(b); m != nil {
			t.Errorf("%s: %s — use {{state …}}", n, m)
		}
	}
}
