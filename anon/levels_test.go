package anon

import (
	"math/rand"
	"testing"
)

// TestLevels compares the level table with the levels counted node by
// node (an odometer over the lattice's indexes).
func TestLevels(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for it := 0; it < 300; it++ {
		d := 1 + rng.Intn(6)
		e := &engine{size: 1}
		for i := 0; i < d; i++ {
			r := 1 + rng.Intn(5)
			e.radix = append(e.radix, r)
			e.attrs = append(e.attrs, &attr{})
			e.size *= int64(r)
		}
		e.levels()
		cnt := make([]uint8, d)
		for i := 0; i < int(e.size); i++ {
			for ai, c := range cnt {
				if got := e.lv[i*d+ai]; got != c {
					t.Fatalf("radix %v, node %d, attribute %d: level %d, want %d", e.radix, i, ai, got, c)
				}
			}
			for ai := d - 1; ai >= 0; ai-- {
				if cnt[ai]++; int(cnt[ai]) < e.radix[ai] {
					break
				}
				cnt[ai] = 0
			}
		}
	}
}
