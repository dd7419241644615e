package platform

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestNormalizeAndTerms(t *testing.T) {
	cases := []struct{ in, norm string }{
		{"ＡＥＤ　設置箇所", "aed 設置箇所"},
		{"  Tokyo\t東京都  ", "tokyo 東京都"},
		{"１２３ＡＢＣ", "123abc"},
	}
	for _, c := range cases {
		if got := normalizeText(c.in); got != c.norm {
			t.Errorf("normalizeText(%q) = %q, want %q", c.in, got, c.norm)
		}
	}
	if got := queryTerms(`人口 "地域 別" ＡＥＤ`); !slices.Equal(got, []string{"人口", "地域 別", "aed"}) {
		t.Errorf("queryTerms: %q", got)
	}
}

func TestTextIndexMatchesSubstrings(t *testing.T) {
	texts := []string{"国民健康保険被保険者ファイル", "介護保険被保険者台帳", "住民基本台帳", "aed 設置箇所"}
	ix := newTextIndex(texts)
	cases := []struct {
		terms []string
		want  []int32
	}{
		{[]string{"保険"}, []int32{0, 1}},
		{[]string{"被保険者", "台帳"}, []int32{1}},
		{[]string{"台"}, []int32{1, 2}}, // one character: scanned
		{[]string{"aed"}, []int32{3}},
		{[]string{"存在しない"}, []int32{}},
	}
	for _, c := range cases {
		got, all := ix.match(c.terms)
		if all || !slices.Equal(got, c.want) {
			t.Errorf("match(%q) = %v, want %v", c.terms, got, c.want)
		}
	}
}

// TestFilesFastPathAgreesWithScan: the unfiltered range fast path pages
// exactly like the filtered scan.
func TestFilesFastPathAgreesWithScan(t *testing.T) {
	var d catalogData
	for i, code := range []string{"011002", "012025", "130001", "131016"} {
		d.LGs = append(d.LGs, LocalGovernment{Code: code, PrefCode: code[:2], Name: code})
		d.Bodies = append(d.Bodies, Body{ID: ID(i + 1), LGCode: code, Kind: BodyMayor, Name: code + "長"})
		for j := range 7 {
			d.Entries = append(d.Entries, RegisterEntry{ID: ID(i*10 + j + 1), BodyID: ID(i + 1), FileName: fmt.Sprint("f", j),
				Items: []RecordItem{{Name: "氏名"}}, Published: j != 6, ProposalInvited: true, SpecialCare: j%2 == 0})
		}
	}
	ix := buildCatalogIndex(&d, "1", time.Now())
	for _, pref := range []string{"", "01", "13"} {
		for off := 0; off < 30; off += 4 {
			fast := ix.Files(FileQuery{Pref: pref, Offset: off, Limit: 5})
			scan := ix.Files(FileQuery{Pref: pref, Offset: off, Limit: 5, Invited: true}) // every file is invited
			if fast.Total != scan.Total || len(fast.Files) != len(scan.Files) {
				t.Fatalf("pref %q offset %d: fast %d/%d, scan %d/%d", pref, off, fast.Total, len(fast.Files), scan.Total, len(scan.Files))
			}
			for i := range fast.Files {
				if fast.Files[i].ID != scan.Files[i].ID {
					t.Fatalf("pref %q offset %d: row %d differs", pref, off, i)
				}
			}
		}
	}
	if n := ix.Files(FileQuery{}).Total; n != 24 {
		t.Fatalf("published files: %d, want 24 (unpublished excluded)", n)
	}
	if n := ix.Files(FileQuery{SpecialCare: "yes", Pref: "13"}).Total; n != 6 {
		t.Fatalf("special care in 13: %d, want 6", n)
	}
}
