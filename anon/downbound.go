package anon

// Down-set bound of discernibility. With the suppression limit, DM is not
// monotone, but it has a lower bound that holds for every MORE SPECIFIC
// node: if s records lie in classes smaller than k at node N, then at every
// node M below N (whose classes refine N's) at least s records lie in
// classes smaller than k, all of them suppressed (each costs n), and every
// other record costs at least k (its class has k or more records, or it is
// suppressed too). So DM(M) ≥ s·n + (n−s)·k. The search visits nodes
// bottom-up; a node whose down-set bound already exceeds the best value is
// neither resolved nor checked.
//
// Loss has a bound of the same kind (lossDownBound), which depends on the
// node's levels as well; its values are propagated at once.
//
// DM values are propagated to the down-set only once they can prune (bound
// above the best value); the others wait in a pending list until the best
// value improves.

type downPending struct {
	idx   int64
	small int64
}

// downBoundOf is the DM bound of a node below one with small records in
// classes smaller than k.
func (e *engine) downBoundOf(small int64) float64 {
	n, k := float64(e.n), float64(e.kmax)
	return float64(small)*n + (n-float64(small))*k
}

// pushDown records that idx has small records in classes smaller than k.
func (s *searcher) pushDown(idx int64, small int64) {
	if s.down == nil || small <= s.down[idx] {
		return
	}
	if s.lossDown {
		s.spread(idx, small) // the Loss bound depends on the node too
		return
	}
	if s.best.node == nil || s.e.downBoundOf(small) <= s.best.ev.value {
		s.pending = append(s.pending, downPending{idx, small})
		return
	}
	s.spread(idx, small)
}

// spread raises the bound of idx and its down-set to small.
func (s *searcher) spread(idx int64, small int64) {
	if small <= s.down[idx] {
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

// bestChanged spreads the pending values that can now prune.
func (s *searcher) bestChanged() {
	if s.down == nil || s.lossDown {
		return
	}
	keep := s.pending[:0]
	for _, p := range s.pending {
		if s.e.downBoundOf(p.small) > s.best.ev.value {
			s.spread(p.idx, p.small)
		} else if p.small > s.down[p.idx] {
			keep = append(keep, p)
		}
	}
	s.pending = keep
}

// downBound is the DM bound of idx from the nodes above it (0 if none).
func (s *searcher) downBound(idx int64) float64 {
	if s.down == nil || s.lossDown || s.down[idx] == 0 {
		return 0
	}
	return s.e.downBoundOf(s.down[idx])
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
