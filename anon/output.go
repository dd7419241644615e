package anon

import "slices"

// OutputOptions say how rows are written.
type OutputOptions struct {
	Drop             []string // columns left out (identifying attributes)
	RemoveSuppressed bool     // leave suppressed rows out instead of "*"
}

// Suppressed tells whether input row r is suppressed in the output.
func (r *Result) Suppressed(row int64) bool {
	return r.bad[r.cls[r.e.rowClass[row]]]
}

// OutputHeader returns the names of the output columns.
func (r *Result) OutputHeader(o OutputOptions) []string {
	var h []string
	for _, c := range r.e.p.Table.Columns {
		if !slices.Contains(o.Drop, c.Name) {
			h = append(h, c.Name)
		}
	}
	return h
}

// OutputColumn is one output column for writers that encode each distinct
// value once: the codes EachOutputCodes gives for it index Values.
type OutputColumn struct {
	Name   string
	Values []string
}

// OutputColumns returns the output columns: a quasi-identifier's values are
// its labels at the chosen level followed by "*" (suppressed); any other
// column's are its dictionary.
func (r *Result) OutputColumns(o OutputOptions) []OutputColumn {
	var out []OutputColumn
	for _, oc := range r.outputCols(o) {
		c := OutputColumn{Name: oc.col.Name, Values: oc.col.Dict}
		if oc.final != nil {
			c.Values = append(slices.Clip(oc.labels), "*")
		}
		out = append(out, c)
	}
	return out
}

type outCol struct {
	col    *Column
	labels []string
	final  []uint32 // final class → level code (quasi-identifiers)
}

func (r *Result) outputCols(o OutputOptions) []outCol {
	var cols []outCol
	for _, c := range r.e.p.Table.Columns {
		if slices.Contains(o.Drop, c.Name) {
			continue
		}
		oc := outCol{col: c}
		for ai, a := range r.e.attrs {
			if a.col == c {
				oc.labels, oc.final = a.labels[r.Transformation[ai]], r.final.codes[ai]
			}
		}
		cols = append(cols, oc)
	}
	return cols
}

// EachOutputCodes calls fn with every output row in input order as codes
// into the Values of OutputColumns (the slice is reused between calls).
// Rows outside a δ-presence research subset are left out, and suppressed
// rows too when o.RemoveSuppressed.
func (r *Result) EachOutputCodes(o OutputOptions, fn func(codes []uint32) error) error {
	return r.EachOutputClass(o, func(_ int, codes []uint32) error { return fn(codes) })
}

// OutputClasses is the number of output classes EachOutputClass names:
// the final classes and one more for the suppressed rows.
func (r *Result) OutputClasses() int { return len(r.bad) + 1 }

// EachOutputClass is EachOutputCodes that also gives each row's output
// class (below OutputClasses): rows of one class have the same codes in
// every quasi-identifier column, so a writer may encode those once per
// class.
func (r *Result) EachOutputClass(o OutputOptions, fn func(class int, codes []uint32) error) error {
	e := r.e
	t := e.p.Table
	cols := r.outputCols(o)
	row := make([]uint32, len(cols))
	suppressed := len(r.bad)
	for i := int64(0); i < t.Rows; i++ {
		if e.p.Subset != nil && !e.p.Subset[i] {
			continue
		}
		cls := r.cls[e.rowClass[i]]
		supp := r.bad[cls]
		if supp && o.RemoveSuppressed {
			continue
		}
		class := int(cls)
		if supp {
			class = suppressed
		}
		for k, oc := range cols {
			switch {
			case oc.final == nil:
				row[k] = oc.col.Codes[i]
			case supp:
				row[k] = uint32(len(oc.labels))
			default:
				row[k] = oc.final[cls]
			}
		}
		if err := fn(class, row); err != nil {
			return err
		}
	}
	return nil
}

// QuasiOutputColumns tells which output columns (in OutputColumns' order)
// are quasi-identifiers.
func (r *Result) QuasiOutputColumns(o OutputOptions) []bool {
	cols := r.outputCols(o)
	q := make([]bool, len(cols))
	for k, oc := range cols {
		q[k] = oc.final != nil
	}
	return q
}

// EachOutputRow calls fn with every output row in input order (the slice is
// reused between calls). Quasi-identifiers carry their generalised label,
// or "*" in a suppressed row; rows outside a δ-presence research subset are
// left out.
func (r *Result) EachOutputRow(o OutputOptions, fn func(row []string) error) error {
	cols := r.OutputColumns(o)
	row := make([]string, len(cols))
	return r.EachOutputCodes(o, func(codes []uint32) error {
		for k, c := range codes {
			row[k] = cols[k].Values[c]
		}
		return fn(row)
	})
}
