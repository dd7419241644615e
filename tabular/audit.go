package tabular

import (
	"errors"
	"math"
	"runtime"
	"sort"
	"sync"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/tabular/lp"
)

// Interval is what an attacker can learn of one suppressed cell from the
// published cells and the additivity of the table: Lo <= value <= Hi.
type Interval struct {
	Cell     int
	Value    float64
	Lo, Hi   float64
	Need     Protection
	OK       bool
	Primary  bool
	Computed bool // Lo and Hi are exact optima (not stopped early)
	Witness  bool // Lo and Hi come from a verified closed pattern: the true interval is at least this wide
}

// ExactAuditVars bounds the LP size (variables after presolve) for which
// the final audit computes exact intervals of every suppressed cell; larger
// components get exact LP intervals only for primary cells that no
// verified pattern certifies.
var ExactAuditVars = 400

// ExactAuditCells is the component size (suppressed cells) up to which the
// final audit solves the whole component's LP for every cell.
var ExactAuditCells = 600

// witness looks for a closed pattern of suppressed cells through primary
// cell c, verifies that it keeps every active constraint, and returns the
// interval it proves.
func (p *Protected) witness(c int) (lo, hi float64, ok bool) {
	need := p.Need[c]
	x := p.Magnitude(c)
	for _, tab := range p.tables {
		if !p.inTable(c, tab) {
			continue
		}
		pt, found := p.bestPattern(c, tab, true)
		if !found || !p.closed(pt) {
			continue
		}
		if pt.up >= need.Up-1e-9 && pt.down >= math.Min(need.Down, x-p.lb)-1e-9 {
			return x - pt.down, x + pt.up, true
		}
	}
	return 0, 0, false
}

// closed verifies that moving the pattern's corners by their signs keeps
// every active constraint that holds one of them.
func (p *Protected) closed(pt pattern) bool {
	z := make(map[int]float64, len(pt.corners))
	for k, c := range pt.corners {
		z[c] += pt.signs[k]
	}
	seen := make(map[int]bool)
	ok := true
	for _, c := range pt.corners {
		p.constraintsOf(c, func(tot, j int) {
			k := tot*8 + j
			if seen[k] || !ok {
				return
			}
			seen[k] = true
			sum := 0.0
			p.members(tot, j, func(m int, coef float64) { sum += coef * z[m] })
			if sum != 0 {
				ok = false
			}
		})
	}
	return ok
}

// AuditResult is the outcome of the attacker audit.
type AuditResult struct {
	Passed     bool       `json:"passed"`
	Suppressed int        `json:"suppressed_cells"`
	Components int        `json:"components"`
	LargestLP  [2]int     `json:"largest_lp"` // variables, constraints
	Failures   []Interval `json:"-"`
	Intervals  []Interval `json:"-"`
}

// component is a set of suppressed cells linked by constraints.
type component struct {
	cells []int
}

// audit computes, by linear programming, the interval of every suppressed
// cell. With exact, both bounds of every suppressed cell are optimised;
// otherwise only primary cells are checked, stopping at their requirement.
func (p *Protected) audit(exact bool) (*AuditResult, error) {
	comps := p.components()
	res := &AuditResult{Passed: true, Components: len(comps)}
	out := make([][]Interval, len(comps))
	errs := make([]error, len(comps))
	var wg sync.WaitGroup
	work := make(chan int)
	var mu sync.Mutex
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				iv, size, err := p.auditComponent(comps[i], exact)
				out[i], errs[i] = iv, err
				mu.Lock()
				if size[0] > res.LargestLP[0] {
					res.LargestLP = size
				}
				mu.Unlock()
			}
		}()
	}
	order := make([]int, len(comps))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return len(comps[order[a]].cells) > len(comps[order[b]].cells) })
	for _, i := range order {
		work <- i
	}
	close(work)
	wg.Wait()
	for i := range comps {
		if errs[i] != nil {
			return nil, errs[i]
		}
		for _, iv := range out[i] {
			res.Suppressed++
			res.Intervals = append(res.Intervals, iv)
			if !iv.OK {
				res.Passed = false
				res.Failures = append(res.Failures, iv)
			}
		}
	}
	sort.Slice(res.Intervals, func(a, b int) bool { return res.Intervals[a].Cell < res.Intervals[b].Cell })
	sort.Slice(res.Failures, func(a, b int) bool { return res.Failures[a].Cell < res.Failures[b].Cell })
	return res, nil
}

// components groups the suppressed cells by shared constraints.
func (p *Protected) components() []component {
	parent := make(map[int]int)
	var find func(int) int
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for c := 0; c < p.N; c++ {
		if p.suppressed(c) {
			parent[c] = c
		}
	}
	for c := range parent {
		p.constraintsOf(c, func(tot, j int) {
			p.members(tot, j, func(m int, _ float64) {
				if _, ok := parent[m]; ok {
					a, b := find(c), find(m)
					if a != b {
						parent[a] = b
					}
				}
			})
		})
	}
	groups := make(map[int][]int)
	for c := range parent {
		r := find(c)
		groups[r] = append(groups[r], c)
	}
	out := make([]component, 0, len(groups))
	for _, g := range groups {
		sort.Ints(g)
		out = append(out, component{cells: g})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].cells[0] < out[b].cells[0] })
	return out
}

// auditComponent solves the attacker LPs of one component.
func (p *Protected) auditComponent(cm component, exact bool) ([]Interval, [2]int, error) {
	certified := make(map[int][2]float64)
	needLP := exact
	for _, c := range cm.cells {
		if _, primary := p.Need[c]; !primary {
			continue
		}
		if w, ok := p.cached(c); ok {
			certified[c] = w
		} else if lo, hi, ok := p.witness(c); ok {
			certified[c] = [2]float64{lo, hi}
			p.remember(c, certified[c])
		} else {
			needLP = true
		}
	}
	if !needLP {
		out := make([]Interval, 0, len(cm.cells))
		for _, c := range cm.cells {
			iv := Interval{Cell: c, Value: p.Magnitude(c), OK: true, Lo: math.NaN(), Hi: math.NaN()}
			if w, ok := certified[c]; ok {
				iv.Need, iv.Primary, iv.Witness, iv.Lo, iv.Hi = p.Need[c], true, true, w[0], w[1]
			}
			out = append(out, iv)
		}
		return out, [2]int{}, nil
	}
	// Local attacker LPs: the other suppressed cells outside a neighbourhood
	// are fixed at their true values, which only shrinks the attacker's
	// feasible set, so a local pass proves protection; only cells that fail
	// locally go to the LP of the whole component.
	targets := make(map[int]bool)
	failedLocal := make(map[int]Interval)
	for _, c := range cm.cells {
		if _, primary := p.Need[c]; !primary {
			continue
		}
		if _, ok := certified[c]; ok {
			continue
		}
		passed := false
		var last Interval
		for _, limit := range []int{0, 120} {
			sub := p.patternUnion(c)
			if limit > 0 {
				sub = p.neighbourhood(c, limit)
			}
			if len(sub.cells) >= len(cm.cells) {
				break
			}
			ivs, _, err := p.lpSet(sub, false, nil, map[int]bool{c: true})
			if err != nil {
				return nil, [2]int{}, err
			}
			for _, iv := range ivs {
				if iv.Cell == c {
					last = iv
				}
				if iv.Cell == c && iv.OK {
					certified[c] = [2]float64{iv.Lo, iv.Hi}
					p.remember(c, certified[c])
					passed = true
				}
			}
			if passed {
				break
			}
		}
		if !passed {
			targets[c] = true
			if last.Cell == c {
				failedLocal[c] = last
			}
		}
	}
	if exact && (len(cm.cells) <= ExactAuditCells || p.fullAudit) {
		return p.lpSet(cm, true, certified, nil)
	}
	// Cells with no local result (the component is small) or, in the final
	// audit, cells no local LP certifies go to the whole component's LP.
	// During repair a local failure counts as a failure: more suppression
	// can only widen intervals, so the final pattern is still proven.
	full := make(map[int]bool)
	for c := range targets {
		if _, ok := failedLocal[c]; !ok || exact {
			full[c] = true
		}
	}
	var out []Interval
	var size [2]int
	if len(full) > 0 {
		var err error
		if out, size, err = p.lpSet(cm, false, certified, full); err != nil {
			return nil, size, err
		}
	} else {
		for _, c := range cm.cells {
			iv := Interval{Cell: c, Value: p.Magnitude(c), OK: true, Lo: math.NaN(), Hi: math.NaN()}
			if w, ok := certified[c]; ok {
				iv.Need, iv.Primary, iv.Witness, iv.Lo, iv.Hi = p.Need[c], true, true, w[0], w[1]
			}
			out = append(out, iv)
		}
	}
	for i, iv := range out {
		if f, ok := failedLocal[iv.Cell]; ok && !full[iv.Cell] {
			out[i] = f
		}
	}
	return out, size, nil
}

// patternUnion returns the corners of the closed patterns of suppressed
// cells through c (up to 400 cells): the attacker LP over them can combine
// patterns whose rooms add up.
func (p *Protected) patternUnion(c int) component {
	set := map[int]bool{c: true}
	for _, tab := range p.tables {
		if !p.inTable(c, tab) {
			continue
		}
		p.searchPatterns(c, tab, true, false, func(pt pattern) {
			if len(set)+len(pt.corners) > 400 {
				return
			}
			for _, x := range pt.corners {
				set[x] = true
			}
		})
	}
	cells := make([]int, 0, len(set))
	for x := range set {
		cells = append(cells, x)
	}
	sort.Ints(cells)
	return component{cells: cells}
}

// neighbourhood returns up to limit suppressed cells nearest to c through
// shared constraints.
func (p *Protected) neighbourhood(c, limit int) component {
	seen := map[int]bool{c: true}
	queue := []int{c}
	for i := 0; i < len(queue) && len(queue) < limit; i++ {
		p.constraintsOf(queue[i], func(tot, j int) {
			p.members(tot, j, func(m int, _ float64) {
				if !seen[m] && p.suppressed(m) && len(queue) < limit {
					seen[m] = true
					queue = append(queue, m)
				}
			})
		})
	}
	sort.Ints(queue)
	return component{cells: queue}
}

// lpSet solves the attacker LP over the suppressed cells of cm (others
// fixed at their values). Intervals are computed for targets (all primary
// cells when nil; every cell when exact); certified cells keep their
// witness interval.
func (p *Protected) lpSet(cm component, exact bool, certified map[int][2]float64, targets map[int]bool) ([]Interval, [2]int, error) {
	idx := make(map[int]int, len(cm.cells))
	for i, c := range cm.cells {
		idx[c] = i
	}
	prob := &lp.Problem{Lower: make([]float64, len(cm.cells)), Upper: make([]float64, len(cm.cells))}
	for i := range cm.cells {
		prob.Lower[i], prob.Upper[i] = p.lb, p.ub
	}
	seen := make(map[int]bool)
	for _, c := range cm.cells {
		p.constraintsOf(c, func(tot, j int) {
			k := tot*8 + j
			if seen[k] {
				return
			}
			seen[k] = true
			var r lp.Row
			p.members(tot, j, func(m int, coef float64) {
				if i, ok := idx[m]; ok {
					r.Idx = append(r.Idx, i)
					r.Coef = append(r.Coef, coef)
				} else {
					r.RHS -= coef * p.Magnitude(m)
				}
			})
			prob.Rows = append(prob.Rows, r)
		})
	}
	red := presolve(len(cm.cells), prob.Rows, p.lb, p.ub)
	// LP over the roots that appear in rows; other roots are free within
	// their bounds.
	lpIdx := make(map[int]int)
	sub := &lp.Problem{}
	for _, row := range red.rows {
		for k, v := range row.Idx {
			if _, ok := lpIdx[v]; !ok {
				lpIdx[v] = len(sub.Lower)
				sub.Lower = append(sub.Lower, red.lo[v])
				sub.Upper = append(sub.Upper, red.up[v])
			}
			row.Idx[k] = lpIdx[v]
		}
		sub.Rows = append(sub.Rows, row)
	}
	size := [2]int{len(sub.Lower), len(sub.Rows)}
	var s *lp.Solver
	if len(sub.Rows) > 0 {
		var err error
		if s, err = lp.New(sub); err != nil {
			return nil, size, fault.Errorf(fault.Internal, "audit LP of %d cells failed: %v", len(cm.cells), err).Wrap(err)
		}
	}
	type mm struct{ lo, hi float64 }
	cache := make(map[int]mm)
	// rootBound returns min (max=false) or max of root v, stopping early at
	// stop when not exact.
	rootBound := func(v int, max bool, stop float64) (float64, error) {
		if m, ok := cache[v]; ok {
			if max {
				return m.hi, nil
			}
			return m.lo, nil
		}
		i, inLP := lpIdx[v]
		if !inLP {
			if max {
				return red.up[v], nil
			}
			return red.lo[v], nil
		}
		pv := s.Pivots
		b, err := s.Bound(i, max, stop)
		if debugLP {
			println("lp", i, max, s.Pivots-pv)
		}
		if err == nil && math.IsInf(b, -1) {
			b = red.lo[v]
		}
		return b, err
	}
	if exact && len(lpIdx) > ExactAuditVars && !p.fullAudit {
		exact = false
	}
	if exact {
		for v := range lpIdx {
			hi, err := rootBound(v, true, math.Inf(1))
			if err != nil {
				return nil, size, err
			}
			lo, err := rootBound(v, false, math.Inf(-1))
			if err != nil {
				return nil, size, err
			}
			cache[v] = mm{lo, hi}
		}
	}
	out := make([]Interval, 0, len(cm.cells))
	for i, c := range cm.cells {
		need, primary := p.Need[c]
		x := p.Magnitude(c)
		iv := Interval{Cell: c, Value: x, Need: need, Primary: primary, Computed: exact}
		if (!primary && !exact) || (targets != nil && !targets[c] && !exact) {
			if _, ok := certified[c]; !ok {
				iv.OK, iv.Lo, iv.Hi = true, math.NaN(), math.NaN()
				out = append(out, iv)
				continue
			}
		}
		if w, ok := certified[c]; ok && !exact {
			iv.OK, iv.Witness, iv.Lo, iv.Hi = true, true, w[0], w[1]
			out = append(out, iv)
			continue
		}
		upT, downT := x+need.Up, math.Max(x-need.Down, p.lb)
		root, sg, off := red.root[i], red.sign[i], red.off[i]
		for red.root[root] != root { // presolve compresses paths only on find
			root, sg, off = red.root[root], sg*red.sign[root], sg*red.off[root]+off
		}
		// v = sg*root + off: max v uses max root when sg > 0.
		var hiR, loR float64
		var err error
		if sg > 0 {
			hiR, err = rootBound(root, true, (upT-off)/sg)
			if err == nil {
				loR, err = rootBound(root, false, (downT-off)/sg)
			}
			iv.Hi, iv.Lo = sg*hiR+off, sg*loR+off
		} else {
			loR, err = rootBound(root, false, (upT-off)/sg)
			if err == nil {
				hiR, err = rootBound(root, true, (downT-off)/sg)
			}
			iv.Hi, iv.Lo = sg*loR+off, sg*hiR+off
		}
		if errors.Is(err, lp.ErrIterations) {
			iv.Lo, iv.Hi = x, x // unknown: count as disclosed
		} else if err != nil {
			return nil, size, fault.Errorf(fault.Internal, "audit LP: %v", err).Wrap(err)
		}
		if math.IsNaN(iv.Hi) {
			iv.Hi = math.Inf(1)
		}
		tol := 1e-7 * (1 + math.Abs(x))
		iv.OK = !primary || (iv.Hi >= upT-tol && iv.Lo <= downT+tol)
		out = append(out, iv)
	}
	return out, size, nil
}
