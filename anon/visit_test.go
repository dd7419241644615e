package anon

import (
	"cmp"
	"math"
	"math/rand"
	"slices"
	"testing"
)

// TestRadixSortOrder checks the visiting order's radix sort against a
// comparison sort: by float value (negatives, zeros, equal values), ties
// kept in input order.
func TestRadixSortOrder(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for round := 0; round < 50; round++ {
		n := 1 + rng.Intn(3000)
		vals := make([]float64, n)
		pool := []float64{0, math.Copysign(0, -1), -1.5, 1, 2.25, 1e-300, -1e300, 1e300}
		for i := range vals {
			if rng.Intn(3) == 0 {
				vals[i] = pool[rng.Intn(len(pool))]
			} else {
				vals[i] = rng.NormFloat64() * math.Pow(10, float64(rng.Intn(20)-10))
			}
		}
		key := make([]uint64, n)
		order := make([]int64, n)
		for i, v := range vals {
			key[i] = floatKey(v)
			order[i] = int64(rng.Intn(n)) // some nodes twice: stability shows
			if keyFloat(key[i]) != v {
				t.Fatalf("keyFloat(floatKey(%v)) = %v", v, keyFloat(key[i]))
			}
		}
		want := slices.Clone(order)
		slices.SortStableFunc(want, func(a, b int64) int { return cmp.Compare(vals[a], vals[b]) })
		got := slices.Clone(order)
		radixSort(got, key)
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("round %d position %d: got node %d (%v), want %d (%v)", round, i, got[i], vals[got[i]], want[i], vals[want[i]])
			}
		}
	}
}
