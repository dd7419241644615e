package anon

// Sources of the roll-ups. A check rolls up from the cached node below it
// with the fewest classes (cache.source), often the base. When the search
// knows a node below the checks it is about to make (a hub), it builds the
// hub once from that source and caches it, so that those checks — and any
// later check above the hub — roll up from the hub's classes instead.

// hubMin is the number of source classes below which building a hub does
// not pay.
const hubMin = 2000

// source returns the snapshot to roll node up from.
func (s *searcher) source(node []int) *snap {
	src := s.cache.source(node)
	if s.hub == nil || src.classes() < hubMin || !leq(s.hub, node) {
		return src
	}
	mid := make([]int, len(node))
	for ai := range mid {
		mid[ai] = max(src.node[ai], s.hub[ai])
	}
	idx := s.e.encode(mid)
	if eqNode(mid, src.node) || eqNode(mid, node) || s.built[idx] {
		return src
	}
	s.built[idx] = true // once: the cache may drop it or refuse it
	return s.build(src, mid)
}

// build rolls node up from src and caches the result.
func (s *searcher) build(src *snap, node []int) *snap {
	s.w.lazyCodes = true
	sn, _ := s.e.rollupInto(s.w, src, node, &s.w.tmp)
	s.w.lazyCodes = false
	s.st.rolled += int64(src.classes())
	k := s.e.keep(sn)
	s.cache.add(k)
	return k
}

// lowered returns node with every attribute d levels lower (not below its
// minimum level).
func (s *searcher) lowered(node []int, d int) []int {
	m := make([]int, len(node))
	for ai, a := range s.e.attrs {
		m[ai] = max(node[ai]-d, a.minL)
	}
	return m
}

func eqNode(a, b []int) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
