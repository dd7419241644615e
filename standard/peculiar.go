package standard

import (
	"fmt"
	"sort"
	"strconv"
)

var eraBase = map[string]int{"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019,
	"M": 1868, "T": 1912, "S": 1926, "H": 1989, "R": 2019}

var reYear = lazyRegexp(`^(明治|大正|昭和|平成|令和|[MTSHRmtshr])\s*(元|\d{1,2})|^(\d{4})`)

// YearOf returns the Gregorian year of a date written in the era calendar
// or as yyyy-…, or 0.
func YearOf(s string) int {
	m := reYear().FindStringSubmatch(fold(s))
	switch {
	case m == nil:
		return 0
	case m[3] != "":
		y, _ := strconv.Atoi(m[3])
		return y
	}
	era := m[1]
	if len(era) == 1 {
		era = string(era[0] &^ 0x20) // upper case
	}
	n := 1
	if m[2] != "元" {
		n, _ = strconv.Atoi(m[2])
	}
	return eraBase[era] + n - 1
}

// peculiar lists the peculiar values of one column.
func peculiar(name string, cp ColumnProfile, s colStats, o ProfileOptions) []Peculiar {
	switch cp.Class {
	case Identifier, IdentificationCode, LinkingCode:
		return nil // deleted or replaced anyway
	}
	var out []Peculiar
	add := func(v string, kind, reason string) {
		out = append(out, Peculiar{Column: name, Value: v, Count: s.freq[v], Kind: kind, Reason: reason})
	}
	numeric := s.share(func(x string) bool { return reNumber().MatchString(fold(x)) }) >= 0.9
	switch {
	case cp.Kind == KindAge && numeric:
		for v := range s.freq {
			if x, err := strconv.ParseFloat(fold(v), 64); err == nil && x >= o.oldAge() {
				add(v, "old-age", fmt.Sprintf("age %s ≥ %g: very few persons, identifying (年齢%s)", v, o.oldAge(), v))
			}
		}
	case (cp.Kind == KindBirthDate || cp.Kind == KindDate && isBirthHeader(name)) && o.ReferenceYear > 0:
		for v := range s.freq {
			if y := YearOf(v); y > 0 && float64(o.ReferenceYear-y) >= o.oldAge() {
				add(v, "old-age", fmt.Sprintf("born %d: age about %d ≥ %g", y, o.ReferenceYear-y, o.oldAge()))
			}
		}
	case numeric && cp.Kind != KindCode && cp.Kind != KindPostal:
		out = append(out, outliers(name, s)...)
	case !numeric && cp.Kind != KindDate && cp.Kind != KindBirthDate && s.distinct >= 2 && s.distinct <= 100 && s.distinct*2 <= len(s.vals):
		for v, c := range s.freq {
			if c < o.k() {
				add(v, "rare-category", fmt.Sprintf("only %d record(s) with this value (< %d)", c, o.k()))
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count < out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	return out
}

func isBirthHeader(h string) bool {
	r := matchHeader(h)
	return r != nil && r.kind == KindBirthDate
}

// outliers returns the values beyond Tukey's far-out fences (3 × IQR from
// the quartiles).
func outliers(name string, s colStats) []Peculiar {
	var xs []float64
	for _, v := range s.vals {
		if x, err := strconv.ParseFloat(fold(v), 64); err == nil {
			xs = append(xs, x)
		}
	}
	if len(xs) < 20 {
		return nil
	}
	sort.Float64s(xs)
	q := func(p float64) float64 {
		pos := p * float64(len(xs)-1)
		lo := int(pos)
		if lo+1 >= len(xs) {
			return xs[lo]
		}
		return xs[lo] + (pos-float64(lo))*(xs[lo+1]-xs[lo])
	}
	q1, q3 := q(0.25), q(0.75)
	iqr := q3 - q1
	if iqr <= 0 {
		return nil
	}
	lo, hi := q1-3*iqr, q3+3*iqr
	var out []Peculiar
	for v, c := range s.freq {
		x, err := strconv.ParseFloat(fold(v), 64)
		if err == nil && (x < lo || x > hi) {
			out = append(out, Peculiar{Column: name, Value: v, Count: c, Kind: "outlier",
				Reason: fmt.Sprintf("beyond 3 × IQR from the quartiles [%g, %g]", lo, hi)})
		}
	}
	return out
}
