package sdc

import (
	"sort"

	"github.com/tokumei/tokumei/anon/risk"
	"github.com/tokumei/tokumei/fault"
)

// SuppressionOptions configure LocalSuppression.
type SuppressionOptions struct {
	K int
	// Importance ranks the columns: a lower number is more important and is
	// suppressed later (sdcMicro's importance vector). nil means the order
	// of contribution to uniqueness, highest contribution suppressed first.
	Importance []int
	// MissingMatchesAll: a suppressed cell matches every value (sdcMicro);
	// otherwise it is a category of its own and more cells may be needed.
	MissingMatchesAll bool
	Token             string // the suppression mark, default "*"
}

// SuppressionResult reports what LocalSuppression did.
type SuppressionResult struct {
	Order     []int `json:"order"`      // columns in the order they were suppressed
	PerColumn []int `json:"per_column"` // cells suppressed in each column
	Cells     int   `json:"cells"`      // cells suppressed in all
	Remaining int   `json:"remaining"`  // records still in classes below k
	// FullySuppressed counts records whose every quasi-identifier ended up
	// suppressed (in the own-category mode they are in effect deleted).
	FullySuppressed int `json:"fully_suppressed"`
}

// LocalSuppression blanks single quasi-identifier cells (セル削除) of the
// records in classes smaller than k, column by column from the least
// important, recomputing the classes after each column, until every record
// is in a class of at least k (sdcMicro localSuppression). cols is modified
// in place.
func LocalSuppression(cols [][]string, o SuppressionOptions) (*SuppressionResult, error) {
	if o.K < 1 {
		return nil, fault.New(fault.Invalid, "k must be at least 1", "kは1以上で指定してください").In("k")
	}
	if o.Importance != nil && len(o.Importance) != len(cols) {
		return nil, fault.Errorf(fault.Invalid, "importance has %d entries for %d columns", len(o.Importance), len(cols)).In("importance")
	}
	tok := o.Token
	if tok == "" {
		tok = "*"
	}
	ro := risk.Options{MissingMatchesAll: o.MissingMatchesAll, MissingTokens: []string{tok}}
	order, err := suppressionOrder(cols, o.Importance, ro)
	if err != nil {
		return nil, err
	}
	res := &SuppressionResult{Order: order, PerColumn: make([]int, len(cols))}
	for _, j := range order {
		sizes, err := risk.RecordSizes(cols, ro)
		if err != nil {
			return nil, err
		}
		if allSafe(sizes, o.K) {
			break
		}
		for i, s := range sizes {
			if s > 0 && s < int64(o.K) && !isMissing(cols[j][i], tok) {
				cols[j][i] = tok
				res.PerColumn[j]++
				res.Cells++
			}
		}
	}
	sizes, err := risk.RecordSizes(cols, ro)
	if err != nil {
		return nil, err
	}
	for i, s := range sizes {
		switch {
		case s > 0 && s < int64(o.K):
			res.Remaining++
		case s == 0 && allMissing(cols, i, tok):
			res.FullySuppressed++
		}
	}
	return res, nil
}

func allMissing(cols [][]string, i int, tok string) bool {
	for _, c := range cols {
		if !isMissing(c[i], tok) {
			return false
		}
	}
	return true
}

func isMissing(v, tok string) bool { return v == "" || v == "*" || v == tok }

func allSafe(sizes []int64, k int) bool {
	for _, s := range sizes {
		if s > 0 && s < int64(k) {
			return false
		}
	}
	return true
}

// suppressionOrder returns the columns from the first to suppress to the
// last: by descending importance number, or by descending contribution to
// uniqueness when no importance is given.
func suppressionOrder(cols [][]string, importance []int, ro risk.Options) ([]int, error) {
	order := make([]int, len(cols))
	for j := range order {
		order[j] = j
	}
	if importance != nil {
		sort.SliceStable(order, func(a, b int) bool { return importance[order[a]] > importance[order[b]] })
		return order, nil
	}
	names := make([]string, len(cols))
	rep, err := risk.Measure(cols, names, ro)
	if err != nil {
		return nil, err
	}
	contrib := make([]float64, len(cols))
	for j, c := range rep.Contributions {
		contrib[j] = c.Contribution + float64(c.Distinct)*1e-9 // more distinct values first on ties
	}
	sort.SliceStable(order, func(a, b int) bool { return contrib[order[a]] > contrib[order[b]] })
	return order, nil
}
