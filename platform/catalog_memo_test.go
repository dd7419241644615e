package platform_test

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tokumei/tokumei/platform"
)

// TestMemoSingleFlight: concurrent callers of one key compute it once; an
// answer that may not be kept is computed again next time.
func TestMemoSingleFlight(t *testing.T) {
	ix := platform.NewTestIndex()
	var calls atomic.Int32
	gate := make(chan struct{})
	f := func() (any, int, bool) { calls.Add(1); <-gate; return "v", 1, true }
	var wg sync.WaitGroup
	got := make([]any, 50)
	for i := range got {
		wg.Add(1)
		go func() { defer wg.Done(); got[i] = ix.Memo("k", f) }()
	}
	for calls.Load() == 0 {
		runtime.Gosched()
	}
	close(gate)
	wg.Wait()
	if calls.Load() != 1 {
		t.Fatalf("computed %d times, want 1", calls.Load())
	}
	for _, g := range got {
		if g != "v" {
			t.Fatalf("a waiter got %v", g)
		}
	}
	var errCalls int
	fail := func() (any, int, bool) { errCalls++; return nil, 0, false }
	ix.Memo("e", fail)
	ix.Memo("e", fail)
	if errCalls != 2 {
		t.Fatalf("a failed answer was kept: %d computations", errCalls)
	}
}

// TestMemoBounded: the memo never holds more than its entry bound and keeps
// the most used keys.
func TestMemoBounded(t *testing.T) {
	ix := platform.NewTestIndex()
	for range 5 {
		ix.Memo("hot", func() (any, int, bool) { return "h", 1, true })
	}
	for i := range 50000 {
		k := fmt.Sprint(i)
		ix.Memo(k, func() (any, int, bool) { return k, 1, true })
	}
	keys := ix.HotKeys(1 << 20)
	if len(keys) > 40000 || len(keys) == 0 {
		t.Fatalf("memo holds %d entries", len(keys))
	}
	if keys[0] != "hot" {
		t.Fatalf("most used key evicted or not first: %q", keys[0])
	}
}
