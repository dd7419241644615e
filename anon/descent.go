package anon

// Descent: for metrics without a static bound (discernibility, AECS), the
// bottom-up search prunes only by bounds compared with the best value, so a
// good value early saves checks. Before it, a greedy descent from the top
// repeatedly moves to the best predecessor that satisfies the models, until
// none improves. It only checks nodes (recording them and their tags), so
// the optimum found afterwards is unchanged: ties are broken by the same
// total order.

func (s *searcher) descend() {
	e := s.e
	d := len(e.attrs)
	cur := make([]int, d)
	for ai, a := range e.attrs {
		cur[ai] = a.maxL
	}
	ev := s.check(e.encode(cur))
	if !ev.ok {
		return
	}
	curV := ev.value
	pred := make([]int, d)
	for {
		bestAi, bestV := -1, curV
		for ai, a := range e.attrs {
			if cur[ai] <= a.minL {
				continue
			}
			copy(pred, cur)
			pred[ai]--
			idx := e.encode(pred)
			if s.tags[idx] == tagFail {
				continue
			}
			pe := s.check(idx)
			if pe.ok && pe.value < bestV {
				bestAi, bestV = ai, pe.value
			}
		}
		if bestAi < 0 {
			return
		}
		cur[bestAi]--
		curV = bestV
	}
}
