package anon

import "math"

// The visiting order of the search (search.go): static bounds, height, index.

// visitQueue hands out the nodes in visiting order: by static bound (for
// Loss, the product the bound is a power of, which sorts alike), then
// height, then index; or by height, then index, without a static bound.
type visitQueue struct {
	order  []int64
	key    []uint64 // the sort key of each node (bound bits), nil without a static bound
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

// bound returns the static bound of a node: computed only when there is a
// best to compare with (math.Pow for Loss is not cheap), and once per run
// of equal keys.
func (q *visitQueue) bound(idx int64) float64 {
	k := q.key[idx]
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
func (e *engine) visitOrder(s *searcher) *visitQueue {
	node := s.node
	for i := range node {
		node[i] = e.attrs[i].minL
	}
	_, s.static = e.staticBound(node)
	q := &visitQueue{d: float64(len(e.attrs))}
	maxH := 0
	for _, a := range e.attrs {
		maxH += a.maxL - a.minL
	}
	start := make([]int64, maxH+2)
	hs := make([]int32, e.size)
	var factors [][]float64
	if s.static {
		q.key = make([]uint64, e.size)
		if e.metric == MetricLoss {
			factors = e.lossFactors()
			q.loss = true
		}
	}
	for i := int64(0); i < e.size; i++ {
		s.decode(i, node)
		h := 0
		for ai, a := range e.attrs {
			h += node[ai] - a.minL
		}
		hs[i] = int32(h)
		start[h+1]++
		if factors != nil {
			prod := 1.0
			for ai, l := range node {
				prod *= factors[ai][l]
			}
			q.key[i] = floatKey(prod)
		} else if s.static {
			b, _ := e.staticBound(node)
			q.key[i] = floatKey(b)
		}
	}
	for h := 1; h < len(start); h++ {
		start[h] += start[h-1]
	}
	q.order = make([]int64, e.size)
	for i, h := range hs {
		q.order[start[h]] = int64(i)
		start[h]++
	}
	if q.key != nil {
		radixSort(q.order, q.key)
	}
	return q
}
