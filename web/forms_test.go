package web

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// statutory holds, per form, phrases the law requires it to carry, written
// here from domain.md §3.1 (art. 112(2) items, art. 113 grounds), not taken
// from the catalogue the form is built from.
var statutory = map[string][]string{
	"proposal": {"提案をする者の氏名又は名称及び住所", "代表者の氏名", "個人情報ファイルの名称", "本人の数",
		"加工の方法を特定するに足りる事項", "利用の目的及び方法", "事業の用に供しようとする期間", "漏えいの防止",
		"その他規則で定める事項", "誓約書"},
	"pledge": {"第113条", "未成年者", "心身の故障", "破産手続開始の決定を受けて復権を得ない者", "拘禁刑以上の刑",
		"第120条の規定により", "役員のうちに"},
	"reuse":    {"第118条", "提案をする者の氏名又は名称", "利用の目的及び方法", "漏えいの防止"},
	"contract": {"第115条", "審査結果の通知書", "利用期間", "手数料の額"},
	"attorney": {"代理人", "委任する事項"},
}

func fetch(t *testing.T, c *client, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.http.Get(c.f.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// xlsxText returns every cell of the workbook's first sheet, joined.
func xlsxText(t *testing.T, b []byte) string {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not an XLSX file: %v", err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, r := range rows {
		sb.WriteString(strings.Join(r, "\t") + "\n")
	}
	return sb.String()
}

func TestFormsDownload(t *testing.T) {
	f := newFixture(t)
	c := f.anon()
	for _, lang := range []string{"ja", "en"} {
		_, guide := fetch(t, c, "/portal/guide?lang="+lang)
		for id, want := range statutory {
			for _, p := range []string{"/portal/forms/" + id, "/portal/forms/" + id + ".xlsx"} {
				if !bytes.Contains(guide, []byte(`href="`+p+`"`)) {
					t.Errorf("%s guide does not link %s", lang, p)
				}
			}
			resp, b := fetch(t, c, "/portal/forms/"+id+"?lang="+lang)
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("%s %s: %d %s", lang, id, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			resp, xb := fetch(t, c, "/portal/forms/"+id+".xlsx?lang="+lang)
			if resp.StatusCode != http.StatusOK ||
				resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
				!strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
				t.Fatalf("%s %s.xlsx: %d %s", lang, id, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			xt := xlsxText(t, xb)
			for _, w := range want {
				if !bytes.Contains(b, []byte(w)) {
					t.Errorf("%s %s page lacks %q", lang, id, w)
				}
				if !strings.Contains(xt, w) {
					t.Errorf("%s %s.xlsx lacks %q", lang, id, w)
				}
			}
			// The English UI adds English glosses; the Japanese one has none.
			if got := bytes.Contains(b, []byte(`<small lang="en">`)); got != (lang == "en") {
				t.Errorf("%s %s: English gloss shown = %v", lang, id, got)
			}
		}
	}
	for _, p := range []string{"/portal/forms/nosuch", "/portal/forms/nosuch.xlsx"} {
		if resp, _ := fetch(t, c, p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
}

// TestPledgeListsSixGrounds: the pledge has exactly the six grounds of
// art. 113, each with its own tick box.
func TestPledgeListsSixGrounds(t *testing.T) {
	f := newFixture(t)
	_, b := fetch(t, f.anon(), "/portal/forms/pledge")
	if n := bytes.Count(b, []byte("□ 該当しない")); n != 6 {
		t.Errorf("pledge has %d tick boxes, want 6", n)
	}
	_, b = fetch(t, f.anon(), "/portal/forms/proposal")
	if n := bytes.Count(b, []byte(`<tr><th scope="row">`)); n != 8 {
		t.Errorf("proposal has %d items, want the 8 of art. 112(2)", n)
	}
}
