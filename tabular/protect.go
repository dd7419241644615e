package tabular

import (
	"math"
	"sort"
	"sync"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// Options of Protect.
type Options struct {
	Rules []Rule
	Zeros Zeros
	// Secondary is auto, hypercube, optimal or none.
	Secondary string
	// MaxOptimal bounds the tables given to the optimal method: active cells
	// (default 20000) and suppressed cells (default 1500).
	MaxOptimalCells, MaxOptimalSuppressed int
	// Exact configures the exact method of Secondary "optimal".
	Exact ExactOptions
	// FullAudit computes exact intervals for every suppressed cell (the
	// report); otherwise the audit stops once each requirement is met.
	FullAudit bool
}

// Protected is a table with a cell status for every cell and the report.
type Protected struct {
	*Table
	Status []Status
	Need   map[int]Protection
	Audit  *AuditResult
	Report *Report
	lb, ub float64 // attacker's prior bounds on every cell
	zeros  Zeros
	// cert caches primary cells proven protected while suppression only
	// grows (more suppression never narrows an interval); nil disables it.
	cert      map[int][2]float64
	certMu    sync.Mutex
	fullAudit bool
}

func (p *Protected) cached(c int) ([2]float64, bool) {
	p.certMu.Lock()
	defer p.certMu.Unlock()
	if p.cert == nil {
		return [2]float64{}, false
	}
	v, ok := p.cert[c]
	return v, ok
}

func (p *Protected) remember(c int, iv [2]float64) {
	p.certMu.Lock()
	defer p.certMu.Unlock()
	if p.cert != nil {
		p.cert[c] = iv
	}
}

func (p *Protected) suppressed(c int) bool { return p.Status[c] >= Primary }

// Protect applies primary rules, then secondary suppression and the audit.
func (t *Table) Protect(o Options) (*Protected, error) {
	if err := t.Finish(); err != nil {
		return nil, err
	}
	rep := t.newReport()
	p := &Protected{Table: t, Status: make([]Status, t.N), Need: make(map[int]Protection), Report: rep, zeros: o.Zeros, fullAudit: o.FullAudit}
	p.lb, p.ub = 0, math.Inf(1)
	if t.negRow > 0 {
		for _, r := range o.Rules {
			if r.Rule == "dominance" || r.Rule == "p-percent" {
				return nil, fault.New(fault.Invalid,
					"negative contributions: the "+r.Rule+" rule needs non-negative values",
					"負の値があります。"+r.Rule+" 規則は非負の値にのみ適用できます").At("", int(t.negRow), t.measIdx+1).In(t.Spec.Measure.Column)
			}
		}
		var a float64
		for c := 0; c < t.N; c++ {
			if t.isInner(c) {
				a += math.Abs(t.Sum[c])
			}
		}
		p.lb, p.ub = -a, a
		rep.note("negative values: the attacker is assumed to know only |cell| <= %g", a)
	}
	start := time.Now()
	for c := 0; c < t.N; c++ {
		if !t.active(c) {
			continue
		}
		if !t.isInner(c) {
			p.Status[c] = Total
		}
		if bad, need := t.primary(c, o.Rules, o.Zeros); bad {
			p.Status[c] = Primary
			p.Need[c] = need
			rep.PrimaryByRule[need.Rule]++
		}
	}
	rep.Rules = o.Rules
	rep.ms("primary", start)
	method := o.Secondary
	if method == "" {
		method = "auto"
	}
	start = time.Now()
	var err error
	var saved []Status // heuristic pattern, kept while the exact method runs
	switch method {
	case "none":
		rep.note("secondary suppression disabled: suppressed cells may be recomputable (see audit)")
	case "hypercube":
		err = p.heuristic()
	case "optimal", "auto":
		if method == "optimal" {
			if err = o.Exact.defaults(); err != nil {
				return nil, err
			}
		}
		if err = p.heuristic(); err != nil {
			break
		}
		if too := p.tooLargeForOptimal(o); too != "" {
			if method == "optimal" {
				rep.Fallbacks = append(rep.Fallbacks, "optimal method not run ("+too+"): hypercube heuristic with LP repair used")
			} else {
				rep.note("auto: hypercube used (%s)", too)
			}
			method = "hypercube"
			break
		}
		if err = p.minimise(); err != nil || method == "auto" {
			method = "optimal"
			break
		}
		if active := p.activeCells(); active > o.Exact.MaxCells {
			why := "table has " + itoa(active) + " cells, limit " + itoa(o.Exact.MaxCells)
			rep.Fallbacks = append(rep.Fallbacks, "exact optimal method not run ("+why+"): LP-verified irreducible pattern used, not proven optimal")
			rep.Exact = &ExactReport{Cost: o.Exact.Cost, Status: "not run: " + why}
			break
		}
		saved = append([]Status(nil), p.Status...)
		err = p.exact(o.Exact)
	default:
		return nil, fault.Errorf(fault.Invalid, "secondary %q: use auto, hypercube, optimal or none", o.Secondary).In("protection.secondary")
	}
	if err != nil {
		return nil, err
	}
	rep.Method = method
	rep.ms("secondary", start)
	start = time.Now()
	p.Audit, err = p.audit(true)
	if err != nil {
		return nil, err
	}
	if saved != nil && !p.Audit.Passed {
		// The exact pattern passed the attacker LPs of the search but not
		// the audit's (tolerances): keep the audited heuristic pattern.
		copy(p.Status, saved)
		rep.Exact.Status += "; rejected by the final audit, heuristic pattern kept"
		rep.Exact.Proven = false
		if p.Audit, err = p.audit(true); err != nil {
			return nil, err
		}
	}
	rep.ms("audit", start)
	p.fillReport()
	return p, nil
}

// activeCells counts the cells of the (linked) tables.
func (p *Protected) activeCells() int {
	n := 0
	for c := 0; c < p.N; c++ {
		if p.active(c) {
			n++
		}
	}
	return n
}

func (p *Protected) tooLargeForOptimal(o Options) string {
	mc, ms := o.MaxOptimalCells, o.MaxOptimalSuppressed
	if mc == 0 {
		mc = 20000
	}
	if ms == 0 {
		ms = 1500
	}
	active, supp := 0, 0
	for c := 0; c < p.N; c++ {
		if p.active(c) {
			active++
		}
		if p.suppressed(c) {
			supp++
		}
	}
	switch {
	case active > mc:
		return "table has " + itoa(active) + " cells, limit " + itoa(mc)
	case supp > ms:
		return itoa(supp) + " suppressed cells, limit " + itoa(ms)
	}
	return ""
}

// cost is the price of suppressing cell c (its value, plus one so that
// fewer cells are preferred among empty ones).
func (p *Protected) cost(c int) float64 {
	if p.suppressed(c) {
		return 0
	}
	return math.Abs(p.Magnitude(c)) + 1
}

// usable reports whether c may be suppressed as a secondary cell.
func (p *Protected) usable(c int) bool {
	return p.suppressed(c) || (p.active(c) && (p.Count[c] > 0 || p.zeros.UseSecondary))
}

func (p *Protected) suppress(c int) {
	if !p.suppressed(c) {
		p.Status[c] = Secondary
	}
}

// constraintsOf calls f(total, j) for every active constraint holding c.
func (p *Protected) constraintsOf(c int, f func(total, j int)) {
	for j, d := range p.dims {
		n := p.node(c, j)
		if !d.isLeaf(n) && p.constraintActive(c, j) {
			f(c, j)
		}
		if n != 0 {
			tot := c + (d.nodes[n].parent-n)*p.stride[j]
			if p.constraintActive(tot, j) {
				f(tot, j)
			}
		}
	}
}

// members calls f(cell, coef) for the cells of constraint (total, j):
// -1 for the total, +1 for each child.
func (p *Protected) members(total, j int, f func(c int, coef float64)) {
	f(total, -1)
	n := p.node(total, j)
	for _, ch := range p.dims[j].nodes[n].children {
		f(total+(ch-n)*p.stride[j], 1)
	}
}

// singletons suppresses, until none is left, a second cell in every
// constraint that has exactly one suppressed cell (otherwise that cell is
// the published total minus the published rest).
func (p *Protected) singletons() {
	var queue []int
	seen := make(map[int]bool)
	d := len(p.dims)
	push := func(tot, j int) {
		k := tot*8 + j
		if !seen[k] {
			seen[k] = true
			queue = append(queue, k)
		}
	}
	for c := 0; c < p.N; c++ {
		if p.suppressed(c) {
			p.constraintsOf(c, push)
		}
	}
	_ = d
	for len(queue) > 0 {
		k := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		seen[k] = false
		tot, j := k/8, k%8
		nsup, best, bestCost := 0, -1, math.Inf(1)
		p.members(tot, j, func(c int, _ float64) {
			if p.suppressed(c) {
				nsup++
				return
			}
			if p.usable(c) {
				cost := p.cost(c)
				if c == tot {
					cost *= 2 // prefer inner cells over totals
				}
				if cost < bestCost {
					best, bestCost = c, cost
				}
			}
		})
		if nsup == 1 && best >= 0 {
			p.suppress(best)
			p.constraintsOf(best, push)
		}
	}
}

// heuristic runs the hypercube pass, the singleton pass and the audit
// repair loop until the audit passes.
func (p *Protected) heuristic() error {
	prim := make([]int, 0, len(p.Need))
	for c := range p.Need {
		prim = append(prim, c)
	}
	sort.Slice(prim, func(a, b int) bool {
		return p.Magnitude(prim[a]) > p.Magnitude(prim[b]) || (p.Magnitude(prim[a]) == p.Magnitude(prim[b]) && prim[a] < prim[b])
	})
	for _, c := range prim {
		p.hypercube(c)
	}
	p.singletons()
	return p.repair()
}

// repair audits and, while some cell is under-protected, suppresses the
// best cell near it and audits again.
func (p *Protected) repair() error {
	p.cert = make(map[int][2]float64)
	defer func() { p.cert = nil }()
	bestFail, stale := math.MaxInt, 0
	for round := 0; ; round++ {
		res, err := p.audit(false)
		if err != nil {
			return err
		}
		if res.Passed {
			p.Report.RepairRounds = round
			return nil
		}
		if debugLP {
			println("round", round, "failures", len(res.Failures), "components", res.Components, "suppressed", res.Suppressed)

		}
		if len(res.Failures) < bestFail {
			bestFail, stale = len(res.Failures), 0
		} else if stale++; stale >= 4 {
			p.Report.RepairRounds = round
			p.Report.note("repair stopped: %d primary cells still fail after %d rounds without improvement", len(res.Failures), stale)
			return nil
		}
		progress := false
		for _, f := range res.Failures {
			if p.repairPattern(f.Cell) {
				progress = true
			} else if c := p.repairCandidate(f); c >= 0 {
				p.suppress(c)
				progress = true
			}
		}
		if !progress {
			p.Report.RepairRounds = round
			p.Report.note("repair could not find more cells to suppress; see the audit failures")
			return nil
		}
		p.singletons()
	}
}

// repairPattern suppresses one more closed pattern through primary cell c
// (one with a corner not yet suppressed), so that the attacker LP can
// combine it with the patterns already there.
func (p *Protected) repairPattern(c int) bool {
	if _, primary := p.Need[c]; !primary {
		return false
	}
	done := false
	for _, tab := range p.tables {
		if !p.inTable(c, tab) {
			continue
		}
		if pt, ok := p.searchPatterns(c, tab, false, true, nil); ok {
			for _, cell := range pt.corners {
				p.suppress(cell)
			}
			done = true
		}
	}
	return done
}

// repairCandidate searches outwards from the failing cell through the
// constraints of suppressed cells for the cheapest usable cell, preferring
// cells whose value covers the deficit.
func (p *Protected) repairCandidate(f Interval) int {
	deficit := math.Max(f.Value+f.Need.Up-f.Hi, f.Lo-(f.Value-f.Need.Down))
	visited := map[int]bool{f.Cell: true}
	frontier := []int{f.Cell}
	for len(frontier) > 0 {
		best, bestCost, bestCovers := -1, math.Inf(1), false
		var next []int
		for _, c := range frontier {
			p.constraintsOf(c, func(tot, j int) {
				p.members(tot, j, func(m int, _ float64) {
					if visited[m] {
						return
					}
					visited[m] = true
					if p.suppressed(m) {
						next = append(next, m)
						return
					}
					if !p.usable(m) {
						return
					}
					covers := math.Abs(p.Magnitude(m)) >= deficit
					cost := p.cost(m)
					if (covers && !bestCovers) || (covers == bestCovers && cost < bestCost) {
						best, bestCost, bestCovers = m, cost, covers
					}
				})
			})
		}
		if best >= 0 {
			return best
		}
		frontier = next
	}
	return -1
}

func itoa(n int) string {
	return formatInt(int64(n))
}
