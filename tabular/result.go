package tabular

import "math"

// Result is a released table: a published value and a status per cell.
// Value is NaN for suppressed cells.
type Result struct {
	*Table
	Status []Status
	Value  []float64
	Report *Report
}

// Result returns the published table of a protected one: means are sum
// over count; suppressed cells are NaN.
func (p *Protected) Result() *Result {
	r := &Result{Table: p.Table, Status: p.Status, Value: make([]float64, p.N), Report: p.Report}
	for c := range r.Value {
		switch {
		case p.suppressed(c):
			r.Value[c] = math.NaN()
		default:
			r.Value[c] = p.published(c)
		}
	}
	if p.Spec.Measure.Type == "mean" {
		p.Report.note("mean table: protection and audit are computed on the underlying sums and counts")
	}
	return r
}

// published returns the true published value of cell c.
func (t *Table) published(c int) float64 {
	switch t.Spec.Measure.Type {
	case "mean":
		if t.Count[c] == 0 {
			return math.NaN()
		}
		return t.Sum[c] / float64(t.Count[c])
	case "sum":
		return t.Sum[c]
	}
	return float64(t.Count[c])
}

// plainStatus returns the status of an unsuppressed cell.
func (t *Table) plainStatus() []Status {
	st := make([]Status, t.N)
	for c := range st {
		if t.active(c) && !t.isInner(c) {
			st[c] = Total
		}
	}
	return st
}

// Cells calls f for every active cell in table order.
func (r *Result) Cells(f func(c int)) {
	for c := 0; c < r.N; c++ {
		if r.active(c) {
			f(c)
		}
	}
}

// Dimensions returns the dimensions of the table, in spec order.
func (t *Table) Dimensions() []Dimension {
	out := make([]Dimension, len(t.dims))
	for i, d := range t.dims {
		out[i] = d.Dimension
	}
	return out
}
