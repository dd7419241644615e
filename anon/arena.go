package anon

import (
	"slices"
	"sync"
	"weak"
)

// The arena of one Anonymize call: the memory that lives exactly as long as
// the search (the kept snapshots of the cache, the lattice-sized arrays,
// the base's codes) is handed out from chunks that are reused by the next
// call instead of being allocated, zeroed and collected in every one. A
// server runs many jobs in one process; adult k5_s0_dm allocated 4.2 MB per
// search, k5_s2_dmstar 51 MB, and the runtime spent ~20 % of the CPU of
// k5_s0_dm on it (collection, returning memory to the OS, zeroing large
// allocations).
//
// What the arena hands out is not zeroed: every caller writes each element
// (or clears it). Nothing handed out may be reachable once Anonymize
// returns (release drops the engine's references to it).

const (
	// arenaMax is the most an arena holds (bytes): beyond it, memory comes
	// from the heap as before, so a huge job neither holds more than this
	// for its whole search nor leaves more than this in the pool.
	arenaMax = 64 << 20
	// chunkMin is the smallest chunk (bytes); chunks double from there.
	chunkMin = 64 << 10
)

// arena hands out slices of the element types the search uses. It is
// shared by the goroutines of one search (set-up beside the base grouping,
// speculation), hence the lock; a hand-out costs far less than a check.
type arena struct {
	mu   sync.Mutex
	size int // bytes in chunks
	u8   slab[uint8]
	u32  slab[uint32]
	i32  slab[int32]
	i64  slab[int64]
	u64  slab[uint64]
	f64  slab[float64]
}

// slab hands out slices of one element type from a list of chunks, in
// order; the chunks are kept for the next search.
type slab[T any] struct {
	chunks [][]T
	cur    int // the chunk handed out from
	off    int // elements of chunks[cur] handed out
	width  int // bytes per element
}

var arenaSpares spares[arena]

// takeArena returns an arena with nothing handed out.
func takeArena() *arena {
	a := arenaSpares.take()
	if a == nil {
		return &arena{u8: slab[uint8]{width: 1}, u32: slab[uint32]{width: 4}, i32: slab[int32]{width: 4},
			i64: slab[int64]{width: 8}, u64: slab[uint64]{width: 8}, f64: slab[float64]{width: 8}}
	}
	a.u8.reset()
	a.u32.reset()
	a.i32.reset()
	a.i64.reset()
	a.u64.reset()
	a.f64.reset()
	return a
}

// releaseArena gives e's arena back to the pool once the search is over,
// and drops the engine's references into it (the Result keeps e).
func (e *engine) releaseArena() {
	if e.arena == nil {
		return
	}
	arenaSpares.put(e.arena, e.arena.size)
	e.arena = nil
	e.lv = nil
	if e.base != nil {
		e.base.codes = nil
	}
}

func (s *slab[T]) reset() { s.cur, s.off = 0, 0 }

// take returns n elements (len and cap n), from the chunks when they or
// the arena's limit allow, else from the heap.
func (s *slab[T]) take(n int, size *int) []T {
	for s.cur < len(s.chunks) {
		c := s.chunks[s.cur]
		if s.off+n <= len(c) {
			s.off += n
			return c[s.off-n : s.off : s.off]
		}
		if s.off == 0 && s.cur == len(s.chunks)-1 {
			break // the last chunk is too small even alone
		}
		s.cur, s.off = s.cur+1, 0
	}
	// a new chunk: twice the slab's chunks so far, at least n
	m := chunkMin / s.width
	for _, c := range s.chunks {
		m += len(c)
	}
	m = max(m, n)
	if *size+m*s.width > arenaMax {
		return make([]T, n)
	}
	*size += m * s.width
	s.chunks = append(s.chunks, make([]T, m))
	s.cur, s.off = len(s.chunks)-1, n
	return s.chunks[s.cur][:n:n]
}

// uint8s and the others return n elements of the arena, not zeroed (from
// the heap when a is nil).
func (a *arena) uint8s(n int) []uint8 {
	if a == nil {
		return make([]uint8, n)
	}
	return lockedTake(a, &a.u8, n)
}

func (a *arena) uint32s(n int) []uint32 {
	if a == nil {
		return make([]uint32, n)
	}
	return lockedTake(a, &a.u32, n)
}

func (a *arena) int32s(n int) []int32 {
	if a == nil {
		return make([]int32, n)
	}
	return lockedTake(a, &a.i32, n)
}

func (a *arena) int64s(n int) []int64 {
	if a == nil {
		return make([]int64, n)
	}
	return lockedTake(a, &a.i64, n)
}

func (a *arena) uint64s(n int) []uint64 {
	if a == nil {
		return make([]uint64, n)
	}
	return lockedTake(a, &a.u64, n)
}

func (a *arena) float64s(n int) []float64 {
	if a == nil {
		return make([]float64, n)
	}
	return lockedTake(a, &a.f64, n)
}

// lockedTake takes n elements from s, one of a's slabs, under a's lock.
func lockedTake[T any](a *arena, s *slab[T], n int) []T {
	a.mu.Lock()
	defer a.mu.Unlock()
	return s.take(n, &a.size)
}

// zeroed clears b and returns it.
func zeroed[T any](b []T) []T {
	clear(b)
	return b
}

// spares keeps values a search is done with for the next ones. Unlike a
// sync.Pool, a value put back is found from any P: a pool's value put back
// on one P stays in that P's private slot, out of reach from the other,
// and a search's goroutine moves between the two (with pools for the arena
// and the worker's scratch, adult k5_s0_dm allocated 1.16 MB per search,
// 0.87 MB with spares). Like a pool, it keeps nothing alive: the values
// are held weakly, so the next collection frees those not taken again.
type spares[T any] struct {
	mu     sync.Mutex
	list   []weak.Pointer[T]
	strong []*T // the last small ones put back, also held strongly
}

// sparesMax is the most values kept: one per search running at once.
const sparesMax = 8

// The last sparesStrong values put back of at most sparesStrongMax bytes
// are also held strongly, so that they outlive collections: held only
// weakly, they were freed by every collection, which a search of the
// reference cases meets every few searches, and the next search allocated
// and faulted its memory in again. Bytes allocated per search, three
// rounds of 20x: adult k5_s0_dm 0.89 → 0.57 MB, k5_s0_loss 1.17 → 0.57,
// k11_s5_dmstar 4.45 → 2.54, FARS k5_s0_loss 2.78 → 1.41; mean wall FARS
// k5_s0_loss 7.5 → 6.8 ms, k11_s5_dmstar 19.4 → 17.7, the others within
// noise. An idle process keeps at most sparesStrong × sparesStrongMax
// bytes per kind.
const (
	sparesStrong    = 2
	sparesStrongMax = 8 << 20
)

// take returns a value put back and still alive, or nil.
func (s *spares[T]) take() *T {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.list) > 0 {
		v := s.list[len(s.list)-1].Value()
		s.list = s.list[:len(s.list)-1]
		if v != nil {
			if i := slices.Index(s.strong, v); i >= 0 {
				s.strong = slices.Delete(s.strong, i, i+1)
			}
			return v
		}
	}
	return nil
}

// put keeps v, of the given size in bytes, for a later take (v must no
// longer be used).
func (s *spares[T]) put(v *T, bytes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.list) == sparesMax { // drop those collected
		live := s.list[:0]
		for _, p := range s.list {
			if p.Value() != nil {
				live = append(live, p)
			}
		}
		clear(s.list[len(live):])
		s.list = live
	}
	if len(s.list) < sparesMax {
		s.list = append(s.list, weak.Make(v))
		if bytes <= sparesStrongMax {
			if len(s.strong) == sparesStrong {
				s.strong = slices.Delete(s.strong, 0, 1)
			}
			s.strong = append(s.strong, v)
		}
	}
}
