package anon

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// idleMates returns the number of idle mates.
func idleMates() int {
	mates.mu.Lock()
	defer mates.mu.Unlock()
	return len(mates.idle)
}

// waitIdle waits up to a second for n idle mates.
func waitIdle(t *testing.T, n int) {
	t.Helper()
	for start := time.Now(); idleMates() != n; {
		if time.Since(start) > time.Second {
			t.Fatalf("%d idle mates, want %d", idleMates(), n)
		}
		runtime.Gosched()
	}
}

// TestMateRunsOnceAndStays checks that every handed-over function runs
// exactly once and has run when wait returns, whether the caller or a mate
// runs it; that the goroutine that ran one stays idle for the next (which
// it then takes) and leaves after mateSpin; and that with one processor
// none stays.
func TestMateRunsOnceAndStays(t *testing.T) {
	waitIdle(t, 0) // mates of earlier tests have left
	var runs atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				ran := false
				b := runBeside(func() { ran = true; runs.Add(1) })
				if i%2 == 0 {
					time.Sleep(time.Microsecond)
				}
				b.wait()
				if !ran {
					t.Error("wait returned before the function ran")
					return
				}
			}
		}()
	}
	wg.Wait()
	if runs.Load() != 800 {
		t.Fatalf("%d runs, want 800", runs.Load())
	}
	if runtime.GOMAXPROCS(0) > 1 {
		// an idle mate takes the next function (tried a few times: a mate
		// may leave between the look at the list and the hand-over when
		// this goroutine is descheduled)
		reused := false
		for try := 0; try < 5 && !reused; try++ {
			runBeside(func() {}).wait()
			for start := time.Now(); idleMates() == 0; runtime.Gosched() {
				if time.Since(start) > time.Second {
					t.Fatal("no mate stayed idle")
				}
			}
			before := spawned.Load()
			runBeside(func() {}).wait()
			reused = spawned.Load() == before
		}
		if !reused {
			t.Error("a new goroutine was started each time a mate was idle")
		}
		waitIdle(t, 0) // they leave after mateSpin
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	waitIdle(t, 0)
	runBeside(func() {}).wait()
	time.Sleep(time.Millisecond)
	if idleMates() != 0 {
		t.Error("a mate stayed with one processor")
	}
}
