package tabular

import (
	"fmt"
	"strconv"
	"time"
)

// Report says what was protected and how.
type Report struct {
	Measure       string           `json:"measure"`
	Dimensions    []string         `json:"dimensions"`
	Tables        [][]string       `json:"tables,omitempty"`
	Rows          int64            `json:"rows"`
	Cells         int              `json:"cells"`
	InnerCells    int              `json:"inner_cells"`
	Rules         []Rule           `json:"rules"`
	PrimaryByRule map[string]int   `json:"primary_by_rule"`
	Primary       int              `json:"primary"`
	Secondary     int              `json:"secondary"`
	SuppressedVal float64          `json:"suppressed_value"`
	Method        string           `json:"secondary_method,omitempty"`
	RepairRounds  int              `json:"repair_rounds"`
	Exact         *ExactReport     `json:"optimal,omitempty"`
	Audit         *AuditReport     `json:"audit,omitempty"`
	Fallbacks     []string         `json:"fallbacks,omitempty"`
	Notes         []string         `json:"notes,omitempty"`
	Rounding      *RoundingReport  `json:"rounding,omitempty"`
	CellKey       *CellKeyReport   `json:"cell_key,omitempty"`
	DP            *DPReport        `json:"dp,omitempty"`
	ElapsedMS     map[string]int64 `json:"elapsed_ms"`
}

// AuditReport is the audit part of the report.
type AuditReport struct {
	Passed     bool   `json:"passed"`
	Suppressed int    `json:"suppressed_cells"`
	Components int    `json:"components"`
	LargestLP  [2]int `json:"largest_lp_vars_rows"`
	// ProvedBy counts primary cells by how their protection was shown:
	// "pattern" (a verified closed pattern, or a local LP over such
	// patterns: the true interval is at least as wide) or "lp" (exact LP).
	ProvedBy  map[string]int  `json:"proved_by"`
	Failures  []AuditInterval `json:"failures,omitempty"`
	Intervals []AuditInterval `json:"intervals,omitempty"`
}

// AuditInterval is one suppressed cell's attacker interval, by key.
type AuditInterval struct {
	Key      map[string]string `json:"key"`
	Value    float64           `json:"value"`
	Lo       float64           `json:"lo"`
	Hi       JSONFloat         `json:"hi"`
	Required [2]float64        `json:"required_down_up,omitempty"`
	Primary  bool              `json:"primary"`
	OK       bool              `json:"ok"`
}

// JSONFloat writes +Inf as the string "inf".
type JSONFloat float64

// MarshalJSON implements json.Marshaler.
func (f JSONFloat) MarshalJSON() ([]byte, error) {
	if float64(f) > 1e300 {
		return []byte(`"inf"`), nil
	}
	return []byte(strconv.FormatFloat(float64(f), 'g', -1, 64)), nil
}

func (t *Table) newReport() *Report {
	r := &Report{Measure: t.Spec.Measure.Type, Rows: t.Rows, Cells: 0, PrimaryByRule: map[string]int{}, ElapsedMS: map[string]int64{}}
	if t.Spec.Measure.Column != "" {
		r.Measure += "(" + t.Spec.Measure.Column + ")"
	}
	for _, d := range t.dims {
		r.Dimensions = append(r.Dimensions, d.Column)
	}
	r.Tables = t.Spec.Tables
	for c := 0; c < t.N; c++ {
		if t.active(c) {
			r.Cells++
			if t.isInner(c) {
				r.InnerCells++
			}
		}
	}
	return r
}

func (r *Report) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

func (r *Report) ms(phase string, start time.Time) {
	r.ElapsedMS[phase] += time.Since(start).Milliseconds()
}

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }

func (p *Protected) fillReport() {
	r := p.Report
	for c := 0; c < p.N; c++ {
		switch p.Status[c] {
		case Primary:
			r.Primary++
		case Secondary:
			r.Secondary++
			r.SuppressedVal += p.Magnitude(c)
		}
	}
	a := p.Audit
	ar := &AuditReport{Passed: a.Passed, Suppressed: a.Suppressed, Components: a.Components, LargestLP: a.LargestLP, ProvedBy: map[string]int{}}
	for _, iv := range a.Intervals {
		switch {
		case !iv.Primary:
		case iv.Witness:
			ar.ProvedBy["pattern"]++
		default:
			ar.ProvedBy["lp"]++
		}
	}
	conv := func(iv Interval) AuditInterval {
		return AuditInterval{Key: p.KeyMap(iv.Cell), Value: iv.Value, Lo: iv.Lo, Hi: JSONFloat(iv.Hi),
			Required: [2]float64{iv.Need.Down, iv.Need.Up}, Primary: iv.Primary, OK: iv.OK}
	}
	for _, iv := range a.Failures {
		ar.Failures = append(ar.Failures, conv(iv))
	}
	if len(a.Intervals) <= 2000 {
		for _, iv := range a.Intervals {
			ar.Intervals = append(ar.Intervals, conv(iv))
		}
	} else {
		r.note("%d audit intervals computed; only failures are listed", len(a.Intervals))
	}
	r.Audit = ar
}

// KeyMap returns the key of cell c: dimension column -> category label.
func (t *Table) KeyMap(c int) map[string]string {
	m := make(map[string]string, len(t.dims))
	for j, d := range t.dims {
		if t.inAnyTableDim(c, j) {
			m[d.Column] = d.nodes[t.node(c, j)].label
		}
	}
	return m
}

// inAnyTableDim reports whether dimension j is shown in a table holding c.
func (t *Table) inAnyTableDim(c, j int) bool {
	for _, tab := range t.tables {
		if tab[j] && t.inTable(c, tab) {
			return true
		}
	}
	return false
}
