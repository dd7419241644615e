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
	size := [2]int{len(cm.cells), len(prob.Rows)}
	s, err := lp.New(prob)
	if err != nil {
		return nil, size, fault.Errorf(fault.Internal, "audit LP of %d cells failed: %v", len(cm.cells), err).Wrap(err)
	}
	out := make([]Interval, 0, len(cm.cells))
	for i, c := range cm.cells {
		need, primary := p.Need[c]
		x := p.Magnitude(c)
		iv := Interval{Cell: c, Value: x, Need: need, Primary: primary, Computed: exact}
		if !primary && !exact {
			iv.OK, iv.Lo, iv.Hi = true, math.NaN(), math.NaN()
			out = append(out, iv)
			continue
		}
		upT, downT := x+need.Up, math.Max(x-need.Down, p.lb)
		hiStop, loStop := upT, downT
		if exact {
			hiStop, loStop = math.Inf(1), math.Inf(-1)
		}
		tol := 1e-7 * (1 + math.Abs(x))
		// Quick checks on the current vertex before optimising.
		iv.Hi, err = s.Bound(i, true, hiStop)
		if err == nil {
			iv.Lo, err = s.Bound(i, false, loStop)
		}
		if errors.Is(err, lp.ErrIterations) {
			iv.Lo, iv.Hi = x, x // unknown: count as disclosed
		} else if err != nil {
			return nil, size, fault.Errorf(fault.Internal, "audit LP: %v", err).Wrap(err)
		}
		iv.OK = !primary || (iv.Hi >= upT-tol && iv.Lo <= downT+tol)
		out = append(out, iv)
	}
	return out, size, nil
}
