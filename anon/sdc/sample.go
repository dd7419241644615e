package sdc

import (
	"sort"

	"github.com/tokumei/tokumei/fault"
)

// Sample draws round(frac·n) of n records without replacement (レコード一部抽出)
// and returns their indices in ascending order, with the seed used.
func Sample(n int, frac float64, seed *Seed) ([]int, Seed, error) {
	if frac <= 0 || frac > 1 {
		return nil, Seed{}, fault.New(fault.Invalid, "sampling fraction must be in (0, 1]", "抽出率は0より大きく1以下で指定してください").In("fraction")
	}
	s, rng := resolve(seed)
	m := int(frac*float64(n) + 0.5)
	perm := rng.Perm(n)[:m]
	sort.Ints(perm)
	return perm, s, nil
}

// Shuffle returns a uniformly random permutation of n rows so that the order
// of a delivered file leaks nothing about the source order (並び順の問題),
// with the seed used. Row i of the output is row perm[i] of the input.
func Shuffle(n int, seed *Seed) ([]int, Seed) {
	s, rng := resolve(seed)
	return rng.Perm(n), s
}

// Permute reorders every column by perm (as returned by Shuffle or Sample).
func Permute(cols [][]string, perm []int) [][]string {
	out := make([][]string, len(cols))
	for j, c := range cols {
		o := make([]string, len(perm))
		for i, p := range perm {
			o[i] = c[p]
		}
		out[j] = o
	}
	return out
}
