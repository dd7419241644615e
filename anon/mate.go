package anon

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// The second goroutine. A search hands work to a second goroutine many
// times (the set-up beside the base grouping, the pre-check's second
// worker, halves of large roll-ups, quadruple counts, speculative checks),
// each time for tens to hundreds of microseconds. Starting a goroutine, or
// waking one blocked on a channel, while the other processor is idle costs
// a wake-up of that processor: on the 2-core VM of docs/BENCHMARKS.md
// (2026-12-06) 73 µs at the 10th percentile, 128 at the median and more
// than 500 at the 90th, where a goroutine already running sees an atomic
// store in under 1 µs. So the goroutine that ran a handed-over function
// stays on as a mate: it spins for mateSpin waiting for the next one
// before it exits, and the goroutine that waits for a function to finish
// spins for as long before it blocks. With one processor (GOMAXPROCS 1)
// nothing spins: a spinning goroutine would only take the processor from
// the one it waits for.

// mateSpin is how long a mate waits for work, and a waiter for a result,
// before giving up spinning.
const mateSpin = time.Millisecond

// beside runs f on another goroutine, or on the caller's when wait comes
// before that goroutine has started (on a busy machine): f runs once, and
// the caller never waits for a goroutine that has not started.
type beside struct {
	f     func()
	taken atomic.Bool
	done  signal
}

// signal tells once that some work is done; a waiter spins for it before
// it blocks.
type signal struct {
	fin atomic.Bool
	ch  chan struct{}
}

func newSignal() signal { return signal{ch: make(chan struct{})} }

// fire tells that the work is done (once).
func (s *signal) fire() {
	s.fin.Store(true)
	close(s.ch)
}

// wait returns once the work is done.
func (s *signal) wait() {
	if !s.fin.Load() {
		spinUntil(s.fin.Load)
		<-s.ch
	}
}

// runBeside hands f to an idle mate, or to a new goroutine.
func runBeside(f func()) *beside {
	b := &beside{f: f, done: newSignal()}
	if m := mates.take(); m != nil {
		m.job.Store(b)
		return b
	}
	spawned.Add(1)
	go runMate(b)
	return b
}

// spawned counts the goroutines runBeside started (for tests).
var spawned atomic.Int64

func (b *beside) take() {
	if b.taken.CompareAndSwap(false, true) {
		b.f()
		b.done.fire()
	}
}

// wait returns once f has run.
func (b *beside) wait() {
	b.take()
	b.done.wait()
}

// spinning tells whether waiting goroutines spin (more than one
// processor).
func spinning() bool { return runtime.GOMAXPROCS(0) > 1 }

// spinUntil spins until ok returns true or mateSpin has passed (without
// spinning, it returns at once); it reports whether ok became true.
func spinUntil(ok func() bool) bool {
	if !spinning() {
		return ok()
	}
	var deadline time.Time
	for i := 0; ; i++ {
		if ok() {
			return true
		}
		if i&255 == 255 {
			now := time.Now()
			if deadline.IsZero() {
				deadline = now.Add(mateSpin)
			} else if now.After(deadline) {
				return false
			}
			runtime.Gosched() // let a goroutine waiting for this processor run
		}
	}
}

// spinWait returns once ok returns true: for work another goroutine has
// started, with nothing to block on. It spins, and yields the processor
// whenever spinUntil gives up.
func spinWait(ok func() bool) {
	for !spinUntil(ok) {
		runtime.Gosched()
	}
}

// mate is a goroutine that runs handed-over functions one after another.
type mate struct {
	job atomic.Pointer[beside]
}

// runMate runs b, then waits for more work as an idle mate.
func runMate(b *beside) {
	m := &mate{}
	for b != nil {
		b.take()
		b = m.next()
	}
}

// next waits for the next function handed to m (nil when none came within
// mateSpin, and m has left the idle list).
func (m *mate) next() *beside {
	if !spinning() || !mates.put(m) {
		return nil
	}
	for {
		var b *beside
		spinUntil(func() bool { b = m.job.Swap(nil); return b != nil })
		if b != nil {
			return b
		}
		if mates.remove(m) {
			return nil
		}
		// taken from the list just now: its function is being stored
	}
}

// mates lists the idle mates.
var mates mateList

type mateList struct {
	mu   sync.Mutex
	idle []*mate
}

// put lists m as idle unless another mate is: one spinning goroutine is
// enough to take the next function at once, and more would take the
// processors from the goroutines at work.
func (l *mateList) put(m *mate) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.idle) > 0 {
		return false
	}
	l.idle = append(l.idle, m)
	return true
}

// take removes and returns an idle mate (nil for none).
func (l *mateList) take() *mate {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(l.idle)
	if n == 0 {
		return nil
	}
	m := l.idle[n-1]
	l.idle[n-1] = nil
	l.idle = l.idle[:n-1]
	return m
}

// remove takes m off the list; false when it was not there (taken).
func (l *mateList) remove(m *mate) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, o := range l.idle {
		if o == m {
			l.idle = append(l.idle[:i], l.idle[i+1:]...)
			return true
		}
	}
	return false
}
