package jp

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// The hierarchy builders return ARX-style generalisation hierarchies: one
// row per distinct input value, in first-seen order; row[0] is the value as
// given, then its generalisations from fine to coarse, the last being "*".
// All rows have the same length. A missing value (empty, 不明, 不詳, 無回答,
// -, *, NA) gets "*" at every level. An error names the position (1-based,
// in Line) of the first value that cannot be read; it never quotes the value.

// AgeBandOptions control AgeBandHierarchy.
type AgeBandOptions struct {
	ReferenceDate    time.Time // the date ages are computed on (needed for dates of birth)
	AllowEraOverflow bool      // accept 平成32年-style dates
}

// EraDateOptions control EraDateHierarchy.
type EraDateOptions struct {
	AllowEraOverflow bool // accept 平成32年-style dates
	// FiscalYear makes the third level the fiscal year (2024年度) instead of
	// the calendar year. Both cannot be levels of one hierarchy: a calendar
	// year spans two fiscal years.
	FiscalYear bool
}

var missingValues = map[string]bool{
	"": true, "不明": true, "不詳": true, "無回答": true, "-": true, "*": true,
	"NA": true, "N/A": true, "na": true, "n/a": true, "null": true, "NULL": true,
}

// IsMissing reports whether a cell means "no value".
func IsMissing(v string) bool {
	return missingValues[strings.TrimSpace(normalize(v))] || strings.TrimSpace(v) == "―"
}

// build runs levels over the distinct values.
func build(values []string, width int, levels func(v string) ([]string, error)) ([][]string, error) {
	seen := map[string]bool{}
	var rows [][]string
	for i, v := range values {
		if seen[v] {
			continue
		}
		seen[v] = true
		row := make([]string, 0, width)
		row = append(row, v)
		if IsMissing(v) {
			for len(row) < width {
				row = append(row, "*")
			}
		} else {
			ls, err := levels(v)
			if err != nil {
				return nil, positioned(err, i+1)
			}
			row = append(row, ls...)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func positioned(err error, pos int) error {
	fe, ok := err.(*fault.Error)
	if !ok {
		fe = fault.New(fault.Invalid, "the value cannot be read", "値を読めません").Wrap(err)
	}
	c := *fe
	c.Line = pos
	c.Message = "value " + strconv.Itoa(pos) + ": " + c.Message
	if c.MessageJA != "" {
		c.MessageJA = strconv.Itoa(pos) + "番目の値: " + c.MessageJA
	}
	return &c
}

// LGCodeHierarchy: local-government code (6 digits, or 5) → prefecture →
// region (地方) → * (全国).
func LGCodeHierarchy(values []string) ([][]string, error) {
	return build(values, 4, func(v string) ([]string, error) {
		lg, err := LookupLG(v)
		if err != nil {
			return nil, err
		}
		return []string{lg.Pref, Region(lg.PrefCode), "*"}, nil
	})
}

// AddressHierarchy: address → 町丁目 (prefecture+municipality+town, e.g.
// 大阪府大阪市北区梅田一丁目) → municipality (大阪府大阪市北区) → prefecture →
// region → * (全国). An address whose town is not in the list keeps its
// municipality at the 町丁目 level; one not recognised down to the
// municipality is an error.
func AddressHierarchy(values []string) ([][]string, error) {
	return build(values, 6, func(v string) ([]string, error) {
		a, err := ParseAddress(v)
		if err != nil {
			return nil, err
		}
		if a.Level < 2 {
			return nil, fault.New(fault.Invalid, "address not recognised down to the municipality ("+a.Note+")",
				"住所を市区町村まで特定できません")
		}
		city := a.Pref + a.City
		town := city
		if a.Level >= 3 {
			town += a.Town
		}
		lg, _ := LookupLG(a.LGCode)
		return []string{town, city, a.Pref, Region(lg.PrefCode), "*"}, nil
	})
}

var ageRE = regexp.MustCompile(`^([0-9]{1,3})(?:\.0+)?(?:歳|才)?$`)

// ParseAge reads an age (45, ４５, 45歳, 四十五歳) or a date of birth in any
// form ParseDate reads, giving the age on ref.
func ParseAge(v string, ref time.Time, o DateOptions) (int, error) {
	s := strings.ReplaceAll(NormalizeWidth(strings.TrimSpace(v)), " ", "")
	if m := ageRE.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		if n > 150 {
			return 0, fault.New(fault.Invalid, "an age above 150", "150歳を超える年齢です")
		}
		return n, nil
	}
	if k := strings.TrimSuffix(strings.TrimSuffix(s, "歳"), "才"); k != s {
		if n, ok := ParseNumber(k); ok && n <= 150 {
			return n, nil
		}
	}
	b, err := ParseDate(s, o)
	if err != nil {
		return 0, fault.New(fault.Invalid, "neither an age nor a date of birth", "年齢でも生年月日でもありません")
	}
	if ref.IsZero() {
		return 0, fault.New(fault.Invalid, "a reference date is needed to turn dates of birth into ages",
			"生年月日から年齢を求めるには基準日が必要です").In("reference_date")
	}
	return AgeOn(b, ref)
}

// AgeBandHierarchy: age or date of birth → 5-year band (45-49) → 10-year
// band (40-49) → 10-year band top-coded at 90 (90+) → *.
func AgeBandHierarchy(values []string, o AgeBandOptions) ([][]string, error) {
	do := DateOptions{AllowEraOverflow: o.AllowEraOverflow}
	return build(values, 5, func(v string) ([]string, error) {
		age, err := ParseAge(v, o.ReferenceDate, do)
		if err != nil {
			return nil, err
		}
		b5 := age / 5 * 5
		b10 := age / 10 * 10
		ten := strconv.Itoa(b10) + "-" + strconv.Itoa(b10+9)
		top := ten
		if age >= 90 {
			top = "90+"
		}
		return []string{strconv.Itoa(b5) + "-" + strconv.Itoa(b5+4), ten, top, "*"}, nil
	})
}

// EraDateHierarchy: date (any form ParseDate reads) → year-month (2024-04)
// → year (2024), or fiscal year (2024年度) with o.FiscalYear → *.
func EraDateHierarchy(values []string, o EraDateOptions) ([][]string, error) {
	do := DateOptions{AllowEraOverflow: o.AllowEraOverflow}
	return build(values, 4, func(v string) ([]string, error) {
		t, err := ParseDate(v, do)
		if err != nil {
			return nil, err
		}
		third := strconv.Itoa(t.Year())
		if o.FiscalYear {
			third = FormatFiscalYear(FiscalYear(t), false)
		}
		return []string{t.Format("2006-01"), third, "*"}, nil
	})
}
