package platform

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// This file holds the per-snapshot memo of computed answers (rendered
// pages, encoded API responses) and the context pin that lets a caller
// render against a snapshot that is not yet published (warming).

// Memo bounds: entries and bytes per snapshot, and how long an answer is
// served before it is recomputed in the background (answers that depend on
// the clock, such as "open"/"closed" calls, stay at most this stale).
const (
	memoMaxEntries = 40000
	memoMaxBytes   = 96 << 20
	MemoTTL        = time.Minute
)

// MemoFunc computes an answer: its value, its size in bytes (for the
// budget), and whether it may be kept (errors are not).
type MemoFunc func() (v any, size int, keep bool)

type memoEntry struct {
	done       chan struct{}
	v          any
	size       int
	keep       bool
	made       time.Time
	hits       atomic.Int64
	refreshing atomic.Bool
	stable     bool // depends on the snapshot only: never refreshed
}

// memo is a bounded, single-flight map of answers for one snapshot; it
// dies with the snapshot, so it can never serve another snapshot's data.
type memo struct {
	mu    sync.Mutex
	m     map[string]*memoEntry
	bytes int
}

func newMemo() *memo { return &memo{m: map[string]*memoEntry{}} }

// Memo returns the answer for key in this snapshot, computing it with f at
// most once however many callers ask at the same time (the others wait for
// the first). An answer older than MemoTTL is served as is while one caller
// recomputes it in the background. When f's answer may not be kept, every
// caller that waited for it gets it, and the next call computes again.
func (ix *CatalogIndex) Memo(key string, f MemoFunc) any { return ix.memo.get(key, f, false) }

// MemoStable is Memo for answers that depend on the snapshot alone (not on
// the clock): they are never recomputed.
func (ix *CatalogIndex) MemoStable(key string, f MemoFunc) any { return ix.memo.get(key, f, true) }

func (m *memo) get(key string, f MemoFunc, stable bool) any {
	m.mu.Lock()
	e, ok := m.m[key]
	if !ok {
		e = &memoEntry{done: make(chan struct{}), stable: stable}
		m.m[key] = e
		m.mu.Unlock()
		m.fill(key, e, f)
		return e.v
	}
	m.mu.Unlock()
	<-e.done
	e.hits.Add(1)
	if !e.stable && time.Since(e.made) > MemoTTL && e.refreshing.CompareAndSwap(false, true) {
		go m.refresh(key, f)
	}
	return e.v
}

func (m *memo) fill(key string, e *memoEntry, f MemoFunc) {
	defer close(e.done)
	e.v, e.size, e.keep = f()
	e.made = time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if !e.keep || e.size > memoMaxBytes/64 {
		delete(m.m, key)
		return
	}
	m.bytes += e.size
	if len(m.m) > memoMaxEntries || m.bytes > memoMaxBytes {
		m.evict()
	}
}

// refresh recomputes a stale answer and replaces it.
func (m *memo) refresh(key string, f MemoFunc) {
	v, size, keep := f()
	m.mu.Lock()
	defer m.mu.Unlock()
	old, ok := m.m[key]
	if !ok {
		return
	}
	if !keep {
		old.refreshing.Store(false)
		return
	}
	e := &memoEntry{done: make(chan struct{}), v: v, size: size, keep: true, made: time.Now()}
	e.hits.Store(old.hits.Load())
	close(e.done)
	m.m[key] = e
	m.bytes += size - old.size
}

// evict drops the least-used half of the finished entries (caller holds mu).
func (m *memo) evict() {
	type kv struct {
		k    string
		hits int64
	}
	var done []kv
	for k, e := range m.m {
		select {
		case <-e.done:
			done = append(done, kv{k, e.hits.Load()})
		default:
		}
	}
	slices.SortFunc(done, func(a, b kv) int { return cmp.Compare(a.hits, b.hits) })
	for _, x := range done[:len(done)/2+1] {
		m.bytes -= m.m[x.k].size
		delete(m.m, x.k)
	}
}

// Peek returns the finished, kept answer for key, if any (to carry an
// answer that cannot have changed over to a new snapshot).
func (ix *CatalogIndex) Peek(key string) (any, bool) {
	ix.memo.mu.Lock()
	e, ok := ix.memo.m[key]
	ix.memo.mu.Unlock()
	if !ok {
		return nil, false
	}
	select {
	case <-e.done:
		return e.v, e.keep
	default:
		return nil, false
	}
}

// SharesFiles reports whether ix and o have the same file part (local
// governments, bodies, files): answers that depend on it alone carry over.
func (ix *CatalogIndex) SharesFiles(o *CatalogIndex) bool { return ix.filePart == o.filePart }

// HotKeys returns up to n memo keys, most used first (for warming the next
// snapshot).
func (ix *CatalogIndex) HotKeys(n int) []string {
	type kv struct {
		k    string
		hits int64
	}
	ix.memo.mu.Lock()
	all := make([]kv, 0, len(ix.memo.m))
	for k, e := range ix.memo.m {
		all = append(all, kv{k, e.hits.Load()})
	}
	ix.memo.mu.Unlock()
	slices.SortFunc(all, func(a, b kv) int { return cmp.Or(cmp.Compare(b.hits, a.hits), cmp.Compare(a.k, b.k)) })
	out := make([]string, 0, min(n, len(all)))
	for _, x := range all[:min(n, len(all))] {
		out = append(out, x.k)
	}
	return out
}

type pinKey struct{}

// WithCatalogIndex pins a snapshot into ctx: Catalog.Index returns it
// instead of the current one (used to render answers into a new snapshot's
// memo before it is published).
func WithCatalogIndex(ctx context.Context, ix *CatalogIndex) context.Context {
	return context.WithValue(ctx, pinKey{}, ix)
}

func pinnedIndex(ctx context.Context) *CatalogIndex {
	ix, _ := ctx.Value(pinKey{}).(*CatalogIndex)
	return ix
}
