package jobs

import (
	"encoding/hex"
	"runtime"
	"strconv"
	"time"

	"github.com/tokumei/tokumei/anon"
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

// record builds the processing record (作成の記録, domain.md §3.6) with
// standard.BuildRecord. Its Secret part holds the processing-method
// information (the 仮ID key, the shuffle seed, the hierarchies), which is
// why the record is kept encrypted in the vault and only its Public view
// is ever shown.
func (r *run) record() *standard.Record {
	c, rep := r.in.Case, r.report
	quasi := standard.QuasiNames(r.spec)
	other := map[string]string{"reference_date": r.ref.Format("2006-01-02"), "rows_shuffled": "true"}
	if r.template != "" {
		other["template"] = r.template
	}
	run := &standard.Run{CaseID: strconv.FormatInt(c.ID, 10), Body: r.in.Body.Name,
		Dataset: r.in.Entry.FileName + "（行政機関等匿名加工情報）", PlanVersion: planName(r.template), CreatedAt: r.at,
		Operator: r.operator, Engine: "tokumei (" + runtime.Version() + ")",
		Input:  standard.FileInfo{Name: c.Extract.Name, SHA256: c.Extract.SHA256, Records: len(r.source.rows), Columns: len(r.source.header)},
		Output: standard.FileInfo{Name: r.outName, SHA256: r.outSHA, Records: len(r.output.rows), Columns: len(r.output.header)},
		Spec:   r.spec, Actions: r.actions, Checks: r.checks,
		Transformation: rep.Transformation, SuppressedRecords: rep.SuppressedRecords,
		Metric: rep.Metric, InformationLoss: rep.InformationLoss, RiskBefore: rep.Risk.Input, RiskAfter: rep.Risk.Output,
		Seeds: map[string]string{"shuffle": hex.EncodeToString(r.seed[:])}, Other: other,
		SourceQuasi: pick(r.source, quasi), OutputQuasi: pick(r.output, quasi)}
	if len(r.pseudo) > 0 {
		run.Pseudonyms, run.KeyID, run.KeyHex = r.pseudo, r.key.KeyID(), r.key.Hex()
	}
	return standard.BuildRecord(run)
}

func planName(template string) string {
	if template == "" {
		return "提案の項目別粒度（テンプレートなし）"
	}
	return "テンプレート " + template + " と提案の項目別粒度"
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
