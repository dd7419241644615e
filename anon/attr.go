package anon

import (
	"math/bits"
	"slices"

	"github.com/tokumei/tokumei/fault"
)

// attr is a quasi-identifier compiled against its hierarchy: dense codes per
// level, the generalisation maps and the weights the metrics need.
type attr struct {
	name       string
	col        *Column
	levels     int // number of levels of the hierarchy, level 0 included
	minL, maxL int
	labels     [][]string   // labels[L][code]
	gen        [][]uint32   // gen[L][column code] = level-L code
	weight     [][]int64    // weight[L][code] = hierarchy rows that map to code
	lift       [][][]uint32 // lift[from][to][from code] = to code
	rowOf      map[string]int
	rowCode    [][]uint32 // rowCode[L][hierarchy row]
	h          *Hierarchy
	D          int64
	bits       []uint // bits[L]: bits to hold a level-L code

	// metric helpers (prepareBounds)
	vcount       []int64   // records per column code (raiseFloors), nil until counted
	wsum         []int64   // wsum[L] = Σ over records of weight at L
	wmax         []int64   // wmax[L] = the largest weight at L
	esum         []float64 // esum[L] = Σ over records of log2(count of the level-L value)
	dcount       [][]int64 // dcount[L][code] = records with that level-L value
	entropyConst float64   // Σ over values of count·log2(count)
}

func bitsFor(n int) uint {
	if n <= 1 {
		return 1
	}
	return uint(bits.Len(uint(n - 1)))
}

// compileAttr builds the level maps of column col under hierarchy h. file
// names the data in errors: a data value missing from the hierarchy is an
// error at its first row.
func compileAttr(t *Table, q QI, file string) (*attr, error) {
	col := t.Column(q.Name)
	if col == nil {
		return nil, fault.Errorf(fault.Invalid, "quasi-identifier %q is not a column of the input", q.Name).In("attributes").At(file, 1, 0)
	}
	h := q.Hierarchy
	if len(h.Rows) == 0 || len(h.Rows[0]) == 0 {
		return nil, h.Validate()
	}
	nl := h.Levels()
	a := &attr{name: q.Name, col: col, levels: nl, h: h, D: int64(len(h.Rows)), rowOf: make(map[string]int, len(h.Rows))}
	a.minL, a.maxL = q.MinLevel, q.MaxLevel
	if a.maxL < 0 || a.maxL >= nl {
		if q.MaxLevel >= nl {
			return nil, fault.Errorf(fault.Invalid, "max_level %d of %q is beyond the hierarchy's top level %d", q.MaxLevel, q.Name, nl-1).In("attributes")
		}
		a.maxL = nl - 1
	}
	if a.minL > a.maxL {
		return nil, fault.Errorf(fault.Invalid, "min_level %d of %q is above its max level %d", a.minL, q.Name, a.maxL).In("attributes")
	}
	// Validate's checks, on the way (its error when one fails): even
	// rows, a value twice only in identical rows, a tree
	for i, row := range h.Rows {
		if len(row) != nl {
			return nil, h.Validate()
		}
		if j, dup := a.rowOf[row[0]]; !dup {
			a.rowOf[row[0]] = i
		} else if !slices.Equal(row, h.Rows[j]) {
			return nil, h.Validate()
		}
	}
	// Level codes, by label, over all rows of the hierarchy.
	rowCode := make([][]uint32, nl) // rowCode[L][hierarchy row]
	a.labels = make([][]string, nl)
	a.weight = make([][]int64, nl)
	a.bits = make([]uint, nl)
	// One map for all levels, and labels and weights sized up front (at
	// most a label per row, and in a tree no more than the level below):
	// adult's compile 125 → 103 µs, 444 → 310 allocations.
	idx := make(map[string]uint32, len(h.Rows))
	for l := 0; l < nl; l++ {
		clear(idx) // keeps its room
		room := len(h.Rows)
		if l > 0 {
			room = len(a.labels[l-1])
		}
		a.labels[l], a.weight[l] = make([]string, 0, room), make([]int64, 0, room)
		rowCode[l] = make([]uint32, len(h.Rows))
		for i, row := range h.Rows {
			c, ok := idx[row[l]]
			if !ok {
				c = uint32(len(a.labels[l]))
				idx[row[l]] = c
				a.labels[l] = append(a.labels[l], row[l])
				a.weight[l] = append(a.weight[l], 0)
			}
			a.weight[l][c]++
			rowCode[l][i] = c
		}
		a.bits[l] = bitsFor(len(a.labels[l]))
	}
	for l := 1; l+1 < nl; l++ {
		parent := make([]int32, len(a.labels[l])) // code at l+1, plus one
		for i, c := range rowCode[l] {
			switch p := parent[c]; {
			case p == 0:
				parent[c] = int32(rowCode[l+1][i]) + 1
			case p != int32(rowCode[l+1][i])+1:
				if err := h.Validate(); err != nil {
					return nil, err
				}
			}
		}
	}
	a.lift = make([][][]uint32, nl)
	for f := 0; f < nl; f++ {
		a.lift[f] = make([][]uint32, nl)
		for to := f; to < nl; to++ {
			m := make([]uint32, len(a.labels[f]))
			for i := range h.Rows {
				m[rowCode[f][i]] = rowCode[to][i]
			}
			a.lift[f][to] = m
		}
	}
	// Column codes to level codes.
	a.gen = make([][]uint32, nl)
	for l := range a.gen {
		a.gen[l] = make([]uint32, len(col.Dict))
	}
	a.rowCode = rowCode
	for c, v := range col.Dict {
		r, ok := a.rowOf[v]
		if !ok {
			return nil, a.missing(t, uint32(c), v, file)
		}
		for l := 0; l < nl; l++ {
			a.gen[l][c] = rowCode[l][r]
		}
	}
	return a, nil
}

func (a *attr) missing(t *Table, code uint32, v, file string) error {
	line := 0
	for r, c := range a.col.Codes {
		if c == code {
			line = t.LineOf(int64(r))
			break
		}
	}
	return fault.New(fault.Invalid,
		fmtS("this value of column %q is not in its hierarchy (%s)", a.name, a.h.Source),
		fmtS("列 %q のこの値が一般化階層（%s）にありません", a.name, a.h.Source)).
		At(file, line, t.ColumnIndex(a.name)+1)
}

// codeOf returns the level-L code of an original value (false when absent).
func (a *attr) codeOf(v string, l int) (uint32, bool) {
	r, ok := a.rowOf[v]
	if !ok {
		return 0, false
	}
	return a.gen0row(r, l), true
}

func (a *attr) gen0row(r, l int) uint32 { return a.rowCode[l][r] }
