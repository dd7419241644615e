package anon

import (
	"context"
	"math"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// QI is a quasi-identifier handed to the engine.
type QI struct {
	Name      string
	Hierarchy *Hierarchy
	MinLevel  int // 0 for none
	MaxLevel  int // -1 for the top level
}

// Population is a population table for k-map: rows over the
// quasi-identifier columns (by name) and a count per row.
type Population struct {
	Table  *Table
	Counts []int64
	File   string
}

// Problem is one anonymisation job in engine terms.
type Problem struct {
	Table  *Table
	File   string // names the input in errors
	QIs    []QI
	Models []ModelSpec
	// SensitiveHierarchies gives hierarchies of sensitive attributes for
	// hierarchical t-closeness (and the value order for ordered t-closeness).
	SensitiveHierarchies map[string]*Hierarchy
	// Subset marks the research subset for δ-presence (nil: every row).
	Subset           []bool
	Population       *Population
	SuppressionLimit float64
	Metric           string // default loss
	Exhaustive       bool   // search every node (the test oracle)
	TimeLimit        time.Duration
	Workers          int                     // goroutines for the search (default 2)
	Progress         func(done, total int64) // called now and then during the search
}

// engine is a compiled problem.
type engine struct {
	p        *Problem
	attrs    []*attr
	sens     []*sensitive
	models   []model
	metric   string
	n        int64 // records
	maxSupp  int64
	radix    []int   // levels per attribute in the lattice
	stride   []int64 // index distance of one level of each attribute
	size     int64
	base     *snap
	rowClass []int32 // row → class of base (nil when rows were not kept)
	hasPop   bool
	kmax     int64   // the largest k of the k-anonymity models (0 without)
	lv       []uint8 // the lattice's level table (levels), nil when too large
	lvDone   bool
	arena    *arena // the search's memory (arena.go), nil outside Anonymize
}

func (p *Problem) compile() (*engine, error) {
	e := &engine{p: p, metric: p.Metric}
	if e.metric == "" {
		e.metric = MetricLoss
	}
	if len(p.QIs) == 0 {
		return nil, fault.New(fault.Invalid, "no quasi-identifier is given", "準識別子が指定されていません").In("attributes")
	}
	for _, q := range p.QIs {
		a, err := compileAttr(p.Table, q, p.File)
		if err != nil {
			return nil, err
		}
		e.attrs = append(e.attrs, a)
	}
	if err := e.compileModels(); err != nil {
		return nil, err
	}
	for _, m := range e.models {
		if m.kind == kAnon {
			e.kmax = max(e.kmax, m.k)
		}
	}
	e.n = p.Table.Rows
	if p.Subset != nil {
		e.n = 0
		for _, in := range p.Subset {
			if in {
				e.n++
			}
		}
	}
	e.maxSupp = int64(math.Floor(p.SuppressionLimit*float64(e.n) + 1e-9))
	e.size = 1
	for _, a := range e.attrs {
		r := a.maxL - a.minL + 1
		e.radix = append(e.radix, r)
		if e.size > math.MaxInt64/int64(r) {
			return nil, fault.New(fault.TooLarge, "the lattice of transformations is too large", "一般化の組合せが多すぎます")
		}
		e.size *= int64(r)
	}
	e.stride = make([]int64, len(e.attrs))
	st := int64(1)
	for ai := len(e.attrs) - 1; ai >= 0; ai-- {
		e.stride[ai] = st
		st *= int64(e.radix[ai])
	}
	return e, nil
}

// buildBase groups the rows into the classes of the bottom transformation.
func (e *engine) buildBase(w *worker) error {
	t := e.p.Table
	node := make([]int, len(e.attrs))
	for i, a := range e.attrs {
		node[i] = a.minL
	}
	n := int(t.Rows)
	e.baseKeys(w, node, n)
	ids, nc := w.k.finish()
	e.rowClass = append([]int32(nil), ids...)
	b := &snap{node: node, count: make([]int64, nc)}
	sub := e.p.Subset
	for r, id := range ids {
		if sub == nil || sub[r] {
			b.count[id]++
		}
	}
	b.codes = e.baseCodes(w, node, ids, nc)
	if e.hasPop {
		b.pop = make([]int64, nc)
		if e.p.Population == nil {
			for _, id := range ids {
				b.pop[id]++
			}
		}
	}
	for si := range e.sens {
		b.hist = append(b.hist, e.baseHist(si, ids, nc, sub))
	}
	e.base = b
	if e.p.Population != nil {
		return e.addPopulation()
	}
	return nil
}

// baseKeys builds the rows' keys at node, two columns per pass over the
// keys (one column per pass: adult 172 µs, FARS 517; two: 141 and 415).
func (e *engine) baseKeys(w *worker, node []int, n int) {
	w.k.start(n, &w.gt)
	d := len(e.attrs)
	for ai := 0; ai < d; ai += 2 {
		a := e.attrs[ai]
		if ai+1 == d {
			w.k.add(a.col.Codes, a.gen[node[ai]], a.bits[node[ai]])
			break
		}
		b := e.attrs[ai+1]
		w.k.add2(a.col.Codes, a.gen[node[ai]], a.bits[node[ai]], b.col.Codes, b.gen[node[ai+1]], b.bits[node[ai+1]])
	}
}

// baseCodes returns the codes of the base classes. When the rows' keys
// held every code (no dense re-id), each class's codes are fields of its
// key, read from the grouping table in class order; else they are gathered
// from each class's first row (found by a pass over the rows' ids). From
// the keys: adult (19,502 classes) 199–237 → 121–137 µs, FARS (60,806)
// 742–954 → 489–818 µs.
func (e *engine) baseCodes(w *worker, node []int, ids []int32, nc int) [][]uint32 {
	d := len(e.attrs)
	codes := make([][]uint32, d)
	slab := e.arena.uint32s(nc * d) // one slab of the search's arena, every code written below
	for ai := range codes {
		codes[ai] = slab[ai*nc : (ai+1)*nc : (ai+1)*nc]
	}
	if w.k.whole() {
		keys := w.gt.classKeys(w.k.keys[:nc]) // the rows' keys are no longer needed
		off := uint(0)
		for ai := d - 1; ai >= 0; ai-- { // the first attribute is the highest field
			b := e.attrs[ai].bits[node[ai]]
			c, mask := codes[ai], uint64(1)<<b-1
			for j, k := range keys {
				c[j] = uint32(k >> off & mask)
			}
			off += b
		}
		return codes
	}
	rep := e.arena.int32s(nc)[:0] // the first row of each class (ids come in order of first appearance)
	for r, id := range ids {
		if int(id) == len(rep) {
			rep = append(rep, int32(r))
		}
	}
	for ai, a := range e.attrs {
		c, g, col := codes[ai], a.gen[node[ai]], a.col.Codes
		for j, r := range rep {
			c[j] = g[col[r]]
		}
	}
	return codes
}

// setupParallelMin is the number of rows from which the set-up work
// beside the base grouping is done on a second goroutine.
const setupParallelMin = 16384

// setup prepares the search: the base classes (buildBase) and, beside them
// on a second goroutine for large inputs, the sums of the static bounds
// (prepareBounds) and, with levels, the lattice's level table (these two
// only read the compiled attributes and the rows' codes, and write
// nothing buildBase reads).
//
// Grouping the rows themselves on two goroutines was tried and backed out
// (set-up alone, in-process alternating runs, load 3–10): by halves of the
// rows, most base classes are met in both halves, so the merge groups the
// second half's classes a second time (set-up CPU +35–45 %, no lower
// wall); by a bit of the keys' hash (each class on one side only, ids from
// merging the sides' first rows), both sides still read every key and the
// ids need a second pass (set-up CPU +40 %, wall higher).
func (e *engine) setup(w *worker, levels bool) error {
	side := func() {
		e.prepareBounds()
		if levels {
			e.levels()
		}
	}
	if e.p.Table.Rows < setupParallelMin {
		side()
		return e.buildBase(w)
	}
	b := runBeside(side)
	err := e.buildBase(w)
	b.wait()
	return err
}

// beside runs f on another goroutine, or on the caller's when wait comes
// before that goroutine has started (on a busy machine): f runs once, and
// the caller never waits for a goroutine that has not started.
type beside struct {
	f     func()
	taken atomic.Bool
	done  chan struct{}
}

func runBeside(f func()) *beside {
	b := &beside{f: f, done: make(chan struct{})}
	go b.take()
	return b
}

func (b *beside) take() {
	if b.taken.CompareAndSwap(false, true) {
		b.f()
		close(b.done)
	}
}

// wait returns once f has run.
func (b *beside) wait() {
	b.take()
	<-b.done
}

// rowHist builds per-class histograms of a sensitive column from the rows
// (domain: the column's dictionary size): the rows are bucketed by class,
// then each class is counted in a scratch array.
func rowHist(ids []int32, nc int, codes []uint32, sub []bool, domain int) histo {
	start := make([]int32, nc+1)
	for r, id := range ids {
		if sub == nil || sub[r] {
			start[id+1]++
		}
	}
	for j := 0; j < nc; j++ {
		start[j+1] += start[j]
	}
	members := make([]int32, start[nc])
	pos := append([]int32(nil), start[:nc]...)
	for r, id := range ids {
		if sub == nil || sub[r] {
			members[pos[id]] = int32(r)
			pos[id]++
		}
	}
	scratch := make([]int64, domain)
	var touched []uint32
	h := histo{off: make([]int, nc+1)}
	for j := 0; j < nc; j++ {
		touched = touched[:0]
		for _, r := range members[start[j]:start[j+1]] {
			v := codes[r]
			if scratch[v] == 0 {
				touched = append(touched, v)
			}
			scratch[v]++
		}
		for _, v := range touched {
			h.val = append(h.val, v)
			h.cnt = append(h.cnt, scratch[v])
			scratch[v] = 0
		}
		h.off[j+1] = len(h.val)
	}
	return h
}

// addPopulation appends the population table of k-map to the base classes
// as classes without records that carry only a population count.
func (e *engine) addPopulation() error {
	pt := e.p.Population
	b := e.base
	for ai, a := range e.attrs {
		col := pt.Table.Column(a.name)
		if col == nil {
			return fault.Errorf(fault.Invalid, "the population table has no column %q", a.name).At(pt.File, 1, 0)
		}
		for r := int64(0); r < pt.Table.Rows; r++ {
			v := col.Value(r)
			c, ok := a.codeOf(v, a.minL)
			if !ok {
				return fault.Errorf(fault.Invalid, "this value of column %q is not in its hierarchy", a.name).
					At(pt.File, pt.Table.LineOf(r), pt.Table.ColumnIndex(a.name)+1)
			}
			b.codes[ai] = append(b.codes[ai], c)
		}
	}
	for r := int64(0); r < pt.Table.Rows; r++ {
		b.count = append(b.count, 0)
		b.pop = append(b.pop, pt.Counts[r])
	}
	for hi := range b.hist {
		h := &b.hist[hi]
		for r := int64(0); r < pt.Table.Rows; r++ {
			h.off = append(h.off, len(h.val))
		}
	}
	return nil
}

func parseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
}

var errCanceled = fault.New(fault.Unavailable, "the search was cancelled", "探索が中止されました")

func ctxErr(ctx context.Context) error {
	if ctx.Err() != nil {
		return errCanceled.Wrap(ctx.Err())
	}
	return nil
}
