package anon

// Floors. A quasi-identifier's values alone already split the records more
// coarsely than any transformation that keeps that quasi-identifier at the
// same level: each class of the transformation lies within one value. So
// when, at level l, the records whose level-l value has fewer than k
// records exceed the suppression limit, every transformation with this
// quasi-identifier at level l or below fails k-anonymity (the pair
// pre-check's argument with one attribute; other models only suppress
// more). raiseFloors raises each quasi-identifier's lowest searched level
// past those levels before the base is grouped, so the base classes are
// those of the lowest transformation that can pass and the lattice holds
// no node that cannot. Without a suppression limit this is common: on FARS
// iinjury has a value of fewer than 5 records at levels 0 and 1, irace and
// ihispanic at level 0 (lattice 20,736 → 3,072 nodes, base classes 60,806
// → 49,658, k5_s0_dm wall −9 %); on adult, age and native-country at level
// 0 (12,960 → 6,912 nodes, 19,502 → 12,636 classes, k5_s0_dm −13 %). The
// value counts come from the table, which keeps them as rows are appended
// (a pass over each column before the base grouping cost FARS 0.45 ms). The
// exhaustive search (the test oracle) keeps the whole lattice; the report
// gives its size either way.

// raiseFloors raises the attributes' lowest levels as above and lays the
// lattice out again. It keeps each attribute's value counts (the column's,
// or the subset's) for prepareBounds.
func (e *engine) raiseFloors() error {
	raised := false
	for _, a := range e.attrs {
		a.vcount = a.col.counts
		if e.p.Subset != nil || len(a.vcount) != len(a.col.Dict) {
			a.vcount = valueCounts(a.col.Codes, len(a.col.Dict), e.p.Subset)
		}
		if e.kmax <= 1 {
			continue
		}
		for a.minL < a.maxL && e.smallRecords(a, a.minL) > e.maxSupp {
			a.minL++
			raised = true
		}
	}
	if !raised {
		return nil
	}
	return e.layout()
}

// smallRecords returns the records whose level-l value of a has fewer than
// kmax records.
func (e *engine) smallRecords(a *attr, l int) int64 {
	dc := make([]int64, len(a.labels[l]))
	for c, k := range a.vcount {
		dc[a.gen[l][c]] += k
	}
	small := int64(0)
	for _, k := range dc {
		if k < e.kmax {
			small += k
		}
	}
	return small
}
