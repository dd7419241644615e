package pipeline

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
)

// largeJobRows is the size from which a job collects garbage more often: its
// big arrays (codes, classes) are free of pointers, so a collection costs
// little, and Go's default (the heap may grow to twice the live data)
// would let a 10M-row job take 3 GB instead of under 2.
const largeJobRows = 1 << 20

// largeGCPercent is the GOGC of large jobs.
const largeGCPercent = 25

var gcState struct {
	sync.Mutex
	jobs int  // large jobs running
	old  int  // GOGC before the first of them
	plan bool // OneJobHeap's plan is in force
}

// lowerGC sets GOGC to largeGCPercent while a large job runs, unless GOGC
// was set by the user; the returned function restores it (once the last
// large job is done). It ends OneJobHeap's plan, which is meant for small
// jobs.
func lowerGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	gcState.Lock()
	endPlan()
	if gcState.jobs == 0 {
		gcState.old = debug.SetGCPercent(largeGCPercent)
	}
	gcState.jobs++
	gcState.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			gcState.Lock()
			gcState.jobs--
			if gcState.jobs == 0 {
				debug.SetGCPercent(gcState.old)
			}
			gcState.Unlock()
		})
	}
}

// Sizes of OneJobHeap's plan: a job allocates up to about jobHeapPerByte
// times its input in all (reading, the search, the output: adult 2.5 MB of
// CSV and 32 MB, FARS 1.8 MB and about 70 MB); planned pages never touched
// cost nothing. Inputs needing more than maxPlannedHeap are left to Go's
// defaults (they run long enough for the start-up costs not to matter, and
// a plan would hold too much memory).
const (
	jobHeapPerByte = 48
	minPlannedHeap = 8 << 20
	maxPlannedHeap = 256 << 20
)

// plannedHeap is the heap planned for a job whose input has the given
// size, 0 for no plan.
func plannedHeap(inputBytes int64) int64 {
	if inputBytes <= 0 || inputBytes > maxPlannedHeap/jobHeapPerByte {
		return 0
	}
	return max(inputBytes*jobHeapPerByte, minPlannedHeap)
}

// OneJobHeap prepares the heap of a process that runs a single job on an
// input of inputBytes and then exits (the "tokumei anonymize" command), so
// that the job does not pay for collections and page faults a short-lived
// process does not need. Within the plan, the garbage collector is off
// until the heap reaches twice the planned size, and the planned heap is
// mapped up front with transparent huge pages where the system allows it
// (Linux, THP "madvise" or "always"): a fresh 4 KiB page costs a page
// fault (2–5 µs on a VM), a 2 MiB page one fault for 512 of them.
//
// It does nothing when GOGC, GOMEMLIMIT or GODEBUG=disablethp=1 is set,
// for inputs too large (see plannedHeap), and on other systems. The plan
// ends at the first collection after which more than half of the limit is
// live (Go's defaults again: no collection storm for a job far larger than
// planned) or when a job turns out large (lowerGC).
func OneJobHeap(inputBytes int64) {
	n := plannedHeap(inputBytes)
	if n == 0 || !hugePagesAllowed() || os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" ||
		strings.Contains(os.Getenv("GODEBUG"), "disablethp=1") {
		return
	}
	gcState.Lock()
	defer gcState.Unlock()
	if gcState.plan || gcState.jobs > 0 {
		return
	}
	debug.SetGCPercent(-1)
	growHeap(n)
	limit := 2 * n
	debug.SetMemoryLimit(limit)
	gcState.plan = true
	watchHeap(limit)
}

// growHeap maps n bytes of heap, advised for huge pages, and leaves them
// free for the job: a block that large is taken from fresh memory (not
// yet touched, so it costs no page faults), and once collected its pages
// are where the next allocations go.
func growHeap(n int64) {
	b := make([]byte, n)
	adviseHugePages(b)
	runtime.KeepAlive(b)
	b = nil
	runtime.GC() // a few MB are live this early: well under a millisecond
}

// endPlan ends OneJobHeap's plan (Go's defaults again). gcState is locked.
func endPlan() {
	if gcState.plan {
		gcState.plan = false
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	}
}

// gcSentinel is a finalizable object for watchHeap (large enough not to
// be packed with other tiny objects, whose finalizers may not run).
type gcSentinel struct{ _ [16]byte }

// watchHeap ends the plan after the first collection that leaves more
// than half of limit live.
func watchHeap(limit int64) {
	runtime.SetFinalizer(new(gcSentinel), func(*gcSentinel) {
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(s)
		gcState.Lock()
		defer gcState.Unlock()
		if !gcState.plan {
			return
		}
		if s[0].Value.Kind() == metrics.KindUint64 && int64(s[0].Value.Uint64()) > limit/2 {
			endPlan()
			return
		}
		watchHeap(limit)
	})
}
