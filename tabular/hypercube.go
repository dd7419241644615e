package tabular

import (
	"math"
	"sort"
)

// pat1 is a closed one-dimensional pattern: categories of one dimension
// with signs ±1 such that every non-leaf category carries the sum of its
// children's signs (so every additivity constraint of that dimension is
// kept). The cell's own category has sign +1.
type pat1 struct {
	nodes  []int
	signs  []float64
	cost   float64
	toRoot bool // the chain up to the total: no -1 corner, unlimited upward room
}

// pattern is a tensor product of one-dimensional closed patterns: its
// corners are closed under every constraint of the table (a hierarchical
// generalisation of the GHMITER hypercube, Repsilber 1994).
type pattern struct {
	corners []int
	signs   []float64
	cost    float64
	up      float64 // how far the cell can move up (min of the -1 corners)
	down    float64 // how far down (min of the +1 corners)
}

// hypercube suppresses, for primary cell c, the cheapest closed pattern in
// each table holding c that gives c its required protection (or the best
// protection available).
func (p *Protected) hypercube(c int) {
	for _, tab := range p.tables {
		if p.inTable(c, tab) {
			if best, ok := p.bestPattern(c, tab, false); ok {
				for _, cell := range best.corners {
					p.suppress(cell)
				}
			}
		}
	}
}

// bestPattern searches patterns around c in one table. With onlySuppressed
// every corner must already be suppressed (the audit's witness search).
func (p *Protected) bestPattern(c int, tab []bool, onlySuppressed bool) (pattern, bool) {
	return p.searchPatterns(c, tab, onlySuppressed, false, nil)
}

// searchPatterns is bestPattern with options: mustAdd keeps only patterns
// with at least one unsuppressed corner (a new pattern for the repair);
// each candidate pattern is passed to collect when it is not nil.
func (p *Protected) searchPatterns(c int, tab []bool, onlySuppressed, mustAdd bool, collect func(pattern)) (pattern, bool) {
	var dims []int
	var opts [][]pat1
	lim := map[int]int{1: 12, 2: 8, 3: 5, 4: 4, 5: 3}
	for j, in := range tab {
		if !in {
			continue
		}
		o := p.patterns1D(c, j, onlySuppressed)
		if len(o) == 0 {
			return pattern{}, false // no closed pattern along j
		}
		dims = append(dims, j)
		opts = append(opts, o)
	}
	if len(dims) == 0 {
		return pattern{}, false
	}
	for i := range opts {
		if l := lim[len(dims)]; len(opts[i]) > l {
			// Keep the chain to the total among the options: where every
			// sibling is small it is the only pattern with room.
			root := -1
			for k, o := range opts[i] {
				if o.toRoot {
					root = k
				}
			}
			if root >= l {
				opts[i] = append(opts[i][:l-1], opts[i][root])
			} else {
				opts[i] = opts[i][:l]
			}
		}
	}
	need := p.Need[c]
	down := math.Min(need.Down, p.Magnitude(c)-p.lb)
	m := len(dims)
	choice := make([]int, m)
	var best pattern
	bestScore, found := -1.0, false
	var rec func(i int)
	rec = func(i int) {
		if i < m {
			for a := range opts[i] {
				choice[i] = a
				rec(i + 1)
			}
			return
		}
		pt, ok := p.corners(c, dims, opts, choice, onlySuppressed)
		if !ok {
			return
		}
		if mustAdd {
			fresh := false
			for _, cell := range pt.corners {
				fresh = fresh || !p.suppressed(cell)
			}
			if !fresh {
				return
			}
		}
		if collect != nil {
			collect(pt)
		}
		score := 1.0
		if need.Up > 0 {
			score = math.Min(score, pt.up/need.Up)
		}
		if down > 0 {
			score = math.Min(score, pt.down/down)
		}
		score = math.Min(score, 1)
		if !found || score > bestScore+1e-12 || (score >= bestScore-1e-12 && pt.cost < best.cost) {
			best, bestScore, found = pt, score, true
		}
	}
	rec(0)
	return best, found
}

// corners expands a choice of one-dimensional patterns into cells.
func (p *Protected) corners(c int, dims []int, opts [][]pat1, choice []int, onlySuppressed bool) (pattern, bool) {
	pt := pattern{corners: []int{c}, signs: []float64{1}, up: math.Inf(1)}
	for i, j := range dims {
		o := opts[i][choice[i]]
		cj := p.node(c, j)
		var nc []int
		var ns []float64
		for k, cell := range pt.corners {
			for q, n := range o.nodes {
				nc = append(nc, cell+(n-cj)*p.stride[j])
				ns = append(ns, pt.signs[k]*o.signs[q])
			}
		}
		pt.corners, pt.signs = nc, ns
		if len(nc) > 1024 {
			return pt, false
		}
	}
	pt.down = p.Magnitude(c) - p.lb
	for k, cell := range pt.corners {
		if onlySuppressed && !p.suppressed(cell) || !p.usable(cell) {
			return pt, false
		}
		pt.cost += p.cost(cell)
		v := p.Magnitude(cell) - p.lb
		if pt.signs[k] < 0 {
			pt.up = math.Min(pt.up, v)
		} else {
			pt.down = math.Min(pt.down, v)
		}
	}
	return pt, true
}

// patterns1D lists closed one-dimensional patterns through c's category in
// dimension j, cheapest first: c's category, a chain down to a leaf when it
// is not one, and either a chain up to the total or, at some level, a
// sibling branch with sign -1 (so the parent above is unchanged).
func (p *Protected) patterns1D(c, j int, onlySuppressed bool) []pat1 {
	d := p.dims[j]
	cj := p.node(c, j)
	nb := func(n int) float64 {
		cell := c + (n-cj)*p.stride[j]
		if p.suppressed(cell) {
			return 0
		}
		if onlySuppressed || !p.usable(cell) {
			return math.Inf(1)
		}
		return p.cost(cell)
	}
	chain := func(n int, sign float64) ([]int, []float64, float64, bool) {
		var nodes []int
		var signs []float64
		cost := 0.0
		for !d.isLeaf(n) {
			best, bc := -1, math.Inf(1)
			for _, ch := range d.nodes[n].children {
				if v := nb(ch); v < bc {
					best, bc = ch, v
				}
			}
			if best < 0 {
				return nil, nil, 0, false
			}
			nodes, signs, cost = append(nodes, best), append(signs, sign), cost+bc
			n = best
		}
		return nodes, signs, cost, true
	}
	baseN, baseS, baseC, ok := chain(cj, 1)
	if !ok {
		return nil
	}
	baseN, baseS = append([]int{cj}, baseN...), append([]float64{1}, baseS...)
	var out []pat1
	upN, upS, upC := baseN, baseS, baseC
	for cur := cj; ; {
		if cur == 0 {
			out = append(out, pat1{nodes: upN, signs: upS, cost: upC, toRoot: true})
			break
		}
		par := d.nodes[cur].parent
		sibs := append([]int(nil), d.nodes[par].children...)
		sort.Slice(sibs, func(a, b int) bool { return nb(sibs[a]) < nb(sibs[b]) })
		taken := 0
		for _, s := range sibs {
			if s == cur || taken >= 4 {
				continue
			}
			sc := nb(s)
			if math.IsInf(sc, 1) {
				break
			}
			dn, ds, dc, ok := chain(s, -1)
			if !ok {
				continue
			}
			taken++
			nodes := append(append(append([]int(nil), upN...), s), dn...)
			signs := append(append(append([]float64(nil), upS...), -1), ds...)
			out = append(out, pat1{nodes: nodes, signs: signs, cost: upC + sc + dc})
		}
		pc := nb(par)
		if math.IsInf(pc, 1) {
			break
		}
		upN = append(append([]int(nil), upN...), par)
		upS = append(append([]float64(nil), upS...), 1)
		upC += pc
		cur = par
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].cost < out[b].cost })
	return out
}
