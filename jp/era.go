package jp

import (
	"strconv"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// Era is a Japanese era (元号).
type Era struct {
	Name  string    // 令和
	Abbr  string    // R (JIS X 0301 letter)
	Code  int       // legacy numeric code: 1=明治 … 5=令和
	Start time.Time // first day (UTC midnight)
	End   time.Time // last day; zero for the current era
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Eras lists the supported eras, oldest first. 明治 starts, for conversion,
// on 1873-01-01 (明治6年1月1日), the day Japan adopted the Gregorian
// calendar: dates of 明治1–5 were written in the lunisolar calendar and
// cannot be converted without a lunisolar table, so they are rejected. The
// era's de-jure first year is still 1868 (明治元年), which fixes year numbers.
var Eras = []Era{
	{"明治", "M", 1, day(1873, 1, 1), day(1912, 7, 29)},
	{"大正", "T", 2, day(1912, 7, 30), day(1926, 12, 24)},
	{"昭和", "S", 3, day(1926, 12, 25), day(1989, 1, 7)},
	{"平成", "H", 4, day(1989, 1, 8), day(2019, 4, 30)},
	{"令和", "R", 5, day(2019, 5, 1), time.Time{}},
}

// firstYear is the Gregorian year of 元年 of each era.
var firstYear = map[string]int{"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019}

// gregorianStart is the first date that can be converted.
var gregorianStart = day(1873, 1, 1)

// EraOf returns the era of a date and its year within the era (1 = 元年).
func EraOf(t time.Time) (Era, int, error) {
	d := day(t.Year(), t.Month(), t.Day())
	for i := len(Eras) - 1; i >= 0; i-- {
		if !d.Before(Eras[i].Start) {
			return Eras[i], d.Year() - firstYear[Eras[i].Name] + 1, nil
		}
	}
	return Era{}, 0, fault.New(fault.Invalid,
		"dates before 1873-01-01 (明治6年) were written in the lunisolar calendar and are not converted",
		"1873年1月1日（明治6年）より前の日付は旧暦のため変換できません")
}

// EraStyle selects how FormatEra writes a date.
type EraStyle int

// Era date styles.
const (
	EraKanji EraStyle = iota // 令和元年5月1日
	EraJIS                   // R01.05.01 (JIS X 0301)
	EraShort                 // R1.5.1
)

// FormatEra writes a date in a Japanese era.
func FormatEra(t time.Time, style EraStyle) (string, error) {
	e, y, err := EraOf(t)
	if err != nil {
		return "", err
	}
	switch style {
	case EraJIS:
		return e.Abbr + pad2(y) + "." + pad2(int(t.Month())) + "." + pad2(t.Day()), nil
	case EraShort:
		return e.Abbr + strconv.Itoa(y) + "." + strconv.Itoa(int(t.Month())) + "." + strconv.Itoa(t.Day()), nil
	}
	return e.Name + eraYear(y) + "年" + strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日", nil
}

func eraYear(y int) string {
	if y == 1 {
		return "元"
	}
	return strconv.Itoa(y)
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// AgeOn returns the age in completed years on the reference date. Per the
// 年齢計算ニ関スル法律 a person born on 29 February becomes a year older on
// 1 March in common years. A reference date before birth is an error.
func AgeOn(birth, ref time.Time) (int, error) {
	b := day(birth.Year(), birth.Month(), birth.Day())
	r := day(ref.Year(), ref.Month(), ref.Day())
	if r.Before(b) {
		return 0, fault.New(fault.Invalid, "the date of birth is after the reference date",
			"生年月日が基準日より後です")
	}
	age := r.Year() - b.Year()
	if r.Month() < b.Month() || (r.Month() == b.Month() && r.Day() < b.Day()) {
		age--
	}
	return age, nil
}

// FiscalYear returns the fiscal year (年度, April–March) of a date: the
// Gregorian year in which it starts.
func FiscalYear(t time.Time) int {
	if t.Month() < time.April {
		return t.Year() - 1
	}
	return t.Year()
}

// FormatFiscalYear writes a fiscal year as 2024年度, or in the era as
// 令和6年度. The era is the one in force at the end of that calendar year,
// as the government writes it: fiscal 2019 is 令和元年度, fiscal 1989 平成元年度.
func FormatFiscalYear(fy int, era bool) string {
	if !era || fy < 1873 {
		return strconv.Itoa(fy) + "年度"
	}
	e, y, _ := EraOf(day(fy, 12, 31))
	return e.Name + eraYear(y) + "年度"
}
