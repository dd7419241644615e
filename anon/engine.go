package anon

import (
	"context"
	"math"
	"strconv"
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
	size     int64   // nodes searched (above the floors, floor.go)
	fullSize int64   // nodes of the lattice as specified
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
	if err := e.layout(); err != nil {
		return nil, err
	}
	e.fullSize = e.size
	return e, nil
}

// layout sets the lattice's radixes, strides and size from the attributes'
// levels.
func (e *engine) layout() error {
	e.radix, e.size = e.radix[:0], 1
	for _, a := range e.attrs {
		r := a.maxL - a.minL + 1
		e.radix = append(e.radix, r)
		if e.size > math.MaxInt64/int64(r) {
			return fault.New(fault.TooLarge, "the lattice of transformations is too large", "一般化の組合せが多すぎます")
		}
		e.size *= int64(r)
	}
	e.stride = make([]int64, len(e.attrs))
	st := int64(1)
	for ai := len(e.attrs) - 1; ai >= 0; ai-- {
		e.stride[ai] = st
		st *= int64(e.radix[ai])
	}
	return nil
}

// setupParallelMin is the number of rows from which the set-up work
// beside the base grouping is done on a second goroutine.
const setupParallelMin = 16384

// setup prepares the search (search) or the exhaustive oracle: for the
// search, the attributes' floors (floor.go) first; then the base classes
// (buildBase, or groupBase on two goroutines for large inputs) and the
// sums of the static bounds (prepareBounds) and, for the search, the
// lattice's level table, which only read the compiled attributes and the
// rows' codes, and write nothing the base's grouping reads.
//
// The base is grouped by halves of the rows on two goroutines (groupBase);
// by a bit of the keys' hash instead (each class on one side only, ids
// from merging the sides' first rows), both sides still read every key and
// the ids need a second pass (set-up CPU +40 %, wall higher).
func (e *engine) setup(w *worker, search bool) error {
	if search {
		if err := e.raiseFloors(); err != nil {
			return err
		}
	}
	side := func() {
		e.prepareBounds()
		if search {
			e.levels()
		}
	}
	if e.p.Table.Rows < setupParallelMin {
		side()
		return e.buildBase(w)
	}
	return e.groupBase(w, side)
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
