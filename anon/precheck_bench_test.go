package anon

import (
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkPrecheck measures the projection pre-check alone on every
// reference case (the searcher set up as search does, the engine built
// once), with the nodes it tags failing and the results it computes.
func BenchmarkPrecheck(b *testing.B) {
	dir, cases := loadCases(b)
	for _, c := range cases {
		b.Run(strings.TrimSuffix(filepath.Base(c.Dataset), ".csv")+"/"+c.Case, func(b *testing.B) {
			e, err := refProblem(b, dir, c).compile()
			if err != nil {
				b.Fatal(err)
			}
			w := takeWorker()
			defer putWorker(w)
			if err := e.setup(w, true); err != nil {
				b.Fatal(err)
			}
			var s *searcher
			c0 := cpuTime()
			for i := 0; i < b.N; i++ {
				s = precheckSearcher(e, w)
				s.pairPrecheck()
			}
			b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			failed := 0
			for _, t := range s.tags {
				if t == tagFail {
					failed++
				}
			}
			b.ReportMetric(float64(failed), "failed")
		})
	}
}

// precheckSearcher is the searcher of e.search as the pre-check sees it.
func precheckSearcher(e *engine, w *worker) *searcher {
	s := &searcher{e: e, w: w, tags: make([]uint8, e.size), node: make([]int, len(e.attrs)), scratch: make([]int, len(e.attrs))}
	if e.metric == MetricDM && e.kmax > 1 && e.n >= e.kmax {
		s.down = make([]int64, e.size)
	}
	if e.metric == MetricLoss && e.kmax > 1 && e.maxSupp > 0 {
		s.down = make([]int64, e.size)
		s.lossDown = true
	}
	d := int64(len(e.attrs))
	s.triples = e.maxSupp > 0 && ((s.down != nil && !s.lossDown) || d*(d-1)*(d-2)/6*int64(e.base.classes()) <= tripleBaseMax)
	s.lv = e.lv
	return s
}
