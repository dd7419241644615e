package risk

import (
	"math"
	"testing"
)

// recount computes the prosecutor figures record by record, independently
// of the histogram code: every record gets risk 1/f of its class.
func recount(sizes []int64, threshold float64) (n int64, classes int64, uniques int64, highest, avg, atHigh, above float64) {
	var perRecord []float64
	for _, s := range sizes {
		if s <= 0 {
			continue
		}
		classes++
		for i := int64(0); i < s; i++ {
			perRecord = append(perRecord, 1/float64(s))
			if s == 1 {
				uniques++
			}
		}
	}
	n = int64(len(perRecord))
	for _, r := range perRecord {
		highest = math.Max(highest, r)
	}
	for _, r := range perRecord {
		avg += r
		if r == highest {
			atHigh++
		}
		if r > threshold {
			above++
		}
	}
	return n, classes, uniques, highest, avg / float64(n), atHigh / float64(n), above / float64(n)
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestFromClassSizesProsecutor(t *testing.T) {
	cases := []struct {
		name  string
		sizes []int64
		thr   float64
	}{
		{"mixed", []int64{1, 1, 2, 3, 5, 8, 13}, 0},
		{"all unique", []int64{1, 1, 1, 1}, 0.5},
		{"k5", []int64{5, 6, 7, 5, 20}, 0.19},
		{"zeros ignored", []int64{0, 4, 0, 2, 2}, 0.3},
		{"single class", []int64{100}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := FromClassSizes(c.sizes, Options{Threshold: c.thr})
			thr := c.thr
			if thr == 0 {
				thr = DefaultThreshold
			}
			n, classes, uniq, hi, avg, atHigh, above := recount(c.sizes, thr)
			if m.Records != n || m.EquivalenceClasses != classes || m.SampleUniqueCount != uniq {
				t.Fatalf("counts: got %d/%d/%d, recount %d/%d/%d", m.Records, m.EquivalenceClasses, m.SampleUniqueCount, n, classes, uniq)
			}
			if !near(m.SampleUniques, float64(uniq)/float64(n)) {
				t.Errorf("sample uniques %v", m.SampleUniques)
			}
			p := m.Prosecutor
			if !near(p.Highest, hi) || !near(p.Average, avg) || !near(p.RecordsAtHighest, atHigh) || !near(p.ShareAboveThreshold, above) {
				t.Errorf("prosecutor %+v, recount hi=%v avg=%v at=%v above=%v", p, hi, avg, atHigh, above)
			}
			// Without a population the journalist equals the prosecutor and the
			// marketer average is classes/records.
			if m.Journalist != p || m.JournalistBasis != BasisSample {
				t.Errorf("journalist %+v basis %s", m.Journalist, m.JournalistBasis)
			}
			if !near(m.Marketer.Average, float64(classes)/float64(n)) {
				t.Errorf("marketer %v", m.Marketer.Average)
			}
		})
	}
}

func TestFromClassSizesEmpty(t *testing.T) {
	m := FromClassSizes(nil, Options{MissingMatchesAll: true})
	if m.Records != 0 || m.Prosecutor.Highest != 0 || m.MissingValues != MissingMatchesAny {
		t.Fatalf("%+v", m)
	}
}

// seriesInverse sums E[1/F] over the negative-binomial distribution
// directly, with probabilities computed in logs:
// P(F=h) = C(h-1, f-1) p^f q^(h-f), h >= f.
func seriesInverse(f int64, p float64) float64 {
	q := 1 - p
	var sum float64
	limit := f + int64(80*float64(f)/p) // far past the mode f/p
	lp := float64(f) * math.Log(p)      // log P(F=f)
	lq := math.Log(q)
	for h := f; h < limit; h++ {
		sum += math.Exp(lp) / float64(h)
		lp += math.Log(float64(h)/float64(h-f+1)) + lq // P(h+1)/P(h) = h/(h-f+1)·q
	}
	return sum
}

func TestExpectedInverseAgainstSeries(t *testing.T) {
	for _, p := range []float64{0.9, 0.5, 0.1, 0.01, 0.001} {
		for _, f := range []int64{1, 2, 3, 5, 10, 30, 50} {
			got, want := ExpectedInverse(f, p), seriesInverse(f, p)
			if math.Abs(got-want) > 1e-6*want {
				t.Errorf("f=%d p=%v: got %v, series %v", f, p, got, want)
			}
		}
	}
	for _, p := range []float64{0.5, 0.05, 0.01} {
		for _, f := range []int64{101, 150, 400} {
			got, want := ExpectedInverse(f, p), seriesInverse(f, p)
			if math.Abs(got-want) > 1e-4*want {
				t.Errorf("f=%d p=%v: got %v, series %v", f, p, got, want)
			}
		}
	}
}

func TestFromClassSizesPopulation(t *testing.T) {
	sizes := []int64{1, 1, 2, 4, 8}
	m := FromClassSizes(sizes, Options{Population: 1600})
	if m.JournalistBasis != BasisPopulationSize {
		t.Fatal(m.JournalistBasis)
	}
	p := 16.0 / 1600
	var sum, hi float64
	for _, s := range sizes {
		r := seriesInverse(s, p)
		sum += float64(s) * r
		hi = math.Max(hi, r)
	}
	if math.Abs(m.Journalist.Average-sum/16) > 1e-6 || math.Abs(m.Journalist.Highest-hi) > 1e-6 {
		t.Errorf("journalist %+v, want avg %v hi %v", m.Journalist, sum/16, hi)
	}
	if m.Journalist.Highest >= m.Prosecutor.Highest {
		t.Error("journalist risk must be below prosecutor risk for a sample")
	}
	// Population table: risk 1/F per record.
	mt := FromClassSizes([]int64{1, 2, 3}, Options{PopulationClassSizes: []int64{10, 4, 3}, Threshold: 0.3})
	wantAvg := (1.0/10 + 2.0/4 + 3.0/3) / 6
	if mt.JournalistBasis != BasisPopulationTable || !near(mt.Journalist.Average, wantAvg) ||
		!near(mt.Journalist.Highest, 1.0/3) || !near(mt.Journalist.RecordsAtHighest, 0.5) || !near(mt.Journalist.ShareAboveThreshold, 0.5) {
		t.Errorf("table %+v", mt.Journalist)
	}
}
