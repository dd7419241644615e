package jobs

import (
	"testing"
	"time"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/standard"
)

// Columns that are addresses, local-government codes, ages and dates (和暦
// too) get the jp builders, held at the requested level by min_level; a
// column the jp builder cannot read keeps the generic hierarchy.
func TestCaseSpecJapaneseHierarchies(t *testing.T) {
	ref := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		item     platform.ItemRequest
		regType  platform.ItemType
		values   []string
		builder  string
		minLevel int
		cut      bool
	}{
		{"住所", platform.ItemRequest{Granularity: platform.GranMunicipality}, platform.ItemAddress,
			[]string{"大阪府大阪市北区梅田1丁目2番3号", "東京都千代田区霞ケ関2-1-1"}, "address", 2, false},
		{"住所", platform.ItemRequest{Granularity: platform.GranTown}, platform.ItemAddress,
			[]string{"大阪府大阪市北区梅田1丁目2番3号"}, "address", 1, false},
		{"住所", platform.ItemRequest{Granularity: platform.GranPrefecture}, platform.ItemText,
			[]string{"大阪府大阪市北区梅田1丁目2番3号", "北海道札幌市中央区旭ヶ丘一丁目"}, "address", 3, false},
		{"市区町村コード", platform.ItemRequest{Granularity: platform.GranPrefecture}, platform.ItemCode,
			[]string{"011002", "131016", "271276"}, "lgcode", 1, false},
		{"生年月日", platform.ItemRequest{Granularity: platform.GranMonth}, platform.ItemDate,
			[]string{"昭和55年4月15日", "平成2年12月1日", "S45.3.2"}, "era-date", 1, false},
		{"生年月日", platform.ItemRequest{Granularity: platform.GranYear}, platform.ItemDate,
			[]string{"1980-04-15", "令和2年1月5日"}, "era-date", 2, false},
		{"生年月日", platform.ItemRequest{Granularity: platform.GranBand}, platform.ItemDate,
			[]string{"昭和55年4月15日", "1990/1/2"}, "age-band", 1, false},
		{"年齢", platform.ItemRequest{Granularity: platform.GranTopCode}, platform.ItemNumber,
			[]string{"45", "91", "30"}, "age-band", 3, false},
		// Not addresses down to the municipality: the generic hierarchy stays.
		{"住所", platform.ItemRequest{Granularity: platform.GranMunicipality}, platform.ItemAddress,
			[]string{"どこか", "不明な場所"}, "mask", 0, false},
		// Gregorian dates the era-date builder cannot read: cut and kept generic.
		{"受付日", platform.ItemRequest{Granularity: platform.GranMonth}, platform.ItemDate,
			[]string{"2024-13-45"}, "date", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name+"/"+string(tc.item.Granularity)+"/"+tc.builder, func(t *testing.T) {
			tc.item.Item, tc.item.Type = tc.name, tc.regType
			c := &platform.Case{Targets: []platform.Target{{Items: []platform.ItemRequest{tc.item}}}}
			tb := &table{header: []string{tc.name}}
			for _, v := range tc.values {
				tb.rows = append(tb.rows, []string{v})
			}
			prof, err := standard.ProfileColumns(tb.header, tb.columns(), standard.ProfileOptions{})
			if err != nil {
				t.Fatal(err)
			}
			spec, _, _, cut := caseSpec(c, &platform.RegisterEntry{FileName: "事業ファイル"}, tb, prof, ref)
			a := spec.Attributes[0]
			if a.Type != anon.Quasi || a.Hierarchy == nil || a.Hierarchy.Builder != tc.builder {
				t.Fatalf("attribute %+v (hierarchy %+v), want quasi with %s", a, a.Hierarchy, tc.builder)
			}
			got := 0
			if a.MinLevel != nil {
				got = *a.MinLevel
			}
			if tc.builder != "mask" && tc.builder != "date" && got != tc.minLevel {
				t.Errorf("min_level %d, want %d", got, tc.minLevel)
			}
			if _, ok := cut[0]; ok != tc.cut {
				t.Errorf("cut %v, want %v", ok, tc.cut)
			}
		})
	}
}
