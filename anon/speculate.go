package anon

import (
	"sync/atomic"
)

// Speculative checks. The search is sequential, but a check's evaluation
// is a pure function of the node (every source gives the same classes), so
// a second goroutine may evaluate the nodes the search is likely to check
// next while the search evaluates the current one. Only the evaluation is
// speculative: the source is chosen on the search's goroutine when the job
// is posted (the cache and the hubs are mutated there only), and every side
// effect of a check (evals, tags, best, down-set bounds, cache, stats) is
// applied when the search consumes the result, in its sequential order.
// A node the search never checks is wasted work on the other core; checked
// counts consumed checks only, so it equals the sequential one.

// specDepth is the number of predicted checks kept posted ahead.
const specDepth = 4

// specAfter: searches of fewer checks do not start the second goroutine
// (adult k5_s0_loss, 29 checks: 2.2 → 3.3 ms with it from the start;
// k5_s0_dm, 65 checks: min 4.78 → 4.84 ms from the 32nd).
const specAfter = 64

// specScan is the number of visiting-order positions looked at for
// predictions.
const specScan = 32

// job is one evaluation: the node, its source and, once run, its result.
type job struct {
	idx   int64
	pos   int // the order position it was predicted for
	node  []int
	src   *snap
	taken atomic.Bool // by the goroutine that runs it, or dropped (trim)
	done  signal
	ev    eval
	nc    int   // classes of the node
	kept  *snap // the node's classes when the cache is offered them
}

// run evaluates j on w.
func (e *engine) run(w *worker, j *job) {
	w.lazyCodes = true
	sn, _ := e.rollupInto(w, j.src, j.node, &w.tmp)
	w.lazyCodes = false
	j.ev = e.evaluate(w, sn, nil)
	j.nc = sn.classes()
	if sn.classes()*2 <= j.src.classes() {
		j.kept = e.keepLazy(sn)
	}
}

// speculator runs posted jobs on a second goroutine with its own worker.
type speculator struct {
	e       *engine
	w       *worker
	jobs    chan *job
	loop    *beside // the second goroutine's loop
	stopped atomic.Bool
	posted  map[int64]*job // not yet consumed
	queue   []*job         // posted, in order
}

// startSpeculator starts the second goroutine. From then on no roll-up is
// split over two goroutines (worker.whole): each core evaluates whole
// checks, which beat split roll-ups that wait for each other's half
// (adult k5_s2_dmstar min wall 40.5 → 32.2 ms, k11_s5_dmstar 27.6 → 24.8,
// five rounds at load ~3; before, checks from sources of 6,000 classes or
// more split and were not speculated, 43 % of k5_s2_dmstar's CPU).
func (e *engine) startSpeculator(main *worker) *speculator {
	w := takeWorker()
	main.whole, w.whole = true, true
	sp := &speculator{e: e, w: w, jobs: make(chan *job, 256), posted: map[int64]*job{}}
	sp.loop = runBeside(sp.run)
	return sp
}

// run evaluates the posted jobs until the channel closes. It spins on the
// channel before blocking on it (mate.go): checks are posted every few
// tens of microseconds, and a blocked goroutine's wake-up costs more.
func (sp *speculator) run() {
	for {
		var j *job
		ok := true
		spinUntil(func() bool {
			select {
			case j, ok = <-sp.jobs:
				return true
			default:
				return false
			}
		})
		if j == nil && ok {
			j, ok = <-sp.jobs
		}
		if !ok {
			return
		}
		if sp.stopped.Load() {
			continue
		}
		if j.taken.CompareAndSwap(false, true) {
			sp.e.run(sp.w, j)
			j.done.fire()
		}
	}
}

// stop ends the goroutine (after the job it runs) and keeps its worker for
// the next search.
func (sp *speculator) stop(main *worker) {
	sp.stopped.Store(true)
	close(sp.jobs)
	sp.loop.wait()
	main.whole, sp.w.whole = false, false
	putWorker(sp.w) // with its tables and scratch: new ones cost page faults in every search
}

// post hands a job to the second goroutine. The send may wait (the
// channel holds jobs dropped since, which the goroutine skips) but never
// fails: what is posted must not depend on timing.
func (sp *speculator) post(j *job) {
	j.done = newSignal()
	sp.jobs <- j
	sp.posted[j.idx] = j
	sp.queue = append(sp.queue, j)
}

// claim returns the posted job for idx (nil if none) and marks it
// consumed.
func (sp *speculator) claim(idx int64) *job {
	j := sp.posted[idx]
	if j != nil {
		delete(sp.posted, idx)
	}
	return j
}

// await completes j: it runs j on w if the second goroutine has not
// started it, else runs later posted jobs while waiting for it.
func (sp *speculator) await(w *worker, j *job) {
	if j.taken.CompareAndSwap(false, true) {
		sp.e.run(w, j)
		j.done.fire()
		return
	}
	for !j.done.fin.Load() {
		o := sp.claimNext()
		if o == nil {
			j.done.wait()
			return
		}
		sp.e.run(w, o)
		o.done.fire()
	}
}

// claimNext claims the first posted job nobody has started.
func (sp *speculator) claimNext() *job {
	for _, o := range sp.queue {
		if _, ok := sp.posted[o.idx]; ok && o.taken.CompareAndSwap(false, true) {
			return o
		}
	}
	return nil
}

// trim drops from the queue the jobs consumed or no longer wanted.
func (sp *speculator) trim(wanted func(*job) bool) {
	q := sp.queue[:0]
	for _, o := range sp.queue {
		if _, ok := sp.posted[o.idx]; ok && wanted(o) {
			q = append(q, o)
		} else if ok {
			delete(sp.posted, o.idx)
			o.taken.Store(true) // not to be run
		}
	}
	clear(sp.queue[len(q):])
	sp.queue = q
}

// speculate posts the checks the search is likely to make next (only for
// metrics without a static bound, whose nodes are checked directly): the
// coming nodes of the visiting order that are neither tagged failing nor
// checked nor prunable now. For the Loss cases it did not pay, even once
// resolve's gallop made its first probes predictable (adult k11_s5_loss:
// 113 of 113 posted checks used, min wall 16.9 → 18.2 ms; k5_s2_loss
// 17.7 → 19.7; at the bisection's 85 %: 12–19 % more CPU, same wall).
func (s *searcher) speculate() {
	if s.order == nil || s.static || s.st.checked < specAfter || !s.e.concurrentEval() {
		return
	}
	if s.spec == nil {
		s.spec = s.e.startSpeculator(s.w)
	}
	sp := s.spec
	// wanted: not tagged failing, and predicted for a node the main loop has
	// not passed yet
	sp.trim(func(o *job) bool { return s.tags[o.idx] != tagFail && o.pos >= s.order.pos-1 })
	ahead := len(sp.queue) // posted, not consumed, still wanted (not the state: timing must not change what is posted)
	q := s.order
	node := s.scratch2
	for p := q.pos; p < len(q.order) && p < q.pos+specScan && ahead < specDepth; p++ {
		idx := q.order[p]
		if s.tags[idx] == tagFail {
			continue
		}
		if _, ok := s.evals[idx]; ok {
			continue
		}
		if _, ok := sp.posted[idx]; ok {
			continue
		}
		s.decode(idx, node)
		if s.skipped(idx, node) {
			continue
		}
		src := s.source(node)
		sp.post(&job{idx: idx, node: append([]int(nil), node...), src: src, pos: p})
		ahead++
	}
}

// skipped tells whether the main loop would skip node idx as things stand
// (speculation runs only for the metrics without a static bound).
func (s *searcher) skipped(idx int64, node []int) bool {
	b := s.inherited[idx]
	return s.best.node != nil && s.prunable(idx, node, &b)
}

// specOn enables speculative checks (tests compare with it off).
var specOn = true

// concurrentEval tells whether speculating pays and is safe. From a base
// of more than hubMax classes many roll-ups split over both cores already
// (FARS k5_s2_loss: 201 of 426 checks; with speculation wall 86 → 94 ms,
// CPU +14 %). The t-closeness distances use scratch space of the engine
// (tclose.go), so two workers may not evaluate at once.
func (e *engine) concurrentEval() bool {
	if e.base.classes() > hubMax {
		return false
	}
	for _, m := range e.models {
		switch m.kind {
		case equalT, orderedT, hierarchicalT:
			return false
		}
	}
	return true
}
