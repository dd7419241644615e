package jp

import (
	"errors"
	"reflect"
	"testing"

	"github.com/tokumei/tokumei/fault"
)

// checkHierarchy asserts the ARX rules: equal lengths, last level "*", and
// each level a function of the one before (values that meet stay together).
func checkHierarchy(t *testing.T, rows [][]string) {
	t.Helper()
	for _, r := range rows {
		if len(r) != len(rows[0]) || r[len(r)-1] != "*" {
			t.Fatalf("row %q: wrong length or last level", r)
		}
	}
	for lvl := 1; lvl+1 < len(rows[0]); lvl++ {
		up := map[string]string{}
		for _, r := range rows {
			if u, ok := up[r[lvl]]; ok && u != r[lvl+1] {
				t.Fatalf("level %d value %q maps to both %q and %q", lvl, r[lvl], u, r[lvl+1])
			}
			up[r[lvl]] = r[lvl+1]
		}
	}
}

func TestLGCodeHierarchy(t *testing.T) {
	rows, err := LGCodeHierarchy([]string{"271284", "011002", "271284", "13101", "", "不明", "470007"})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"271284", "大阪府", "近畿", "*"},
		{"011002", "北海道", "北海道", "*"},
		{"13101", "東京都", "関東", "*"},
		{"", "*", "*", "*"},
		{"不明", "*", "*", "*"},
		{"470007", "沖縄県", "九州・沖縄", "*"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got %q", rows)
	}
	checkHierarchy(t, rows)
	_, err = LGCodeHierarchy([]string{"011002", "011002", "019992"})
	var fe *fault.Error
	if !errors.As(err, &fe) || fe.Line != 3 || fe.Code != fault.NotFound {
		t.Errorf("error %v, want not_found at position 3", err)
	}
}

func TestAddressHierarchy(t *testing.T) {
	in := []string{"大阪府大阪市北区梅田1-2-3", "大阪市北区梅田一丁目", "大阪府大阪市北区存在しない町",
		"北海道札幌市中央区旭ヶ丘二丁目5", "東京都千代田区霞が関2丁目", ""}
	rows, err := AddressHierarchy(in)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{in[0], "大阪府大阪市北区梅田一丁目", "大阪府大阪市北区", "大阪府", "近畿", "*"},
		{in[1], "大阪府大阪市北区梅田一丁目", "大阪府大阪市北区", "大阪府", "近畿", "*"},
		{in[2], "大阪府大阪市北区", "大阪府大阪市北区", "大阪府", "近畿", "*"},
		{in[3], "北海道札幌市中央区旭ケ丘二丁目", "北海道札幌市中央区", "北海道", "北海道", "*"},
		{in[4], "東京都千代田区霞が関二丁目", "東京都千代田区", "東京都", "関東", "*"},
		{"", "*", "*", "*", "*", "*"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got %q", rows)
	}
	checkHierarchy(t, rows)
	_, err = AddressHierarchy([]string{"東京都千代田区", "どこか"})
	var fe *fault.Error
	if !errors.As(err, &fe) || fe.Line != 2 {
		t.Errorf("error %v, want position 2", err)
	}
}

func TestAgeBandHierarchy(t *testing.T) {
	ref := day(2024, 4, 1)
	in := []string{"45", "４９歳", "昭和45年3月2日", "H1.1.8", "2000-04-02", "90", "103", "0", "不詳", "四十五歳"}
	rows, err := AgeBandHierarchy(in, AgeBandOptions{ReferenceDate: ref})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"45", "45-49", "40-49", "40-49", "*"},
		{"４９歳", "45-49", "40-49", "40-49", "*"},
		{"昭和45年3月2日", "50-54", "50-59", "50-59", "*"},  // 54 on 2024-04-01
		{"H1.1.8", "35-39", "30-39", "30-39", "*"},     // 35
		{"2000-04-02", "20-24", "20-29", "20-29", "*"}, // 23: birthday is tomorrow
		{"90", "90-94", "90-99", "90+", "*"},
		{"103", "100-104", "100-109", "90+", "*"},
		{"0", "0-4", "0-9", "0-9", "*"},
		{"不詳", "*", "*", "*", "*"},
		{"四十五歳", "45-49", "40-49", "40-49", "*"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got %q", rows)
	}
	checkHierarchy(t, rows)
	tests := []struct {
		in  []string
		o   AgeBandOptions
		pos int
	}{
		{[]string{"45", "S45.3.2"}, AgeBandOptions{}, 2},               // no reference date
		{[]string{"平成32年1月1日"}, AgeBandOptions{ReferenceDate: ref}, 1}, // overflow not allowed
		{[]string{"1", "2", "151"}, AgeBandOptions{ReferenceDate: ref}, 3},
		{[]string{"2025-01-01"}, AgeBandOptions{ReferenceDate: ref}, 1}, // born after the reference date
		{[]string{"abc"}, AgeBandOptions{ReferenceDate: ref}, 1},
	}
	for _, tt := range tests {
		_, err := AgeBandHierarchy(tt.in, tt.o)
		var fe *fault.Error
		if !errors.As(err, &fe) || fe.Line != tt.pos {
			t.Errorf("%q: error %v, want position %d", tt.in, err, tt.pos)
		}
	}
	if _, err := AgeBandHierarchy([]string{"平成32年1月1日"}, AgeBandOptions{ReferenceDate: ref, AllowEraOverflow: true}); err != nil {
		t.Errorf("overflow allowed: %v", err)
	}
}

func TestEraDateHierarchy(t *testing.T) {
	in := []string{"2024-03-31", "令和6年4月1日", "R6.4.15", "平成31年4月30日", "不明"}
	rows, err := EraDateHierarchy(in, EraDateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"2024-03-31", "2024-03", "2024", "*"},
		{"令和6年4月1日", "2024-04", "2024", "*"},
		{"R6.4.15", "2024-04", "2024", "*"},
		{"平成31年4月30日", "2019-04", "2019", "*"},
		{"不明", "*", "*", "*"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got %q", rows)
	}
	checkHierarchy(t, rows)
	rows, err = EraDateHierarchy(in, EraDateOptions{FiscalYear: true})
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][2] != "2023年度" || rows[1][2] != "2024年度" || rows[3][2] != "2019年度" {
		t.Errorf("fiscal years %q", rows)
	}
	checkHierarchy(t, rows)
	_, err = EraDateHierarchy([]string{"2024-01-01", "2024-02-30"}, EraDateOptions{})
	var fe *fault.Error
	if !errors.As(err, &fe) || fe.Line != 2 {
		t.Errorf("error %v, want position 2", err)
	}
}
