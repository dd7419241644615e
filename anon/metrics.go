package anon

import (
	"math"
	"slices"
)

// eval is the outcome of one transformation.
type eval struct {
	monoOK     bool  // the monotone models hold within the suppression limit
	ok         bool  // every model holds within the limit
	suppressed int64 // records in violating classes
	small      int64 // records in classes smaller than the largest k of k-anonymity
	classes    int   // kept classes
	minSize    int64 // smallest kept class
	value      float64
	groupBound float64 // a lower bound of the metric valid for every more general node
}

// evaluate checks the models on the classes of s and computes the metric.
// bad, when not nil, receives for each class whether it is suppressed.
func (e *engine) evaluate(w *worker, s *snap, bad []bool) eval {
	var r eval
	if bad == nil {
		if cap(w.bad) < s.classes() {
			w.bad = make([]bool, s.classes())
		}
		bad = w.bad[:s.classes()]
		clear(bad)
	}
	if e.sizesOnly() {
		return e.evaluateSizes(w, s, bad)
	}
	monoSupp := int64(0)
	nc := s.classes()
	for j := 0; j < nc; j++ {
		c := s.count[j]
		if c == 0 {
			continue
		}
		if c < e.kmax {
			r.small += c
		}
		ok, mono := e.classOK(w, s, j)
		if !mono {
			monoSupp += c
		}
		if !ok {
			r.suppressed += c
			bad[j] = true
		}
	}
	r.monoOK = monoSupp <= e.maxSupp
	r.ok = r.suppressed <= e.maxSupp
	if !r.ok {
		r.groupBound = e.groupOnlyBound(s)
		return r
	}
	if e.metric == MetricEntropy {
		e.fillCodes(s) // Loss reads the codes through the source (lossSums)
	}
	r.value, r.groupBound = e.value(w, s, bad, &r)
	return r
}

// sizesOnly tells whether the models are k-anonymity alone: a class is
// then suppressed exactly when it is smaller than the largest k.
func (e *engine) sizesOnly() bool {
	for _, m := range e.models {
		if m.kind != kAnon {
			return false
		}
	}
	return true
}

// evaluateSizes is evaluate for k-anonymity alone: one pass over the class
// sizes, without branches on them (whether a class is smaller than k is
// unpredictable); a failing check's bound (Σ|E|² for DM) is a second pass.
func (e *engine) evaluateSizes(w *worker, s *snap, bad []bool) eval {
	var r eval
	r.suppressed = smallClasses(s.count[:len(bad)], bad, e.kmax)
	r.small = r.suppressed
	r.ok = r.suppressed <= e.maxSupp
	r.monoOK = r.ok
	if !r.ok {
		r.groupBound = e.groupOnlyBound(s)
		return r
	}
	if e.metric == MetricEntropy {
		e.fillCodes(s)
	}
	r.value, r.groupBound = e.value(w, s, bad, &r)
	return r
}

// smallClasses marks the classes of 0 < count < k in bad and returns their
// records.
func smallClasses(count []int64, bad []bool, k int64) int64 {
	bad = bad[:len(count)]
	supp := int64(0)
	for j, c := range count {
		small := (c - k) >> 63 &^ ((c - 1) >> 63) // all ones when 0 < c < k
		bad[j] = small != 0
		supp += c & small
	}
	return supp
}

// value computes the metric of s given which classes are suppressed.
func (e *engine) value(w *worker, s *snap, bad []bool, r *eval) (float64, float64) {
	nc := s.classes()
	n := float64(e.n)
	var dm, dmStar float64
	all := 0
	supp := r.suppressed
	d := len(e.attrs)
	if len(w.sums) < d {
		w.sums, w.isums = make([]float64, d), make([]int64, d)
	}
	sums, isums := w.sums[:d], w.isums[:d]
	clear(sums)
	clear(isums)
	r.minSize = 0
	for j := 0; j < nc; j++ {
		c := s.count[j]
		if c == 0 {
			continue
		}
		all++
		fc := float64(c)
		dmStar += fc * fc
		if bad[j] {
			dm += n * fc
			continue
		}
		dm += fc * fc
		r.classes++
		if r.minSize == 0 || c < r.minSize {
			r.minSize = c
		}
		switch e.metric {
		case MetricEntropy:
			for ai, a := range e.attrs {
				sums[ai] += fc * math.Log2(float64(a.dcount[s.node[ai]][s.codes[ai][j]]))
			}
		}
	}
	switch e.metric {
	case MetricLoss:
		e.lossSums(s, bad, isums)
		for ai, a := range e.attrs {
			isums[ai] += supp * a.D
		}
		return e.lossOf(isums), e.lossOf(isums)
	case MetricEntropy:
		v := 0.0
		for ai, a := range e.attrs {
			v += sums[ai] + float64(supp)*math.Log2(n) - a.entropyConst
		}
		return v, v
	case MetricDM:
		return dm, dmStar
	case MetricDMStar:
		return dmStar, dmStar
	case MetricPrecision:
		v := e.precisionOf(s.node, supp)
		return v, v
	case MetricAECS:
		k := r.classes
		if supp > 0 {
			k++
		}
		return n / float64(max(k, 1)), n / float64(max(all, 1))
	default: // height
		h := 0
		for _, l := range s.node {
			h += l
		}
		return float64(h), float64(h)
	}
}

// lossSums adds, per attribute, the weights of the kept classes' values
// times their sizes, column by column; when s's codes are still deferred,
// through each class's first source class.
func (e *engine) lossSums(s *snap, bad []bool, isums []int64) {
	cnt := s.count
	for ai, a := range e.attrs {
		w := a.weight[s.node[ai]]
		sum := int64(0)
		if src := s.lazySrc; src != nil {
			sc := src.codes[ai]
			var m []uint32
			if src.node[ai] != s.node[ai] {
				m = a.lift[src.node[ai]][s.node[ai]]
			}
			for j, r := range s.lazyRep {
				if cnt[j] == 0 || bad[j] {
					continue
				}
				c := sc[r]
				if m != nil {
					c = m[c]
				}
				sum += cnt[j] * w[c]
			}
		} else {
			for j, c := range s.codes[ai][:len(cnt)] {
				if cnt[j] != 0 && !bad[j] {
					sum += cnt[j] * w[c]
				}
			}
		}
		isums[ai] += sum
	}
}

// lossFactors returns, per attribute and level, the factor v+1 of the
// Loss bound (nothing suppressed), computed exactly as lossOf does.
func (e *engine) lossFactors() [][]float64 {
	f := make([][]float64, len(e.attrs))
	for ai, a := range e.attrs {
		f[ai] = make([]float64, a.levels)
		for l := range f[ai] {
			f[ai][l] = e.lossFactor(a, a.wsum[l])
		}
	}
	return f
}

func (e *engine) lossFactor(a *attr, isum int64) float64 {
	n := e.n
	v := 0.0
	if a.D > 1 && n > 0 {
		v = float64(isum-n) / float64(n*(a.D-1))
		v = math.Max(0, v)
		v = math.Trunc(v*1e10) / 1e10
	}
	return v + 1
}

// lossOf combines per-attribute sums (in units of hierarchy rows: the sum of
// the shares times D) into ARX's Loss.
func (e *engine) lossOf(isums []int64) float64 {
	prod := 1.0
	for ai, a := range e.attrs {
		prod *= e.lossFactor(a, isums[ai])
	}
	return math.Pow(prod, 1/float64(len(e.attrs))) - 1
}

func (e *engine) precisionOf(node []int, supp int64) float64 {
	n := float64(e.n)
	if n == 0 {
		return 0
	}
	v := 0.0
	for ai, a := range e.attrs {
		share := 0.0
		if a.levels > 1 {
			share = float64(node[ai]) / float64(a.levels-1)
		}
		v += (share*(n-float64(supp)) + float64(supp)) / n
	}
	return v / float64(len(e.attrs))
}

// staticBound returns a lower bound of the metric of node computed without
// grouping (the metric as if nothing were suppressed), and whether the
// metric has one. It never decreases towards more general nodes.
func (e *engine) staticBound(node []int) (float64, bool) {
	switch e.metric {
	case MetricLoss:
		isums := make([]int64, len(e.attrs))
		for ai, a := range e.attrs {
			isums[ai] = a.wsum[node[ai]]
		}
		return e.lossOf(isums), true
	case MetricEntropy:
		v := 0.0
		for ai, a := range e.attrs {
			v += a.esum[node[ai]] - a.entropyConst
		}
		return v, true
	case MetricPrecision:
		return e.precisionOf(node, 0), true
	case MetricHeight:
		h := 0
		for _, l := range node {
			h += l
		}
		return float64(h), true
	}
	return 0, false
}

// prepareBounds computes per attribute and level the record sums the
// static bounds need.
func (e *engine) prepareBounds() {
	for _, a := range e.attrs {
		cnt := a.vcount
		if cnt == nil {
			cnt = valueCounts(a.col.Codes, len(a.col.Dict), e.p.Subset)
		}
		a.wsum = make([]int64, a.levels)
		a.wmax = make([]int64, a.levels)
		for l := range a.wmax {
			a.wmax[l] = slices.Max(a.weight[l])
		}
		a.esum = make([]float64, a.levels)
		a.dcount = make([][]int64, a.levels)
		a.entropyConst = 0
		for _, k := range cnt {
			if k > 0 {
				a.entropyConst += float64(k) * math.Log2(float64(k))
			}
		}
		for l := 0; l < a.levels; l++ {
			dc := make([]int64, len(a.labels[l]))
			for c, k := range cnt {
				g := a.gen[l][c]
				a.wsum[l] += k * a.weight[l][g]
				dc[g] += k
			}
			a.dcount[l] = dc
			for c, k := range cnt {
				if k > 0 {
					a.esum[l] += float64(k) * math.Log2(float64(dc[a.gen[l][c]]))
				}
			}
		}
	}
}

// valueCounts counts the rows (of the subset, when there is one) with each
// column code. Without a subset, four count arrays take the rows in turn:
// a column with few values often repeats a code from one row to the next,
// and a single array would chain those increments through memory.
func valueCounts(codes []uint32, domain int, sub []bool) []int64 {
	cnt := make([]int64, domain)
	if sub != nil {
		for r, c := range codes {
			if sub[r] {
				cnt[c]++
			}
		}
		return cnt
	}
	part := make([]int64, 3*domain)
	c1, c2, c3 := part[:domain], part[domain:2*domain], part[2*domain:]
	n := len(codes) &^ 3
	for r := 0; r < n; r += 4 {
		cnt[codes[r]]++
		c1[codes[r+1]]++
		c2[codes[r+2]]++
		c3[codes[r+3]]++
	}
	for _, c := range codes[n:] {
		cnt[c]++
	}
	for c := range cnt {
		cnt[c] += c1[c] + c2[c] + c3[c]
	}
	return cnt
}

// groupOnlyBound is the grouping part of the bound for metrics without a
// static one: Σ|E|² for discernibility, n/|classes| for AECS.
func (e *engine) groupOnlyBound(s *snap) float64 {
	switch e.metric {
	case MetricDM, MetricDMStar:
		return e.sumSquares(s.count)
	case MetricAECS:
		all := 0
		for _, c := range s.count {
			if c > 0 {
				all++
			}
		}
		return float64(e.n) / float64(max(all, 1))
	}
	return 0 // the other metrics have a static bound
}

// sumSquares returns Σ c² over the counts. In integers when n² < 2⁵³: the
// sum is then exact, as the float sum in class order is, and has no chain
// of float additions (3–4 cycles each).
func (e *engine) sumSquares(count []int64) float64 {
	if e.n < 1<<26 {
		sq := int64(0)
		for _, c := range count {
			sq += c * c
		}
		return float64(sq)
	}
	sq := 0.0
	for _, c := range count {
		sq += float64(c) * float64(c)
	}
	return sq
}
