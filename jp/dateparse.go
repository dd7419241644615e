package jp

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// DateOptions control ParseDate.
type DateOptions struct {
	// AllowEraOverflow accepts dates written in an era after it ended, as
	// forms printed before a change of era still produce (平成32年1月1日 =
	// 2020-01-01, 昭和64年1月8日 = 1989-01-08). Off by default.
	AllowEraOverflow bool
}

const numPat = `([0-9]+|[〇零一二三四五六七八九十百千壱弐参拾]+)`

// lazyRegexp returns a regexp compiled on first use, so that start-up does
// not pay for the date patterns.
func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}

var (
	eraDateRE = lazyRegexp(`^(明治|大正|昭和|平成|令和|明|大|昭|平|令|[MTSHRmtshr])\.?(元|` + numPat[1:len(numPat)-1] + `)(年|[./\-])` +
		numPat + `(月|[./\-])` + numPat + `日?$`)
	gregRE = lazyRegexp(`^([0-9]{4}|[〇零一二三四五六七八九]{4}|[〇零一二三四五六七八九十百千]+)(年|[./\-])` +
		numPat + `(月|[./\-])` + numPat + `日?$`)
	compactRE = lazyRegexp(`^[0-9]{8}$`)
	legacyRE  = lazyRegexp(`^[1-5][0-9]{6}$`)
	weekdayRE = lazyRegexp(`\s*\(([月火水木金土日])\)`)
	timeRE    = lazyRegexp(`^(.*?)(?:T| )[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?$`)
)

var eraByToken = map[string]int{
	"明治": 0, "明": 0, "M": 0, "大正": 1, "大": 1, "T": 1, "昭和": 2, "昭": 2, "S": 2,
	"平成": 3, "平": 3, "H": 3, "令和": 4, "令": 4, "R": 4,
}

// ParseDate reads a date written as
//   - a Japanese era date: 令和6年4月1日, 令和元年5月1日, 平成三十一年四月三十日,
//     S45.3.2, H1.1.8, R06.04.01 (JIS X 0301), 令06.04.01, 昭和45/3/2;
//   - a Gregorian date: 2024-04-01, 2024/4/1, 2024.4.1, 2024年4月1日,
//     二〇二四年四月一日, 20240401; a trailing time (2024/4/1 0:00, ISO
//     2024-04-01T09:00:00+09:00) is ignored, a weekday (2024年4月1日（月）) is checked;
//   - a 7-digit legacy era code NYYMMDD, N = 1 明治 … 5 令和 (4010108 = H1.1.8).
//
// Full-width digits and spaces are accepted. Impossible dates (2月30日,
// 令和元年4月1日, which is before 令和 began) are rejected; a date after its
// era ended (平成32年) only with o.AllowEraOverflow. The result is UTC midnight.
func ParseDate(s string, o DateOptions) (time.Time, error) {
	w := NormalizeWidth(s)
	wd := weekdayRE().FindStringSubmatch(w)
	t, err := parseDate(weekdayRE().ReplaceAllString(w, ""), o)
	if err == nil && wd != nil && weekdays[t.Weekday()] != wd[1] {
		return time.Time{}, fault.New(fault.Invalid,
			"the weekday does not match the date ("+t.Format("2006-01-02")+" is a "+t.Weekday().String()+")",
			"曜日が日付と一致しません（"+t.Format("2006年1月2日")+"は"+weekdays[t.Weekday()]+"曜日）")
	}
	return t, err
}

var weekdays = [...]string{"日", "月", "火", "水", "木", "金", "土"}

func parseDate(s string, o DateOptions) (time.Time, error) {
	norm := strings.TrimSpace(s)
	in := strings.ReplaceAll(norm, " ", "")
	if m := timeRE().FindStringSubmatch(norm); m != nil {
		in = strings.ReplaceAll(m[1], " ", "")
	}
	if m := eraDateRE().FindStringSubmatch(in); m != nil {
		return eraDate(strings.ToUpper(m[1]), m[2], m[4], m[6], o)
	}
	if m := gregRE().FindStringSubmatch(in); m != nil {
		y, ok := ParseNumber(m[1])
		if !ok || y < 1000 || y > 9999 {
			return time.Time{}, badDate()
		}
		return gregorian(y, m[3], m[5])
	}
	if compactRE().MatchString(in) {
		y, _ := strconv.Atoi(in[:4])
		if y < 1000 {
			return time.Time{}, badDate()
		}
		return gregorian(y, in[4:6], in[6:])
	}
	if legacyRE().MatchString(in) {
		e := Eras[in[0]-'1']
		return eraDate(e.Abbr, in[1:3], in[3:5], in[5:], o)
	}
	return time.Time{}, badDate()
}

func badDate() *fault.Error {
	return fault.New(fault.Invalid,
		"not a date (write e.g. 2024-04-01, 令和6年4月1日 or R6.4.1)",
		"日付として読めません（例：2024-04-01、令和6年4月1日、R6.4.1）")
}

func gregorian(y int, ms, ds string) (time.Time, error) {
	m, ok1 := ParseNumber(ms)
	d, ok2 := ParseNumber(ds)
	if !ok1 || !ok2 {
		return time.Time{}, badDate()
	}
	return validDate(y, m, d) // a Gregorian date is valid even before 1873
}

func validDate(y, m, d int) (time.Time, error) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, fault.New(fault.Invalid, "the month or day is out of range",
			"月または日が範囲外です")
	}
	t := day(y, time.Month(m), d)
	if t.Day() != d {
		return time.Time{}, fault.Errorf(fault.Invalid, "%d-%02d has no day %d", y, m, d)
	}
	return t, nil
}

func eraDate(token, ys, ms, ds string, o DateOptions) (time.Time, error) {
	idx, ok := eraByToken[token]
	if !ok {
		return time.Time{}, badDate()
	}
	e := Eras[idx]
	y := 1
	if ys != "元" {
		if y, ok = ParseNumber(ys); !ok || y < 1 || firstYear[e.Name]+y-1 > 9999 {
			return time.Time{}, fault.New(fault.Invalid, "the era year is out of range", "元号の年が範囲外です")
		}
	}
	m, ok1 := ParseNumber(ms)
	d, ok2 := ParseNumber(ds)
	if !ok1 || !ok2 {
		return time.Time{}, badDate()
	}
	t, err := validDate(firstYear[e.Name]+y-1, m, d)
	if err != nil {
		return time.Time{}, err
	}
	label := e.Name + eraYear(y) + "年" + strconv.Itoa(m) + "月" + strconv.Itoa(d) + "日"
	if t.Before(e.Start) {
		if e.Name == "明治" && t.Year() >= 1868 {
			return time.Time{}, fault.New(fault.Invalid,
				label+" is before 明治6年 and was written in the lunisolar calendar; it is not converted",
				label+" は明治6年より前の旧暦の日付のため変換できません")
		}
		return time.Time{}, fault.New(fault.Invalid,
			label+" does not exist: "+e.Name+" began on "+e.Start.Format("2006-01-02"),
			label+" は存在しません（"+e.Name+"は"+e.Start.Format("2006年1月2日")+"から）")
	}
	if !e.End.IsZero() && t.After(e.End) && !o.AllowEraOverflow {
		return time.Time{}, fault.New(fault.Invalid,
			label+" is after the end of "+e.Name+" ("+e.End.Format("2006-01-02")+"); allow era overflow to accept it",
			label+" は"+e.Name+"の終了（"+e.End.Format("2006年1月2日")+"）より後です。元号の延長表記を許可すると読めます")
	}
	return t, nil
}
