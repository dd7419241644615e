package anon

import (
	"context"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// Result is the outcome of Anonymize: the chosen transformation, its
// statistics and what is needed to write the output.
type Result struct {
	QINames            []string
	Transformation     []int // level per quasi-identifier, in QIs order
	SuppressedRecords  int64
	EquivalenceClasses int   // kept classes (suppressed ones not counted)
	MinClassSize       int64 // smallest kept class
	Metric             string
	InformationLoss    float64
	NodesChecked       int64
	LatticeSize        int64
	Optimal            bool
	// Monotonicity is "full" when every model is monotonic with
	// suppression (predictive tagging applies to all of them), "partial"
	// when only some are, "none" otherwise.
	Monotonicity string
	Records      int64
	EncodeTime   time.Duration // compiling hierarchies and grouping the rows
	SearchTime   time.Duration

	e *engine
	// rolled and produced are the source classes read and the classes
	// produced by the search's checks (benchmarks report them).
	rolled, produced int64
	final            *snap
	cls              []int32 // base class → final class
	bad              []bool  // final class suppressed
	qiCol            []int   // table column → QI index or -1
	// inputSizes are the input class sizes when they were computed before
	// the rows' codes were released.
	inputSizes []int64
}

// Levels returns the transformation by quasi-identifier name.
func (r *Result) Levels() map[string]int {
	m := make(map[string]int, len(r.QINames))
	for i, n := range r.QINames {
		m[n] = r.Transformation[i]
	}
	return m
}

// Anonymize searches the optimal transformation of p (or the best found
// within p.TimeLimit) and returns it. It fails with fault.Unsatisfiable when
// no transformation meets the models within the suppression limit.
func Anonymize(ctx context.Context, p *Problem) (*Result, error) {
	t0 := time.Now()
	e, err := p.compile()
	if err != nil {
		return nil, err
	}
	e.arena = takeArena()
	defer e.releaseArena()
	w := takeWorker()
	defer putWorker(w)
	if err := e.setup(w, !p.Exhaustive); err != nil {
		return nil, err
	}
	var inputSizes []int64
	if p.Table.ReleaseQICodes && e.rowClass != nil {
		if !allAtZero(e.base.node) {
			inputSizes = e.groupInput(w) // the worker's keys and table are free until the search
		}
		for _, a := range e.attrs {
			a.col.Codes = nil
		}
	}
	t1 := time.Now()
	if p.Progress != nil {
		p.Progress(0, e.size) // the search starts
	}
	var best *found
	var st searchStats
	if p.Exhaustive {
		best, st, err = e.exhaustive(ctx, w)
	} else {
		best, st, err = e.search(ctx, w)
	}
	if err != nil {
		return nil, err
	}
	if best.node == nil {
		return nil, fault.New(fault.Unsatisfiable,
			"no transformation meets the privacy models within the suppression limit",
			"抑制率の上限内でプライバシーモデルを満たす一般化がありません")
	}
	r := &Result{Metric: e.metric, NodesChecked: st.checked, LatticeSize: e.fullSize, Optimal: st.optimal, e: e, Records: e.n,
		inputSizes: inputSizes, rolled: st.rolled, produced: st.result}
	for _, a := range e.attrs {
		r.QINames = append(r.QINames, a.name)
	}
	r.Monotonicity = e.monotonicity()
	r.Transformation = best.node
	s, ids := e.rollupInto(w, e.base, best.node, &w.tmp)
	r.cls = append([]int32(nil), ids...)
	r.bad = make([]bool, s.classes())
	ev := e.evaluate(w, s, r.bad)
	r.final = e.output(s)
	r.SuppressedRecords = ev.suppressed
	r.EquivalenceClasses = ev.classes
	r.MinClassSize = ev.minSize
	r.InformationLoss = ev.value
	r.EncodeTime = t1.Sub(t0)
	r.SearchTime = time.Since(t1)
	return r, nil
}

// output copies the counts and codes of s, the worker's scratch, into
// exact-size storage for the result (rolled up into a new snapshot, the
// result held the grouping's room for every base class: 234 KB on adult).
func (e *engine) output(s *snap) *snap {
	nc, d := s.classes(), len(e.attrs)
	o := &snap{node: append([]int(nil), s.node...), count: append([]int64(nil), s.count...), codes: make([][]uint32, d)}
	slab := make([]uint32, nc*d)
	for ai, c := range s.codes {
		o.codes[ai] = slab[ai*nc : (ai+1)*nc : (ai+1)*nc]
		copy(o.codes[ai], c)
	}
	return o
}

// workerSpares keeps the workers of finished searches with their scratch:
// the grouping tables (of the rows: 786 KB on adult, 3 MB on FARS), the
// keyer's keys and ids (of the rows), the scratch snapshot's counts and
// representatives (of the base classes), the split roll-ups' second table
// and merge scratch, which every search would allocate and clear
// otherwise. What a search keeps is copied out of them (keep, the result's
// ids), so a search that returned can give its worker back.
var workerSpares spares[worker]

// workerKeepMax is the most scratch (bytes) of a worker kept for later
// searches: a huge job's tables are left to the collector.
const workerKeepMax = 64 << 20

func takeWorker() *worker {
	if w := workerSpares.take(); w != nil {
		return w
	}
	return &worker{}
}

// putWorker gives w back once its search is over, without its references
// to that search's memory.
func putWorker(w *worker) {
	w.tmp.lazySrc, w.tmp.hist, w.tmp.pop = nil, nil, nil
	w.half.src = nil
	clear(w.lifts)
	if b := w.scratchBytes(); b <= workerKeepMax {
		workerSpares.put(w, b)
	}
}

// scratchBytes is the size of w's largest scratch.
func (w *worker) scratchBytes() int {
	n := 8*cap(w.k.keys) + 4*cap(w.k.ids) + w.gt.bytes() + 8*cap(w.tmp.count) + 4*cap(w.tmp.lazyRep) +
		8*cap(w.dk) + 4*cap(w.dids) + 4*cap(w.hrep) + 8*cap(w.hcnt)
	if w.helper != nil {
		n += w.helper.bytes()
	}
	for _, c := range w.tmp.codes {
		n += 4 * cap(c)
	}
	return n
}

func (g *groupTable) bytes() int {
	return 8*cap(g.keys) + 4*cap(g.vals) + 4*cap(g.used)
}

// ClassSizes returns the sizes of the kept classes of the output.
func (r *Result) ClassSizes() []int64 {
	var out []int64
	for j, c := range r.final.count {
		if c > 0 && !r.bad[j] {
			out = append(out, c)
		}
	}
	return out
}

// InputClassSizes returns the class sizes of the input on the
// quasi-identifiers as they are (level 0), for risk before processing.
// These are the base classes when every quasi-identifier starts at level 0;
// otherwise (a minimum level) the rows are grouped again.
func (r *Result) InputClassSizes() []int64 {
	e := r.e
	if r.inputSizes != nil {
		return append([]int64(nil), r.inputSizes...)
	}
	if e.base != nil && e.base.count != nil && allAtZero(e.base.node) {
		n := 0
		for _, c := range e.base.count { // population-only classes have 0
			if c > 0 {
				n++
			}
		}
		out := make([]int64, 0, n)
		for _, c := range e.base.count {
			if c > 0 {
				out = append(out, c)
			}
		}
		return out
	}
	return e.groupInput(&worker{})
}

// groupInput groups the rows on the quasi-identifiers at level 0, with w's
// keyer and table, and returns the sizes of the classes.
func (e *engine) groupInput(w *worker) []int64 {
	w.k.start(int(e.p.Table.Rows), &w.gt)
	for _, a := range e.attrs {
		w.k.add(a.col.Codes, a.gen[0], a.bits[0])
	}
	ids, nc := w.k.finish()
	count := make([]int64, nc)
	sub := e.p.Subset
	for row, id := range ids {
		if sub == nil || sub[row] {
			count[id]++
		}
	}
	out := count[:0]
	for _, c := range count {
		if c > 0 {
			out = append(out, c)
		}
	}
	return out
}

func allAtZero(node []int) bool {
	for _, l := range node {
		if l != 0 {
			return false
		}
	}
	return true
}

func (e *engine) monotonicity() string {
	n := 0
	for _, m := range e.models {
		if m.monotone() {
			n++
		}
	}
	switch n {
	case len(e.models):
		return "full"
	case 0:
		return "none"
	}
	return "partial"
}
