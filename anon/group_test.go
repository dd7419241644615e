package anon

import (
	"math/rand"
	"slices"
	"testing"
)

// TestGroupCountContinues checks that grouping keys in two calls (the
// worker carrying on alone with the second half of a split roll-up) gives
// the ids, first items and sums of one call, in a direct array and in a
// hash table.
func TestGroupCountContinues(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, space := range []uint64{500, 1 << 40} {
		n := 3000
		keys := make([]uint64, n)
		w := make([]int64, n)
		for i := range keys {
			keys[i] = uint64(rng.Intn(400)) * (space / 500)
			w[i] = int64(rng.Intn(5))
		}
		var one, two groupTable
		ids1, ids2 := make([]int32, n), make([]int32, n)
		one.resetSpace(n, space)
		first1, sum1 := one.groupCount(keys, w, ids1, nil, nil, 0)
		two.resetSpace(n, space)
		mid := 1234
		first2, sum2 := two.groupCount(keys[:mid], w[:mid], ids2[:mid], nil, nil, 0)
		first2, sum2 = two.groupCount(keys[mid:], w[mid:], ids2[mid:], first2, sum2, int32(mid))
		if one.direct == (space > 1<<30) {
			t.Fatalf("space %d: direct %v", space, one.direct)
		}
		if !slices.Equal(ids1, ids2) || !slices.Equal(first1, first2) || !slices.Equal(sum1, sum2) {
			t.Errorf("space %d: two calls differ from one", space)
		}
		for j, i := range first1 {
			if ids1[i] != int32(j) || (i > 0 && slices.Contains(ids1[:i], int32(j))) {
				t.Fatalf("space %d: first item of class %d is not %d", space, j, i)
			}
		}
		// the tables are reset completely
		one.resetSpace(n, space)
		two.resetSpace(n, space)
		for _, v := range append(one.vals, two.vals...) {
			if v != -1 {
				t.Fatalf("space %d: a slot is still used after reset", space)
			}
		}
	}
}
