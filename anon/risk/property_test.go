package risk

import (
	"math/rand/v2"
	"testing"
)

// Random class-size vectors: the measures equal the record-by-record recount.
func TestFromClassSizesRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(77, 78))
	for trial := 0; trial < 200; trial++ {
		sizes := make([]int64, 1+rng.IntN(60))
		for i := range sizes {
			sizes[i] = int64(rng.IntN(12)) // zeros included
			if rng.IntN(50) == 0 {
				sizes[i] = 5000 + int64(rng.IntN(3)) // beyond the array histogram
			}
		}
		thr := []float64{0, 0.05, 0.1, 0.34, 0.5, 1}[rng.IntN(6)]
		m := FromClassSizes(sizes, Options{Threshold: thr})
		if thr == 0 {
			thr = DefaultThreshold
		}
		n, classes, uniq, hi, avg, atHigh, above := recount(sizes, thr)
		if n == 0 {
			if m.Records != 0 {
				t.Fatalf("%v: records %d", sizes, m.Records)
			}
			continue
		}
		p := m.Prosecutor
		if m.Records != n || m.EquivalenceClasses != classes || m.SampleUniqueCount != uniq ||
			!near(p.Highest, hi) || !near(p.Average, avg) || !near(p.RecordsAtHighest, atHigh) || !near(p.ShareAboveThreshold, above) {
			t.Fatalf("%v thr %v: %+v; recount n=%d c=%d u=%d hi=%v avg=%v at=%v above=%v", sizes, thr, m, n, classes, uniq, hi, avg, atHigh, above)
		}
	}
}
