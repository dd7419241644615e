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

// EachOutputRow calls fn with every output row in input order (the slice is
// reused between calls). Quasi-identifiers carry their generalised label,
// or "*" in a suppressed row; rows outside a δ-presence research subset are
// left out.
func (r *Result) EachOutputRow(o OutputOptions, fn func(row []string) error) error {
	e := r.e
	t := e.p.Table
	type outCol struct {
		col    *Column
		labels []string
		gen    []uint32
	}
	var cols []outCol
	for _, c := range t.Columns {
		if slices.Contains(o.Drop, c.Name) {
			continue
		}
		oc := outCol{col: c}
		for ai, a := range e.attrs {
			if a.col == c {
				l := r.Transformation[ai]
				oc.labels, oc.gen = a.labels[l], a.gen[l]
			}
		}
		cols = append(cols, oc)
	}
	row := make([]string, len(cols))
	for i := int64(0); i < t.Rows; i++ {
		if e.p.Subset != nil && !e.p.Subset[i] {
			continue
		}
		supp := r.Suppressed(i)
		if supp && o.RemoveSuppressed {
			continue
		}
		for k, oc := range cols {
			code := oc.col.Codes[i]
			switch {
			case oc.gen == nil:
				row[k] = oc.col.Dict[code]
			case supp:
				row[k] = "*"
			default:
				row[k] = oc.labels[oc.gen[code]]
			}
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}
