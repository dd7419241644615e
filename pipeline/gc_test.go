package pipeline

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestPlannedHeap(t *testing.T) {
	for _, c := range []struct{ in, want int64 }{
		{0, 0}, {1000, minPlannedHeap}, {2_516_935, 2_516_935 * jobHeapPerByte},
		{maxPlannedHeap / jobHeapPerByte, maxPlannedHeap / jobHeapPerByte * jobHeapPerByte}, {maxPlannedHeap/jobHeapPerByte + 1, 0},
	} {
		if got := plannedHeap(c.in); got != c.want {
			t.Errorf("plannedHeap(%d) = %d, want %d", c.in, got, c.want)
		}
	}
}

// gcPercent reads GOGC.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// startPlan starts OneJobHeap's plan for a small input, or skips.
func startPlan(t *testing.T) {
	if !hugePagesAllowed() || os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("no plan here (huge pages not allowed, or GOGC / GOMEMLIMIT set)")
	}
	t.Cleanup(func() {
		gcState.Lock()
		endPlan()
		gcState.Unlock()
	})
	OneJobHeap(100_000)
	if p, lim := gcPercent(), debug.SetMemoryLimit(-1); p != -1 || lim != 2*minPlannedHeap {
		t.Fatalf("in the plan: GOGC %d, limit %d; want off, %d", p, lim, 2*minPlannedHeap)
	}
}

// The plan ends at the first collection that leaves more than half of its
// limit live: a job far larger than planned runs with Go's defaults.
func TestOneJobHeapEndsWhenLive(t *testing.T) {
	startPlan(t)
	live := make([]byte, 3*minPlannedHeap/2)
	for i := range live {
		live[i] = 1
	}
	runtime.GC()
	for range 200 {
		if gcPercent() == 100 {
			break
		}
		time.Sleep(5 * time.Millisecond) // the watch runs in the finalizer goroutine
	}
	runtime.KeepAlive(live)
	if p, lim := gcPercent(), debug.SetMemoryLimit(-1); p != 100 || lim != math.MaxInt64 {
		t.Fatalf("after the collection: GOGC %d, limit %d; want 100, no limit", p, lim)
	}
}

// A large job ends the plan and takes its own GOGC.
func TestOneJobHeapEndsForLargeJob(t *testing.T) {
	startPlan(t)
	restore := lowerGC()
	if p := gcPercent(); p != largeGCPercent {
		t.Fatalf("large job in the plan: GOGC %d, want %d", p, largeGCPercent)
	}
	restore()
	if p, lim := gcPercent(), debug.SetMemoryLimit(-1); p != 100 || lim != math.MaxInt64 {
		t.Fatalf("after the large job: GOGC %d, limit %d; want 100, no limit", p, lim)
	}
}
