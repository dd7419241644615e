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
	keep := make([]bool, n)
	for i := 0; i < n; i++ {
		all, any := true, false
		for _, c := range cols {
			if missing[c[i]] {
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
	g, err := group(cols, all, keep, missing, o.MissingMatchesAll)
	if err != nil {
		return nil, err
	}
	rep.Measures = g.measures(o)
	if o.PopulationTable != nil {
		pop := make([]int64, len(g.patterns))
		for p, key := range g.patterns {
			pop[p] = o.PopulationTable[key]
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
		seen := map[string]bool{}
		for i, v := range cols[j] {
			if !keep[i] {
				continue
			}
			if missing[v] {
				c.Missing++
			} else {
				seen[v] = true
			}
		}
		c.Distinct = len(seen)
		if len(cols) > 1 {
			others := make([]int, 0, len(cols)-1)
			for k := range cols {
				if k != j {
					others = append(others, k)
				}
			}
			gj, err := group(cols, others, keep, missing, o.MissingMatchesAll)
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

// grouping is the result of grouping records on a set of attributes: the
// distinct patterns with their counts, and each record's class size (its
// pattern's count, or in the matches-any mode the number of records it
// cannot be told apart from).
type grouping struct {
	patterns     []string
	patternSizes []int64
	recordSizes  map[int64]int64 // class size -> records; nil in own-category mode
	recPattern   []int           // record -> pattern, -1 when excluded
	matchSize    []int64         // pattern -> class size of its records (matches-any mode)
}

func group(cols [][]string, attrs []int, keep []bool, missing map[string]bool, matchAny bool) (*grouping, error) {
	idx := map[string]int{}
	g := &grouping{recPattern: make([]int, len(keep))}
	var b strings.Builder
	var masks [][]bool
	for i, ok := range keep {
		if !ok {
			g.recPattern[i] = -1
			continue
		}
		b.Reset()
		for k, j := range attrs {
			if k > 0 {
				b.WriteString(KeySep)
			}
			v := cols[j][i]
			if missing[v] {
				v = "*" // one spelling for every missing token
			}
			b.WriteString(v)
		}
		key := b.String()
		p, seen := idx[key]
		if !seen {
			p = len(g.patterns)
			idx[key] = p
			g.patterns = append(g.patterns, key)
			g.patternSizes = append(g.patternSizes, 0)
			if matchAny {
				mask := make([]bool, len(attrs))
				for k, j := range attrs {
					mask[k] = missing[cols[j][i]]
				}
				masks = append(masks, mask)
			}
		}
		g.patternSizes[p]++
		g.recPattern[i] = p
	}
	if matchAny {
		return g, g.matchAny(masks)
	}
	return g, nil
}

// matchAny computes each record's class size when a missing value matches
// every value: a record matches every record that agrees with it wherever
// both have a value.
func (g *grouping) matchAny(masks [][]bool) error {
	var incomplete []int
	for p, m := range masks {
		for _, x := range m {
			if x {
				incomplete = append(incomplete, p)
				break
			}
		}
	}
	if int64(len(incomplete))*int64(len(g.patterns)) > maxPairs {
		return fault.New(fault.TooLarge, "risk: too many distinct patterns with missing values for the matches-any mode",
			"欠損値を含む組合せが多すぎるため、欠損値を任意の値に一致させる方式では計算できません")
	}
	vals := make([][]string, len(g.patterns))
	for p, key := range g.patterns {
		vals[p] = strings.Split(key, KeySep)
	}
	size := append([]int64(nil), g.patternSizes...)
	isInc := make([]bool, len(g.patterns))
	for _, p := range incomplete {
		isInc[p] = true
	}
	compatible := func(a, b int) bool {
		for k := range vals[a] {
			if !masks[a][k] && !masks[b][k] && vals[a][k] != vals[b][k] {
				return false
			}
		}
		return true
	}
	for _, p := range incomplete {
		for q := range g.patterns {
			if q == p || !compatible(p, q) {
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
	keep := make([]bool, n)
	for i := range keep {
		for _, c := range cols {
			if len(c) != n {
				return nil, fault.Errorf(fault.Invalid, "risk: ragged columns")
			}
			if !missing[c[i]] {
				keep[i] = true
			}
		}
	}
	attrs := make([]int, len(cols))
	for j := range attrs {
		attrs[j] = j
	}
	g, err := group(cols, attrs, keep, missing, o.MissingMatchesAll)
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
