package anon

// Sources of the roll-ups. A check rolls up from the cached node below it
// with the fewest classes (cache.source), often the base. Checks rarely
// lie above one another, so the search also builds hubs: nodes below the
// check, built once from that source and cached, from which this check and
// later ones above the hub roll up instead. In this order:
//
//   - Rungs: rung j (j = 1 … rungs−1) has each attribute at min level +
//     ⌊height · j / rungs⌋; a check goes through the highest rung below it.
//     Rungs are few, and their classes fall fast towards the top, where
//     most checks are.
//   - With a suppression limit, when the source still has closeMin classes
//     or more: the node itself one level lower on every attribute (the
//     Flash paths and the visiting order make the next checks neighbours
//     of this one). Without one, passing checks have classes of k records
//     or more, and the checks, near the top, produce few classes (adult:
//     40–130 on average): they roll up cheaply (~4 ns per source class)
//     from any source of a few thousand classes, and that hub, with
//     thousands of classes, cost more than it saved (adult k5_s0_dm:
//     rolled 128 k → 119 k, hubs built 8 → 3; k5_l3_s0_dm 62 k → 58 k,
//     5 → 2; FARS unchanged).
//   - From sources of more than hubMax (and at most pairMax) classes: the
//     meet of two checks (pair), this one and the best of the last few or
//     of the next few in the visiting order.
//
// Source classes rolled, adult: k5_s0_loss 196 k → 35 k, k5_s2_dmstar
// 8.68 M → 4.70 M, k11_s5_loss 2.06 M → 1.23 M.

const (
	// hubMin is the number of source classes below which building a hub
	// does not pay.
	hubMin = 2000
	// hubMax: from larger sources (FARS: 60,806 base classes) a grouping
	// into many classes misses the caches; building a hub there cost as
	// much as 4–6 checks from the same source and did not pay.
	hubMax = 32000
	// rungs per hierarchy: 3 and 4 rolled up more classes, 8 built more
	// hubs for no gain.
	rungs = 6
	// closeMin: with 2,000, as many hubs for no fewer classes rolled.
	closeMin = 4000
	// closeOut: when the checks so far produced more classes than this on
	// average, the node one level lower is not built: it has even more
	// classes, and a grouping into many classes costs more per source class
	// than the hub saves (FARS k5_s2_loss, 5,000 on average: CPU −4 %).
	// 1,200 rather than 3,000 (with the checks of late 2026): adult
	// k5_s2_dm rolled 880 k → 841 k, hubs built 33 → 11 (counted
	// offline), CPU min 35.2 → 27.1 ms; k5_s2_dmstar 2.67 M → 2.56 M,
	// 74.5 → 71.7 ms; k11_s5_dmstar 1.666 M → 1.671 M, 55.9 → 52.0 ms;
	// the other cases unchanged (1,000: k11_s5_loss 745 k → 925 k; 1,500:
	// k5_s2_dm 856 k, k11_s5_dmstar 1.71 M).
	closeOut = 1200
	// pairOut: the same for the pair hub's partners (see pair).
	pairOut = 3000
	// pairMax: no pair hub from larger sources. On the generated 10M-row
	// table (7.96 M base classes) pair hubs of millions of classes raised
	// the peak RSS from 1.39 to 1.83 GiB (the limit is 2 GiB) for a search
	// of 22 checks; the cache refuses snapshots that large anyway.
	pairMax = 1 << 18
	// pairPartners: the number of recent checks from such sources among
	// which the pair hub's partner is chosen. FARS: with the last only,
	// k5_s0_loss rolled 326 k, k5_s0_dm 850 k; with the best of 2, 3, 4,
	// 6, 8 (counted offline): 317/778, 317/774, 317/774, 317/868,
	// 317/988 k. The hubs have fewer classes too (a grouping into many
	// classes costs up to 6× more per source class).
	pairPartners = 4
	// pairAhead: see pair.
	pairAhead = 8
)

// source returns the snapshot to roll node up from.
func (s *searcher) source(node []int) *snap {
	src := s.cache.source(node)
	s.e.materialize(src)
	if r := s.rung(node); r != nil {
		src = s.via(src, r, node)
	}
	if src.classes() >= closeMin && s.st.result <= closeOut*s.st.checked && s.e.maxSupp > 0 {
		src = s.via(src, s.lowered(node, 1), node)
	}
	if src.classes() > hubMax && src.classes() <= pairMax {
		src = s.pair(src, node)
	}
	return src
}

// pair: from a source too large for the other hubs, a hub is built for
// two checks: the meet of this check and one of the last pairPartners
// that had such a source (max with the source), or, without a suppression
// limit, one of the next pairAhead nodes of the visiting order still to
// check (the DM checks are those nodes, the Loss checks lie on paths from
// them): the highest of those meets (the fewest levels lost: the fewest
// classes as a rule) not built yet. While the checks produce more than
// pairOut classes on average, the partner is the last one only: with the
// best of four, FARS k5_s2_loss (5,000 on average) rolled 4.18 M → 4.44 M,
// more and larger hubs (3.11 M → 3.25 M with the look-ahead, hence none
// with suppression). FARS k5_s0_dm: source classes rolled 1.40 M → 0.85 M
// (the last one) → 0.77 M (the best of four); k5_s2_loss 5.71 M → 4.18 M
// (with closeOut, then 3,000), CPU −7 % (the last one). Later, with
// fewer checks: k5_s0_loss 317 k → 256 k, k5_s0_dm 633 k → 570 k with
// the look-ahead (CPU min of 20 interleaved rounds 13.1 → 12.2 and
// 18.7 → 16.9 ms; 4 nodes ahead: 258 k, 573 k; 16: 377 k, 568 k).
// Choosing instead the meet above which most candidates lie (within 1–4
// levels of the check): 258–274 k, 570–639 k.
func (s *searcher) pair(src *snap, node []int) *snap {
	var best []int
	bestH := -1
	m := make([]int, len(node))
	meet := func(other []int) {
		for ai := range m {
			m[ai] = max(min(node[ai], other[ai]), src.node[ai])
		}
		if h := height(m); h > bestH && !eqNode(m, src.node) && !eqNode(m, node) && !s.built[s.e.encode(m)] {
			best, bestH = append(best[:0], m...), h
		}
	}
	partners := s.bigs
	if s.st.result > pairOut*s.st.checked {
		partners = partners[max(len(partners)-1, 0):]
	} else if q := s.order; q != nil && s.e.maxSupp == 0 {
		u := make([]int, len(node))
		for p, n := q.pos, 0; p < len(q.order) && n < pairAhead; p++ {
			idx := q.order[p]
			if _, ok := s.evals[idx]; ok || s.tags[idx] == tagFail {
				continue
			}
			s.decode(idx, u)
			meet(u)
			n++
		}
	}
	for i := len(partners) - 1; i >= 0; i-- {
		meet(partners[i])
	}
	if len(s.bigs) == pairPartners {
		s.bigs = append(s.bigs[:0], s.bigs[1:]...)
	}
	s.bigs = append(s.bigs, append([]int(nil), node...))
	if best == nil {
		return src
	}
	s.built[s.e.encode(best)] = true
	return s.build(src, best)
}

// via returns the snapshot of max(src, hub) (built once and cached) when
// building it pays, else src.
func (s *searcher) via(src *snap, hub, node []int) *snap {
	if src.classes() < hubMin || src.classes() > hubMax {
		return src
	}
	mid := make([]int, len(node))
	for ai := range mid {
		mid[ai] = max(src.node[ai], hub[ai])
	}
	idx := s.e.encode(mid)
	if eqNode(mid, src.node) || eqNode(mid, node) || s.built[idx] {
		return src
	}
	s.built[idx] = true // once: the cache may drop it or refuse it
	return s.build(src, mid)
}

// rung returns the highest rung below node (nil for none). Without a
// suppression limit only the upper half of the rungs: the checks lie near
// the top, and a lower rung, with many classes, cost more than it saved
// (adult k5_s0_dm: rung 2 has 10,725 classes of the base's 19,502; rolled
// 118 k → 133 k but hubs built 3 → 2; k5_l3_s0_loss 41 k → 42 k, 2 → 1;
// k5_l3_s0_dm 58 k → 66 k, 2 → 1).
func (s *searcher) rung(node []int) []int {
	r := make([]int, len(node))
	lowest := 1
	if s.e.maxSupp == 0 {
		lowest = rungs / 2
	}
	for j := rungs - 1; j >= lowest; j-- {
		below := true
		for ai, a := range s.e.attrs {
			r[ai] = a.minL + (a.maxL-a.minL)*j/rungs
			below = below && r[ai] <= node[ai]
		}
		if below {
			return r
		}
	}
	return nil
}

// build rolls node up from src and caches the result.
func (s *searcher) build(src *snap, node []int) *snap {
	s.w.lazyCodes = true
	sn, _ := s.e.rollupInto(s.w, src, node, &s.w.tmp)
	s.w.lazyCodes = false
	k := s.e.keep(sn)
	s.st.rolled += int64(src.classes())
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

// keepLazy is keep without the codes: it copies sn's counts and each
// class's source class, and leaves the codes to materialize, which runs
// when the snapshot is first chosen as a source. Most checked snapshots
// offered to the cache are never rolled up from (checks rarely lie above
// one another); filling their codes cost 11 % of adult k11_s5_loss.
func (e *engine) keepLazy(sn *snap) *snap {
	if sn.lazySrc == nil {
		return e.keep(sn)
	}
	k := &snap{node: append([]int(nil), sn.node...), count: e.arena.int64s(sn.classes()),
		pop: sn.pop, hist: append([]histo(nil), sn.hist...),
		lazySrc: sn.lazySrc, lazyRep: e.arena.int32s(sn.classes())}
	copy(k.count, sn.count)
	copy(k.lazyRep, sn.lazyRep)
	return k
}

// materialize fills the codes of a snapshot kept by keepLazy (on the
// search's goroutine, before anyone rolls up from it).
func (e *engine) materialize(s *snap) {
	if s.lazySrc == nil {
		return
	}
	e.materialize(s.lazySrc)
	e.slabCodes(s)
	e.fillCodes(s)
	s.lazyRep = nil
}
