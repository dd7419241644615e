package jp

import (
	"encoding/csv"
	"io"
	"os"
	"slices"
	"testing"
)

func TestParseAddress(t *testing.T) {
	tests := []struct {
		in                     string
		pref, city, code, town string
		chome                  int
		block, number, rest    string
		level                  int
	}{
		{"大阪府大阪市北区梅田1丁目2番3号", "大阪府", "大阪市北区", "271276", "梅田一丁目", 1, "2", "3", "", 3},
		{"大阪府大阪市北区梅田１－２－３　梅田ビル5F", "大阪府", "大阪市北区", "271276", "梅田一丁目", 1, "2", "3", "梅田ビル5F", 3},
		{"大阪市北区梅田一丁目二番三号", "大阪府", "大阪市北区", "271276", "梅田一丁目", 1, "2", "3", "", 3},
		{"大阪市中央区千日前２丁目", "大阪府", "大阪市中央区", "271284", "千日前二丁目", 2, "", "", "", 3},
		{"北海道札幌市中央区旭ヶ丘一丁目", "北海道", "札幌市中央区", "011011", "旭ケ丘一丁目", 1, "", "", "", 3},
		{"東京都千代田区霞ケ関2-1-1", "東京都", "千代田区", "131016", "霞が関二丁目", 2, "1", "1", "", 3},
		{"東京都千代田区霞ヶ関二丁目1番1号", "東京都", "千代田区", "131016", "霞が関二丁目", 2, "1", "1", "", 3},
		{"三重県三重郡川越町大字豊田123番地4", "三重県", "川越町", "243442", "大字豊田", 0, "123", "4", "", 3},
		{"三重県川越町豊田123", "三重県", "川越町", "243442", "大字豊田", 0, "123", "", "", 3},
		{"大阪市梅田1-2-3", "大阪府", "大阪市北区", "271276", "梅田一丁目", 1, "2", "3", "", 3},
		{"大阪府堺市", "大阪府", "堺市", "271403", "", 0, "", "", "", 2},
		{"大阪府大阪市北区存在しない町1-2", "大阪府", "大阪市北区", "271276", "", 0, "", "", "存在しない町1-2", 2},
		{"府中市宮西町1", "", "", "", "", 0, "", "", "府中市宮西町1", 0},
		{"東京都府中市宮西町1丁目", "東京都", "府中市", "132063", "宮西町一丁目", 1, "", "", "", 3},
		{"東京都新宿区", "東京都", "新宿区", "131041", "", 0, "", "", "", 2},
		{"京都市中京区", "京都府", "京都市中京区", "261041", "", 0, "", "", "", 2},
		{"ロンドン", "", "", "", "", 0, "", "", "ロンドン", 0},
		{"大阪府大阪市北区梅田一丁目2−3−405号室", "大阪府", "大阪市北区", "271276", "梅田一丁目", 1, "2", "3", "405号室", 3},
	}
	for _, tt := range tests {
		a, err := ParseAddress(tt.in)
		if err != nil {
			t.Errorf("ParseAddress(%q): %v", tt.in, err)
			continue
		}
		if a.Pref != tt.pref || a.City != tt.city || a.LGCode != tt.code || a.Town != tt.town ||
			a.Chome != tt.chome || a.Block != tt.block || a.Number != tt.number || a.Rest != tt.rest || a.Level != tt.level {
			t.Errorf("ParseAddress(%q) = %+v", tt.in, a)
		}
	}
	if _, err := ParseAddress("  "); err == nil {
		t.Error("empty address accepted")
	}
	a, _ := ParseAddress("府中市宮西町1")
	if a.Note == "" {
		t.Error("ambiguous municipality without a note")
	}
}

// TestEveryTownParsesBack parses prefecture+municipality+town for every row of
// towns.csv and expects the same municipality code and town back.
func TestEveryTownParsesBack(t *testing.T) {
	f, err := os.Open(datasetPath(t, "japan/japanese-addresses/towns.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Read()
	n, bad := 0, 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		in := rec[1] + rec[2] + rec[3]
		a, err := ParseAddress(in)
		if err != nil || a.LGCode != rec[0] || a.Town != rec[3] || a.Rest != "" || a.Level != 3 {
			bad++
			if bad <= 20 {
				t.Errorf("ParseAddress(%q) = %s %s %q rest %q level %d (%s); want %s %q", in, a.LGCode, a.City, a.Town, a.Rest, a.Level, a.Note, rec[0], rec[3])
			}
		}
	}
	if n != 277676 || bad > 0 {
		t.Errorf("%d rows, %d did not parse back", n, bad)
	}
}

func TestShortPrefectureNames(t *testing.T) {
	tests := []struct{ in, pref, city string }{
		{"大阪狭山市池尻中1丁目", "大阪府", "大阪狭山市"},
		{"大阪堺市堺区今池町1丁", "大阪府", "堺市堺区"},
		{"東京府中市宮西町1丁目", "東京都", "府中市"},
		{"広島府中市", "広島県", "府中市"},
		{"京都市北区", "京都府", "京都市北区"},
	}
	for _, tt := range tests {
		a, _ := ParseAddress(tt.in)
		if a.Pref != tt.pref || a.City != tt.city {
			t.Errorf("ParseAddress(%q) = %s %s (%s), want %s %s", tt.in, a.Pref, a.City, a.Note, tt.pref, tt.city)
		}
	}
	a, _ := ParseAddress("東京都")
	if a.Level != 1 || a.Note != "" {
		t.Errorf("東京都: %+v", a)
	}
}

// TestParseAddressConcurrent lets several goroutines build and read the
// lazily loaded indexes at once (run with -race).
func TestParseAddressConcurrent(t *testing.T) {
	in := []string{"大阪市梅田1-2-3", "北海道札幌市中央区旭ヶ丘一丁目", "三重県川越町豊田123", "京都府京都市右京区嵯峨野投渕町"}
	done := make(chan string, 8)
	for g := 0; g < 8; g++ {
		go func(g int) {
			a, _ := ParseAddress(in[g%len(in)])
			done <- a.Town
		}(g)
	}
	for g := 0; g < 8; g++ {
		if town := <-done; town == "" {
			t.Error("a concurrent parse found no town")
		}
	}
}

func TestTownList(t *testing.T) {
	codes := TownCodes()
	if len(codes) != 1895 || !slices.IsSorted(codes) {
		t.Fatalf("%d town codes (want 1895), sorted %v", len(codes), slices.IsSorted(codes))
	}
	total := 0
	for _, c := range codes {
		if _, err := LookupLG(c); err != nil {
			t.Errorf("town list code %s: %v", c, err)
		}
		total += len(Towns(c))
	}
	if total != 190443 {
		t.Errorf("%d towns, want 190443", total)
	}
	if Towns("011002") != nil { // 札幌市 as a whole: its towns are listed by ward
		t.Error("towns listed for a designated city as a whole")
	}
}
