package anon

// Packed classes. When the codes of every quasi-identifier, at any level,
// fit together in 64 bits, each class also carries its key in a fixed
// layout (one bit field per attribute, the same at every node). A roll-up
// then rewrites only the fields of the attributes whose level changes and
// groups the keys in one pass that also sums the counts and records the
// keys of the new classes: no per-attribute code arrays are rebuilt.

// packLayout sets the fixed bit fields; e.packed tells whether they fit.
func (e *engine) packLayout() {
	d := len(e.attrs)
	e.pshift = make([]uint, d)
	e.pmask = make([]uint64, d)
	total := uint(0)
	for ai := d - 1; ai >= 0; ai-- {
		a := e.attrs[ai]
		b := uint(1)
		for l := 0; l < len(a.bits); l++ {
			b = max(b, a.bits[l])
		}
		if total+b > 64 {
			e.packed = false
			return
		}
		e.pshift[ai] = total
		e.pmask[ai] = uint64(1)<<b - 1
		total += b
	}
	e.packed = true
}

// packBase computes the keys of the base classes.
func (e *engine) packBase() {
	e.packLayout()
	if !e.packed {
		return
	}
	b := e.base
	b.key = make([]uint64, b.classes())
	for ai := range e.attrs {
		sh := e.pshift[ai]
		for j, c := range b.codes[ai] {
			b.key[j] |= uint64(c) << sh
		}
	}
}

// code returns the code of attribute ai of class j.
func (e *engine) code(s *snap, ai, j int) uint32 {
	if s.codes != nil {
		return s.codes[ai][j]
	}
	return uint32(s.key[j] >> e.pshift[ai] & e.pmask[ai])
}

// change is one rewritten field of a roll-up.
type change struct {
	m  []uint32
	sh uint
	mk uint64
}

// rollupPacked is rollupInto for packed sources.
func (e *engine) rollupPacked(w *worker, src *snap, node []int, dst *snap) (*snap, []int32) {
	n := src.classes()
	w.changes = w.changes[:0]
	for ai, a := range e.attrs {
		if src.node[ai] != node[ai] {
			w.changes = append(w.changes, change{m: a.lift[src.node[ai]][node[ai]], sh: e.pshift[ai], mk: e.pmask[ai]})
		}
	}
	w.k.ids = grow(w.k.ids, n)
	ids := w.k.ids[:n]
	bound := e.classBound(node, n)
	keys := grow(dst.key, n)[:0] // room for every source class: no growth
	cnt := grow(dst.count, n)[:0]
	sk, sc := src.key[:n], src.count[:n]
	ch := w.changes
	if len(ch) == 1 {
		// one field rewritten (the common case): new keys first, then group
		c := ch[0]
		nk := grow(w.k.keys, n)
		w.k.keys = nk
		clr := ^(c.mk << c.sh)
		for i, k := range sk {
			nk[i] = k&clr | uint64(c.m[k>>c.sh&c.mk])<<c.sh
		}
		sk = nk[:n]
		ch = nil
	}
	var next int32
	w.gt.reset(bound, 64)
	if n < parallelMin {
		keys, cnt, next = w.gt.groupPacked(sk, sc, ch, ids, keys, cnt, 0)
	} else {
		// two halves on two goroutines, then the second half's classes
		// are merged into the first's
		if w.helper == nil {
			w.helper = &groupTable{}
		}
		mid := n / 2
		w.hkeys = grow(w.hkeys, n-mid)[:0]
		w.hcnt = grow(w.hcnt, n-mid)[:0]
		done := make(chan struct{})
		var hk []uint64
		var hc []int64
		var hn int32
		go func() {
			w.helper.reset(min(bound, n-mid), 64)
			hk, hc, hn = w.helper.groupPacked(sk[mid:], sc[mid:], ch, ids[mid:], w.hkeys, w.hcnt, 0)
			close(done)
		}()
		keys, cnt, next = w.gt.groupPacked(sk[:mid], sc[:mid], ch, ids[:mid], keys, cnt, 0)
		<-done
		w.dids = grow(w.dids, int(hn))
		keys, cnt, next = w.gt.groupPacked(hk, hc, nil, w.dids, keys, cnt, next)
		for i := mid; i < n; i++ {
			ids[i] = w.dids[ids[i]]
		}
		w.hkeys, w.hcnt = hk, hc
	}
	nc := int(next)
	dst.node = append(dst.node[:0], node...)
	dst.codes = nil
	dst.key = keys
	dst.count = cnt
	dst.pop = nil
	if src.pop != nil {
		dst.pop = make([]int64, nc)
		for i, id := range ids {
			dst.pop[id] += src.pop[i]
		}
	}
	dst.hist = dst.hist[:0]
	for hi := range src.hist {
		dst.hist = append(dst.hist, w.mergeHist(&src.hist[hi], ids, nc, len(e.sens[hi].col.Dict)))
	}
	return dst, ids
}

// classBound is min(n, the number of level combinations of node): the
// most classes a roll-up of n classes to node can have. A grouping table
// sized by it stays small (and in cache) near the top of the lattice.
func (e *engine) classBound(node []int, n int) int {
	b := 1
	for ai, a := range e.attrs {
		b *= len(a.labels[node[ai]])
		if b >= n {
			return n
		}
	}
	return b
}

// groupPacked groups source keys sk (rewritten by ch) with counts sc,
// continuing from class next: new classes append their key and count to
// keys and cnt, existing ones add their count; ids receives each source
// class's class. The table must have been reset for the number of classes.
func (g *groupTable) groupPacked(sk []uint64, sc []int64, ch []change, ids []int32, keys []uint64, cnt []int64, next int32) ([]uint64, []int64, int32) {
	mask, shift := g.mask, g.shift
	gk, gv := g.keys, g.vals
	for i, k := range sk {
		for _, c := range ch {
			f := k >> c.sh & c.mk
			k = k&^(c.mk<<c.sh) | uint64(c.m[f])<<c.sh
		}
		s := (k * 0x9E3779B97F4A7C15) >> shift & mask
		for {
			v := gv[s]
			if v < 0 {
				gk[s] = k
				gv[s] = next
				g.used = append(g.used, int32(s))
				ids[i] = next
				keys = append(keys, k)
				cnt = append(cnt, sc[i])
				next++
				break
			}
			if gk[s] == k {
				ids[i] = v
				cnt[v] += sc[i]
				break
			}
			s = (s + 1) & mask
		}
	}
	return keys, cnt, next
}
