package jp

import (
	"testing"
	"time"
)

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"令和6年4月1日", "令和元年5月1日", "平成三十一年四月三十日", "S45.3.2", "H1.1.8",
		"R06.04.01", "令06.04.01", "２０２４年４月１日", "2024-04-01T09:00:00+09:00", "20240401", "4010108",
		"平成32年1月1日", "明治5年12月2日", "2024/4/1 0:00", "千九百八十九年一月八日", "R1.5.1", "2023-02-29", ""} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, overflow bool) {
		d, err := ParseDate(s, DateOptions{AllowEraOverflow: overflow})
		if err != nil {
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("%q: not UTC midnight: %v", s, d)
		}
		if !overflow {
			d2, err := ParseDate(s, DateOptions{AllowEraOverflow: true})
			if err != nil || !d2.Equal(d) {
				t.Fatalf("%q: accepted strictly as %v but not leniently: %v %v", s, d, d2, err)
			}
		}
		if d.Before(day(1873, 1, 1)) {
			return
		}
		for _, style := range []EraStyle{EraKanji, EraJIS, EraShort} {
			e, err := FormatEra(d, style)
			if err != nil {
				t.Fatalf("%q: %v does not format: %v", s, d, err)
			}
			back, err := ParseDate(e, DateOptions{})
			if err != nil || !back.Equal(d) {
				t.Fatalf("%q → %v → %q → %v, %v", s, d, e, back, err)
			}
		}
		if iso, err := ParseDate(d.Format(time.DateOnly), DateOptions{}); err != nil || !iso.Equal(d) {
			t.Fatalf("%q: ISO form does not parse back: %v %v", s, iso, err)
		}
	})
}

func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{"大阪府大阪市北区梅田1丁目2番3号", "大阪府大阪市北区梅田１－２－３　梅田ビル5F",
		"大阪市梅田1-2-3", "北海道札幌市中央区旭ヶ丘一丁目", "三重県三重郡川越町大字豊田123番地4", "東京都千代田区霞ヶ関二丁目1番1号",
		"府中市宮西町1", "大阪府堺市堺区今池町１丁", "京都市中京区", "ロンドン", "東京都", "郡郡郡", "1-2-3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAddress(s)
		if err != nil {
			return
		}
		if a.Input != s || a.Level < 0 || a.Level > 3 {
			t.Fatalf("%q: %+v", s, a)
		}
		if a.Level >= 2 {
			lg, err := LookupLG(a.LGCode)
			if err != nil || lg.Name != a.City || lg.Pref != a.Pref {
				t.Fatalf("%q: municipality %s %s does not match the list (%v)", s, a.LGCode, a.City, err)
			}
		}
		if a.Level == 3 {
			found := false
			for _, town := range Towns(a.LGCode) {
				found = found || town == a.Town
			}
			if !found {
				t.Fatalf("%q: town %q not in the list of %s", s, a.Town, a.LGCode)
			}
			// What was matched parses back to itself.
			b, err := ParseAddress(a.Pref + a.City + a.Town)
			if err != nil || b.LGCode != a.LGCode || b.Town != a.Town || b.Rest != "" {
				t.Fatalf("%q: matched %s%s%s parses to %+v", s, a.Pref, a.City, a.Town, b)
			}
		}
	})
}
