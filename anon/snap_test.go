package anon

import (
	"fmt"
	"testing"
)

// BenchmarkRollup measures one check (roll-up and evaluation) from a
// source of about the given number of classes to each node one or two
// levels above it (direct successors and theirs), on adult with k = 5, 2 %
// and DM*: the per-check cost the search pays, without the search's noise.
// The targets are many (30–60) so that the branch predictor cannot learn
// the groupings' sequences: with only the 7–8 direct successors, repeated,
// a grouping loop branching on whether each key is new measured 2–3 times
// faster than in a search.
func BenchmarkRollup(b *testing.B) {
	dir, cases := loadCases(b)
	var c refCase
	for _, x := range cases {
		if x.Case == "k5_s2_dmstar" && x.Dataset == "adult/adult.csv" {
			c = x
		}
	}
	p := refProblem(b, dir, c)
	e, err := p.compile()
	if err != nil {
		b.Fatal(err)
	}
	e.prepareBounds()
	w := &worker{}
	if err := e.buildBase(w); err != nil {
		b.Fatal(err)
	}
	for _, size := range []int{1000, 2500, 8000} {
		src, targets := rollupFixture(e, w, size)
		res, direct := 0, 0
		for _, t := range targets {
			sn := mustRollup(e, w, t)
			res += sn.classes()
			if w.gt.direct {
				direct++
			}
		}
		b.Logf("source %v: %d classes, %d targets, %d classes on average, %d direct", src.node, src.classes(), len(targets), res/len(targets), direct)
		b.Run(fmt.Sprintf("src%d", src.classes()), func(b *testing.B) {
			b.ReportAllocs()
			c0 := cpuTime()
			for i := 0; i < b.N; i++ {
				for _, t := range targets {
					w.lazyCodes = true
					sn, _ := e.rollupInto(w, src, t, &w.tmp)
					w.lazyCodes = false
					e.evaluate(w, sn, nil)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(targets)), "ns/check")
			b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N*len(targets)), "cpu-ns/check")
		})
	}
}

// rollupFixture finds a node of at least size classes (walking up from the
// bottom, one attribute at a time) and returns its snapshot and the direct
// successors of the node.
func rollupFixture(e *engine, w *worker, size int) (*snap, [][]int) {
	node := append([]int(nil), e.base.node...)
	src := e.keep(mustRollup(e, w, node))
	for changed := true; changed && src.classes() > size*2; {
		changed = false
		for ai, a := range e.attrs {
			if node[ai] == a.maxL || src.classes() <= size*2 {
				continue
			}
			node[ai]++
			if s := mustRollup(e, w, node); s.classes() >= size {
				src, changed = e.keep(s), true
			} else {
				node[ai]--
			}
		}
	}
	targets := successors(e, [][]int{node})
	return src, append(targets, successors(e, targets)...)
}

// successors returns the distinct direct successors of the nodes.
func successors(e *engine, nodes [][]int) [][]int {
	var out [][]int
	seen := map[int64]bool{}
	for _, node := range nodes {
		for ai, a := range e.attrs {
			if node[ai] < a.maxL {
				t := append([]int(nil), node...)
				t[ai]++
				if idx := e.encode(t); !seen[idx] {
					seen[idx] = true
					out = append(out, t)
				}
			}
		}
	}
	return out
}

func mustRollup(e *engine, w *worker, node []int) *snap {
	s, _ := e.rollupInto(w, e.base, node, &w.tmp)
	return s
}
