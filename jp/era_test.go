package jp

import (
	"testing"
	"time"

	"github.com/tokumei/tokumei/fault"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in       string
		want     string // "" means an error
		overflow bool
	}{
		// Era boundaries.
		{"昭和64年1月7日", "1989-01-07", false},
		{"昭和64年1月8日", "", false},
		{"昭和64年1月8日", "1989-01-08", true},
		{"平成元年1月8日", "1989-01-08", false},
		{"平成元年1月7日", "", false},
		{"平成1年1月7日", "", true}, // before an era began is never allowed
		{"平成31年4月30日", "2019-04-30", false},
		{"平成31年5月1日", "", false},
		{"平成31年5月1日", "2019-05-01", true},
		{"令和元年5月1日", "2019-05-01", false},
		{"令和元年4月30日", "", false},
		{"令和1年4月1日", "", true},
		{"大正15年12月24日", "1926-12-24", false},
		{"大正15年12月25日", "", false},
		{"昭和元年12月25日", "1926-12-25", false},
		{"明治45年7月29日", "1912-07-29", false},
		{"明治45年7月30日", "", false},
		{"大正元年7月30日", "1912-07-30", false},
		{"明治6年1月1日", "1873-01-01", false},
		{"明治5年12月2日", "", true}, // lunisolar calendar
		{"平成32年1月1日", "", false},
		{"平成32年1月1日", "2020-01-01", true},
		// Notations.
		{"S45.3.2", "1970-03-02", false},
		{"s45.3.2", "1970-03-02", false},
		{"H1.1.8", "1989-01-08", false},
		{"R1.5.1", "2019-05-01", false},
		{"R06.04.01", "2024-04-01", false},
		{"令06.04.01", "2024-04-01", false},
		{"昭45/3/2", "1970-03-02", false},
		{"Ｈ１．１．８", "1989-01-08", false},
		{"令和６年４月１日", "2024-04-01", false},
		{"平成三十一年四月三十日", "2019-04-30", false},
		{"昭和四十五年三月二日", "1970-03-02", false},
		{" 令和 6 年 4 月 1 日 ", "2024-04-01", false},
		{"4010108", "1989-01-08", false},
		{"5060401", "2024-04-01", false},
		{"2024-04-01", "2024-04-01", false},
		{"2024/4/1", "2024-04-01", false},
		{"2024.4.1", "2024-04-01", false},
		{"2024年4月1日", "2024-04-01", false},
		{"２０２４年４月１日", "2024-04-01", false},
		{"二〇二四年四月一日", "2024-04-01", false},
		{"20240401", "2024-04-01", false},
		{"2024/4/1 0:00", "2024-04-01", false},
		{"2024-04-01T09:30:00+09:00", "2024-04-01", false},
		{"1900-02-28", "1900-02-28", false},
		{"2024年4月1日（月）", "2024-04-01", false},
		{"令和6年4月1日(月) 10:00", "2024-04-01", false},
		{"2024年4月1日（火）", "", true}, // 2024-04-01 was a Monday
		// Impossible dates and junk.
		{"2023-02-29", "", true},
		{"2024-02-29", "2024-02-29", false},
		{"1900-02-29", "", true},
		{"2024-13-01", "", true},
		{"2024-04-31", "", true},
		{"令和6年2月30日", "", true},
		{"令和0年1月1日", "", true},
		{"X6.4.1", "", true},
		{"不明", "", true},
		{"", "", true},
		{"0999-01-01", "", true},
		{"6010101", "", true},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in, DateOptions{AllowEraOverflow: tt.overflow})
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseDate(%q, overflow=%v) = %s, want error", tt.in, tt.overflow, got.Format(time.DateOnly))
			} else if fault.ErrorCode(err) != fault.Invalid {
				t.Errorf("ParseDate(%q): error code %v", tt.in, fault.ErrorCode(err))
			}
			continue
		}
		if err != nil || got.Format(time.DateOnly) != tt.want {
			t.Errorf("ParseDate(%q, overflow=%v) = %s, %v; want %s", tt.in, tt.overflow, got.Format(time.DateOnly), err, tt.want)
		}
	}
}

func TestFormatEra(t *testing.T) {
	tests := []struct {
		date              string
		kanji, jis, short string
	}{
		{"1989-01-07", "昭和64年1月7日", "S64.01.07", "S64.1.7"},
		{"1989-01-08", "平成元年1月8日", "H01.01.08", "H1.1.8"},
		{"2019-04-30", "平成31年4月30日", "H31.04.30", "H31.4.30"},
		{"2019-05-01", "令和元年5月1日", "R01.05.01", "R1.5.1"},
		{"1926-12-25", "昭和元年12月25日", "S01.12.25", "S1.12.25"},
		{"1912-07-30", "大正元年7月30日", "T01.07.30", "T1.7.30"},
		{"1873-01-01", "明治6年1月1日", "M06.01.01", "M6.1.1"},
	}
	for _, tt := range tests {
		d, _ := time.Parse(time.DateOnly, tt.date)
		for style, want := range map[EraStyle]string{EraKanji: tt.kanji, EraJIS: tt.jis, EraShort: tt.short} {
			got, err := FormatEra(d, style)
			if err != nil || got != want {
				t.Errorf("FormatEra(%s, %d) = %q, %v; want %q", tt.date, style, got, err, want)
			}
			back, err := ParseDate(got, DateOptions{})
			if err != nil || !back.Equal(d) {
				t.Errorf("ParseDate(%q) = %v, %v; want %s", got, back, err, tt.date)
			}
		}
	}
	if _, err := FormatEra(day(1872, 12, 31), EraKanji); err == nil {
		t.Error("FormatEra before 1873 should fail")
	}
}

func TestAgeAndFiscalYear(t *testing.T) {
	ages := []struct {
		birth, ref string
		age        int
	}{
		{"2000-04-01", "2024-03-31", 23},
		{"2000-04-01", "2024-04-01", 24},
		{"2000-02-29", "2023-02-28", 22},
		{"2000-02-29", "2023-03-01", 23},
		{"2000-02-29", "2024-02-29", 24},
		{"1920-01-01", "2024-01-01", 104},
		{"2024-01-01", "2024-01-01", 0},
	}
	for _, a := range ages {
		b, _ := time.Parse(time.DateOnly, a.birth)
		r, _ := time.Parse(time.DateOnly, a.ref)
		if got, err := AgeOn(b, r); err != nil || got != a.age {
			t.Errorf("AgeOn(%s, %s) = %d, %v; want %d", a.birth, a.ref, got, err, a.age)
		}
	}
	if _, err := AgeOn(day(2025, 1, 1), day(2024, 1, 1)); err == nil {
		t.Error("AgeOn with birth after reference should fail")
	}
	fy := []struct {
		date string
		fy   int
		ja   string
	}{
		{"2024-03-31", 2023, "令和5年度"}, {"2024-04-01", 2024, "令和6年度"},
		{"2019-04-01", 2019, "令和元年度"}, {"1989-03-31", 1988, "昭和63年度"}, {"1989-04-01", 1989, "平成元年度"},
	}
	for _, f := range fy {
		d, _ := time.Parse(time.DateOnly, f.date)
		if got := FiscalYear(d); got != f.fy {
			t.Errorf("FiscalYear(%s) = %d, want %d", f.date, got, f.fy)
		}
		if got := FormatFiscalYear(f.fy, true); got != f.ja {
			t.Errorf("FormatFiscalYear(%d) = %q, want %q", f.fy, got, f.ja)
		}
	}
	if FormatFiscalYear(2024, false) != "2024年度" {
		t.Error("FormatFiscalYear(2024, false)")
	}
}

func TestParseNumber(t *testing.T) {
	tests := map[string]int{"45": 45, "４５": 45, "四十五": 45, "十": 10, "二十三": 23, "百二": 102,
		"千九百八十九": 1989, "二〇二四": 2024, "〇": 0, "三万五千": 35000, "十一": 11}
	for in, want := range tests {
		if got, ok := ParseNumber(in); !ok || got != want {
			t.Errorf("ParseNumber(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "十十", "一二十", "abc", "百千", "123456789"} {
		if n, ok := ParseNumber(bad); ok {
			t.Errorf("ParseNumber(%q) = %d, want failure", bad, n)
		}
	}
	for n := 1; n <= 2000; n++ {
		if got, ok := ParseNumber(KanjiNumber(n)); !ok || got != n {
			t.Fatalf("KanjiNumber(%d) = %s parses to %d", n, KanjiNumber(n), got)
		}
	}
}
