package tabular

import (
	crand "crypto/rand"
	"io"
	"math"
	mrand "math/rand/v2"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// RoundingReport describes rounding (丸め).
type RoundingReport struct {
	Method   string `json:"method"`
	Base     int    `json:"base"`
	Additive bool   `json:"additive"`
	// Solver is cox-cycles (1-2 dimensional flat tables, unbiased) or
	// branch-and-bound (other tables, nearest additive rounding).
	Solver string `json:"solver,omitempty"`
}

// newRNG returns a generator seeded from src (crypto/rand when nil).
func newRNG(src io.Reader) *mrand.Rand {
	if src == nil {
		src = crand.Reader
	}
	var seed [32]byte
	if _, err := io.ReadFull(src, seed[:]); err != nil {
		panic("tabular: random source failed")
	}
	return mrand.New(mrand.NewChaCha8(seed))
}

// Round releases the table rounded to multiples of base (3, 5 or 10).
// Random rounding rounds every cell, totals too, independently and without
// bias (non-additive). Controlled rounding (制御丸め) moves every cell,
// totals included, to an adjacent multiple (multiples stay) so that the
// rounded table stays additive: by Cox's (1987) unbiased cycle method for
// flat 1- and 2-dimensional tables, by branch-and-bound over the LP
// (controlledBB) for 3 to 5 dimensions, hierarchical and linked tables,
// where it may not exist. When it does not exist or the search is too
// large, random rounding is used and the report says why.
func (t *Table) Round(method string, base int, src io.Reader) (*Result, error) {
	if err := t.Finish(); err != nil {
		return nil, err
	}
	if base != 3 && base != 5 && base != 10 {
		return nil, fault.Errorf(fault.Invalid, "rounding base %d: use 3, 5 or 10", base).In("protection.rounding.base")
	}
	if t.Spec.Measure.Type == "mean" {
		return nil, fault.Errorf(fault.Invalid, "rounding applies to counts and sums, not means").In("protection.rounding")
	}
	rep := t.newReport()
	res := &Result{Table: t, Status: t.plainStatus(), Value: make([]float64, t.N), Report: rep}
	rng := newRNG(src)
	switch method {
	case "controlled":
		if t.controlledOK() {
			t.controlled2D(res.Value, base, rng)
			rep.Rounding = &RoundingReport{Method: "controlled", Base: base, Additive: true, Solver: "cox-cycles"}
			return res, nil
		}
		start := time.Now()
		why := t.controlledBB(base, res.Value)
		rep.ms("rounding", start)
		if why == "" {
			rep.Rounding = &RoundingReport{Method: "controlled", Base: base, Additive: true, Solver: "branch-and-bound"}
			return res, nil
		}
		rep.Fallbacks = append(rep.Fallbacks, "controlled rounding (制御丸め) not possible: "+why+"; random rounding used (not additive)")
	case "random":
	default:
		return nil, fault.Errorf(fault.Invalid, "rounding method %q: use random or controlled", method).In("protection.rounding.method")
	}
	b := float64(base)
	for c := range res.Value {
		x := math.Round(t.Magnitude(c))
		lo := math.Floor(x/b) * b
		if r := x - lo; r > 0 && rng.Float64() < r/b {
			lo += b
		}
		res.Value[c] = lo
	}
	rep.Rounding = &RoundingReport{Method: "random", Base: base, Additive: false}
	return res, nil
}

func (t *Table) controlledOK() bool {
	if len(t.tables) != 1 || len(t.dims) > 2 {
		return false
	}
	for _, d := range t.dims {
		for _, ch := range d.nodes[0].children {
			if !d.isLeaf(ch) {
				return false
			}
		}
	}
	return true
}

// controlled2D rounds by Cox's cycle method on the residuals. Residuals
// r = x/b - floor(x/b) of the inner cells, the row and column totals and
// the grand total form a matrix whose every line sums to an integer; a
// cycle of fractional entries is shifted, alternately up and down, until
// one becomes integral, with probabilities that keep every cell unbiased.
func (t *Table) controlled2D(out []float64, base int, rng *mrand.Rand) {
	b := float64(base)
	rows, cols := 1, 1
	if len(t.dims) == 2 {
		rows, cols = len(t.dims[0].nodes), len(t.dims[1].nodes)
	} else {
		cols = len(t.dims[0].nodes)
	}
	// Graph: node i < rows is a row, rows+j a column. Entry (i,j) is cell
	// i*cols+j (i,j = 0 are the totals). Residual sign: totals count
	// negatively in their lines so that every line sums to zero.
	floor := make([]float64, rows*cols)
	frac := make([]float64, rows*cols)
	for c := range floor {
		x := math.Round(t.Magnitude(c)) / b
		floor[c] = math.Floor(x)
		frac[c] = x - floor[c]
		if frac[c] < 1e-9 {
			frac[c] = 0
		}
	}
	sign := func(i, j int) float64 {
		s := 1.0
		if i == 0 && rows > 1 {
			s = -s
		}
		if j == 0 {
			s = -s
		}
		return s
	}
	for {
		cyc := findCycle(frac, rows, cols)
		if cyc == nil {
			break
		}
		// Alternate +/- along the cycle in signed terms.
		var dUp, dDown = math.Inf(1), math.Inf(1)
		for k, c := range cyc {
			dir := sign(c/cols, c%cols)
			if k%2 == 1 {
				dir = -dir
			}
			if dir > 0 {
				dUp = math.Min(dUp, 1-frac[c])
				dDown = math.Min(dDown, frac[c])
			} else {
				dUp = math.Min(dUp, frac[c])
				dDown = math.Min(dDown, 1-frac[c])
			}
		}
		step := dUp
		if rng.Float64() < dUp/(dUp+dDown) {
			step = -dDown
		}
		for k, c := range cyc {
			dir := sign(c/cols, c%cols)
			if k%2 == 1 {
				dir = -dir
			}
			frac[c] += dir * step
			if frac[c] < 1e-9 {
				frac[c] = 0
			} else if frac[c] > 1-1e-9 {
				frac[c] = 0
				floor[c]++
			}
		}
	}
	for c := range floor {
		out[c] = floor[c] * b
	}
}

// findCycle returns the cells of a cycle of fractional entries in the
// bipartite row/column graph, or nil when every entry is integral. In a 1-D
// table (rows = 1) the single line is closed by the grand total.
func findCycle(frac []float64, rows, cols int) []int {
	if rows == 1 {
		var cyc []int
		for c, f := range frac {
			if f > 0 {
				cyc = append(cyc, c)
			}
		}
		if len(cyc) < 2 {
			return nil
		}
		// A 1-D line: move two entries (total with a leaf, or two leaves).
		return cyc[:2]
	}
	start := -1
	for c, f := range frac {
		if f > 0 {
			start = c
			break
		}
	}
	if start < 0 {
		return nil
	}
	// Walk alternately along rows and columns until a node repeats.
	type step struct{ cell, node int }
	visited := map[int]int{} // graph node -> position in path
	var path []step
	node := start / cols // row node
	visited[node] = 0
	prev := -1
	for {
		var next int
		cell := -1
		if node < rows { // row: move along the row
			for j := 0; j < cols; j++ {
				c := node*cols + j
				if frac[c] > 0 && c != prev {
					cell, next = c, rows+j
					break
				}
			}
		} else {
			j := node - rows
			for i := 0; i < rows; i++ {
				c := i*cols + j
				if frac[c] > 0 && c != prev {
					cell, next = c, i
					break
				}
			}
		}
		if cell < 0 {
			return nil // cannot happen: every line sums to an integer
		}
		path = append(path, step{cell, node})
		if pos, ok := visited[next]; ok {
			var cyc []int
			for _, s := range path[pos:] {
				cyc = append(cyc, s.cell)
			}
			return cyc
		}
		visited[next] = len(path)
		prev, node = cell, next
	}
}

// CellKeyReport describes the cell key method.
type CellKeyReport struct {
	MaxNoise int     `json:"max_noise"`
	Variance float64 `json:"variance"`
	Additive bool    `json:"additive"`
}

// CellKey releases counts perturbed by the cell key method (ABS; Giessing &
// Tent 2019): the cell key is the sum of the record keys modulo 1, and the
// noise is looked up in a perturbation table of zero mean with values in
// [-maxNoise, maxNoise] (never below zero). Empty cells stay empty. The
// same cell gets the same noise in every table built from the same
// records and secret.
func (t *Table) CellKey(maxNoise int, variance float64) (*Result, error) {
	if err := t.Finish(); err != nil {
		return nil, err
	}
	if t.ckey == nil {
		return nil, fault.Errorf(fault.Invalid, "the cell key method needs a secret (cell_key.secret)").In("protection.cell_key")
	}
	if t.Spec.Measure.Type != "count" {
		return nil, fault.Errorf(fault.Invalid, "the cell key method is implemented for counts").In("protection.cell_key")
	}
	if maxNoise < 1 || maxNoise > 20 || !(variance > 0) {
		return nil, fault.Errorf(fault.Invalid, "cell key needs 1 <= max_noise <= 20 and variance > 0").In("protection.cell_key")
	}
	pt := NewPTable(maxNoise, variance)
	rep := t.newReport()
	rep.CellKey = &CellKeyReport{MaxNoise: maxNoise, Variance: variance}
	res := &Result{Table: t, Status: t.plainStatus(), Value: make([]float64, t.N), Report: rep}
	for c := range res.Value {
		res.Value[c] = float64(t.Count[c] + pt.Noise(t.Count[c], t.ckey[c]))
	}
	rep.note("cell key method: every cell, totals too, is perturbed independently; the table is not additive")
	return res, nil
}

// PTable is a perturbation table: for each cell value i (capped at D) a
// distribution of noise v in [max(-i,-D), D] with mean zero, maximum
// entropy for the given variance shape p(v) ∝ exp(λv - v²/2V).
type PTable struct {
	D   int
	cum [][]float64 // per value 0..D, cumulative probabilities over v = -D..D
}

// NewPTable builds the perturbation table.
func NewPTable(d int, variance float64) *PTable {
	pt := &PTable{D: d, cum: make([][]float64, d+1)}
	for i := 1; i <= d; i++ {
		lo := max(-i, -d)
		probs := func(lam float64) ([]float64, float64) {
			p := make([]float64, 2*d+1)
			var z, m float64
			for v := lo; v <= d; v++ {
				w := math.Exp(lam*float64(v) - float64(v*v)/(2*variance))
				p[v+d] = w
				z += w
			}
			for v := lo; v <= d; v++ {
				p[v+d] /= z
				m += p[v+d] * float64(v)
			}
			return p, m
		}
		a, b := -50.0, 50.0
		for it := 0; it < 200; it++ { // the mean increases with lambda
			mid := (a + b) / 2
			if _, m := probs(mid); m > 0 {
				b = mid
			} else {
				a = mid
			}
		}
		p, _ := probs((a + b) / 2)
		cum := make([]float64, len(p))
		s := 0.0
		for k, v := range p {
			s += v
			cum[k] = s
		}
		pt.cum[i] = cum
	}
	return pt
}

// Noise returns the noise of a cell of count n with cell key k.
func (pt *PTable) Noise(n int64, k uint64) int64 {
	if n == 0 {
		return 0
	}
	i := int(min(n, int64(pt.D)))
	u := float64(k>>11) / (1 << 53)
	for idx, c := range pt.cum[i] {
		if u < c {
			return int64(idx - pt.D)
		}
	}
	return int64(pt.D)
}

// keyFraction is exported for tests: the cell key of c as a fraction.
func (t *Table) keyFraction(c int) float64 { return float64(t.ckey[c]>>11) / (1 << 53) }
