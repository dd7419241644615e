package sdc

import (
	"sort"

	"github.com/tokumei/tokumei/fault"
)

// PRAMResult describes one PRAM run: the categories and the transition
// matrix used (Matrix[i][j] = P(category i becomes j)), which are
// processing-method information, and how many cells changed.
type PRAMResult struct {
	Categories []string    `json:"categories"`
	Matrix     [][]float64 `json:"matrix"`
	Changed    int         `json:"changed"`
	Seed       Seed        `json:"-"`
}

// PRAM applies the post-randomisation method (Gouweleeuw et al. 1998) to a
// categorical column in place: each value keeps its category with
// probability keep and otherwise moves to another category uniformly. With
// invariant, the matrix is made invariant (R = P·Q, Q the backward matrix)
// so the expected category frequencies are those of the input. Missing
// cells ("", "*") are left alone.
func PRAM(col []string, keep float64, invariant bool, seed *Seed) (*PRAMResult, error) {
	if keep < 0 || keep > 1 {
		return nil, fault.New(fault.Invalid, "PRAM keep probability must be in [0, 1]", "PRAMの保持確率は0以上1以下で指定してください").In("keep")
	}
	freq := map[string]float64{}
	for _, v := range col {
		if v != "" && v != "*" {
			freq[v]++
		}
	}
	cats := make([]string, 0, len(freq))
	for c := range freq {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	K := len(cats)
	P := make([][]float64, K)
	for i := range P {
		P[i] = make([]float64, K)
		for j := range P[i] {
			switch {
			case i == j:
				P[i][j] = keep
			case K > 1:
				P[i][j] = (1 - keep) / float64(K-1)
			}
		}
		if K == 1 {
			P[i][i] = 1
		}
	}
	if invariant && K > 1 {
		P = invariantMatrix(P, cats, freq)
	}
	s, rng := resolve(seed)
	idx := map[string]int{}
	for i, c := range cats {
		idx[c] = i
	}
	res := &PRAMResult{Categories: cats, Matrix: P, Seed: s}
	for r, v := range col {
		i, ok := idx[v]
		if !ok {
			continue
		}
		u := rng.Float64()
		j := K - 1
		var acc float64
		for c, p := range P[i] {
			acc += p
			if u < acc {
				j = c
				break
			}
		}
		if j != i {
			col[r] = cats[j]
			res.Changed++
		}
	}
	return res, nil
}

// invariantMatrix returns R = P·Q with Q[j][i] = P[i][j]·T[i] / Σ_k P[k][j]·T[k]:
// T·R = T for the category counts T.
func invariantMatrix(P [][]float64, cats []string, freq map[string]float64) [][]float64 {
	K := len(P)
	T := make([]float64, K)
	for i, c := range cats {
		T[i] = freq[c]
	}
	Q := make([][]float64, K)
	for j := range Q {
		Q[j] = make([]float64, K)
		var den float64
		for k := 0; k < K; k++ {
			den += P[k][j] * T[k]
		}
		for i := 0; i < K; i++ {
			if den > 0 {
				Q[j][i] = P[i][j] * T[i] / den
			}
		}
	}
	R := make([][]float64, K)
	for i := range R {
		R[i] = make([]float64, K)
		for j := 0; j < K; j++ {
			for m := 0; m < K; m++ {
				R[i][j] += P[i][m] * Q[m][j]
			}
		}
	}
	return R
}
