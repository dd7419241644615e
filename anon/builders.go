package anon

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tokumei/tokumei/fault"
)

// The hierarchy builders make ARX-layout hierarchies from the distinct
// values of a column. Errors name the position of the offending value in
// values (1-based, in Line) but never quote it: it is source data.

func builderErr(builder string, i int, en, ja string) error {
	return fault.New(fault.Invalid, en, ja).At(builder, i+1, 0)
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// IntervalHierarchy groups numbers into intervals [lo,hi) whose widths are
// given per level (each a multiple of the one before), with optional bottom
// and top coding ("<bottom", ">=top"); the last level is "*".
func IntervalHierarchy(values []string, widths []float64, origin, bottom, top *float64) (*Hierarchy, error) {
	if len(widths) == 0 {
		return nil, fault.New(fault.Invalid, "the interval builder needs \"widths\"", "interval には \"widths\" が必要です").In("widths")
	}
	for i, w := range widths {
		if w <= 0 || (i > 0 && math.Abs(w/widths[i-1]-math.Round(w/widths[i-1])) > 1e-9) {
			return nil, fault.New(fault.Invalid, "each width must be positive and a multiple of the previous one",
				"幅は正で、前の幅の整数倍でなければなりません").In("widths")
		}
	}
	o := 0.0
	switch {
	case origin != nil:
		o = *origin
	case bottom != nil:
		o = *bottom
	}
	if bottom != nil && top != nil && *bottom >= *top {
		return nil, fault.New(fault.Invalid, "bottom must be below top", "bottom は top より小さくなければなりません").In("bottom")
	}
	h := &Hierarchy{Source: "interval"}
	for i, v := range values {
		x, ok := parseNumber(strings.TrimSpace(v))
		if !ok {
			return nil, builderErr("interval", i, "a value is not a number", "数値でない値があります")
		}
		row := []string{v}
		for _, w := range widths {
			switch {
			case bottom != nil && x < *bottom:
				row = append(row, "<"+fmtNum(*bottom))
			case top != nil && x >= *top:
				row = append(row, ">="+fmtNum(*top))
			default:
				lo := o + math.Floor((x-o)/w)*w
				row = append(row, "["+fmtNum(lo)+","+fmtNum(lo+w)+")")
			}
		}
		h.Rows = append(h.Rows, append(row, "*"))
	}
	return h, h.Validate()
}

var dateLayouts = []string{"2006-01-02", "2006/01/02", "20060102", "2006-1-2", "2006/1/2"}

// DateHierarchy generalises dates: day → month (2006-01) → year (2006) →
// decade (2000-2009) → "*". steps selects among "month", "year", "decade".
func DateHierarchy(values []string, layout string, steps []string) (*Hierarchy, error) {
	if len(steps) == 0 {
		steps = []string{"month", "year", "decade"}
	}
	for _, s := range steps {
		if s != "month" && s != "year" && s != "decade" {
			return nil, fault.Errorf(fault.Invalid, "unknown date step %q (month, year, decade)", s).In("steps")
		}
	}
	layouts := dateLayouts
	if layout != "" {
		layouts = []string{layout}
	}
	h := &Hierarchy{Source: "date"}
	for i, v := range values {
		var t time.Time
		var err error
		for _, l := range layouts {
			if t, err = time.Parse(l, strings.TrimSpace(v)); err == nil {
				break
			}
		}
		if err != nil {
			return nil, builderErr("date", i, "a value is not a date", "日付でない値があります")
		}
		row := []string{v}
		for _, s := range steps {
			switch s {
			case "month":
				row = append(row, t.Format("2006-01"))
			case "year":
				row = append(row, t.Format("2006"))
			case "decade":
				d := t.Year() / 10 * 10
				row = append(row, strconv.Itoa(d)+"-"+strconv.Itoa(d+9))
			}
		}
		h.Rows = append(h.Rows, append(row, "*"))
	}
	return h, h.Validate()
}

// MaskHierarchy masks characters from the right (postal codes, 郵便番号):
// level i replaces the last i×chars characters by "*"; the root is "*".
func MaskHierarchy(values []string, chars int) (*Hierarchy, error) {
	if chars <= 0 {
		chars = 1
	}
	maxLen := 0
	for _, v := range values {
		maxLen = max(maxLen, utf8.RuneCountInString(v))
	}
	steps := (maxLen + chars - 1) / chars
	h := &Hierarchy{Source: "mask"}
	for _, v := range values {
		r := []rune(v)
		row := []string{v}
		for s := 1; s < steps; s++ {
			k := min(s*chars, len(r))
			row = append(row, string(r[:len(r)-k])+strings.Repeat("*", k))
		}
		h.Rows = append(h.Rows, append(row, "*"))
	}
	return h, h.Validate()
}

// GroupsHierarchy builds a hierarchy from explicit groups: groups[i] maps
// each label of level i+1 to its members at level i. A value or label left
// out of a level's groups keeps its label; the root "*" is added.
func GroupsHierarchy(values []string, groups []map[string][]string) (*Hierarchy, error) {
	h := &Hierarchy{Source: "groups"}
	parents := make([]map[string]string, len(groups))
	for l, g := range groups {
		parents[l] = map[string]string{}
		labels := make([]string, 0, len(g))
		for k := range g {
			labels = append(labels, k)
		}
		sort.Strings(labels)
		for _, label := range labels {
			for _, m := range g[label] {
				if p, dup := parents[l][m]; dup && p != label {
					return nil, fault.Errorf(fault.Invalid, "a member is in two groups of level %d (%q and %q)", l+1, p, label).In("groups")
				}
				parents[l][m] = label
			}
		}
	}
	for _, v := range values {
		row := []string{v}
		cur := v
		for l := range groups {
			if p, ok := parents[l][cur]; ok {
				cur = p
			}
			row = append(row, cur)
		}
		h.Rows = append(h.Rows, append(row, "*"))
	}
	return h, h.Validate()
}
