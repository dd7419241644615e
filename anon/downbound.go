package anon

// Down-set bound of discernibility. With the suppression limit, DM is not
// monotone, but it has a lower bound that holds for every MORE SPECIFIC
// node: if s records lie in classes smaller than k at node N, then at every
// node M below N (whose classes refine N's) at least s records lie in
// classes smaller than k, all of them suppressed. Each costs n instead of
// its class size (at most k − 1), and the classes of M, merged, are at
// least those of any node below M, so
//
//	DM(M) ≥ Σ|E|²(M) + (n − k + 1)·s ≥ b + (n − k + 1)·s,
//
// where b is the bound Σ|E|² passed on from M's predecessors; every record
// also costs at least k, so DM(M) ≥ s·n + (n − s)·k as well. The search
// visits nodes bottom-up; a node whose joint bound already exceeds the best
// value is neither resolved nor checked. Against the larger of the two
// bounds alone, the joint one saves 2.3–3.5× the checks of adult's DM cases
// with suppression (k5_s2_dm 687 → 215, k11_s5_dm 710 → 175).
//
// Loss has a bound of the same kind (lossDownBound), which depends on the
// node's levels as well. Both are propagated to the down-set at once.

// downBoundOf is the DM bound of a node below one with small records in
// classes smaller than k, without the bound from predecessors.
func (e *engine) downBoundOf(small int64) float64 {
	n, k := float64(e.n), float64(e.kmax)
	return float64(small)*n + (n-float64(small))*k
}

// pushDown records that idx has small records in classes smaller than k:
// it raises the count of idx and of its down-set to small.
func (s *searcher) pushDown(idx int64, small int64) {
	if s.down == nil || small <= s.down[idx] {
		return
	}
	s.down[idx] = small
	stack := append(s.stack[:0], idx)
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		stack = s.neighbours(i, -1, stack, func(p int64) bool {
			if s.down[p] < small {
				s.down[p] = small
				return true
			}
			return false
		})
	}
	s.stack = stack
}

// joinBound is the bound of idx for metrics without a static one: b, the
// bound passed on from its predecessors, joined with DM's down-set bound.
func (s *searcher) joinBound(idx int64, b float64) float64 {
	if s.down == nil || s.lossDown || s.down[idx] == 0 {
		return b
	}
	small := s.down[idx]
	n, k := float64(s.e.n), float64(s.e.kmax)
	return max(b+(n-k+1)*float64(small), s.e.downBoundOf(small))
}

// lossDownBound is the Loss bound of node when at least small records are
// suppressed there: each suppressed record costs D instead of its weight,
// at most the largest weight of its level, so every attribute's sum is at
// least the static one plus small·(D − max weight).
func (e *engine) lossDownBound(node []int, small int64) float64 {
	isums := make([]int64, len(e.attrs))
	for ai, a := range e.attrs {
		l := node[ai]
		isums[ai] = a.wsum[l] + small*(a.D-a.wmax[l])
	}
	return e.lossOf(isums)
}
