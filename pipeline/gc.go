package pipeline

import (
	"os"
	"runtime/debug"
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
	jobs int // large jobs running
	old  int // GOGC before the first of them
}

// lowerGC sets GOGC to largeGCPercent while a large job runs, unless GOGC
// was set by the user; the returned function restores it (once the last
// large job is done).
func lowerGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	gcState.Lock()
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
