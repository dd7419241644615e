package anon

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
)

// baseProblem makes a table of rows rows with d quasi-identifiers of m
// values each (two-level hierarchies: the value, then *), and a subset of
// about half the rows when subset is set.
func baseProblem(rng *rand.Rand, rows, d, m int, subset bool) *Problem {
	var names []string
	var qis []QI
	for q := 0; q < d; q++ {
		name := fmt.Sprintf("q%d", q)
		names = append(names, name)
		h := &Hierarchy{Source: name}
		for v := 0; v < m; v++ {
			h.Rows = append(h.Rows, []string{fmt.Sprintf("v%d", v), "*"})
		}
		qis = append(qis, QI{Name: name, Hierarchy: h, MaxLevel: -1})
	}
	tb, _ := NewTableBuilder(names, "base.csv")
	row := make([]string, d)
	for r := 0; r < rows; r++ {
		for q := range row {
			row[q] = fmt.Sprintf("v%d", min(rng.Intn(m), rng.Intn(m)))
		}
		tb.Append(row, int64(r+2))
	}
	p := &Problem{Table: tb.Build(), QIs: qis, Models: []ModelSpec{{Model: modelK, K: 2}}}
	if subset {
		p.Subset = make([]bool, rows)
		for r := range p.Subset {
			p.Subset[r] = rng.Intn(2) == 0
		}
	}
	return p
}

// TestBaseBesideMatchesRows checks the base grouped with a second goroutine
// (groupBase) against the rows themselves: each row's class has the row's
// codes, the rows of a class all have the same codes and no two classes
// do, the counts are the rows (of the subset) of each class, and side runs
// once; with packed keys (8 × 16 values) grouped by halves or at once, and
// keys too wide for 64 bits (12 × 200 values), with and without a subset.
func TestBaseBesideMatchesRows(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	defer func(h int) { halvesMax = h }(halvesMax)
	for _, c := range []struct{ d, m, halves int }{{8, 16, 1 << 20}, {8, 16, 0}, {12, 200, 1 << 20}} {
		halvesMax = c.halves
		for _, subset := range []bool{false, true} {
			p := baseProblem(rng, setupParallelMin+3001, c.d, c.m, subset)
			e, err := p.compile()
			if err != nil {
				t.Fatal(err)
			}
			e.arena = takeArena()
			w := takeWorker()
			sides := 0
			if err := e.groupBase(w, func() { sides++ }); err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("%d×%d halves up to %d, subset %v", c.d, c.m, c.halves, subset)
			if sides != 1 {
				t.Errorf("%s: side ran %d times", name, sides)
			}
			if fits := e.fits(e.base.node); fits != (c.m == 16) {
				t.Errorf("%s: keys fit in 64 bits: %v", name, fits)
			}
			checkBaseAgainstRows(t, name, e)
			e.releaseArena()
			putWorker(w)
		}
	}
}

func checkBaseAgainstRows(t *testing.T, name string, e *engine) {
	t.Helper()
	b := e.base
	count := make([]int64, b.classes())
	seen := map[string]int32{}
	for r, id := range e.rowClass {
		var key []uint32
		for ai, a := range e.attrs {
			c := a.gen[b.node[ai]][a.col.Codes[r]] // the row's code at the base's level
			key = append(key, c)
			if b.codes[ai][id] != c {
				t.Fatalf("%s: row %d, attribute %d: class %d has code %d, the row %d", name, r, ai, id, b.codes[ai][id], c)
			}
		}
		k := fmt.Sprint(key)
		if other, ok := seen[k]; ok && other != id {
			t.Fatalf("%s: classes %d and %d have the same codes", name, other, id)
		}
		seen[k] = id
		if e.p.Subset == nil || e.p.Subset[r] {
			count[id]++
		}
	}
	if len(seen) != b.classes() {
		t.Errorf("%s: %d classes, the rows have %d", name, b.classes(), len(seen))
	}
	if !slices.Equal(count, b.count) {
		t.Errorf("%s: class counts differ from the rows'", name)
	}
}
