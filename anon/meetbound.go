package anon

// Meet bound of Σ|E|². Σ|E|² of a node counts the ordered pairs of records
// that fall into one class there. Two records share a class at both M1 and
// M2 exactly when they share one at their meet (each attribute at the lower
// of the two levels), and every pair sharing a class at a predecessor M of
// N shares one at N. So, by inclusion and exclusion, for two predecessors
// M1 and M2 of N whose values are known:
//
//	Σ|E|²(N) ≥ Σ|E|²(M1) + Σ|E|²(M2) − Σ|E|²(M1 ∧ M2),
//
// which can exceed the larger of the two (the bound passed on). It bounds
// DM* and, through the joint bound (downbound.go), DM. Bottom-up, the
// predecessors and their meets are often checked already (failing nodes
// included). Adult k5_s2_dmstar: of 346 checks after the descent, 85 had a
// meet bound above the optimum.

// meetBound is the largest meet bound of node idx over pairs of its direct
// predecessors whose values and meet's value are known (0 if none).
func (s *searcher) meetBound(idx int64, node []int) float64 {
	e := s.e
	if e.metric != MetricDM && e.metric != MetricDMStar {
		return 0
	}
	b := 0.0
	for i, a := range e.attrs {
		if node[i] == a.minL {
			continue
		}
		pi, ok := s.evals[idx-e.stride[i]]
		if !ok {
			continue
		}
		for j := i + 1; j < len(e.attrs); j++ {
			if node[j] == e.attrs[j].minL {
				continue
			}
			pj, ok := s.evals[idx-e.stride[j]]
			if !ok {
				continue
			}
			if m, ok := s.evals[idx-e.stride[i]-e.stride[j]]; ok {
				b = max(b, pi.groupBound+pj.groupBound-m.groupBound)
			}
		}
	}
	return b
}
