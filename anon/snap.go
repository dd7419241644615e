package anon

import (
	"math"
	"math/bits"
	"slices"
	"sync/atomic"
)

// snap is the set of equivalence classes of one transformation: per class
// the level code of every quasi-identifier, the number of records, the
// population count (δ-presence, k-map) and sensitive-value histograms.
type snap struct {
	node  []int
	codes [][]uint32 // codes[a][class]
	count []int64    // records of the class (research subset for δ-presence)
	pop   []int64    // population count (nil unless δ-presence or k-map)
	hist  []histo    // one per sensitive attribute in use

	// lazySrc, when not nil, is the snap rolled up from whose codes are
	// not yet copied (lazyRep gives each class's source class): a check
	// that fails needs only the counts.
	lazySrc *snap
	lazyRep []int32
}

// histo holds per-class histograms in compressed rows: class j has the
// values val[off[j]:off[j+1]] with counts cnt[...]. When capL > 0 it holds
// capped sets instead (distinct ℓ-diversity alone, see distinct.go): class
// j has the distinct values set[j*capL:j*capL+nset[j]], at most capL; when
// masked, bit v of mask[j] tells whether class j has value v.
type histo struct {
	off    []int
	val    []uint32
	cnt    []int64
	capL   int
	set    []uint32
	nset   []uint8
	masked bool
	mask   []uint64
}

func (s *snap) classes() int { return len(s.count) }

// worker holds the scratch space of one goroutine.
type worker struct {
	gt        groupTable
	k         keyer
	scratch   []int64 // sensitive value → count
	touched   []uint32
	stamp     []int
	lifts     [][]uint32
	mults     []uint64
	single    []bool     // the attribute has one value at the node's level
	active    []int      // the attributes with more than one value
	tabs      [][]uint64 // tabs[a][source code]: the attribute's share of the key
	tabled    bool       // tabs are set
	bad       []bool
	rep       []int32
	tmp       snap
	lazyCodes bool // rollupInto leaves the codes to fillCodes
	whole     bool // rollupInto does not split: the other goroutine evaluates speculative checks
	helper    *groupTable
	dk        []uint64
	dids      []int32
	hstart    []int // mergeHist scratch
	hmembers  []int32
	hpos      []int
	half      half         // the second half of a split roll-up
	claim     atomic.Int32 // who runs it
	hrep      []int32      // the second half's representatives and counts
	hcnt      []int64
	sums      []float64 // value's per-attribute sums
	isums     []int64
}

// keep copies sn out of the worker's scratch storage into exact-size
// storage of the search's arena (the codes of all attributes in one slab),
// filling its codes: the cache holds many snapshots, and the scratch stays
// with the worker.
func (e *engine) keep(sn *snap) *snap {
	nc := sn.classes()
	k := &snap{node: append([]int(nil), sn.node...), count: e.arena.int64s(nc),
		pop: sn.pop, hist: append([]histo(nil), sn.hist...)}
	copy(k.count, sn.count)
	e.slabCodes(k)
	if sn.lazySrc == nil {
		for ai, c := range sn.codes {
			copy(k.codes[ai], c)
		}
		return k
	}
	k.lazySrc, k.lazyRep = sn.lazySrc, sn.lazyRep
	e.fillCodes(k)
	k.lazyRep = nil
	return k
}

// slabCodes gives s its code columns, one slab of the arena for all
// attributes (to be filled).
func (e *engine) slabCodes(s *snap) {
	nc, d := s.classes(), len(e.attrs)
	s.codes = make([][]uint32, d)
	slab := e.arena.uint32s(nc * d)
	for ai := range s.codes {
		s.codes[ai] = slab[ai*nc : (ai+1)*nc : (ai+1)*nc]
	}
}

// grow returns b resized to n, reusing its storage.
func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n, n+n/4)
	}
	return b[:n]
}

// rollupInto groups the classes of src (a more specific transformation)
// into the classes of node, written into dst and reusing its storage (the
// caller keeps dst as scratch and copies what it keeps). It returns dst
// and, for each class of src, its class in dst (valid until the worker's
// next grouping).
func (e *engine) rollupInto(w *worker, src *snap, node []int, dst *snap) (*snap, []int32) {
	n := src.classes()
	var ids []int32
	if len(dst.codes) != len(e.attrs) {
		dst.codes = make([][]uint32, len(e.attrs))
	}
	if e.fits(node) {
		// grouping records each class's first source class and sums the counts
		if n >= parallelMin && !w.whole {
			ids = w.parallelKeys(e, src, node, dst)
		} else {
			ids = w.fastKeys(e, src, node, dst)
		}
	} else {
		ids = w.keyedRollup(e, src, node, dst)
	}
	nc := len(dst.count)
	dst.node = append(dst.node[:0], node...)
	dst.lazySrc = src
	if !w.lazyCodes {
		e.fillCodes(dst)
	}
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

// keyedRollup groups through the keyer (keys wider than 64 bits) and sets
// dst's counts and representatives.
func (w *worker) keyedRollup(e *engine, src *snap, node []int, dst *snap) []int32 {
	n := src.classes()
	w.k.start(n, &w.gt)
	for ai, a := range e.attrs {
		var m []uint32
		if src.node[ai] != node[ai] {
			m = a.lift[src.node[ai]][node[ai]]
		}
		w.k.add(src.codes[ai], m, a.bits[node[ai]])
	}
	ids, nc := w.k.finish()
	dst.count = grow(dst.count, nc)
	clear(dst.count)
	dst.lazyRep = grow(dst.lazyRep, nc)
	rep := dst.lazyRep
	for i := range rep {
		rep[i] = -1
	}
	cnt := dst.count
	for i, id := range ids {
		cnt[id] += src.count[i]
		if rep[id] < 0 {
			rep[id] = int32(i)
		}
	}
	return ids
}

// fits tells whether the codes of node pack into 64 bits.
func (e *engine) fits(node []int) bool {
	b := uint(0)
	for ai, a := range e.attrs {
		b += a.bits[node[ai]]
	}
	return b <= 64
}

// fastKeys packs, groups and counts in one pass when the key fits in 64
// bits.
func (w *worker) fastKeys(e *engine, src *snap, node []int, dst *snap) []int32 {
	n := src.classes()
	w.k.keys = grow(w.k.keys, n)
	w.k.ids = grow(w.k.ids, n)
	space := w.prepareKeys(e, src, node)
	w.packKeys(src, len(e.attrs), 0, n)
	w.gt.resetSpace(n, space)
	dst.lazyRep, dst.count = w.gt.groupCount(w.k.keys[:n], src.count, w.k.ids[:n], dst.lazyRep[:0], dst.count[:0], 0)
	return w.k.ids[:n]
}

// parallelMin is the number of source classes from which a grouping is
// split between two goroutines.
const parallelMin = 6000

// parallelKeys packs, groups and counts the two halves of the source on
// two goroutines, then merges the second half's classes into the first's
// (ids, representatives and counts as a serial grouping gives them).
func (w *worker) parallelKeys(e *engine, src *snap, node []int, dst *snap) []int32 {
	n := src.classes()
	w.k.keys = grow(w.k.keys, n)
	w.k.ids = grow(w.k.ids, n)
	space := w.prepareKeys(e, src, node)
	if w.helper == nil {
		w.helper = &groupTable{}
	}
	mid := n / 2
	w.half = half{src: src, d: len(e.attrs), lo: mid, hi: n, space: space}
	w.claim.Store(jobPosted)
	runBeside(w.mateHalf) // never waited for: see the claim below
	keys, ids := w.k.keys[:n], w.k.ids[:n]
	w.packKeys(src, len(e.attrs), 0, mid)
	// room for the classes of both halves (carrying on alone appends)
	w.gt.resetSpace(n, space)
	rep, cnt := slices.Grow(dst.lazyRep[:0], n), slices.Grow(dst.count[:0], n)
	rep, cnt = w.gt.groupCount(keys[:mid], src.count[:mid], ids[:mid], rep, cnt, 0)
	if w.claim.CompareAndSwap(jobPosted, byWorker) {
		// the other goroutine has not started (a busy machine): carry on
		// alone, as a serial grouping
		w.half.src = nil
		w.packKeys(src, len(e.attrs), mid, n)
		dst.lazyRep, dst.count = w.gt.groupCount(keys[mid:], src.count[mid:], ids[mid:], rep, cnt, int32(mid))
		return ids
	}
	// the other goroutine is running the half: a short wait, spent
	// spinning rather than sleeping (waking a goroutine costs microseconds)
	spinWait(func() bool { return w.claim.Load() == halfDone })
	w.half.src = nil
	// the distinct keys of the second half, in id order, merged
	nc1, nc2 := int32(len(cnt)), len(w.hcnt)
	w.dk = grow(w.dk, nc2)
	w.dids = grow(w.dids, nc2)
	for j, r := range w.hrep {
		w.dk[j] = keys[r]
	}
	w.gt.groupFrom(w.dk, w.dids, nc1)
	for j, id := range w.dids {
		if id >= int32(len(cnt)) { // new classes come in id order
			rep = append(rep, w.hrep[j])
			cnt = append(cnt, 0)
		}
		cnt[id] += w.hcnt[j]
	}
	dst.lazyRep, dst.count = rep, cnt
	for i := mid; i < n; i++ {
		ids[i] = w.dids[ids[i]]
	}
	return ids
}

// half is the second half of a split roll-up: pack, group and count
// source classes lo..hi in the helper table.
type half struct {
	src       *snap
	d, lo, hi int
	space     uint64
}

func (w *worker) runHalf() {
	h := &w.half
	w.packKeys(h.src, h.d, h.lo, h.hi)
	w.helper.resetSpace(h.hi-h.lo, h.space)
	w.hrep, w.hcnt = w.helper.groupCount(w.k.keys[h.lo:h.hi], h.src.count[h.lo:h.hi], w.k.ids[h.lo:h.hi], w.hrep[:0], w.hcnt[:0], int32(h.lo))
}

// mateHalf runs the second half of a split roll-up on another goroutine,
// unless the worker has taken it (when this goroutine starts late, the
// worker does not wait for it).
func (w *worker) mateHalf() {
	if w.claim.CompareAndSwap(jobPosted, byMate) {
		w.runHalf()
		w.claim.Store(halfDone)
	}
}

// The states of the second half of a split roll-up.
const (
	jobPosted = iota
	byMate
	byWorker
	halfDone
)

// prepareKeys sets the lift table and multiplier of every attribute (keys
// are mixed-radix numbers over the level domains of node, which fit in 64
// bits whenever the bit-packed codes do) and returns the key space. When
// the source's level domains are small against its classes, it also
// tabulates each attribute's share of the key by source code.
func (w *worker) prepareKeys(e *engine, src *snap, node []int) uint64 {
	d := len(e.attrs)
	if len(w.lifts) < d {
		w.lifts = make([][]uint32, d)
		w.mults = make([]uint64, d)
		w.single = make([]bool, d)
		w.tabs = make([][]uint64, d)
	}
	space := uint64(1)
	domains := 0
	for ai := d - 1; ai >= 0; ai-- {
		a := e.attrs[ai]
		w.mults[ai] = space
		w.single[ai] = len(a.labels[node[ai]]) == 1
		hi, lo := bits.Mul64(space, uint64(len(a.labels[node[ai]])))
		if hi != 0 {
			lo = math.MaxUint64 // only the last attribute can get here
		}
		space = lo
		if src.node[ai] != node[ai] {
			w.lifts[ai] = a.lift[src.node[ai]][node[ai]]
		} else {
			w.lifts[ai] = nil
		}
		if !w.single[ai] {
			domains += len(a.labels[src.node[ai]])
		}
	}
	w.active = w.active[:0]
	for ai := 0; ai < d; ai++ {
		if !w.single[ai] {
			w.active = append(w.active, ai)
		}
	}
	w.tabled = domains <= src.classes()
	if w.tabled {
		for _, ai := range w.active {
			t := grow(w.tabs[ai], len(e.attrs[ai].labels[src.node[ai]]))
			m, mul := w.lifts[ai], w.mults[ai]
			for c := range t {
				v := uint32(c)
				if m != nil {
					v = m[c]
				}
				t[c] = uint64(v) * mul
			}
			w.tabs[ai] = t
		}
	}
	return space
}

// packKeys computes the keys of source classes lo..hi. Attributes with a
// single value at the node's level (their root) add nothing and are
// skipped. With tabulated shares, two columns are added per pass over the
// keys.
func (w *worker) packKeys(src *snap, d, lo, hi int) {
	keys := w.k.keys[lo:hi]
	act := w.active
	if !w.tabled || len(act) < 2 {
		w.packColumns(src, d, lo, hi)
		return
	}
	j := 0
	if len(act)%2 == 1 {
		t, c := w.tabs[act[0]], src.codes[act[0]][lo:hi]
		c = c[:len(keys)]
		for i := range keys {
			keys[i] = t[c[i]]
		}
		j = 1
	} else {
		ta, tb := w.tabs[act[0]], w.tabs[act[1]]
		ca, cb := src.codes[act[0]][lo:hi], src.codes[act[1]][lo:hi]
		ca, cb = ca[:len(keys)], cb[:len(keys)]
		for i := range keys {
			keys[i] = ta[ca[i]] + tb[cb[i]]
		}
		j = 2
	}
	for ; j < len(act); j += 2 {
		ta, tb := w.tabs[act[j]], w.tabs[act[j+1]]
		ca, cb := src.codes[act[j]][lo:hi], src.codes[act[j+1]][lo:hi]
		ca, cb = ca[:len(keys)], cb[:len(keys)]
		for i := range keys {
			keys[i] += ta[ca[i]] + tb[cb[i]]
		}
	}
}

// packColumns is packKeys one column at a time, without tables; the first
// column written sets the keys instead of adding.
func (w *worker) packColumns(src *snap, d, lo, hi int) {
	keys := w.k.keys[lo:hi]
	first := true
	for ai := 0; ai < d; ai++ {
		m, mul, codes := w.lifts[ai], w.mults[ai], src.codes[ai][lo:hi]
		if w.single[ai] {
			continue
		}
		codes = codes[:len(keys)] // no bounds checks on keys[i]
		switch {
		case first && m == nil:
			for i, c := range codes {
				keys[i] = uint64(c) * mul
			}
		case first:
			for i, c := range codes {
				keys[i] = uint64(m[c]) * mul
			}
		case m == nil:
			for i, c := range codes {
				keys[i] += uint64(c) * mul
			}
		default:
			for i, c := range codes {
				keys[i] += uint64(m[c]) * mul
			}
		}
		first = false
	}
	if first {
		clear(keys)
	}
}

// mergeHist builds the histograms (or capped sets) of the grouped classes.
func (w *worker) mergeHist(h *histo, ids []int32, nc, domain int) histo {
	if h.masked {
		return mergeMasks(h, ids, nc)
	}
	if h.capL > 0 {
		return mergeDistinct(h, ids, nc)
	}
	// members of each new class, in compressed rows
	start := grow(w.hstart, nc+1)
	clear(start)
	for _, id := range ids {
		start[id+1]++
	}
	for j := 0; j < nc; j++ {
		start[j+1] += start[j]
	}
	members := grow(w.hmembers, len(ids))
	pos := append(w.hpos[:0], start[:nc]...)
	for i, id := range ids {
		members[pos[id]] = int32(i)
		pos[id]++
	}
	w.hstart, w.hmembers, w.hpos = start, members, pos
	if len(w.scratch) < domain {
		w.scratch = make([]int64, domain)
	}
	// merging never adds entries, and no class has more than domain
	n := min(len(h.val), nc*domain)
	out := histo{off: make([]int, nc+1), val: make([]uint32, 0, n), cnt: make([]int64, 0, n)}
	for j := 0; j < nc; j++ {
		w.touched = w.touched[:0]
		for _, i := range members[start[j]:start[j+1]] {
			for p := h.off[i]; p < h.off[i+1]; p++ {
				v := h.val[p]
				if w.scratch[v] == 0 {
					w.touched = append(w.touched, v)
				}
				w.scratch[v] += h.cnt[p]
			}
		}
		for _, v := range w.touched {
			out.val = append(out.val, v)
			out.cnt = append(out.cnt, w.scratch[v])
			w.scratch[v] = 0
		}
		out.off[j+1] = len(out.val)
	}
	return out
}

// fillCodes copies the codes of each class from its representative in the
// source (after a roll-up that deferred them).
func (e *engine) fillCodes(dst *snap) {
	src := dst.lazySrc
	if src == nil {
		return
	}
	dst.lazySrc = nil
	rep := dst.lazyRep
	nc := len(dst.count)
	for ai, a := range e.attrs {
		c := grow(dst.codes[ai], nc)
		sc := src.codes[ai]
		if src.node[ai] != dst.node[ai] {
			m := a.lift[src.node[ai]][dst.node[ai]]
			for j, r := range rep {
				c[j] = m[sc[r]]
			}
		} else {
			for j, r := range rep {
				c[j] = sc[r]
			}
		}
		dst.codes[ai] = c
	}
}
