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
		final  []uint32 // final class → level code (quasi-identifiers)
	}
	var cols []outCol
	for _, c := range t.Columns {
		if slices.Contains(o.Drop, c.Name) {
			continue
		}
		oc := outCol{col: c}
		for ai, a := range e.attrs {
			if a.col == c {
				oc.labels, oc.final = a.labels[r.Transformation[ai]], r.final.codes[ai]
			}
		}
		cols = append(cols, oc)
	}
	row := make([]string, len(cols))
	for i := int64(0); i < t.Rows; i++ {
		if e.p.Subset != nil && !e.p.Subset[i] {
			continue
		}
		cls := r.cls[e.rowClass[i]]
		supp := r.bad[cls]
		if supp && o.RemoveSuppressed {
			continue
		}
		for k, oc := range cols {
			switch {
			case oc.final == nil:
				row[k] = oc.col.Dict[oc.col.Codes[i]]
			case supp:
				row[k] = "*"
			default:
				row[k] = oc.labels[oc.final[cls]]
			}
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}
