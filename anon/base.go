package anon

import "sync/atomic"

// The base: the rows grouped into the classes of the lowest transformation
// searched (each attribute at its floor, floor.go), with each class's
// record count and codes. Every roll-up of the search starts from it or
// from a snapshot rolled up from it.

// buildBase groups the rows into the classes of the base, on the calling
// goroutine.
func (e *engine) buildBase(w *worker) error {
	node := e.baseNode()
	n := int(e.p.Table.Rows)
	e.baseKeys(w, node, n)
	ids, nc := w.k.finish()
	b := e.newBase(node, ids, nc)
	e.countBase(b, ids)
	e.baseCodes(w, b, ids, 0, len(e.attrs))
	return e.finishBase(b, ids)
}

// groupBase is buildBase shared with a second goroutine; side is work that
// reads neither the keys nor the base. Each goroutine builds the keys of
// half the rows and groups them in its own table, and this one runs side;
// the second half's classes then join the first's (a class met in both
// halves keeps its id, the others get the next ones in order of first
// appearance, so the ids are those of a serial grouping). Then the second
// goroutine remaps the second half's rows, counts the classes, keeps each
// row's class and fills some attributes' codes while this one reads the
// classes' keys and fills the others (baseSplit). Large inputs are grouped
// on this goroutine (see halvesMax). Set-up alone (FARS k5_s0_dm, 100,968
// rows, 49,658 classes): serial 2.0 ms; keys in halves, one grouping
// 1.84–2.0; grouped in halves 1.65–1.71 (adult: 0.46–0.51 either way). The
// halves' merge regroups the second half's classes, which paid only once
// the second goroutine was a mate (mate.go).
func (e *engine) groupBase(w *worker, side func()) error {
	node := e.baseNode()
	if !e.fits(node) {
		b := runBeside(side)
		err := e.buildBase(w)
		b.wait()
		return err
	}
	n := int(e.p.Table.Rows)
	w.k.start(n, &w.gt)
	w.k.used = e.keyBits(node)
	keys, ids := w.k.keys[:n], w.k.ids[:n]
	var nc int
	remap := func() {}
	if n <= halvesMax {
		nc, remap = e.groupHalves(w, node, side)
	} else {
		nc = e.groupOnce(w, node, side)
	}
	b := e.newBase(node, ids, nc)
	// the other goroutine remaps and counts, then fills the codes of
	// baseSplit of every 8 attributes once this one has read the classes'
	// keys; this one fills the others
	d := len(e.attrs)
	split := d * baseSplit / 8
	var keyed atomic.Bool
	second := runBeside(func() {
		remap()
		e.countBase(b, ids)
		spinWait(keyed.Load)
		e.baseCodes(w, b, ids, 0, split)
	})
	w.gt.classKeys(keys[:nc])
	keyed.Store(true)
	e.baseCodes(w, b, ids, split, d)
	second.wait()
	return e.finishBase(b, ids)
}

// halvesMax is the number of rows up to which groupBase groups the halves
// apart. Larger inputs have most of their classes once (the generated
// 10M rows: 7.96 M classes), so the merge would group most of the second
// half's classes a second time (encoding 2.26 → 2.87 s, peak RSS +130
// MiB). A variable for the tests.
var halvesMax = 1 << 20

// groupHalves groups the rows' keys (in the worker's keyer) by halves, one
// on each goroutine, this one running side after its half, and returns the
// number of classes and the remapping of the second half's rows to the
// merged ids, left to the caller.
func (e *engine) groupHalves(w *worker, node []int, side func()) (int, func()) {
	n := len(w.k.keys)
	h := n / 2
	keys, ids := w.k.keys, w.k.ids
	if w.helper == nil {
		w.helper = &groupTable{}
	}
	var nc2 int // the second half's classes, their keys in w.dk in id order
	second := runBeside(func() {
		e.rowKeys(keys[h:], node, h, n)
		w.helper.reset(n-h, w.k.used)
		nc2 = w.helper.groupFrom(keys[h:], ids[h:], 0)
		w.dk = w.helper.classKeys(grow(w.dk, nc2))
	})
	e.rowKeys(keys[:h], node, 0, h)
	w.gt.reset(n, w.k.used)
	nc1 := w.gt.groupFrom(keys[:h], ids[:h], 0)
	side()
	second.wait()
	// the second half's classes join the first's: those met before keep
	// their ids, the others get the next ones in order of first appearance
	w.dids = grow(w.dids, nc2)
	nc := w.gt.groupFrom(w.dk, w.dids, int32(nc1))
	return nc, func() {
		for i, id := range ids[h:] {
			ids[h+i] = w.dids[id]
		}
	}
}

// baseSplit: of every 8 attributes, the codes the other goroutine fills
// after remapping and counting, which take about as long as this
// goroutine's reading of the classes' keys (set-up alone, against the other
// goroutine counting and this one remapping, half the codes each: FARS
// 1.72–1.73 → 1.53–1.66 ms, adult 0.50–0.53 → 0.45–0.48; 2 or 4 of 8:
// between).
const baseSplit = 3

// groupOnce builds the rows' keys by halves, the second half and then side
// on the other goroutine, and groups them on this one; it returns the
// number of classes.
func (e *engine) groupOnce(w *worker, node []int, side func()) int {
	n := len(w.k.keys)
	h := n / 2
	keys, ids := w.k.keys, w.k.ids
	second := runBeside(func() {
		e.rowKeys(keys[h:], node, h, n)
		side()
	})
	e.rowKeys(keys[:h], node, 0, h)
	w.gt.reset(n, w.k.used)
	next := w.gt.groupFrom(keys[:h], ids[:h], 0)
	second.wait()
	return w.gt.groupFrom(keys[h:], ids[h:], int32(next))
}

// baseNode returns the lowest transformation searched.
func (e *engine) baseNode() []int {
	node := make([]int, len(e.attrs))
	for i, a := range e.attrs {
		node[i] = a.minL
	}
	return node
}

// keyBits is the number of bits of node's packed codes.
func (e *engine) keyBits(node []int) uint {
	b := uint(0)
	for ai, a := range e.attrs {
		b += a.bits[node[ai]]
	}
	return b
}

// newBase returns the base snapshot of nc classes, its codes in one slab of
// the search's arena (filled by baseCodes), its counts zero.
func (e *engine) newBase(node []int, ids []int32, nc int) *snap {
	d := len(e.attrs)
	b := &snap{node: node, count: make([]int64, nc), codes: make([][]uint32, d)}
	slab := e.arena.uint32s(nc * d)
	for ai := range b.codes {
		b.codes[ai] = slab[ai*nc : (ai+1)*nc : (ai+1)*nc]
	}
	return b
}

// countBase counts the records of each class (of the subset, when there is
// one) and keeps each row's class for the output.
func (e *engine) countBase(b *snap, ids []int32) {
	e.rowClass = append([]int32(nil), ids...)
	sub := e.p.Subset
	cnt := b.count
	if sub == nil {
		for _, id := range ids {
			cnt[id]++
		}
		return
	}
	for r, id := range ids {
		if sub[r] {
			cnt[id]++
		}
	}
}

// finishBase adds what some models need (population counts, the sensitive
// attributes' histograms) and installs the base.
func (e *engine) finishBase(b *snap, ids []int32) error {
	nc := b.classes()
	if e.hasPop {
		b.pop = make([]int64, nc)
		if e.p.Population == nil {
			for _, id := range ids {
				b.pop[id]++
			}
		}
	}
	for si := range e.sens {
		b.hist = append(b.hist, e.baseHist(si, ids, nc, e.p.Subset))
	}
	e.base = b
	if e.p.Population != nil {
		return e.addPopulation()
	}
	return nil
}

// baseKeys builds the keys of the n rows at node in the worker's keyer:
// packed codes when they fit in 64 bits (rowKeys), else through the keyer,
// which replaces the keys by dense ids when they would overflow.
func (e *engine) baseKeys(w *worker, node []int, n int) {
	w.k.start(n, &w.gt)
	if e.fits(node) {
		e.rowKeys(w.k.keys, node, 0, n)
		w.k.used = e.keyBits(node)
		return
	}
	for ai, a := range e.attrs {
		w.k.add(a.col.Codes, a.gen[node[ai]], a.bits[node[ai]])
	}
}

// rowKeys writes into keys the packed codes at node (which fit in 64 bits;
// the first attribute in the highest bits) of rows lo..hi, two attributes
// per pass over the keys (one per pass: adult 172 µs, FARS 517; two: 141
// and 415; in blocks of 1,024–16,384 rows that stay in the caches between
// passes: no faster).
func (e *engine) rowKeys(keys []uint64, node []int, lo, hi int) {
	k := keyer{keys: keys[:hi-lo]}
	d := len(e.attrs)
	for ai := 0; ai < d; ai += 2 {
		a := e.attrs[ai]
		if ai+1 == d {
			k.add(a.col.Codes[lo:hi], a.gen[node[ai]], a.bits[node[ai]])
			break
		}
		c := e.attrs[ai+1]
		k.add2(a.col.Codes[lo:hi], a.gen[node[ai]], a.bits[node[ai]], c.col.Codes[lo:hi], c.gen[node[ai+1]], c.bits[node[ai+1]])
	}
}

// baseCodes fills the codes of attributes from..to of the base classes.
// When the rows' keys held every code (no dense re-id), each class's codes
// are fields of its key, read from the grouping table in class order (the
// caller has put them in the keyer's keys with classKeys); else they are
// gathered from each class's first row (found by a pass over the rows'
// ids). From the keys: adult (19,502 classes) 199–237 → 121–137 µs, FARS
// (60,806) 742–954 → 489–818 µs.
func (e *engine) baseCodes(w *worker, b *snap, ids []int32, from, to int) {
	nc, node := b.classes(), b.node
	if w.k.whole() {
		keys := w.k.keys[:nc]
		if from == 0 && to == len(e.attrs) {
			keys = w.gt.classKeys(keys)
		}
		off := uint(0)
		for ai := len(e.attrs) - 1; ai >= from; ai-- { // the first attribute is the highest field
			bits := e.attrs[ai].bits[node[ai]]
			if ai < to {
				c, mask := b.codes[ai], uint64(1)<<bits-1
				for j, k := range keys {
					c[j] = uint32(k >> off & mask)
				}
			}
			off += bits
		}
		return
	}
	rep := e.arena.int32s(nc)[:0] // the first row of each class (ids come in order of first appearance)
	for r, id := range ids {
		if int(id) == len(rep) {
			rep = append(rep, int32(r))
		}
	}
	for ai := from; ai < to; ai++ {
		a := e.attrs[ai]
		c, g, col := b.codes[ai], a.gen[node[ai]], a.col.Codes
		for j, r := range rep {
			c[j] = g[col[r]]
		}
	}
}
