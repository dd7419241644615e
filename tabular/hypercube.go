package tabular

import (
	"math"
	"sort"
)

type alt struct {
	node int
	sign float64
	cost float64
}

// hypercube suppresses, for primary cell c, the cheapest closed pattern of
// 2^m cells (GHMITER, Repsilber 1994): in each dimension of a table holding
// c, one other category on a constraint with c: a sibling (opposite sign),
// or the parent or a child (same sign). Corners must leave c room to move
// up by Need.Up and down by Need.Down without any cell going negative.
func (p *Protected) hypercube(c int) {
	for _, tab := range p.tables {
		if p.inTable(c, tab) {
			p.hypercubeIn(c, tab)
		}
	}
}

func (p *Protected) hypercubeIn(c int, tab []bool) {
	var dims []int
	var alts [][]alt
	k := map[int]int{1: 12, 2: 8, 3: 6, 4: 4, 5: 3}
	for j, in := range tab {
		if !in {
			continue
		}
		a := p.alternatives(c, j)
		if len(a) == 0 {
			continue
		}
		dims = append(dims, j)
		alts = append(alts, a)
	}
	if len(dims) == 0 {
		return
	}
	for i := range alts {
		if lim := k[len(dims)]; len(alts[i]) > lim {
			alts[i] = alts[i][:lim]
		}
	}
	need := p.Need[c]
	x := p.Magnitude(c)
	down := math.Min(need.Down, x-p.lb)
	m := len(dims)
	choice := make([]int, m)
	best := make([]int, m)
	bestScore, bestCost := -1.0, math.Inf(1)
	corners := make([]int, 1<<m)
	signs := make([]float64, 1<<m)
	var rec func(i int)
	rec = func(i int) {
		if i < m {
			for a := range alts[i] {
				choice[i] = a
				rec(i + 1)
			}
			return
		}
		cost, upRoom, downRoom := 0.0, math.Inf(1), x-p.lb
		for mask := 0; mask < 1<<m; mask++ {
			cell, sign := c, 1.0
			for b := 0; b < m; b++ {
				if mask&(1<<b) != 0 {
					a := alts[b][choice[b]]
					cell += (a.node - p.node(c, dims[b])) * p.stride[dims[b]]
					sign *= a.sign
				}
			}
			if !p.usable(cell) {
				return
			}
			corners[mask], signs[mask] = cell, sign
			cost += p.cost(cell)
			v := p.Magnitude(cell) - p.lb
			if sign < 0 {
				upRoom = math.Min(upRoom, v)
			} else {
				downRoom = math.Min(downRoom, v)
			}
		}
		score := 1.0
		if need.Up > 0 {
			score = math.Min(score, upRoom/need.Up)
		}
		if down > 0 {
			score = math.Min(score, downRoom/down)
		}
		if score > bestScore+1e-12 || (score >= bestScore-1e-12 && cost < bestCost) {
			bestScore, bestCost = math.Min(score, 1), cost
			copy(best, choice)
		}
	}
	rec(0)
	if bestScore < 0 {
		return
	}
	for mask := 0; mask < 1<<m; mask++ {
		cell := c
		for b := 0; b < m; b++ {
			if mask&(1<<b) != 0 {
				a := alts[b][best[b]]
				cell += (a.node - p.node(c, dims[b])) * p.stride[dims[b]]
			}
		}
		p.suppress(cell)
	}
}

// alternatives lists, cheapest first, the categories of dimension j that
// share an active constraint with cell c.
func (p *Protected) alternatives(c, j int) []alt {
	d := p.dims[j]
	n := p.node(c, j)
	var out []alt
	addAlt := func(m int, sign float64) {
		cell := c + (m-n)*p.stride[j]
		if !p.usable(cell) {
			return
		}
		out = append(out, alt{node: m, sign: sign, cost: p.cost(cell)})
	}
	if !d.isLeaf(n) && p.constraintActive(c, j) {
		for _, ch := range d.nodes[n].children {
			addAlt(ch, 1)
		}
	}
	if n != 0 {
		par := d.nodes[n].parent
		if p.constraintActive(c+(par-n)*p.stride[j], j) {
			addAlt(par, 1)
			for _, s := range d.nodes[par].children {
				if s != n {
					addAlt(s, -1)
				}
			}
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].cost < out[b].cost })
	return out
}
