package tabular

import "sort"

// minimise removes secondary suppressions that are not needed: starting
// from the heuristic's pattern (which passes the audit), it tries each
// secondary cell, most expensive first, and publishes it again when the
// attacker LP still finds every primary cell of the affected component
// protected. The result is an irreducible pattern (no single secondary
// cell can be published); it is a local optimum of the suppression cost,
// not a proven optimum of the integer programme. It is the method of
// "auto", the incumbent of the exact method (exact.go) and its fallback
// for tables above ExactOptions.MaxCells.
func (p *Protected) minimise() error {
	var sec []int
	for c := 0; c < p.N; c++ {
		if p.Status[c] == Secondary {
			sec = append(sec, c)
		}
	}
	sort.Slice(sec, func(a, b int) bool { return p.cost(sec[a]) > p.cost(sec[b]) })
	removed := 0
	for _, c := range sec {
		p.Status[c] = p.publishedStatus(c)
		ok, err := p.auditAround(c)
		if err != nil {
			return err
		}
		if ok {
			removed++
		} else {
			p.Status[c] = Secondary
		}
	}
	p.Report.note("optimal: %d of %d heuristic secondary suppressions removed after LP verification", removed, len(sec))
	return nil
}

func (p *Protected) publishedStatus(c int) Status {
	if p.isInner(c) {
		return Safe
	}
	return Total
}

// auditAround audits the components of the suppressed cells sharing a
// constraint with c, stopping at requirements.
func (p *Protected) auditAround(c int) (bool, error) {
	done := make(map[int]bool)
	ok := true
	var err error
	p.constraintsOf(c, func(tot, j int) {
		p.members(tot, j, func(m int, _ float64) {
			if !ok || err != nil || done[m] || !p.suppressed(m) {
				return
			}
			cm := p.componentFrom(m)
			for _, x := range cm.cells {
				done[x] = true
			}
			var ivs []Interval
			ivs, _, err = p.auditComponent(cm, false)
			for _, iv := range ivs {
				if !iv.OK {
					ok = false
				}
			}
		})
	})
	return ok && err == nil, err
}

// componentFrom returns the component of suppressed cell s.
func (p *Protected) componentFrom(s int) component {
	seen := map[int]bool{s: true}
	stack := []int{s}
	var cells []int
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		cells = append(cells, c)
		p.constraintsOf(c, func(tot, j int) {
			p.members(tot, j, func(m int, _ float64) {
				if !seen[m] && p.suppressed(m) {
					seen[m] = true
					stack = append(stack, m)
				}
			})
		})
	}
	sort.Ints(cells)
	return component{cells: cells}
}
