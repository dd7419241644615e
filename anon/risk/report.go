package risk

import (
	"strings"

	"github.com/tokumei/tokumei/fault"
)

// KeySep joins quasi-identifier values into a class key (Key, and the keys
// of Options.PopulationTable).
const KeySep = "\x1f"

// Key returns the class key of a combination of quasi-identifier values.
func Key(values ...string) string { return strings.Join(values, KeySep) }

// Contribution is one attribute's contribution to uniqueness: how many of
// the sample uniques stop being unique when the attribute is left out.
type Contribution struct {
	Attribute      string  `json:"attribute"`
	Distinct       int     `json:"distinct"`        // distinct non-missing values
	Missing        int64   `json:"missing"`         // records missing this attribute
	UniquesWithout int64   `json:"uniques_without"` // sample uniques on the other attributes
	Contribution   float64 `json:"contribution"`    // (uniques - uniques_without) / uniques; 0 when there are none
}

// Report is the full risk report of a data set.
type Report struct {
	Measures
	Attributes []string `json:"attributes"`
	// RecordsWithMissing counts records with at least one missing
	// quasi-identifier; AllMissing those with all of them missing (fully
	// suppressed records), which are left out of every figure.
	RecordsWithMissing int64          `json:"records_with_missing"`
	AllMissing         int64          `json:"all_missing_excluded"`
	PopulationUnique   *Uniqueness    `json:"population_uniqueness,omitempty"`
	Contributions      []Contribution `json:"attribute_contributions"`
}

// maxPairs bounds the pattern comparisons of the matches-any mode.
const maxPairs = 400_000_000

// Measure computes the full report on column-major quasi-identifier values
// (cols[j][i] is attribute names[j] of record i). A cell is missing when it
// is "", "*" or one of o.MissingTokens.
func Measure(cols [][]string, names []string, o Options) (*Report, error) {
	if len(cols) != len(names) {
		return nil, fault.Errorf(fault.Invalid, "risk: %d columns but %d names", len(cols), len(names))
	}
	if len(cols) == 0 {
		return nil, fault.New(fault.Invalid, "risk: no quasi-identifiers", "準識別子が指定されていません")
	}
	n := len(cols[0])
	for j, c := range cols {
		if len(c) != n {
			return nil, fault.Errorf(fault.Invalid, "risk: column has %d values, want %d", len(c), n).In(names[j])
		}
	}
	missing := missingSet(o.MissingTokens)
	rep := &Report{Attributes: append([]string(nil), names...)}
	enc := encode(cols, missing)
	keep := make([]bool, n)
	for i := 0; i < n; i++ {
		all, any := true, false
		for _, c := range enc.codes {
			if c[i] == 0 {
				any = true
			} else {
				all = false
			}
		}
		keep[i] = !all
		if all {
			rep.AllMissing++
		}
		if any && !all {
			rep.RecordsWithMissing++
		}
	}
	all := make([]int, len(cols))
	for j := range all {
		all[j] = j
	}
	g, err := group(enc, all, keep, o.MissingMatchesAll)
	if err != nil {
		return nil, err
	}
	rep.Measures = g.measures(o)
	if o.PopulationTable != nil {
		pop := make([]int64, len(g.patterns))
		for p := range g.patterns {
			pop[p] = o.PopulationTable[g.key(enc, p)]
		}
		m := FromClassSizes(g.patternSizes, Options{PopulationClassSizes: pop, Population: o.Population, Threshold: o.Threshold, MissingMatchesAll: o.MissingMatchesAll})
		rep.Journalist, rep.Marketer, rep.JournalistBasis = m.Journalist, m.Marketer, m.JournalistBasis
	}
	if o.Population > rep.Records && !o.MissingMatchesAll {
		u := PopulationUniqueness(g.patternSizes, o.Population)
		rep.PopulationUnique = &u
	}
	uniques := rep.SampleUniqueCount
	for j := range cols {
		c := Contribution{Attribute: names[j]}
		seen := make([]bool, len(enc.dict[j]))
		for i, code := range enc.codes[j] {
			if !keep[i] {
				continue
			}
			if code == 0 {
				c.Missing++
			} else if !seen[code] {
				seen[code] = true
				c.Distinct++
			}
		}
		if len(cols) > 1 {
			others := make([]int, 0, len(cols)-1)
			for k := range cols {
				if k != j {
					others = append(others, k)
				}
			}
			gj, err := group(enc, others, keep, o.MissingMatchesAll)
			if err != nil {
				return nil, err
			}
			c.UniquesWithout = gj.uniques()
		}
		if uniques > 0 {
			c.Contribution = float64(uniques-c.UniquesWithout) / float64(uniques)
		}
		rep.Contributions = append(rep.Contributions, c)
	}
	return rep, nil
}

func missingSet(extra []string) map[string]bool {
	m := map[string]bool{"": true, "*": true}
	for _, t := range extra {
		m[t] = true
	}
	return m
}

// encoded holds dictionary-encoded columns: code 0 is a missing value.
type encoded struct {
	codes [][]uint32
	dict  [][]string // code -> value; dict[j][0] is "*"
}

func encode(cols [][]string, missing map[string]bool) *encoded {
	e := &encoded{codes: make([][]uint32, len(cols)), dict: make([][]string, len(cols))}
	for j, c := range cols {
		idx := map[string]uint32{}
		e.dict[j] = []string{"*"}
		codes := make([]uint32, len(c))
		for i, v := range c {
			if missing[v] {
				continue
			}
			code, ok := idx[v]
			if !ok {
				code = uint32(len(e.dict[j]))
				idx[v] = code
				e.dict[j] = append(e.dict[j], v)
			}
			codes[i] = code
		}
		e.codes[j] = codes
	}
	return e
}

// grouping is the result of grouping records on a set of attributes: the
// distinct patterns with their counts, and each record's class size (its
// pattern's count, or in the matches-any mode the number of records it
// cannot be told apart from).
type grouping struct {
	attrs        []int
	patterns     [][]uint32 // pattern -> codes of attrs
	patternSizes []int64
	recordSizes  map[int64]int64 // class size -> records; nil in own-category mode
	recPattern   []int           // record -> pattern, -1 when excluded
	matchSize    []int64         // pattern -> class size of its records (matches-any mode)
}

// key returns the class key (values joined by KeySep) of pattern p.
func (g *grouping) key(e *encoded, p int) string {
	vals := make([]string, len(g.attrs))
	for k, j := range g.attrs {
		vals[k] = e.dict[j][g.patterns[p][k]]
	}
	return Key(vals...)
}

func group(e *encoded, attrs []int, keep []bool, matchAny bool) (*grouping, error) {
	idx := map[string]int{}
	g := &grouping{attrs: attrs, recPattern: make([]int, len(keep))}
	buf := make([]byte, 4*len(attrs))
	for i, ok := range keep {
		if !ok {
			g.recPattern[i] = -1
			continue
		}
		for k, j := range attrs {
			c := e.codes[j][i]
			buf[4*k], buf[4*k+1], buf[4*k+2], buf[4*k+3] = byte(c), byte(c>>8), byte(c>>16), byte(c>>24)
		}
		p, seen := idx[string(buf)]
		if !seen {
			p = len(g.patterns)
			idx[string(buf)] = p
			pat := make([]uint32, len(attrs))
			for k, j := range attrs {
				pat[k] = e.codes[j][i]
			}
			g.patterns = append(g.patterns, pat)
			g.patternSizes = append(g.patternSizes, 0)
		}
		g.patternSizes[p]++
		g.recPattern[i] = p
	}
	if matchAny {
		return g, g.matchAny()
	}
	return g, nil
}

// matchAny computes each record's class size when a missing value matches
// every value: a record matches every record that agrees with it wherever
// both have a value.
func (g *grouping) matchAny() error {
	var incomplete []int
	isInc := make([]bool, len(g.patterns))
	for p, pat := range g.patterns {
		for _, c := range pat {
			if c == 0 {
				incomplete = append(incomplete, p)
				isInc[p] = true
				break
			}
		}
	}
	if int64(len(incomplete))*int64(len(g.patterns)) > maxPairs {
		return fault.New(fault.TooLarge, "risk: too many distinct patterns with missing values for the matches-any mode",
			"欠損値を含む組合せが多すぎるため、欠損値を任意の値に一致させる方式では計算できません")
	}
	size := append([]int64(nil), g.patternSizes...)
	compatible := func(a, b []uint32) bool {
		for k := range a {
			if a[k] != 0 && b[k] != 0 && a[k] != b[k] {
				return false
			}
		}
		return true
	}
	for _, p := range incomplete {
		for q := range g.patterns {
			if q == p || !compatible(g.patterns[p], g.patterns[q]) {
				continue
			}
			size[p] += g.patternSizes[q]
			if !isInc[q] {
				size[q] += g.patternSizes[p] // a complete pattern gains the incomplete ones that match it
			}
		}
	}
	g.matchSize = size
	g.recordSizes = map[int64]int64{}
	for p, s := range size {
		g.recordSizes[s] += g.patternSizes[p]
	}
	return nil
}

func (g *grouping) uniques() int64 {
	if g.recordSizes != nil {
		return g.recordSizes[1]
	}
	var u int64
	for _, s := range g.patternSizes {
		if s == 1 {
			u++
		}
	}
	return u
}

// measures returns the sample measures; in the matches-any mode from the
// per-record class sizes.
func (g *grouping) measures(o Options) Measures {
	if g.recordSizes == nil {
		return FromClassSizes(g.patternSizes, o)
	}
	m := FromClassSizes(g.patternSizes, o) // records and distinct patterns
	n := float64(m.Records)
	if n == 0 {
		return m
	}
	m.SampleUniqueCount = g.recordSizes[1]
	m.SampleUniques = float64(m.SampleUniqueCount) / n
	m.Prosecutor = riskOfRecords(g.recordSizes, m.Threshold, n)
	m.MinClassSize = 0
	for s := range g.recordSizes {
		if m.MinClassSize == 0 || s < m.MinClassSize {
			m.MinClassSize = s
		}
	}
	m.Journalist = m.Prosecutor
	m.JournalistBasis = BasisSample
	m.Marketer.Average = m.Prosecutor.Average
	return m
}

// riskOfRecords computes the prosecutor figures from a record histogram
// (class size -> number of records).
func riskOfRecords(recs map[int64]int64, threshold, n float64) Risk {
	var out Risk
	var sum, above float64
	for f, c := range recs {
		r := 1 / float64(f)
		sum += float64(c) * r
		if r > threshold {
			above += float64(c)
		}
		switch {
		case r > out.Highest:
			out.Highest, out.RecordsAtHighestCount = r, c
		case r == out.Highest:
			out.RecordsAtHighestCount += c
		}
	}
	out.Average = sum / n
	out.RecordsAtHighest = float64(out.RecordsAtHighestCount) / n
	out.ShareAboveThreshold = above / n
	return out
}

// RecordSizes returns, for each record, the size of its equivalence class on
// the given columns under o's missing-value mode (the number of records it
// cannot be told apart from); 0 for records whose every value is missing.
func RecordSizes(cols [][]string, o Options) ([]int64, error) {
	if len(cols) == 0 {
		return nil, fault.New(fault.Invalid, "risk: no quasi-identifiers", "準識別子が指定されていません")
	}
	n := len(cols[0])
	missing := missingSet(o.MissingTokens)
	for _, c := range cols {
		if len(c) != n {
			return nil, fault.Errorf(fault.Invalid, "risk: ragged columns")
		}
	}
	enc := encode(cols, missing)
	keep := make([]bool, n)
	for i := range keep {
		for _, c := range enc.codes {
			if c[i] != 0 {
				keep[i] = true
			}
		}
	}
	attrs := make([]int, len(cols))
	for j := range attrs {
		attrs[j] = j
	}
	g, err := group(enc, attrs, keep, o.MissingMatchesAll)
	if err != nil {
		return nil, err
	}
	out := make([]int64, n)
	for i, p := range g.recPattern {
		switch {
		case p < 0:
		case g.matchSize != nil:
			out[i] = g.matchSize[p]
		default:
			out[i] = g.patternSizes[p]
		}
	}
	return out, nil
}
