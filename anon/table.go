package anon

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"

	"github.com/tokumei/tokumei/fault"
)

// Column is one dictionary-encoded column: Codes[row] indexes Dict.
type Column struct {
	Name  string
	Dict  []string // distinct values in order of first appearance
	Codes []uint32 // one code per row
	// counts[code]: the rows with each code, kept as rows are appended
	// (the engine's floors and static bounds start from them); a table is
	// not changed once built
	counts []int64
	index  map[string]uint32
	short  valueIndex[uint64]    // cache of index for values of up to 7 bytes
	mid    valueIndex[mediumKey] // cache of index for values of 8 to 16 bytes
	long   longIndex             // cache of index for longer values (AppendBytes)
}

// Code returns the code of value v and whether it occurs in the column.
func (c *Column) Code(v string) (uint32, bool) {
	if c.index == nil {
		c.index = make(map[string]uint32, len(c.Dict))
		for i, s := range c.Dict {
			c.index[s] = uint32(i)
		}
	}
	code, ok := c.index[v]
	return code, ok
}

// Value returns the value of row r.
func (c *Column) Value(r int64) string { return c.Dict[c.Codes[r]] }

// Table is a columnar table: every column holds Rows codes.
type Table struct {
	Columns []*Column
	Rows    int64
	// Lines holds the 1-based source line of each row (for error
	// messages) when some row is not on line row+2 (header on line 1, no
	// blank line or multi-line field before it); nil otherwise.
	Lines []int64
	// ReleaseQICodes lets Anonymize free the codes of the quasi-identifier
	// columns once it has grouped the rows (it writes the output from its
	// classes): a large job then holds them only once. Row and Value must
	// not be used on those columns afterwards.
	ReleaseQICodes bool
}

// Names returns the column names in order.
func (t *Table) Names() []string {
	n := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		n[i] = c.Name
	}
	return n
}

// Column returns the column with the given name, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// ColumnIndex returns the index of the named column, or -1.
func (t *Table) ColumnIndex(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Row returns the values of row r.
func (t *Table) Row(r int64) []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Dict[c.Codes[r]]
	}
	return out
}

// TableBuilder appends rows of strings to a table, encoding them as it goes.
type TableBuilder struct {
	t    *Table
	file string
}

// NewTableBuilder starts a table with the given column names. file names
// the source in error messages ("" when there is none).
func NewTableBuilder(names []string, file string) (*TableBuilder, error) {
	seen := map[string]bool{}
	t := &Table{}
	for i, n := range names {
		if seen[n] {
			return nil, fault.Errorf(fault.Invalid, "duplicate column name %q", n).At(file, 1, i+1)
		}
		seen[n] = true
		t.Columns = append(t.Columns, &Column{Name: n, index: map[string]uint32{},
			short: valueIndex[uint64]{hash: shortHash}, mid: valueIndex[mediumKey]{hash: mediumHash}})
	}
	return &TableBuilder{t: t, file: file}, nil
}

// Reserve makes room for rows more rows (a size hint: appending past it
// still works).
func (b *TableBuilder) Reserve(rows int64) {
	for _, c := range b.t.Columns {
		if int64(cap(c.Codes)-len(c.Codes)) < rows {
			c.Codes = append(make([]uint32, 0, int64(len(c.Codes))+rows), c.Codes...)
		}
	}
}

// Append adds one row; line is its 1-based source line (0 when unknown).
func (b *TableBuilder) Append(row []string, line int64) error {
	if len(row) != len(b.t.Columns) {
		return b.widthError(len(row), line)
	}
	for i, v := range row {
		c := b.t.Columns[i]
		code, ok := c.index[v]
		if !ok {
			code = c.add(v)
		}
		c.Codes = append(c.Codes, code)
		c.counts[code]++
	}
	b.addLine(line)
	return nil
}

// AppendBytes is Append for fields held in reused buffers (the fast path
// of large files): a value is copied into a string only the first time it
// is seen in its column.
func (b *TableBuilder) AppendBytes(row [][]byte, line int64) error {
	if len(row) != len(b.t.Columns) {
		return b.widthError(len(row), line)
	}
	for i, v := range row {
		c := b.t.Columns[i]
		var code uint32
		if k, ok := packShort(v); ok {
			var found bool
			h := shortHash(k)
			if code, found = c.short.get(k, h); !found {
				code = c.codeOrAdd(v)
				c.short.put(k, h, code)
			}
		} else if len(v) <= 16 {
			k := packMedium(v)
			var found bool
			h := mediumHash(k)
			if code, found = c.mid.get(k, h); !found {
				code = c.codeOrAdd(v)
				c.mid.put(k, h, code)
			}
		} else {
			h := c.long.hash(v)
			var found bool
			if code, found = c.long.get(h, v, c.Dict); !found {
				code = c.codeOrAdd(v)
				c.long.put(h, code)
			}
		}
		c.Codes = append(c.Codes, code)
		c.counts[code]++
	}
	b.addLine(line)
	return nil
}

func (c *Column) codeOrAdd(v []byte) uint32 {
	if code, ok := c.index[string(v)]; ok {
		return code
	}
	return c.add(string(v))
}

func (c *Column) add(v string) uint32 {
	code := uint32(len(c.Dict))
	c.Dict = append(c.Dict, v)
	c.counts = append(c.counts, 0)
	c.index[v] = code
	return code
}

func (b *TableBuilder) widthError(n int, line int64) error {
	return fault.New(fault.Invalid,
		fmtS("row has %d fields, the header has %d", n, len(b.t.Columns)),
		fmtS("行の項目数 %d がヘッダの項目数 %d と一致しません", n, len(b.t.Columns))).
		At(b.file, int(line), min(n, len(b.t.Columns))+1)
}

// addLine records the source line of the row being added. Lines are kept
// only once a row is not on line row+2 (a blank line or a multi-line
// field before it): most files need no line table at all.
func (b *TableBuilder) addLine(line int64) {
	t := b.t
	if t.Lines == nil && line > 0 && line != t.Rows+2 {
		t.Lines = make([]int64, t.Rows, t.Rows+1)
		for r := range t.Lines {
			t.Lines[r] = int64(r) + 2
		}
	}
	if t.Lines != nil {
		if line <= 0 {
			line = t.Rows + 2
		}
		t.Lines = append(t.Lines, line)
	}
	t.Rows++
}

// Build returns the table; the builder must not be used afterwards.
func (b *TableBuilder) Build() *Table { return b.t }

// LineOf returns the source line of row r, or r+2 (header plus 1-based) when
// unknown.
func (t *Table) LineOf(r int64) int {
	if t.Lines != nil {
		return int(t.Lines[r])
	}
	return int(r) + 2
}

// packShort packs a value of up to 7 bytes, with its length, into a
// non-zero key.
func packShort(b []byte) (uint64, bool) {
	if len(b) > 7 {
		return 0, false
	}
	k := uint64(len(b)+1) << 56
	for i, c := range b {
		k |= uint64(c) << (8 * i)
	}
	return k, true
}

// valueIndex maps packed values (short ones: uint64; medium ones:
// mediumKey) to codes, open addressing with linear probing, the zero key
// marking an empty slot: faster than a string map for the small values
// (ages, codes, flags) most columns hold. The caller passes each key's
// hash, so the parse loop calls no hash function through a pointer; hash
// is called only to grow.
type valueIndex[K comparable] struct {
	keys  []K
	codes []uint32
	n     int
	shift uint
	hash  func(K) uint64
}

func (s *valueIndex[K]) get(k K, h uint64) (uint32, bool) {
	if s.keys == nil {
		return 0, false
	}
	var empty K
	mask := uint64(len(s.keys) - 1)
	for i := h >> s.shift; ; i = (i + 1) & mask {
		switch s.keys[i] {
		case k:
			return s.codes[i], true
		case empty:
			return 0, false
		}
	}
}

func (s *valueIndex[K]) put(k K, h uint64, code uint32) {
	var empty K
	if 2*(s.n+1) > len(s.keys) {
		old, oldCodes := s.keys, s.codes
		size := max(64, 2*len(s.keys))
		s.keys, s.codes, s.n = make([]K, size), make([]uint32, size), 0
		s.shift = uint(64 - bits.Len(uint(size-1)))
		for i, ok := range old {
			if ok != empty {
				s.put(ok, s.hash(ok), oldCodes[i])
			}
		}
	}
	mask := uint64(len(s.keys) - 1)
	i := h >> s.shift
	for s.keys[i] != empty {
		i = (i + 1) & mask
	}
	s.keys[i], s.codes[i] = k, code
	s.n++
}

// shortHash hashes a packed short value for valueIndex.
func shortHash(k uint64) uint64 { return k * 0x9E3779B97F4A7C15 }

// mediumKey is a value of 8 to 16 bytes: its first and last eight bytes
// (overlapping) and its length, which together determine it.
type mediumKey struct {
	first, last uint64
	n           uint64 // length, 0 for an empty slot
}

func packMedium(b []byte) mediumKey {
	return mediumKey{binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[len(b)-8:]), uint64(len(b))}
}

// mediumHash hashes a medium value for valueIndex.
func mediumHash(k mediumKey) uint64 {
	return (k.first*0x9E3779B97F4A7C15^k.last)*0xC2B2AE3D27D4EB4F ^ k.n
}

// longIndex maps values of 17 bytes or more to codes by their hash (open
// addressing, linear probing, hash 0 empty), a hit confirmed against the
// dictionary: cheaper than a string map lookup per field.
type longIndex struct {
	seed   maphash.Seed
	hashes []uint64
	codes  []uint32
	n      int
	shift  uint
}

// hash returns the non-zero hash of v.
func (s *longIndex) hash(v []byte) uint64 {
	if s.hashes == nil {
		s.seed = maphash.MakeSeed()
		s.grow()
	}
	return maphash.Bytes(s.seed, v) | 1
}

func (s *longIndex) get(h uint64, v []byte, dict []string) (uint32, bool) {
	mask := uint64(len(s.hashes) - 1)
	for i := h >> s.shift; ; i = (i + 1) & mask {
		switch s.hashes[i] {
		case h:
			if c := s.codes[i]; dict[c] == string(v) {
				return c, true
			}
		case 0:
			return 0, false
		}
	}
}

func (s *longIndex) put(h uint64, code uint32) {
	if 2*(s.n+1) > len(s.hashes) {
		s.grow()
	}
	mask := uint64(len(s.hashes) - 1)
	i := h >> s.shift
	for s.hashes[i] != 0 {
		i = (i + 1) & mask
	}
	s.hashes[i], s.codes[i] = h, code
	s.n++
}

// grow doubles the table (64 slots at first).
func (s *longIndex) grow() {
	old, oldCodes := s.hashes, s.codes
	size := max(64, 2*len(s.hashes))
	s.hashes, s.codes, s.n = make([]uint64, size), make([]uint32, size), 0
	s.shift = uint(64 - bits.Len(uint(size-1)))
	for i, h := range old {
		if h != 0 {
			s.put(h, oldCodes[i])
		}
	}
}
