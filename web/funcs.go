package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/web/i18n"
)

// funcs returns the template functions bound to lang.
func funcs(lang i18n.Lang) template.FuncMap {
	return template.FuncMap{
		"t":      func(key string, args ...any) string { return i18n.T(lang, key, args...) },
		"lang":   func() string { return string(lang) },
		"date":   func(t any) string { return formatDate(lang, t) },
		"wareki": func(t any) string { return withTime(t, Wareki) },
		"iso": func(t any) string {
			return withTime(t, func(t time.Time) string { return t.In(platform.JST).Format("2006-01-02") })
		},
		"stamp": func(t any) string {
			return withTime(t, func(t time.Time) string { return t.In(platform.JST).Format("2006-01-02 15:04") })
		},
		"yen":     func(n any) string { return formatYen(lang, toInt64(n)) },
		"num":     func(n any) string { return Group(toInt64(n)) },
		"role":    func(r platform.Role) string { return i18n.T(lang, "role."+string(r)) },
		"state":   func(s platform.State) string { return i18n.T(lang, "state."+string(s)) },
		"static":  staticURL,
		"dict":    dict,
		"join":    strings.Join,
		"add1":    func(i int) int { return i + 1 },
		"i18nHas": i18n.Has,
		"itemTypes": func() []platform.ItemType {
			return []platform.ItemType{platform.ItemText, platform.ItemNumber, platform.ItemDate, platform.ItemCode,
				platform.ItemAddress, platform.ItemName, platform.ItemIDNumber}
		},
	}
}

// withTime applies f to a time.Time or a non-nil *time.Time; "" otherwise.
func withTime(v any, f func(time.Time) string) string {
	switch t := v.(type) {
	case time.Time:
		if t.IsZero() {
			return ""
		}
		return f(t)
	case *time.Time:
		if t == nil || t.IsZero() {
			return ""
		}
		return f(*t)
	}
	return ""
}

// formatDate shows a date as officers expect it: in Japanese, 和暦 with the
// Gregorian date after it (令和8年4月1日（2026年4月1日）); in English, ISO.
func formatDate(lang i18n.Lang, v any) string {
	return withTime(v, func(t time.Time) string {
		t = t.In(platform.JST)
		if lang == i18n.EN {
			return t.Format("2006-01-02")
		}
		return fmt.Sprintf("%s（%d年%d月%d日）", Wareki(t), t.Year(), int(t.Month()), t.Day())
	})
}

type era struct {
	name  string
	start time.Time
}

// eras since the adoption of the Gregorian calendar, newest first.
var eras = []era{
	{"令和", time.Date(2019, 5, 1, 0, 0, 0, 0, platform.JST)},
	{"平成", time.Date(1989, 1, 8, 0, 0, 0, 0, platform.JST)},
	{"昭和", time.Date(1926, 12, 25, 0, 0, 0, 0, platform.JST)},
	{"大正", time.Date(1912, 7, 30, 0, 0, 0, 0, platform.JST)},
	{"明治", time.Date(1873, 1, 1, 0, 0, 0, 0, platform.JST)},
}

// Wareki formats the JST date of t in the Japanese era calendar, e.g.
// 令和元年5月1日, 平成31年4月30日. Dates before 1873 are given in the
// Gregorian calendar.
func Wareki(t time.Time) string {
	t = t.In(platform.JST)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, platform.JST)
	for _, e := range eras {
		if !day.Before(e.start) {
			y := t.Year() - e.start.Year() + 1
			if e.name == "明治" {
				y = t.Year() - 1867
			}
			ys := strconv.Itoa(y) + "年"
			if y == 1 {
				ys = "元年"
			}
			return fmt.Sprintf("%s%s%d月%d日", e.name, ys, int(t.Month()), t.Day())
		}
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// Group writes n with thousands separators: 1234567 → 1,234,567.
func Group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// formatYen shows an amount of yen: 12,300円 in Japanese, ¥12,300 in English.
func formatYen(lang i18n.Lang, n int64) string {
	if lang == i18n.EN {
		if n < 0 {
			return "-¥" + Group(-n)
		}
		return "¥" + Group(n)
	}
	return Group(n) + "円"
}

func toInt64(v any) int64 {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int64:
		return n
	case int32:
		return int64(n)
	case uint32:
		return int64(n)
	case float64:
		return int64(n)
	}
	return 0
}

// dict builds a map for passing several values to a partial:
// {{template "_field" dict "Name" "purpose" "Value" .Purpose}}.
func dict(kv ...any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok {
			m[k] = kv[i+1]
		}
	}
	return m
}
