package jobs

import (
	"testing"
	"time"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/platform"
)

func TestCutDate(t *testing.T) {
	tests := []struct {
		in   string
		g    platform.Granularity
		want string
		ok   bool
	}{
		{"1980-04-15", platform.GranMonth, "1980-04", true},
		{"1980/4/5", platform.GranMonth, "1980-04", true},
		{"19800415", platform.GranYear, "1980", true},
		{"", platform.GranMonth, "", true},
		{"昭和55年4月15日", platform.GranMonth, "", false},
		{"80-04-15", platform.GranMonth, "", false},
	}
	for _, tc := range tests {
		got, ok := cutDate(tc.in, tc.g)
		if got != tc.want || ok != tc.ok {
			t.Errorf("cutDate(%q, %s) = %q, %v; want %q, %v", tc.in, tc.g, got, ok, tc.want, tc.ok)
		}
	}
}

func TestCaseSpecFromMatrixAndTemplate(t *testing.T) {
	c := &platform.Case{Targets: []platform.Target{{Items: []platform.ItemRequest{
		{Item: "生年月日", Type: platform.ItemDate, Granularity: platform.GranMonth},
		{Item: "宛名番号", Type: platform.ItemIDNumber, Granularity: platform.GranPseudonym},
		{Item: "性別", Type: platform.ItemCode, Granularity: platform.GranAsIs},
		{Item: "メモ", Type: platform.ItemText, Granularity: platform.GranAsIs}}}}}
	tb := &table{header: []string{"生年月日", "宛名番号", "性別", "メモ"}, rows: [][]string{{"1980-04-15", "00000001", "男", "x"}}}
	spec, tmpl, actions, _ := caseSpec(c, &platform.RegisterEntry{FileName: "住民基本台帳ファイル"}, tb, nil, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
	if tmpl != "resident-register" {
		t.Errorf("template %q, want resident-register", tmpl)
	}
	types := map[string]string{}
	for _, a := range spec.Attributes {
		types[a.Name] = a.Type
	}
	// 宛名番号 stays, replaced by keyed pseudonyms before the engine runs.
	want := map[string]string{"宛名番号": anon.Insensitive, "メモ": anon.Insensitive}
	pseudo := false
	for _, a := range actions {
		pseudo = pseudo || (a.Column == "宛名番号" && a.Action == "pseudonym")
	}
	if !pseudo {
		t.Errorf("宛名番号 has no pseudonym action: %v", actions)
	}
	for col, typ := range want {
		if types[col] != typ {
			t.Errorf("%s: type %q, want %q", col, types[col], typ)
		}
	}
	if types["生年月日"] != anon.Quasi && types["生年月日"] != anon.Identifying {
		t.Errorf("生年月日 neither generalised nor removed: %q", types["生年月日"])
	}
	if len(actions) != 4 || len(spec.Privacy) != 1 || spec.Privacy[0].K != 5 {
		t.Errorf("actions %v privacy %v", actions, spec.Privacy)
	}
}
