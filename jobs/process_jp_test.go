package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/tokumei/tokumei/jobs"
	"github.com/tokumei/tokumei/jp"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/standard"
)

// A CP932 extract with street addresses, 和暦 dates of birth and a linking
// code asked as 仮ID: the output is generalised along the Japanese
// hierarchies (address → 市区町村 or coarser, birth date → 年月 or coarser,
// in the Gregorian calendar), and the processing record is a
// standard.Record whose 仮ID key is only in its secret part.
func TestEngineJapaneseHierarchiesCP932(t *testing.T) {
	towns := []struct{ addr, city, pref string }{
		{"大阪府大阪市北区梅田1丁目%d番%d号", "大阪府大阪市北区", "大阪府"},
		{"東京都千代田区霞ヶ関二丁目%d番%d号", "東京都千代田区", "東京都"},
		{"北海道札幌市中央区旭ヶ丘一丁目%d番%d号", "北海道札幌市中央区", "北海道"},
	}
	var csv strings.Builder
	csv.WriteString("宛名番号,住所,生年月日,性別\n")
	allowedBirth := map[string]bool{"*": true}
	allowedAddr := map[string]bool{"*": true}
	for _, tw := range towns {
		allowedAddr[tw.city], allowedAddr[tw.pref] = true, true
		allowedAddr[jp.Region(map[string]string{"大阪府": "27", "東京都": "13", "北海道": "01"}[tw.pref])] = true
	}
	for i := range 600 {
		tw := towns[i%3]
		showa, month := 40+i%5, 1+(i/5)%2 // 昭和40–44年 = 1965–1969
		fmt.Fprintf(&csv, "%08d,"+tw.addr+",昭和%d年%d月%d日,%s\n", 100000+i, 1+i%9, 1+i%20, showa, month, 1+i%28, []string{"男", "女"}[i%2])
		y := 1925 + showa
		allowedBirth[fmt.Sprintf("%d-%02d", y, month)], allowedBirth[fmt.Sprint(y)] = true, true
	}
	extract, err := jp.Encode(csv.String(), "cp932")
	if err != nil {
		t.Fatal(err)
	}
	items := []platform.ItemRequest{
		{Item: "宛名番号", Type: platform.ItemIDNumber, Granularity: platform.GranPseudonym},
		{Item: "住所", Type: platform.ItemAddress, Granularity: platform.GranMunicipality},
		{Item: "生年月日", Type: platform.ItemDate, Granularity: platform.GranMonth},
		{Item: "性別", Type: platform.ItemCode, Granularity: platform.GranAsIs}}
	c := &platform.Case{ID: 7, BusinessID: 3, Targets: []platform.Target{{Items: items}},
		Extract: &platform.Extract{Name: "extract.csv", SHA256: "abc", Rows: 600}}
	in := &platform.ProcessingInput{Case: c, Body: &platform.Body{Name: "札幌市長"}, Name: "extract.csv",
		Entry: &platform.RegisterEntry{FileName: "健康づくり事業参加者ファイル"}, Extract: bytes.NewReader(extract)}
	ctx := platform.WithActor(context.Background(), platform.Actor{UserID: 5, Login: "proc", Role: platform.RoleProcessor})
	out, err := jobs.Engine(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(string(out.Output), "\r\n", "\n")), "\n")
	if lines[0] != "宛名番号,住所,生年月日,性別" || len(lines) != 601 {
		t.Fatalf("header %q, %d lines", lines[0], len(lines))
	}
	cities, months := 0, 0
	ym := regexp.MustCompile(`^\d{4}-\d{2}$`)
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if !allowedAddr[f[1]] {
			t.Fatalf("address %q is not a municipality or coarser level of the input addresses", f[1])
		}
		if !allowedBirth[f[2]] {
			t.Fatalf("birth date %q is not the Gregorian year-month or year of an input 和暦 date", f[2])
		}
		if strings.HasPrefix(f[1], towns[0].city) || strings.HasPrefix(f[1], towns[1].city) || strings.HasPrefix(f[1], towns[2].city) {
			cities++
		}
		if ym.MatchString(f[2]) {
			months++
		}
		if strings.HasPrefix(f[0], "00") {
			t.Fatalf("宛名番号 %q not replaced by a 仮ID", f[0])
		}
	}
	if cities == 0 || months == 0 {
		t.Errorf("nothing kept at 市区町村 (%d) or 年月 (%d): the hierarchies were not used as asked", cities, months)
	}
	var rec standard.Record
	if err := json.Unmarshal(out.Record, &rec); err != nil {
		t.Fatal(err)
	}
	if len(rec.Items) != 5 || len(rec.Checks) != 5 || rec.Operator != "proc" || rec.Output.Records != 600 || rec.Input.SHA256 != "abc" {
		t.Errorf("record: %d items, %d checks, operator %q, output %+v, input %+v", len(rec.Items), len(rec.Checks), rec.Operator, rec.Output, rec.Input)
	}
	builders := map[string]string{}
	for _, g := range rec.Generalization {
		builders[g.Column] = g.Builder + "/" + g.Description
	}
	if !strings.HasPrefix(builders["住所"], "address/") || !strings.HasPrefix(builders["生年月日"], "era-date/") {
		t.Errorf("generalisation %v", builders)
	}
	if len(rec.Pseudonyms) != 1 || rec.Secret == nil || rec.Secret.Keys[rec.Pseudonyms[0].KeyID] == "" {
		t.Fatalf("pseudonyms %+v, secret %+v", rec.Pseudonyms, rec.Secret)
	}
	key := rec.Secret.Keys[rec.Pseudonyms[0].KeyID]
	var page bytes.Buffer
	if err := rec.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	pub, _ := json.Marshal(rec.Public())
	if strings.Contains(page.String(), key) || strings.Contains(string(pub), key) || bytes.Contains(out.Output, []byte(key)) {
		t.Error("the 仮ID key leaves the encrypted record")
	}
	if !strings.Contains(page.String(), "加工の記録") || !strings.Contains(page.String(), "市区町村") && !strings.Contains(page.String(), "都道府県") {
		t.Error("the printable record lacks its title or the address level")
	}
}
