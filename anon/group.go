package anon

import (
	"math"
	"math/bits"
	"slices"
)

// groupTable maps 64-bit keys to dense class ids (open addressing, linear
// probing). It is reused from one grouping to the next; reset clears only
// the slots used.
type groupTable struct {
	keys   []uint64
	vals   []int32
	used   []int32
	mask   uint64
	shift  uint
	direct bool // keys index vals directly (small key spaces)
	// repeats: the key space is below a quarter of the keys, so at most a
	// quarter of them are new (a direct array); then a branch on it is
	// mostly predicted, and cheaper than the writes of the loops without.
	repeats bool
}

func (g *groupTable) reset(n int, keyBits uint) {
	g.resetSpace(n, spaceOf(keyBits))
}

// spaceOf is the number of keys of b bits (saturated).
func spaceOf(b uint) uint64 {
	if b >= 64 {
		return math.MaxUint64
	}
	return 1 << b
}

// resetSpace prepares the table for n keys below space: a direct array
// when the key space is small, else a hash table.
func (g *groupTable) resetSpace(n int, space uint64) {
	for _, s := range g.used {
		g.vals[s] = -1
	}
	g.used = g.used[:0]
	if cap(g.used) < n {
		g.used = make([]int32, 0, n+n/4) // every key may be new
	}
	g.repeats = space < uint64(n/4)
	if space <= 1<<22 && space <= uint64(8*n+1024) {
		g.direct = true
		g.ensure(int(space))
		return
	}
	g.direct = false
	size := 1024
	for size < hashSlots(n) {
		size <<= 1
	}
	g.ensure(size)
	g.mask = uint64(size - 1)
	g.shift = uint(64 - bits.Len(uint(size-1)))
}

// hashSlots is the least size of a hash table for n keys: 3n up to 8,192
// keys (at most 32 k slots, 384 KB), else 1.5n. The sparser table has fewer
// collisions at the same cache level: the groupings of all checks of a
// search (replayed, in-process alternating, minimum of 20) took 10 % less
// on adult k5_s2_dmstar and k11_s5_dmstar, 3 % on k11_s5_loss, 6–7 % on
// FARS k5_s2_loss, the same on k5_s2_loss. 3n for every size (the rows'
// grouping) was slower: adult 147 → 160 µs, FARS 1,162 → 1,665 µs.
func hashSlots(n int) int {
	if n <= 8192 {
		return 3 * n
	}
	return n + n/2
}

func (g *groupTable) ensure(size int) {
	if len(g.vals) >= size {
		return
	}
	g.keys = make([]uint64, size)
	g.vals = make([]int32, size)
	for i := range g.vals {
		g.vals[i] = -1
	}
	g.used = g.used[:0]
}

// group assigns each key a dense id in order of first appearance, writes it
// to ids and returns the number of ids.
func (g *groupTable) group(keys []uint64, ids []int32, keyBits uint) int {
	g.reset(len(keys), keyBits)
	return g.groupFrom(keys, ids, 0)
}

// groupSpace is group for keys below space.
func (g *groupTable) groupSpace(keys []uint64, ids []int32, space uint64) int {
	g.resetSpace(len(keys), space)
	return g.groupFrom(keys, ids, 0)
}

// The grouping loops decide nothing by a branch on whether a key is new:
// most keys of a roll-up are (70–95 % on adult's checks), in no order a
// branch predictor can learn, and a mispredicted branch cost more than the
// rest of the loop. Each key writes its slot whether new or not, the id
// counter adds 1 or 0, and lists (used, first) are written at the next
// position whether it advances or not. Per source class, over 92 direct and
// 106 hashed groupings from distinct adult sources (in-process alternating,
// minimum of 50–200): direct 6.6 → 2.8 ns, hashed 10.8 → 7.6 ns. (A
// benchmark that repeats the same few groupings hides this: the predictor
// learns the repeated sequence.)

// probe returns the slot of k in a hash table from its home slot s: k's
// own or the empty one where it goes. The loop goes on only past slots of
// other keys.
func probe(gk []uint64, gv []int32, k, s, mask uint64) uint64 {
	for {
		d := gk[s] ^ k
		if uint64(^gv[s])>>31&((d|-d)>>63) == 0 { // empty, or k's
			return s
		}
		s = (s + 1) & mask
	}
}

// groupFrom continues a grouping: new keys get ids from next on.
func (g *groupTable) groupFrom(keys []uint64, ids []int32, next int32) int {
	n := len(keys)
	ids = ids[:n]
	g.used = slices.Grow(g.used, n)
	used := g.used[len(g.used):cap(g.used)][:n]
	j := 0 // new ids so far
	if g.direct {
		vals := g.vals
		for i, k := range keys {
			old := vals[k]
			isNew := old >> 31 // −1 when new, else 0
			v := old ^ (old^next)&isNew
			vals[k] = v
			used[j] = int32(k)
			j -= int(isNew)
			next -= isNew
			ids[i] = v
		}
	} else {
		mask, shift := g.mask, g.shift&63
		gk, gv := g.keys, g.vals
		for i, k := range keys {
			s := probe(gk, gv, k, (k*0x9E3779B97F4A7C15)>>shift&mask, mask)
			old := gv[s]
			isNew := old >> 31
			v := old ^ (old^next)&isNew
			gk[s], gv[s] = k, v
			used[j] = int32(s)
			j -= int(isNew)
			next -= isNew
			ids[i] = v
		}
	}
	g.used = g.used[:len(g.used)+j]
	return int(next)
}

// groupCount groups the keys of a roll-up (ids in order of first
// appearance, as groupFrom, new ids from len(sum) on) and appends, per new
// id, its first item plus base to first and the sum of the weights w of its
// items to sum (ids seen before add to their sums). The slices get room for
// every key to be new, so the loops index instead of appending.
func (g *groupTable) groupCount(keys []uint64, w []int64, ids []int32, first []int32, sum []int64, base int32) ([]int32, []int64) {
	n := len(keys)
	w, ids = w[:n], ids[:n]
	next0 := int32(len(sum))
	first, sum = extend(first, n), extend(sum, n)
	clear(sum[next0:]) // the loops add to the sums of new ids
	var next int32
	if g.direct {
		if g.repeats {
			next = countRepeats(g.vals, keys, w, ids, first, sum, next0)
		} else {
			next = countDirect(g.vals, keys, w, ids, first, sum, next0)
		}
		for _, i := range first[next0:next] {
			g.used = append(g.used, int32(keys[i]))
		}
	} else {
		g.used = slices.Grow(g.used, n)
		used := g.used[len(g.used):cap(g.used)]
		next = g.countHash(keys, w, ids, first[next0:], sum, used, next0)
		g.used = g.used[:len(g.used)+int(next-next0)]
	}
	for j := next0; j < next; j++ {
		first[j] += base
	}
	return first[:next], sum[:next]
}

// countDirect is groupCount's loop over a direct array: first[next] is
// written by every key, the last time by the one that is new.
func countDirect(vals []int32, keys []uint64, w []int64, ids, first []int32, sum []int64, next int32) int32 {
	w, ids = w[:len(keys)], ids[:len(keys)]
	for i, k := range keys {
		old := vals[k]
		isNew := old >> 31 // −1 when new, else 0
		v := old ^ (old^next)&isNew
		vals[k] = v
		first[next] = int32(i)
		next -= isNew
		ids[i] = v
		sum[v] += w[i]
	}
	return next
}

// countRepeats is countDirect with a branch on whether a key is new, for
// keys that mostly repeat: the 0 % cases' checks (4–8 % new) group 30 %
// faster so (adult k5_s0_loss: 33 → 23 µs in all, FARS k5_s0_loss 177 →
// 108 µs).
func countRepeats(vals []int32, keys []uint64, w []int64, ids, first []int32, sum []int64, next int32) int32 {
	w, ids = w[:len(keys)], ids[:len(keys)]
	for i, k := range keys {
		v := vals[k]
		if v < 0 {
			v = next
			vals[k] = v
			first[v] = int32(i)
			next++
		}
		ids[i] = v
		sum[v] += w[i]
	}
	return next
}

// countHash is groupCount's loop over the hash table; first and used are
// indexed from the first new id (next).
func (g *groupTable) countHash(keys []uint64, w []int64, ids, first []int32, sum []int64, used []int32, next int32) int32 {
	mask, shift := g.mask, g.shift&63
	gk, gv := g.keys, g.vals
	w, ids = w[:len(keys)], ids[:len(keys)]
	j := int32(0) // new ids so far
	for i, k := range keys {
		s := probe(gk, gv, k, (k*0x9E3779B97F4A7C15)>>shift&mask, mask)
		old := gv[s]
		isNew := old >> 31
		v := old ^ (old^(next+j))&isNew
		gk[s], gv[s] = k, v
		first[j] = int32(i)
		used[j] = int32(s)
		j -= isNew
		ids[i] = v
		sum[v] += w[i]
	}
	return next + j
}

// extend returns b with n more elements, keeping its contents.
func extend[T any](b []T, n int) []T {
	if cap(b)-len(b) < n {
		nb := make([]T, len(b), len(b)+n+n/4)
		copy(nb, b)
		b = nb
	}
	return b[:len(b)+n]
}

// classKeys fills out with the key of each id, in id order (after a
// grouping from id 0) and returns it.
func (g *groupTable) classKeys(out []uint64) []uint64 {
	if g.direct {
		for j, s := range g.used {
			out[j] = uint64(s)
		}
	} else {
		for j, s := range g.used {
			out[j] = g.keys[s]
		}
	}
	return out
}

// keyer builds grouping keys column by column; when the bits of the next
// column do not fit in 64, the keys so far are replaced by dense ids.
type keyer struct {
	keys  []uint64
	ids   []int32
	used  uint
	gt    *groupTable
	dense bool // the keys were replaced by dense ids
}

// whole tells whether the keys hold every column added (no dense re-id).
func (k *keyer) whole() bool { return !k.dense }

// The keys are not cleared: while no bits are used, add writes them
// instead of shifting them (clearing the rows' keys was a tenth of the
// base grouping).
func (k *keyer) start(n int, gt *groupTable) {
	if cap(k.keys) < n {
		k.keys = make([]uint64, n)
	}
	if cap(k.ids) < n {
		k.ids = make([]int32, n)
	}
	k.keys, k.ids = k.keys[:n], k.ids[:n]
	k.used = 0
	k.gt = gt
	k.dense = false
}

// add appends column codes (lifted by m when m is not nil) to the keys.
func (k *keyer) add(codes []uint32, m []uint32, b uint) {
	if k.used+b > 64 {
		nid := k.gt.group(k.keys, k.ids, k.used)
		for i, id := range k.ids {
			k.keys[i] = uint64(id)
		}
		k.used = bitsFor(nid)
		k.dense = true
	}
	keys := k.keys
	if k.used == 0 { // the keys hold no bits yet (start does not clear them)
		if m == nil {
			for i, c := range codes {
				keys[i] = uint64(c)
			}
		} else {
			for i, c := range codes {
				keys[i] = uint64(m[c])
			}
		}
	} else if m == nil {
		for i, c := range codes {
			keys[i] = keys[i]<<b | uint64(c)
		}
	} else {
		for i, c := range codes {
			keys[i] = keys[i]<<b | uint64(m[c])
		}
	}
	k.used += b
}

// add2 is add for two lifted columns in one pass over the keys.
func (k *keyer) add2(ca, ma []uint32, ba uint, cb, mb []uint32, bb uint) {
	if k.used+ba+bb > 64 {
		k.add(ca, ma, ba)
		k.add(cb, mb, bb)
		return
	}
	keys := k.keys[:len(ca)]
	cb = cb[:len(ca)]
	if k.used == 0 {
		for i, c := range ca {
			keys[i] = uint64(ma[c])<<bb | uint64(mb[cb[i]])
		}
	} else {
		for i, c := range ca {
			keys[i] = keys[i]<<(ba+bb) | uint64(ma[c])<<bb | uint64(mb[cb[i]])
		}
	}
	k.used += ba + bb
}

// finish groups the keys and returns the class of each item and the count.
func (k *keyer) finish() ([]int32, int) {
	n := k.gt.group(k.keys, k.ids, k.used)
	return k.ids, n
}
