// Package risk holds re-identification risk measures (再識別リスク) for
// microdata: sample-based prosecutor, journalist and marketer risk from
// equivalence-class sizes, estimates of population uniqueness (Pitman,
// Zayatz, SNB with Dankar's decision rule) and each attribute's contribution
// to uniqueness.
//
// The package works on plain class sizes or on column-major string values so
// that it does not depend on the engine's table: the engine passes the sizes
// of its equivalence classes to FromClassSizes for every report. It imports
// only the standard library and package fault.
package risk

import (
	"math"
	"sort"
)

// Missing-value handling modes as printed in reports.
const (
	MissingOwnCategory = "own-category" // a missing value is a category of its own
	MissingMatchesAny  = "matches-any"  // a missing value matches every value (sdcMicro)
)

// Journalist bases: what the journalist figures were computed from.
const (
	BasisSample          = "sample"           // no population given: journalist = prosecutor (upper bound)
	BasisPopulationSize  = "population-size"  // E[1/F | f] under a negative-binomial model (Benedetti-Franconi)
	BasisPopulationTable = "population-table" // 1/F from the given population class sizes
)

// DefaultThreshold is the per-record risk threshold used when none is given
// (a record is at risk when its risk exceeds it): 0.2, i.e. a class of fewer
// than 5 records.
const DefaultThreshold = 0.2

// Options configure the measures.
type Options struct {
	// Population is the size of the population the sample was drawn from
	// (0 when unknown). Used for the journalist and marketer risk and for
	// population uniqueness.
	Population int64 `json:"population,omitempty"`
	// PopulationClassSizes, for FromClassSizes, gives the population size of
	// each class, parallel to the sample sizes (nil when unknown).
	PopulationClassSizes []int64 `json:"-"`
	// PopulationTable, for Measure, maps a class key (the quasi-identifier
	// values joined by KeySep) to its population count.
	PopulationTable map[string]int64 `json:"-"`
	// Threshold is the per-record risk above which a record counts as at
	// risk; 0 means DefaultThreshold.
	Threshold float64 `json:"threshold,omitempty"`
	// MissingMatchesAll makes a missing value match every value of its
	// attribute (sdcMicro's reading); otherwise it is its own category.
	MissingMatchesAll bool `json:"missing_matches_all,omitempty"`
	// MissingTokens are extra cell values read as missing, besides "" and "*".
	MissingTokens []string `json:"missing_tokens,omitempty"`
}

func (o Options) threshold() float64 {
	if o.Threshold <= 0 {
		return DefaultThreshold
	}
	return o.Threshold
}

// Risk is one attacker model's figures. Highest and Average are per-record
// re-identification probabilities; RecordsAtHighest and ShareAboveThreshold
// are fractions of the records (ARX prints them the same way).
type Risk struct {
	Highest               float64 `json:"highest"`
	Average               float64 `json:"average"`
	RecordsAtHighest      float64 `json:"records_at_highest"`
	RecordsAtHighestCount int64   `json:"records_at_highest_count"`
	ShareAboveThreshold   float64 `json:"share_above_threshold"`
}

// Marketer is the marketer model: the expected share of records an attacker
// re-identifies when matching all of them.
type Marketer struct {
	Average float64 `json:"average"`
}

// Measures are the sample-based risk figures of a release.
type Measures struct {
	Records            int64    `json:"records"`
	EquivalenceClasses int64    `json:"equivalence_classes"`
	SampleUniques      float64  `json:"sample_uniques"`       // fraction of records in classes of size 1
	SampleUniqueCount  int64    `json:"sample_unique_count"`  // number of such records
	MinClassSize       int64    `json:"min_class_size"`       // 0 when there are no records
	Prosecutor         Risk     `json:"prosecutor"`           // 検察官攻撃: the target is known to be in the data
	Journalist         Risk     `json:"journalist"`           // 記者攻撃: the target is some person of the population
	Marketer           Marketer `json:"marketer"`             // 商業攻撃: re-identify as many as possible
	Threshold          float64  `json:"threshold"`            // the per-record threshold used
	Population         int64    `json:"population,omitempty"` // population size used (0: unknown)
	JournalistBasis    string   `json:"journalist_basis"`     // BasisSample, BasisPopulationSize or BasisPopulationTable
	MissingValues      string   `json:"missing_values"`       // MissingOwnCategory or MissingMatchesAny
}

// FromClassSizes computes the measures from the sizes of the equivalence
// classes (classes of size 0 are ignored). It runs in O(c + d log d) for c
// classes with d distinct sizes and allocates only the size histogram, so
// the engine may call it for every report.
func FromClassSizes(sizes []int64, o Options) Measures {
	m := Measures{Threshold: o.threshold(), JournalistBasis: BasisSample, MissingValues: MissingOwnCategory}
	if o.MissingMatchesAll {
		m.MissingValues = MissingMatchesAny
	}
	hist := histogram(sizes)
	for _, h := range hist {
		m.Records += h.size * h.classes
		m.EquivalenceClasses += h.classes
	}
	if m.Records == 0 {
		return m
	}
	n := float64(m.Records)
	if hist[0].size == 1 {
		m.SampleUniqueCount = hist[0].classes
	}
	m.SampleUniques = float64(m.SampleUniqueCount) / n
	m.Prosecutor = riskOf(hist, m.Threshold, n, func(f int64) float64 { return 1 / float64(f) })
	m.MinClassSize = hist[0].size
	switch {
	case o.PopulationClassSizes != nil && len(o.PopulationClassSizes) == len(sizes):
		m.JournalistBasis = BasisPopulationTable
		m.Population = o.Population
		m.Journalist, m.Marketer = fromPopulationTable(sizes, o.PopulationClassSizes, m.Threshold, n)
	case o.Population > m.Records:
		m.JournalistBasis = BasisPopulationSize
		m.Population = o.Population
		p := n / float64(o.Population)
		cache := make(map[int64]float64, len(hist))
		for _, h := range hist {
			cache[h.size] = ExpectedInverse(h.size, p)
		}
		r := func(f int64) float64 { return cache[f] }
		m.Journalist = riskOf(hist, m.Threshold, n, r)
		var sum float64
		for _, h := range hist {
			sum += float64(h.classes*h.size) * r(h.size)
		}
		m.Marketer.Average = sum / n
	default:
		m.Journalist = m.Prosecutor
		m.Marketer.Average = float64(m.EquivalenceClasses) / n
	}
	return m
}

// sizeCount is one bin of a class-size histogram.
type sizeCount struct{ size, classes int64 }

// smallSizes is the bound below which sizes are counted in an array.
const smallSizes = 4096

// histogram returns the class-size histogram in ascending size order,
// ignoring sizes ≤ 0.
func histogram(sizes []int64) []sizeCount {
	var small [smallSizes]int64
	var large map[int64]int64
	for _, s := range sizes {
		switch {
		case s <= 0:
		case s < smallSizes:
			small[s]++
		default:
			if large == nil {
				large = map[int64]int64{}
			}
			large[s]++
		}
	}
	var out []sizeCount
	for s, c := range small {
		if c > 0 {
			out = append(out, sizeCount{int64(s), c})
		}
	}
	for _, s := range sortedKeys(large) {
		out = append(out, sizeCount{s, large[s]})
	}
	return out
}

// riskOf computes a Risk given the size histogram and a per-record risk for
// each class size.
func riskOf(hist []sizeCount, threshold, n float64, r func(int64) float64) Risk {
	var out Risk
	var sum, above float64
	for _, h := range hist {
		rf := r(h.size)
		recs := h.size * h.classes
		sum += float64(recs) * rf
		if rf > threshold {
			above += float64(recs)
		}
		switch {
		case rf > out.Highest:
			out.Highest, out.RecordsAtHighestCount = rf, recs
		case rf == out.Highest:
			out.RecordsAtHighestCount += recs
		}
	}
	out.Average = sum / n
	out.RecordsAtHighest = float64(out.RecordsAtHighestCount) / n
	out.ShareAboveThreshold = above / n
	return out
}

// fromPopulationTable computes journalist and marketer risk when the
// population size of every class is known: a record's risk is 1/F.
func fromPopulationTable(sizes, pop []int64, threshold, n float64) (Risk, Marketer) {
	var j Risk
	var sum, above float64
	for i, f := range sizes {
		if f <= 0 {
			continue
		}
		F := pop[i]
		if F < f {
			F = f // the population holds at least the sample
		}
		r := 1 / float64(F)
		sum += float64(f) * r
		if r > threshold {
			above += float64(f)
		}
		switch {
		case r > j.Highest:
			j.Highest, j.RecordsAtHighestCount = r, f
		case r == j.Highest:
			j.RecordsAtHighestCount += f
		}
	}
	j.Average = sum / n
	j.RecordsAtHighest = float64(j.RecordsAtHighestCount) / n
	j.ShareAboveThreshold = above / n
	return j, Marketer{Average: sum / n}
}

func sortedKeys(h map[int64]int64) []int64 {
	ks := make([]int64, 0, len(h))
	for k := range h {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	return ks
}

// ExpectedInverse returns E[1/F | f] when the population frequency F of a
// class of sample size f follows F = f + NegBin(f, p) for sampling fraction
// p (Benedetti & Franconi 1998; sdcMicro's individual risk with equal
// weights). It integrates E[1/F] = ∫₀¹ t^(f-1) (p / (1-(1-p)t))^f dt after
// the substitution 1-(1-p)t = e^y, which spreads the peak near t = 1 over
// |ln p| units so Simpson's rule stays accurate for tiny sampling fractions;
// for f = 1 it uses the closed form p/(1-p)·ln(1/p), and for f > 100 the
// expansion p/(f-(1-p)) (sdcMicro's approximation for large classes).
func ExpectedInverse(f int64, p float64) float64 {
	switch {
	case f <= 0:
		return 0
	case p >= 1:
		return 1 / float64(f)
	case p <= 0:
		return 0
	}
	q := 1 - p
	if f == 1 {
		return p / q * math.Log(1/p)
	}
	if f > 100 {
		// E[1/F] = p/(f-q) + O(f^-3): relative error below 1e-4 here.
		return p / (float64(f) - q)
	}
	lp, lq := math.Log(p), math.Log(q)
	fm1 := float64(f - 1)
	g := func(y float64) float64 {
		a := -math.Expm1(y) // 1 - e^y
		if a <= 0 {
			return 0
		}
		return math.Exp(fm1*(math.Log(a)-lq) + float64(f)*lp - fm1*y - lq)
	}
	steps := 800 + 60*int(f) // even; the peak narrows as f grows
	lo := lp
	h := -lo / float64(steps)
	s := g(lo) + g(0)
	for i := 1; i < steps; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		s += w * g(lo+float64(i)*h)
	}
	v := s * h / 3
	if max := 1 / float64(f); v > max {
		v = max
	}
	return v
}
