package anon

import (
	"context"
	"sync"
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
	w := &worker{}
	w.gt, w.helper = takeTables()
	takeScratch(w)
	defer putTables(w)
	if err := e.setup(w, !p.Exhaustive); err != nil {
		return nil, err
	}
	var inputSizes []int64
	if p.Table.ReleaseQICodes && e.rowClass != nil {
		if !allAtZero(e.base.node) {
			inputSizes = e.groupInput()
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
	r := &Result{Metric: e.metric, NodesChecked: st.checked, LatticeSize: e.size, Optimal: st.optimal, e: e, Records: e.n,
		inputSizes: inputSizes, rolled: st.rolled, produced: st.result}
	for _, a := range e.attrs {
		r.QINames = append(r.QINames, a.name)
	}
	r.Monotonicity = e.monotonicity()
	r.Transformation = best.node
	s, ids := e.rollup(w, e.base, best.node)
	r.final = s
	r.cls = append([]int32(nil), ids...)
	r.bad = make([]bool, s.classes())
	ev := e.evaluate(w, s, r.bad)
	r.SuppressedRecords = ev.suppressed
	r.EquivalenceClasses = ev.classes
	r.MinClassSize = ev.minSize
	r.InformationLoss = ev.value
	r.EncodeTime = t1.Sub(t0)
	r.SearchTime = time.Since(t1)
	return r, nil
}

// tablePool keeps grouping tables between searches: a table of the rows
// (786 KB on adult, 3 MB on FARS) costs more in page faults and clearing
// than in use. A table's storage never leaves the worker (ids are written
// to the caller's slices), so a search that returned can give it back.
var tablePool sync.Pool

func takeTables() (groupTable, *groupTable) {
	var gt groupTable
	if t, ok := tablePool.Get().(*groupTable); ok {
		gt = *t
	}
	h, _ := tablePool.Get().(*groupTable)
	return gt, h
}

func putTables(w *worker) {
	gt := w.gt
	tablePool.Put(&gt)
	if w.helper != nil {
		tablePool.Put(w.helper)
	}
	w.gt, w.helper = groupTable{}, nil
	if cap(w.k.keys) > 0 || cap(w.tmp.count) > 0 {
		scratchPool.Put(&workerScratch{keys: w.k.keys[:0], ids: w.k.ids[:0], count: w.tmp.count[:0], rep: w.tmp.lazyRep[:0]})
	}
	w.k, w.tmp = keyer{}, snap{}
}

// scratchPool keeps the worker's largest scratch between searches: the
// keyer's keys and ids (of the rows: 360 KB on adult) and the counts and
// representatives of the scratch snapshot (of the base classes), which
// every search would allocate and clear otherwise. They are scratch: what
// a search keeps is copied (keep, the result's ids).
var scratchPool sync.Pool

type workerScratch struct {
	keys  []uint64
	ids   []int32
	count []int64
	rep   []int32
}

func takeScratch(w *worker) {
	if sc, ok := scratchPool.Get().(*workerScratch); ok {
		w.k.keys, w.k.ids, w.tmp.count, w.tmp.lazyRep = sc.keys, sc.ids, sc.count, sc.rep
	}
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
	return e.groupInput()
}

// groupInput groups the rows on the quasi-identifiers at level 0 and
// returns the sizes of the classes.
func (e *engine) groupInput() []int64 {
	w := &worker{}
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
