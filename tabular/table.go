package tabular

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"strconv"
	"strings"

	"github.com/tokumei/tokumei/dp"
	"github.com/tokumei/tokumei/fault"
)

// Measure is what a cell holds: "count", or "sum" / "mean" of Column.
type Measure struct {
	Type   string
	Column string
}

// Spec describes a table (or a set of linked tables) to build.
type Spec struct {
	Dimensions []Dimension
	Measure    Measure
	// Contributor names the column identifying the contributor (e.g. the
	// enterprise or household) whose values are added up before dominance
	// and p% rules; empty means each row is one contributor.
	Contributor string
	// Tables lists linked tables as sets of dimension columns; empty means
	// one table over all dimensions.
	Tables [][]string
	// TotalLabel is the key value of margins (default "Total").
	TotalLabel string
	// TopN is how many largest contributions to keep per cell (set by the
	// rules; at least 2 for p%).
	TopN int
	// CellKeySecret, when set, gives every record a key for the cell key
	// method: HMAC-SHA256(secret, record id), the record id being the
	// CellKeyColumn value or, without it, the whole row.
	CellKeySecret []byte
	CellKeyColumn string
	// Bound, when set, bounds each person's contribution (for DP).
	Bound *Bound
}

// Bound is contribution bounding before differential privacy.
type Bound struct {
	Person        string  // column identifying the person; empty: each row
	MaxPartitions int     // cells per person (L0)
	MaxRows       int     // rows per person and cell (L∞ for counts)
	Lower, Upper  float64 // clamp of each value, integers (sums)
}

// MaxCells bounds the dense cover table.
const MaxCells = 40_000_000

// Table is a built table: counts, sums and the largest contributions of
// every cell, margins included.
type Table struct {
	Spec    Spec
	dims    []*dimTree
	stride  []int
	N       int
	Count   []int64
	Sum     []float64 // nil for counts
	top     []float64 // TopN per cell, descending
	ncont   []int64   // distinct contributors per cell (contributor column only)
	Rows    int64     // rows read
	negRow  int64     // first row (1-based) with a negative contribution, 0 if none
	tables  [][]bool  // per linked table: dimension in table
	colIdx  []int
	measIdx int
	contIdx int

	ckey      []uint64 // per cell: sum of record keys mod 2^64
	ckIdx     int
	personIdx int
	bounder   *dp.Bounder
	Dropped   int64 // rows dropped by contribution bounding

	inner map[uint64]*acc // during building
	cont  map[string][]contrib
	leafs []int
	built bool
}

type acc struct {
	ckey  uint64
	count int64
	sum   float64
	top   []float64
}

type contrib struct {
	key uint64
	v   float64
}

// NewTable starts a table over rows with the given header.
func NewTable(spec Spec, header []string) (*Table, error) {
	if n := len(spec.Dimensions); n < 1 || n > 5 {
		return nil, fault.Errorf(fault.Invalid, "a table has 1 to 5 dimensions, not %d", n).In("dimensions")
	}
	if spec.TotalLabel == "" {
		spec.TotalLabel = "Total"
	}
	if spec.Measure.Type == "" {
		spec.Measure.Type = "count"
	}
	t := &Table{Spec: spec, inner: make(map[uint64]*acc), measIdx: -1, contIdx: -1, ckIdx: -1, personIdx: -1}
	col := func(name, field string) (int, error) {
		for i, h := range header {
			if h == name {
				return i, nil
			}
		}
		return -1, fault.Errorf(fault.Invalid, "column %q is not in the input (columns: %s)", name, strings.Join(header, ", ")).In(field)
	}
	for i, d := range spec.Dimensions {
		c, err := col(d.Column, "dimensions")
		if err != nil {
			return nil, err
		}
		dt, err := newDimTree(d, spec.TotalLabel)
		if err != nil {
			return nil, err
		}
		t.dims = append(t.dims, dt)
		t.colIdx = append(t.colIdx, c)
		_ = i
	}
	switch spec.Measure.Type {
	case "count":
	case "sum", "mean":
		c, err := col(spec.Measure.Column, "measure.column")
		if err != nil {
			return nil, err
		}
		t.measIdx = c
	default:
		return nil, fault.Errorf(fault.Invalid, "measure %q: use count, sum or mean", spec.Measure.Type).In("measure.type")
	}
	if spec.Contributor != "" {
		c, err := col(spec.Contributor, "contributor")
		if err != nil {
			return nil, err
		}
		t.contIdx = c
		t.cont = make(map[string][]contrib)
	}
	if spec.CellKeyColumn != "" {
		c, err := col(spec.CellKeyColumn, "cell_key.key_column")
		if err != nil {
			return nil, err
		}
		t.ckIdx = c
	}
	if b := spec.Bound; b != nil {
		if b.MaxPartitions < 1 || b.MaxRows < 1 || b.Lower > b.Upper || b.Lower != math.Trunc(b.Lower) || b.Upper != math.Trunc(b.Upper) {
			return nil, fault.Errorf(fault.Invalid, "contribution bounds need max_partitions, max_rows >= 1 and integer lower <= upper").In("dp")
		}
		if b.Person != "" {
			c, err := col(b.Person, "dp.person")
			if err != nil {
				return nil, err
			}
			t.personIdx = c
		}
		t.bounder = &dp.Bounder{MaxPartitions: b.MaxPartitions, MaxRows: b.MaxRows}
	}
	if err := t.linkTables(); err != nil {
		return nil, err
	}
	t.leafs = make([]int, len(t.dims))
	return t, nil
}

func (t *Table) linkTables() error {
	if len(t.Spec.Tables) == 0 {
		all := make([]bool, len(t.dims))
		for i := range all {
			all[i] = true
		}
		t.tables = [][]bool{all}
		return nil
	}
	for _, tab := range t.Spec.Tables {
		in := make([]bool, len(t.dims))
		for _, c := range tab {
			found := false
			for j, d := range t.dims {
				if d.Column == c {
					in[j], found = true, true
				}
			}
			if !found {
				return fault.Errorf(fault.Invalid, "linked table names %q, which is not a dimension", c).In("tables")
			}
		}
		t.tables = append(t.tables, in)
	}
	return nil
}

// Add adds one input row; line is its 1-based line for error messages.
func (t *Table) Add(row []string, line int64) error {
	var key uint64
	for j, d := range t.dims {
		c := t.colIdx[j]
		if c >= len(row) {
			return fault.Errorf(fault.Invalid, "row has %d fields, column %q is number %d", len(row), d.Column, c+1).At("", int(line), c+1)
		}
		id, ok := d.lookup(row[c])
		if !ok {
			return fault.New(fault.Invalid,
				"unknown value "+strconv.Quote(row[c])+" of dimension "+d.Column+" (not in its hierarchy or declared values)",
				"表章事項 "+d.Column+" の値 "+strconv.Quote(row[c])+" は階層・定義域にありません").At("", int(line), c+1).In(d.Column)
		}
		if id >= 1<<12 {
			return fault.Errorf(fault.TooLarge, "dimension %q has more than 4095 categories", d.Column).In(d.Column)
		}
		key = key<<12 | uint64(id)
	}
	v := 1.0
	if t.measIdx >= 0 {
		s := strings.TrimSpace(row[t.measIdx])
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return fault.Errorf(fault.Invalid, "measure %q is not a number", s).At("", int(line), t.measIdx+1).In(t.Spec.Measure.Column)
		}
		v = f
		if f < 0 && t.negRow == 0 {
			t.negRow = line
		}
	}
	if b := t.Spec.Bound; b != nil {
		person := strconv.FormatInt(line, 10)
		if t.personIdx >= 0 {
			person = row[t.personIdx]
		}
		if !t.bounder.Admit(person, key) {
			t.Dropped++
			return nil
		}
		v = math.Round(max(b.Lower, min(b.Upper, v)))
	}
	a := t.inner[key]
	if a == nil {
		a = &acc{}
		t.inner[key] = a
	}
	a.count++
	a.sum += v
	t.Rows++
	if t.Spec.CellKeySecret != nil {
		a.ckey += t.recordKey(row)
	}
	if t.cont != nil {
		c := row[t.contIdx]
		t.cont[c] = append(t.cont[c], contrib{key, v})
	} else if t.Spec.TopN > 0 {
		a.top = insertTop(a.top, v, t.Spec.TopN)
	}
	return nil
}

// insertTop inserts v into the descending list top, keeping n entries.
func insertTop(top []float64, v float64, n int) []float64 {
	if len(top) == n && v <= top[n-1] {
		return top
	}
	i := len(top)
	if len(top) < n {
		top = append(top, v)
	}
	for i > 0 && top[i-1] < v {
		if i < len(top) {
			top[i] = top[i-1]
		}
		i--
	}
	top[i] = v
	return top
}

// Finish builds the dense table with margins.
func (t *Table) Finish() error {
	if t.built {
		return nil
	}
	t.built = true
	perms := make([][]int, len(t.dims))
	for j, d := range t.dims {
		perms[j] = d.sortOpen()
	}
	t.stride = make([]int, len(t.dims))
	n := 1
	for j := len(t.dims) - 1; j >= 0; j-- {
		t.stride[j] = n
		n *= len(t.dims[j].nodes)
		if n > MaxCells {
			return fault.Errorf(fault.TooLarge, "the table would have more than %d cells (with margins)", MaxCells).In("dimensions")
		}
	}
	t.N = n
	t.Count = make([]int64, n)
	if t.measIdx >= 0 {
		t.Sum = make([]float64, n)
	}
	k := t.Spec.TopN
	if k > 0 {
		t.top = make([]float64, n*k)
		for i := range t.top {
			t.top[i] = math.Inf(-1)
		}
	}
	cellOf := func(key uint64) int {
		c := 0
		for j := len(t.dims) - 1; j >= 0; j-- {
			c += perms[j][int(key&0xfff)] * t.stride[j]
			key >>= 12
		}
		return c
	}
	if t.Spec.CellKeySecret != nil {
		t.ckey = make([]uint64, n)
	}
	for key, a := range t.inner {
		c := cellOf(key)
		if t.ckey != nil {
			t.ckey[c] = a.ckey
		}
		t.Count[c] = a.count
		if t.Sum != nil {
			t.Sum[c] = a.sum
		}
		for i, v := range a.top {
			t.top[c*k+i] = v
		}
	}
	t.inner = nil
	t.rollUp()
	if t.cont != nil {
		if k == 0 {
			t.Spec.TopN, k = 1, 1
			t.top = make([]float64, n)
			for i := range t.top {
				t.top[i] = math.Inf(-1)
			}
		}
		t.contributorTops(cellOf)
	}
	t.cont = nil
	return nil
}

// coords writes the node of each dimension of cell c.
func (t *Table) coords(c int, out []int) {
	for j := range t.dims {
		out[j] = c / t.stride[j] % len(t.dims[j].nodes)
	}
}

// rollUp fills the margins: for each dimension, parents are summed from
// their children, deepest nodes first.
func (t *Table) rollUp() {
	k := t.Spec.TopN
	for j, d := range t.dims {
		order := depthOrder(d)
		nj, sj := len(d.nodes), t.stride[j]
		for base := 0; base < t.N; base++ {
			if base/sj%nj != 0 {
				continue
			}
			for _, p := range order {
				pc := base + p*sj
				for _, ch := range d.nodes[p].children {
					cc := base + ch*sj
					t.Count[pc] += t.Count[cc]
					if t.ckey != nil {
						t.ckey[pc] += t.ckey[cc]
					}
					if t.Sum != nil {
						t.Sum[pc] += t.Sum[cc]
					}
					if k > 0 && t.cont == nil {
						mergeTop(t.top[pc*k:pc*k+k], t.top[cc*k:cc*k+k])
					}
				}
			}
		}
	}
}

// depthOrder lists the non-leaf nodes of d, deepest first.
func depthOrder(d *dimTree) []int {
	var out []int
	maxDepth := 0
	for _, n := range d.nodes {
		maxDepth = max(maxDepth, n.depth)
	}
	for dep := maxDepth; dep >= 0; dep-- {
		for i, n := range d.nodes {
			if n.depth == dep && len(n.children) > 0 {
				out = append(out, i)
			}
		}
	}
	return out
}

// mergeTop merges the descending list src into dst (both fixed length,
// -Inf for empty).
func mergeTop(dst, src []float64) {
	for _, v := range src {
		if math.IsInf(v, -1) || v <= dst[len(dst)-1] {
			break
		}
		i := len(dst) - 1
		for i > 0 && dst[i-1] < v {
			dst[i] = dst[i-1]
			i--
		}
		dst[i] = v
	}
}

// contributorTops computes the largest contributions per cell when rows
// are grouped by contributor: each contributor's total in every cell it
// reaches, margins included.
func (t *Table) contributorTops(cellOf func(uint64) int) {
	k := t.Spec.TopN
	coord := make([]int, len(t.dims))
	t.ncont = make([]int64, t.N)
	for _, rows := range t.cont {
		sums := make(map[int]float64)
		for _, r := range rows {
			c := cellOf(r.key)
			t.coords(c, coord)
			t.ancestors(coord, 0, 0, func(a int) { sums[a] += r.v })
		}
		for c, v := range sums {
			t.ncont[c]++
			top := t.top[c*k : c*k+k]
			mergeTop(top, []float64{v})
		}
	}
}

// ancestors calls f for every cell whose node in each dimension is the
// node of coord or one of its ancestors.
func (t *Table) ancestors(coord []int, j, base int, f func(int)) {
	if j == len(t.dims) {
		f(base)
		return
	}
	for n := coord[j]; n >= 0; n = t.dims[j].nodes[n].parent {
		t.ancestors(coord, j+1, base+n*t.stride[j], f)
	}
}

// Top returns the i-th largest contribution of cell c (0 when absent).
func (t *Table) Top(c, i int) float64 {
	k := t.Spec.TopN
	if i >= k {
		return 0
	}
	v := t.top[c*k+i]
	if math.IsInf(v, -1) {
		return 0
	}
	return v
}

// Magnitude returns the audited quantity of cell c: its sum for magnitude
// tables, its count otherwise.
func (t *Table) Magnitude(c int) float64 {
	if t.Sum != nil {
		return t.Sum[c]
	}
	return float64(t.Count[c])
}

// active reports whether cell c belongs to some linked table.
func (t *Table) active(c int) bool {
	for _, tab := range t.tables {
		if t.inTable(c, tab) {
			return true
		}
	}
	return false
}

func (t *Table) inTable(c int, tab []bool) bool {
	for j := range t.dims {
		if !tab[j] && c/t.stride[j]%len(t.dims[j].nodes) != 0 {
			return false
		}
	}
	return true
}

// constraintActive reports whether the additivity constraint of total cell
// c along dimension j belongs to some linked table.
func (t *Table) constraintActive(c, j int) bool {
	for _, tab := range t.tables {
		if tab[j] && t.inTable(c, tab) {
			return true
		}
	}
	return false
}

// node returns the node of cell c in dimension j.
func (t *Table) node(c, j int) int { return c / t.stride[j] % len(t.dims[j].nodes) }

// isInner reports whether c is an inner cell (a leaf in every dimension of
// some table containing it).
func (t *Table) isInner(c int) bool {
	for _, tab := range t.tables {
		if !t.inTable(c, tab) {
			continue
		}
		ok := true
		for j := range t.dims {
			if tab[j] && !t.dims[j].isLeaf(t.node(c, j)) {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// recordKey returns the record's key, uniform on 2^64 (a fraction of 1).
func (t *Table) recordKey(row []string) uint64 {
	m := hmac.New(sha256.New, t.Spec.CellKeySecret)
	if t.ckIdx >= 0 {
		m.Write([]byte(row[t.ckIdx]))
	} else {
		for _, f := range row {
			m.Write([]byte(f))
			m.Write([]byte{0x1f})
		}
	}
	return binary.BigEndian.Uint64(m.Sum(nil))
}
