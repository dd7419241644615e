package standard

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/anon/risk"
)

// Run is what one anonymisation run produced, for its record: the platform's
// processing job and `tokumei anonymize` both fill one and call BuildRecord.
type Run struct {
	RunID       string // a random one when empty
	CaseID      string
	Body        string
	Dataset     string
	PlanVersion string
	Operator    string
	Engine      string
	CreatedAt   time.Time

	Input, Output FileInfo
	Spec          *anon.Spec
	Actions       []ColumnAction // per column; generalize details are filled in from the spec
	Checks        []CheckResult

	// From the engine's report.
	Transformation        map[string]int
	SuppressedRecords     int64
	Metric                string
	InformationLoss       float64
	RiskBefore, RiskAfter risk.Measures

	Pseudonyms    []string          // columns replaced by 仮ID
	KeyID, KeyHex string            // the 仮ID key (secret)
	Seeds         map[string]string // random seeds used (secret)
	Other         map[string]string // further parameters (reference date, template …)

	// The quasi-identifier columns of the spec, in its order, before and
	// after processing, for the utility distributions (nil columns allowed).
	SourceQuasi, OutputQuasi [][]string
}

// QuasiNames returns the quasi-identifiers of a spec in its order.
func QuasiNames(s *anon.Spec) []string {
	var q []string
	for _, a := range s.Attributes {
		if a.Type == anon.Quasi {
			q = append(q, a.Name)
		}
	}
	return q
}

// BuildRecord builds the processing record (作成の記録) in the form of the
// processing standard: the five Rule 62 items with the action per column,
// the checks, suppression, generalisation, 仮ID, parameters, risk before
// and after, utility, hashes — and, in Secret, the processing-method
// information (the 仮ID key, the seeds, the hierarchies), which is why the
// full record is kept secret and only its Public view is shown.
func BuildRecord(r *Run) *Record {
	rec := &Record{RunID: r.RunID, CaseID: r.CaseID, Body: r.Body, Dataset: r.Dataset, PlanVersion: r.PlanVersion,
		CreatedAt: r.CreatedAt, Operator: r.Operator, Engine: r.Engine, Input: r.Input, Output: r.Output,
		Checks: r.Checks, RiskBefore: measures(r.RiskBefore), RiskAfter: measures(r.RiskAfter),
		Utility: Utility{Metric: r.Metric, Value: r.InformationLoss},
		Secret:  &MethodInfo{Seeds: r.Seeds, Hierarchies: map[string]json.RawMessage{}}}
	if rec.RunID == "" {
		rec.RunID = NewRunID()
	}
	quasi := QuasiNames(r.Spec)
	hs := map[string]*anon.AttributeSpec{}
	for i := range r.Spec.Attributes {
		if a := &r.Spec.Attributes[i]; a.Type == anon.Quasi {
			hs[a.Name] = a
		}
	}
	actions := make([]ColumnAction, len(r.Actions))
	for i, a := range r.Actions {
		if h := hs[a.Column]; h != nil && a.Action == "generalize" {
			g := generalization(h, r.Transformation[a.Column])
			rec.Generalization = append(rec.Generalization, g)
			a.Detail = fmt.Sprintf("%s level %d", g.Builder, g.Level)
			a.DetailJA = g.Description
			b, _ := json.Marshal(struct {
				Hierarchy *anon.HierarchySpec `json:"hierarchy"`
				MinLevel  *int                `json:"min_level,omitempty"`
			}{h.Hierarchy, h.MinLevel})
			rec.Secret.Hierarchies[a.Column] = b
		}
		if a.Action == "pseudonym" {
			a.DetailJA = "HMAC-SHA256の仮ID（提供ごとの鍵、提供先ごとの副鍵）"
		}
		actions[i] = a
	}
	rec.SetActions(actions)
	n := int(r.SuppressedRecords)
	rec.Suppression = Suppression{RecordsDeleted: n, CellsSuppressed: n * len(quasi)}
	if n > 0 {
		rec.Suppression.PerColumn = map[string]int{}
		for _, q := range quasi {
			rec.Suppression.PerColumn[q] = n
		}
	}
	if len(r.Pseudonyms) > 0 {
		rec.Secret.Keys = map[string]string{r.KeyID: r.KeyHex}
		for _, col := range r.Pseudonyms {
			rec.Pseudonyms = append(rec.Pseudonyms, PseudonymInfo{Column: col,
				Scheme: "HMAC-SHA256, per-delivery key, per-recipient subkey", KeyID: r.KeyID})
		}
	}
	privacy, _ := json.Marshal(r.Spec.Privacy)
	rec.Parameters = Parameters{Privacy: privacy, SuppressionLimit: r.Spec.SuppressionLimit, Metric: r.Spec.Metric,
		Threshold: risk.DefaultThreshold, MissingValues: "own-category", Other: r.Other}
	rec.Utility.Distributions = Distributions(quasi, r.SourceQuasi, r.OutputQuasi, 12)
	return rec
}

func measures(m risk.Measures) *risk.Measures { return &m }

// NewRunID returns a random run identifier.
func NewRunID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// levelNames names the levels of the Japanese hierarchies.
var levelNames = map[string][]string{
	"address":  {"そのまま", "町字", "市区町村", "都道府県", "地方", "全て（*）"},
	"lgcode":   {"市区町村", "都道府県", "地方", "全て（*）"},
	"era-date": {"年月日", "年月", "年", "全て（*）"},
	"age-band": {"そのまま", "5歳階級", "10歳階級", "10歳階級（90歳以上はまとめる）", "全て（*）"},
}

// generalization describes the level chosen for one quasi-identifier.
func generalization(a *anon.AttributeSpec, level int) Generalization {
	g := Generalization{Column: a.Name, Level: level}
	if a.Hierarchy == nil {
		return g
	}
	g.Builder = a.Hierarchy.Builder
	if g.Builder == "" && a.Hierarchy.File != "" {
		g.Builder = "file"
	}
	if names, ok := levelNames[g.Builder]; ok {
		g.MaxLevel = len(names) - 1
		if level < len(names) {
			g.Description = names[level]
		}
		return g
	}
	switch g.Builder {
	case "interval":
		if level > 0 && level <= len(a.Hierarchy.Widths) {
			g.Description = strconv.FormatFloat(a.Hierarchy.Widths[level-1], 'g', -1, 64) + "刻み"
		}
	case "mask":
		if level > 0 {
			g.Description = "末尾" + strconv.Itoa(level*max(a.Hierarchy.Chars, 1)) + "文字を伏せる"
		}
	}
	if level == 0 {
		g.Description = "そのまま"
	}
	return g
}
