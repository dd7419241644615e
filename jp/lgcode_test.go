package jp

import (
	"encoding/csv"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tokumei/tokumei/fault"
)

func TestCheckDigitWorkedExamples(t *testing.T) {
	tests := []struct{ first5, want string }{
		{"01100", "011002"}, {"13101", "131016"}, {"14100", "141003"},
		{"13000", "130001"}, {"01000", "010006"}, {"27100", "271004"},
	}
	for _, tt := range tests {
		d, err := CheckDigit(tt.first5)
		if err != nil {
			t.Fatalf("CheckDigit(%q): %v", tt.first5, err)
		}
		if got := tt.first5 + string(rune('0'+d)); got != tt.want {
			t.Errorf("CheckDigit(%q) gives %s, want %s", tt.first5, got, tt.want)
		}
	}
	for _, bad := range []string{"", "1234", "123456", "12a45", "１３１０１"} {
		if _, err := CheckDigit(bad); fault.ErrorCode(err) != fault.Invalid {
			t.Errorf("CheckDigit(%q) error = %v, want invalid", bad, err)
		}
	}
}

func TestValidLGCode(t *testing.T) {
	tests := []struct {
		code string
		ok   bool
	}{
		{"011002", true}, {"131016", true}, {"011003", false}, {"11002", false},
		{"481000", false}, {"001007", false}, {"01100a", false}, {"", false},
	}
	for _, tt := range tests {
		err := ValidLGCode(tt.code)
		if (err == nil) != tt.ok {
			t.Errorf("ValidLGCode(%q) = %v, want ok=%v", tt.code, err, tt.ok)
		}
	}
}

func TestShippedListCounts(t *testing.T) {
	list := LocalGovernments()
	count := map[Kind]int{}
	seen := map[string]bool{}
	for _, lg := range list {
		if err := ValidLGCode(lg.Code); err != nil {
			t.Errorf("shipped code %s (%s): %v", lg.Code, lg.Name, err)
		}
		if seen[lg.Code] {
			t.Errorf("duplicate code %s", lg.Code)
		}
		seen[lg.Code] = true
		if lg.Pref == "" || lg.Name == "" || lg.Kana == "" || Region(lg.PrefCode) == "" {
			t.Errorf("incomplete entry %+v", lg)
		}
		count[lg.Kind]++
	}
	want := map[Kind]int{KindPrefecture: 47, KindDesignatedCity: 20, KindWard: 175,
		KindCity: 772, KindSpecialWard: 23, KindTown: 743, KindVillage: 183}
	for k, n := range want {
		if count[k] != n {
			t.Errorf("%d entries of kind %s, want %d", count[k], k, n)
		}
	}
	if n := len(list) - count[KindPrefecture]; n != 1916 {
		t.Errorf("%d municipalities and wards, want 1916", n)
	}
}

// TestAllDatasetCodesValidate reads the source list and checks that every one
// of its 1,916 codes validates and is found with the right name.
func TestAllDatasetCodesValidate(t *testing.T) {
	f, err := os.Open(datasetPath(t, "japan/localgovjp-utf8.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows[1:] {
		code := r[9]
		if err := ValidLGCode(code); err != nil {
			t.Errorf("%s: %v", code, err)
			continue
		}
		lg, err := LookupLG(code)
		if err != nil {
			t.Errorf("LookupLG(%s): %v", code, err)
			continue
		}
		if want := strings.ReplaceAll(r[3], " ", ""); lg.Name != want || lg.Pref != r[1] {
			t.Errorf("LookupLG(%s) = %s %s, want %s %s", code, lg.Pref, lg.Name, r[1], want)
		}
		if lg5, err := LookupLG(code[:5]); err != nil || lg5 != lg {
			t.Errorf("LookupLG(%s) = %v, %v; want %v", code[:5], lg5, err, lg)
		}
		n++
	}
	if n != 1916 {
		t.Errorf("validated %d codes, want 1916", n)
	}
}

func TestLookupLG(t *testing.T) {
	tests := []struct {
		in, name, pref string
		kind           Kind
		code           fault.Code
	}{
		{"011002", "札幌市", "北海道", KindDesignatedCity, ""},
		{"01100", "札幌市", "北海道", KindDesignatedCity, ""},
		{" ０１１００２ ", "札幌市", "北海道", KindDesignatedCity, ""},
		{"011011", "札幌市中央区", "北海道", KindWard, ""},
		{"131016", "千代田区", "東京都", KindSpecialWard, ""},
		{"130001", "東京都", "東京都", KindPrefecture, ""},
		{"10006", "北海道", "北海道", KindPrefecture, ""}, // leading zero lost in a spreadsheet
		{"013030", "当別町", "北海道", KindTown, ""},
		{"271403", "堺市", "大阪府", KindDesignatedCity, ""},
		{"011003", "", "", "", fault.Invalid},
		{"0110", "", "", "", fault.Invalid},
		{"019992", "", "", "", fault.NotFound},
	}
	for _, tt := range tests {
		lg, err := LookupLG(tt.in)
		if fault.ErrorCode(err) != tt.code {
			t.Errorf("LookupLG(%q) error %v, want code %q", tt.in, err, tt.code)
			continue
		}
		if err != nil {
			continue
		}
		if lg.Name != tt.name || lg.Pref != tt.pref || lg.Kind != tt.kind {
			t.Errorf("LookupLG(%q) = %+v", tt.in, lg)
		}
	}
}

func TestLookupRetiredCodeMessage(t *testing.T) {
	// 019992 has a valid check digit but is not a local government.
	if ValidLGCode("019992") != nil {
		t.Fatal("test code must be well formed")
	}
	_, err := LookupLG("019992")
	var fe *fault.Error
	if !errors.As(err, &fe) || fe.Code != fault.NotFound || !strings.Contains(fe.Message, "merger") {
		t.Errorf("error %v, want not_found mentioning a merger", err)
	}
}

func TestRegionAndScheme(t *testing.T) {
	tests := map[string]string{"01": "北海道", "1": "北海道", "04": "東北", "13": "関東", "130001": "関東",
		"15": "中部", "23": "中部", "24": "近畿", "30": "近畿", "31": "中国", "36": "四国",
		"39": "四国", "40": "九州・沖縄", "47": "九州・沖縄", "48": "", "00": "", "x": ""}
	for in, want := range tests {
		if got := Region(in); got != want {
			t.Errorf("Region(%q) = %q, want %q", in, got, want)
		}
	}
	for _, c := range []struct {
		code string
		want bool
	}{{"010006", true}, {"011002", true}, {"011011", false}, {"131016", false}, {"013030", false}} {
		lg, err := LookupLG(c.code)
		if err != nil {
			t.Fatal(err)
		}
		if SchemeMandatory(lg) != c.want {
			t.Errorf("SchemeMandatory(%s) = %v", lg.Name, !c.want)
		}
	}
	if District("013030") != "石狩郡" || District("011002") != "" {
		t.Errorf("District wrong: %q %q", District("013030"), District("011002"))
	}
}
