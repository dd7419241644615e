package risk

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func BenchmarkFromClassSizes1M(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	sizes := make([]int64, 1_000_000)
	for i := range sizes {
		sizes[i] = 1 + rng.Int64N(50)
	}
	for b.Loop() {
		FromClassSizes(sizes, Options{Population: 100_000_000})
	}
}

func BenchmarkMeasure100k(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	n := 100_000
	cols := make([][]string, 4)
	for j := range cols {
		cols[j] = make([]string, n)
		for i := range cols[j] {
			cols[j][i] = fmt.Sprint(rng.IntN([]int{20, 2, 50, 8}[j]))
		}
	}
	names := []string{"age", "sex", "area", "job"}
	for b.Loop() {
		if _, err := Measure(cols, names, Options{Population: 1_000_000}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFromClassSizes1MNoPopulation(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	sizes := make([]int64, 1_000_000)
	for i := range sizes {
		sizes[i] = 1 + rng.Int64N(50)
	}
	for b.Loop() {
		FromClassSizes(sizes, Options{})
	}
}
