package sdc

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
)

func TestNearestMatchesFullSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	n := 300
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(rng.IntN(40)) // many ties
	}
	s := &space{num: [][]float64{x}, nvar: 1}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	for _, k := range []int{1, 3, 7, 50} {
		p := point{num: []float64{float64(rng.IntN(40))}}
		g, rest := nearest(s, idx, p, k)
		full := append([]int(nil), idx...)
		sort.SliceStable(full, func(a, b int) bool { return s.dist(full[a], p) < s.dist(full[b], p) })
		want := append([]int(nil), full[:k]...)
		sort.Ints(want)
		if fmt.Sprint(g) != fmt.Sprint(want) || len(rest) != n-k {
			t.Errorf("k=%d: got %v want %v", k, g, want)
		}
	}
}

func benchData(n int) [][]float64 {
	rng := rand.New(rand.NewPCG(1, 1))
	cols := make([][]float64, 3)
	for j := range cols {
		cols[j] = make([]float64, n)
		for i := range cols[j] {
			cols[j][i] = rng.NormFloat64() * float64(j+1)
		}
	}
	return cols
}

func BenchmarkMDAV5000k5(b *testing.B) {
	cols := benchData(5000)
	for b.Loop() {
		if _, err := MDAV(cols, 5); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPseudonym(b *testing.B) {
	p := NewPseudonymizer(NewDeliveryKey(), "r")
	for i := 0; b.Loop(); i++ {
		p.Pseudonym("0001234567")
	}
}

func BenchmarkLocalSuppression10k(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	n := 10000
	base := make([][]string, 3)
	for j := range base {
		base[j] = make([]string, n)
		for i := range base[j] {
			base[j][i] = fmt.Sprint(rng.IntN([]int{20, 2, 30}[j]))
		}
	}
	for b.Loop() {
		cols := make([][]string, 3)
		for j := range cols {
			cols[j] = append([]string(nil), base[j]...)
		}
		if _, err := LocalSuppression(cols, SuppressionOptions{K: 5, MissingMatchesAll: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestMDAVBlocked(t *testing.T) {
	cols := benchData(3000)
	cat := make([]string, 3000)
	for i := range cat {
		cat[i] = []string{"A", "B", "C"}[i%3]
	}
	for _, k := range []int{3, 5, 10} {
		m, err := MDAVBlocked(cols, [][]string{cat}, k, 400)
		if err != nil {
			t.Fatal(err)
		}
		checkGroups(t, m.Groups, 3000, k)
		for _, g := range m.Groups {
			var sum float64
			for _, i := range g {
				sum += cols[0][i]
			}
			for _, i := range g {
				if d := m.Num[0][i] - sum/float64(len(g)); d > 1e-9 || d < -1e-9 {
					t.Fatalf("record %d not replaced by its group mean", i)
				}
				if m.Cat[0][i] != m.Cat[0][g[0]] {
					t.Fatal("categorical value not aggregated")
				}
			}
		}
	}
}

func BenchmarkMDAVBlocked50k(b *testing.B) {
	cols := benchData(50000)
	for b.Loop() {
		if _, err := MDAVBlocked(cols, nil, 5, 1000); err != nil {
			b.Fatal(err)
		}
	}
}
