package anon

import "math"

// The visiting order of the search (search.go): static bounds, height, index.

// visitQueue hands out the nodes in visiting order: by static bound (for
// Loss, the product the bound is a power of, which sorts alike), then
// height, then index; or by height, then index, without a static bound.
type visitQueue struct {
	e      *engine
	order  []int64
	key    []uint64 // key[i]: the sort key of order[i] (bound bits), nil without a static bound
	pos    int
	loss   bool    // keys hold Loss products: bound = prod^(1/d) − 1
	d      float64 // number of attributes
	lastK  uint64  // the key of the last bound computed, and the bound
	lastB  float64
	cached bool
}

// next returns the next node (false at the end).
func (q *visitQueue) next() (int64, bool) {
	if q.pos >= len(q.order) {
		return 0, false
	}
	idx := q.order[q.pos]
	q.pos++
	return idx, true
}

// bound returns the static bound of idx, the node next returned last:
// computed only when there is a best to compare with (math.Pow for Loss is
// not cheap), and once per run of equal keys.
func (q *visitQueue) bound(idx int64) float64 {
	if q.pos == 0 || q.order[q.pos-1] != idx {
		node := make([]int, len(q.e.attrs))
		q.e.decode(idx, node)
		b, _ := q.e.staticBound(node)
		return b
	}
	k := q.key[q.pos-1]
	if q.cached && k == q.lastK {
		return q.lastB
	}
	b := keyFloat(k)
	if q.loss {
		b = math.Pow(b, 1/q.d) - 1
	}
	q.lastK, q.lastB, q.cached = k, b, true
	return b
}

// floatKey maps a float64 to a uint64 of the same order (−0 as +0).
func floatKey(f float64) uint64 {
	if f == 0 {
		f = 0
	}
	u := math.Float64bits(f)
	if u>>63 != 0 {
		return ^u
	}
	return u | 1<<63
}

func keyFloat(u uint64) float64 {
	if u>>63 != 0 {
		return math.Float64frombits(u &^ (1 << 63))
	}
	return math.Float64frombits(^u)
}

// radixSort sorts order stably by key[order[i]] (LSD, a byte at a time,
// skipping bytes equal in every key).
func radixSort(order []int64, key []uint64) {
	if len(order) == 0 {
		return
	}
	var diff uint64
	k0 := key[order[0]]
	for _, i := range order {
		diff |= key[i] ^ k0
	}
	src, dst := order, make([]int64, len(order))
	for shift := uint(0); shift < 64; shift += 8 {
		if (diff>>shift)&0xff == 0 {
			continue
		}
		var cnt [257]int
		for _, i := range src {
			cnt[(key[i]>>shift)&0xff+1]++
		}
		for b := 1; b < 257; b++ {
			cnt[b] += cnt[b-1]
		}
		for _, i := range src {
			d := (key[i] >> shift) & 0xff
			dst[cnt[d]] = i
			cnt[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &order[0] {
		copy(order, src)
	}
}

// visitOrder computes the static bounds (when the metric has them) and
// returns the nodes in visiting order: by bound, then height, then index;
// or by height, then index, when there is no static bound. The nodes are
// put in order of height (a counting sort), then sorted stably by bound.
//
// With a static bound, nodes already tagged failing (by the pre-check) are
// left out: the search would only skip them, and every later node has a
// bound at least as high, so the search stops at the same place. On the
// reference cases without suppression this leaves 1 % of the lattice.
// Levels, heights and Loss products are kept up to date digit by digit
// (an odometer over the levels), as the index grows, without decoding.
func (e *engine) visitOrder(s *searcher) *visitQueue {
	d := len(e.attrs)
	node := s.node
	for i := range node {
		node[i] = e.attrs[i].minL
	}
	_, s.static = e.staticBound(node)
	q := &visitQueue{e: e, d: float64(d)}
	var factors [][]float64
	if s.static && e.metric == MetricLoss {
		factors = e.lossFactors()
		q.loss = true
	}
	maxH := 0
	for _, a := range e.attrs {
		maxH += a.maxL - a.minL
	}
	start := make([]int64, maxH+2)
	filter := s.static && s.hasMono // leave out the nodes tagged failing
	kept := e.size
	if filter {
		kept = 0
		for _, t := range s.tags {
			if t != tagFail {
				kept++
			}
		}
	}
	var nodes []int64                   // the nodes visited, in index order (all without a static bound)
	hs := e.arena.int32s(int(kept))[:0] // their heights
	var keys []uint64                   // their keys
	if s.static {
		nodes = e.arena.int64s(int(kept))[:0]
		keys = e.arena.uint64s(int(kept))[:0]
	}
	// pp[ai]: the product of the Loss factors of attributes 0..ai
	pp := make([]float64, d+1)
	pp[0] = 1
	from, h := 0, 0 // the first attribute whose prefix product is stale
	for i := int64(0); i < e.size; i++ {
		if !filter || s.tags[i] != tagFail {
			if s.static {
				nodes = append(nodes, i)
			}
			hs = append(hs, int32(h))
			start[h+1]++
			switch {
			case factors != nil:
				for ai := from; ai < d; ai++ {
					pp[ai+1] = pp[ai] * factors[ai][node[ai]]
				}
				from = d
				keys = append(keys, floatKey(pp[d]))
			case s.static:
				b, _ := e.staticBound(node)
				keys = append(keys, floatKey(b))
			}
		}
		// next index: raise the last attribute, carrying
		ai := d - 1
		for ; ai >= 0; ai-- {
			a := e.attrs[ai]
			if node[ai] < a.maxL {
				node[ai]++
				h++
				break
			}
			h -= node[ai] - a.minL
			node[ai] = a.minL
		}
		from = min(from, max(ai, 0))
	}
	for h := 1; h < len(start); h++ {
		start[h] += start[h-1]
	}
	pos := e.arena.int64s(len(hs)) // positions in nodes, by height
	for j, h := range hs {
		pos[start[h]] = int64(j)
		start[h]++
	}
	if !s.static {
		q.order = pos // every node: positions are indexes
		return q
	}
	if keys != nil {
		radixSort(pos, keys)
		q.key = e.arena.uint64s(len(pos))
	}
	q.order = e.arena.int64s(len(pos))
	for i, j := range pos {
		q.order[i] = nodes[j]
		if keys != nil {
			q.key[i] = keys[j]
		}
	}
	return q
}

// levels fills e.lv (level − min level of every attribute of every node,
// lv[idx·d + a]) when the lattice is small enough, once.
func (e *engine) levels() {
	if e.lvDone {
		return
	}
	e.lvDone = true
	d := len(e.attrs)
	if e.size*int64(d) > 1<<27 {
		return
	}
	for _, r := range e.radix {
		if r > 255 {
			return
		}
	}
	lv := e.arena.uint8s(int(e.size) * d)
	// The nodes of the last attribute's levels (the others at 0), then,
	// from the last attribute but one, the block of the nodes so far copied
	// once per level of the attribute, which is set in each copy: copies
	// instead of a node at a time (adult 79 → 9 µs, FARS 112 → 15 µs).
	rows := e.radix[d-1]
	for i := 0; i < rows; i++ {
		row := lv[i*d : i*d+d]
		clear(row)
		row[d-1] = uint8(i)
	}
	for ai := d - 2; ai >= 0; ai-- {
		block := rows * d
		for v := 1; v < e.radix[ai]; v++ {
			dst := lv[v*block : (v+1)*block]
			copy(dst, lv[:block])
			for j := ai; j < block; j += d {
				dst[j] = uint8(v)
			}
		}
		rows *= e.radix[ai]
	}
	e.lv = lv
}
