package jobs

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime"
	"strconv"
	"time"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/anon/risk"
	"github.com/tokumei/tokumei/anon/sdc"
	"github.com/tokumei/tokumei/pipeline"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/standard"
)

// run is everything one processing run produced, for its record.
type run struct {
	in       *platform.ProcessingInput
	operator string
	at       time.Time
	ref      time.Time // reference date of ages
	spec     *anon.Spec
	template string
	actions  []standard.ColumnAction
	source   *table // the extract as the engine read it, before 仮ID
	output   *table
	outName  string
	outSHA   string
	report   pipeline.Report
	checks   []standard.CheckResult
	pseudo   []string
	key      sdc.DeliveryKey
	seed     sdc.Seed
}

// record builds the processing record (作成の記録, domain.md §3.6) in the
// form of the processing standard, standard.Record: the five Rule 62 items
// with the action per column, the checks, suppression, generalisation,
// 仮ID, parameters, risk before and after, utility, hashes — and, in
// Secret, the processing-method information (the 仮ID key, the shuffle
// seed, the hierarchies), which is why the record is kept encrypted in the
// vault and only its Public view is ever shown.
func (r *run) record() *standard.Record {
	c, rep := r.in.Case, r.report
	rec := &standard.Record{RunID: runID(), CaseID: strconv.FormatInt(c.ID, 10), Body: r.in.Body.Name,
		Dataset: r.in.Entry.FileName + "（行政機関等匿名加工情報）", PlanVersion: planName(r.template), CreatedAt: r.at,
		Operator: r.operator, Engine: "tokumei (" + runtime.Version() + ")",
		Input:  standard.FileInfo{Name: c.Extract.Name, SHA256: c.Extract.SHA256, Records: len(r.source.rows), Columns: len(r.source.header)},
		Output: standard.FileInfo{Name: r.outName, SHA256: r.outSHA, Records: len(r.output.rows), Columns: len(r.output.header)},
		Checks: r.checks, RiskBefore: measures(rep.Risk.Input), RiskAfter: measures(rep.Risk.Output),
		Utility: standard.Utility{Metric: rep.Metric, Value: rep.InformationLoss},
		Secret:  &standard.MethodInfo{Seeds: map[string]string{"shuffle": hex.EncodeToString(r.seed[:])}, Hierarchies: map[string]json.RawMessage{}}}
	var quasi []string
	hs := map[string]*anon.AttributeSpec{}
	for i := range r.spec.Attributes {
		a := &r.spec.Attributes[i]
		if a.Type == anon.Quasi {
			quasi, hs[a.Name] = append(quasi, a.Name), a
		}
	}
	actions := make([]standard.ColumnAction, len(r.actions))
	for i, a := range r.actions {
		if h := hs[a.Column]; h != nil && a.Action == "generalize" {
			g := generalization(h, rep.Transformation[a.Column])
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
	rec.Suppression = standard.Suppression{RecordsDeleted: int(rep.SuppressedRecords), CellsSuppressed: int(rep.SuppressedRecords) * len(quasi)}
	if rep.SuppressedRecords > 0 {
		rec.Suppression.PerColumn = map[string]int{}
		for _, q := range quasi {
			rec.Suppression.PerColumn[q] = int(rep.SuppressedRecords)
		}
	}
	if len(r.pseudo) > 0 {
		rec.Secret.Keys = map[string]string{r.key.KeyID(): r.key.Hex()}
		for _, col := range r.pseudo {
			rec.Pseudonyms = append(rec.Pseudonyms, standard.PseudonymInfo{Column: col,
				Scheme: "HMAC-SHA256, per-delivery key, per-recipient subkey", KeyID: r.key.KeyID()})
		}
	}
	privacy, _ := json.Marshal(r.spec.Privacy)
	rec.Parameters = standard.Parameters{Privacy: privacy, SuppressionLimit: r.spec.SuppressionLimit, Metric: r.spec.Metric,
		Threshold: risk.DefaultThreshold, MissingValues: "own-category",
		Other: map[string]string{"reference_date": r.ref.Format("2006-01-02"), "rows_shuffled": "true"}}
	if r.template != "" {
		rec.Parameters.Other["template"] = r.template
	}
	rec.Utility.Distributions = standard.Distributions(quasi, pick(r.source, quasi), pick(r.output, quasi), 12)
	return rec
}

func planName(template string) string {
	if template == "" {
		return "提案の項目別粒度（テンプレートなし）"
	}
	return "テンプレート " + template + " と提案の項目別粒度"
}

func measures(m risk.Measures) *risk.Measures { return &m }

func runID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// pick returns the named columns of t.
func pick(t *table, names []string) [][]string {
	cols := t.columns()
	idx := map[string]int{}
	for i, h := range t.header {
		idx[h] = i
	}
	out := make([][]string, len(names))
	for j, n := range names {
		if i, ok := idx[n]; ok {
			out[j] = cols[i]
		}
	}
	return out
}

// levelNames names the levels of the Japanese hierarchies.
var levelNames = map[string][]string{
	"address":  {"そのまま", "町字", "市区町村", "都道府県", "地方", "全て（*）"},
	"lgcode":   {"市区町村", "都道府県", "地方", "全て（*）"},
	"era-date": {"年月日", "年月", "年", "全て（*）"},
	"age-band": {"そのまま", "5歳階級", "10歳階級", "10歳階級（90歳以上はまとめる）", "全て（*）"},
}

// generalization describes the level chosen for one quasi-identifier.
func generalization(a *anon.AttributeSpec, level int) standard.Generalization {
	g := standard.Generalization{Column: a.Name, Level: level}
	if a.Hierarchy == nil {
		return g
	}
	g.Builder = a.Hierarchy.Builder
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
