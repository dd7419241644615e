package anon

import (
	"math"
	"math/rand"
	"testing"
)

// TestFloors recounts from the rows and hierarchies, for random problems,
// that each attribute's floor is right: below it, the transformation with
// that attribute at that level and every other at its top (the most general
// one there) leaves more records in classes of fewer than k than the
// suppression limit, so it and everything below it fail k-anonymity; at the
// floor (unless it is the top) it does not. Some problems must raise a
// floor, or the test proves nothing.
func TestFloors(t *testing.T) {
	rng := rand.New(rand.NewSource(31))
	raised := 0
	for i := 0; i < 300; i++ {
		p := randomProblem(rng)
		k := int64(0)
		for _, m := range p.Models {
			if m.Model == modelK {
				k = max(k, int64(m.K))
			}
		}
		e, err := p.compile()
		if err != nil {
			t.Fatal(err)
		}
		if err := e.raiseFloors(); err != nil {
			t.Fatal(err)
		}
		n := int64(p.Table.Rows)
		limit := int64(math.Floor(p.SuppressionLimit*float64(n) + 1e-9))
		size := int64(1)
		for ai, q := range p.QIs {
			a := e.attrs[ai]
			size *= int64(a.maxL - a.minL + 1)
			for l := q.MinLevel; l <= a.minL; l++ {
				small := smallFromRows(p, ai, l, k)
				if l < a.minL && small <= limit {
					t.Fatalf("case %d, %s: level %d passes (%d small of %d allowed), floor %d", i, q.Name, l, small, limit, a.minL)
				}
				if l == a.minL && l < a.maxL && small > limit {
					t.Fatalf("case %d, %s: floor %d fails (%d small of %d allowed)", i, q.Name, l, small, limit)
				}
			}
			if a.minL > q.MinLevel {
				raised++
			}
		}
		if size != e.size {
			t.Fatalf("case %d: lattice of %d nodes above the floors, laid out %d", i, size, e.size)
		}
	}
	t.Logf("%d floors raised", raised)
	if raised < 20 {
		t.Errorf("only %d floors raised in 300 problems", raised)
	}
}

// smallFromRows counts the records whose label of quasi-identifier ai at
// level l has fewer than k records.
func smallFromRows(p *Problem, ai, l int, k int64) int64 {
	q := p.QIs[ai]
	row := map[string][]string{}
	for _, r := range q.Hierarchy.Rows {
		row[r[0]] = r
	}
	col := p.Table.Column(q.Name)
	count := map[string]int64{}
	for r := int64(0); r < p.Table.Rows; r++ {
		count[row[col.Dict[col.Codes[r]]][l]]++
	}
	small := int64(0)
	for _, c := range count {
		if c < k {
			small += c
		}
	}
	return small
}
