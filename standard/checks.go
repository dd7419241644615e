package standard

import (
	"fmt"
	"strings"
	"time"

	"github.com/tokumei/tokumei/anon/risk"
	"github.com/tokumei/tokumei/fault"
)

// Rule 62 items (PPC Rule art. 62, 行政機関等匿名加工情報の加工基準).
const (
	ItemIdentifiers         = 1 // 特定の個人を識別することができる記述等の削除
	ItemIdentificationCodes = 2 // 個人識別符号の削除
	ItemLinkingCodes        = 3 // 連結する符号の削除
	ItemPeculiar            = 4 // 特異な記述等の削除
	ItemDataSpecific        = 5 // 個人情報ファイルの性質を勘案した措置
)

// ItemTitles gives each item's title in English and Japanese.
var ItemTitles = map[int][2]string{
	ItemIdentifiers:         {"Descriptions that identify a person deleted or replaced", "特定の個人を識別することができる記述等の全部又は一部の削除（置換）"},
	ItemIdentificationCodes: {"Individual identification codes deleted", "個人識別符号の全部の削除（置換）"},
	ItemLinkingCodes:        {"Codes linking to other information deleted or replaced", "情報を相互に連結する符号の削除（置換）"},
	ItemPeculiar:            {"Peculiar descriptions deleted or replaced", "特異な記述等の削除（置換）"},
	ItemDataSpecific:        {"Measures suited to the file; residual risk under the threshold", "個人情報ファイルの性質を勘案した適切な措置（残存リスクが閾値以下）"},
}

// ColumnAction is what was done to one column for one item.
type ColumnAction struct {
	Item     int    `json:"item"`
	Column   string `json:"column"`
	Action   string `json:"action"` // delete, pseudonym, generalize, top-code, bottom-code, suppress-cells, delete-records, microaggregate, noise, swap, pram, sample, keep
	Detail   string `json:"detail,omitempty"`
	DetailJA string `json:"detail_ja,omitempty"`
	Count    int    `json:"count,omitempty"` // cells or records affected
}

// Job is what the checks look at: the profile of the source, the output
// data, the actions taken and the residual risk.
type Job struct {
	Source      *Profile
	SourceCols  [][]string // source values, aligned with Source.Columns (for pseudonym checks; may be nil)
	OutputNames []string
	OutputCols  [][]string
	Actions     []ColumnAction
	Risk        *risk.Measures // residual risk of the output on its quasi-identifiers
	Threshold   float64        // highest acceptable prosecutor risk; 0 means 0.2 (k = 5)
	Options     ProfileOptions
}

// CheckResult is the outcome of one item's check.
type CheckResult struct {
	Item     int      `json:"item"`
	Title    string   `json:"title"`
	TitleJA  string   `json:"title_ja"`
	Passed   bool     `json:"passed"`
	Findings []string `json:"findings,omitempty"` // why it failed (column names and counts, never cell values of identifiers)
	// FindingsJA says the same in Japanese, for the pages officers read.
	FindingsJA []string `json:"findings_ja,omitempty"`
}

// Check runs the five Rule 62 checks on a job.
func Check(j *Job) ([]CheckResult, error) {
	if j.Source == nil {
		return nil, fault.New(fault.Invalid, "check: no source profile", "元データのプロファイルがありません")
	}
	out, err := ProfileColumns(j.OutputNames, j.OutputCols, j.Options)
	if err != nil {
		return nil, err
	}
	outIdx := map[string]int{}
	for i, n := range j.OutputNames {
		outIdx[n] = i
	}
	res := make([]CheckResult, 5)
	for i := range res {
		t := ItemTitles[i+1]
		res[i] = CheckResult{Item: i + 1, Title: t[0], TitleJA: t[1], Passed: true}
	}
	fail := func(item int, ja string, f string, a ...any) {
		res[item-1].Passed = false
		res[item-1].Findings = append(res[item-1].Findings, fmt.Sprintf(f, a...))
		res[item-1].FindingsJA = append(res[item-1].FindingsJA, ja)
	}
	items := map[Class]int{Identifier: ItemIdentifiers, IdentificationCode: ItemIdentificationCodes, LinkingCode: ItemLinkingCodes}
	for ci, c := range j.Source.Columns {
		item, ok := items[c.Class]
		if !ok {
			continue
		}
		oi, kept := outIdx[c.Column]
		if !kept {
			continue
		}
		if j.action(c.Column) != "pseudonym" {
			fail(item, fmt.Sprintf("列「%s」（%s）が削除も仮IDへの置換もされずに出力にあります", c.Column, classJA(c.Class)),
				"column %q (%s) is in the output without deletion or pseudonymisation", c.Column, c.Class)
			continue
		}
		if j.SourceCols != nil && ci < len(j.SourceCols) {
			if n := overlap(j.SourceCols[ci], j.OutputCols[oi]); n > 0 {
				fail(item, fmt.Sprintf("列「%s」：%d件の仮IDが元の値と一致します", c.Column, n), "column %q: %d pseudonyms equal source values", c.Column, n)
			}
		}
	}
	// The output itself must not look like identifiers or codes.
	for _, c := range out.Columns {
		item, ok := items[c.Class]
		if !ok || j.action(c.Column) == "pseudonym" {
			continue
		}
		if _, reported := j.sourceClass(c.Column); reported {
			continue // a kept source column, reported above
		}
		if c.Class != LinkingCode || valueVerdict(c) {
			fail(item, fmt.Sprintf("出力の列「%s」が%sに見えます（%s）", c.Column, classJA(c.Class), c.ReasonJA),
				"output column %q looks like %s: %s", c.Column, c.Class, c.Reason)
		}
	}
	checkPeculiar(j, out, outIdx, fail)
	thr := j.Threshold
	if thr <= 0 {
		thr = risk.DefaultThreshold
	}
	switch {
	case j.Risk == nil:
		fail(ItemDataSpecific, "残存リスクが測定されていません", "no residual risk was measured")
	case j.Risk.Prosecutor.Highest > thr:
		fail(ItemDataSpecific, fmt.Sprintf("再識別リスクの最大値 %.4f が閾値 %.4f を超えています（該当 %d件）", j.Risk.Prosecutor.Highest, thr, j.Risk.Prosecutor.RecordsAtHighestCount),
			"highest re-identification risk %.4f exceeds the threshold %.4f (%d records at it)",
			j.Risk.Prosecutor.Highest, thr, j.Risk.Prosecutor.RecordsAtHighestCount)
	}
	return res, nil
}

// classJA names a class in Japanese.
func classJA(c Class) string {
	switch c {
	case Identifier:
		return "特定の個人を識別できる記述"
	case IdentificationCode:
		return "個人識別符号"
	case LinkingCode:
		return "連結符号"
	}
	return string(c)
}

var peculiarJA = map[string]string{"old-age": "高齢", "rare-category": "希少な区分", "outlier": "極端な外れ値"}

// valueVerdict reports whether a column's verdict came from its values (not
// only from its header).
func valueVerdict(c ColumnProfile) bool { return strings.Contains(c.Reason, "of the values") }

// sourceClass reports the class of a source column when it is an
// identifier, identification code or linking code.
func (j *Job) sourceClass(col string) (Class, bool) {
	if c := j.Source.Column(col); c != nil && rank(c.Class) <= rank(LinkingCode) {
		return c.Class, true
	}
	return "", false
}

func (j *Job) action(col string) string {
	for _, a := range j.Actions {
		if a.Column == col && (a.Action == "pseudonym" || a.Action == "delete") {
			return a.Action
		}
	}
	return ""
}

func overlap(src, out []string) int {
	set := map[string]bool{}
	for _, v := range src {
		if v = strings.TrimSpace(v); v != "" {
			set[v] = true
		}
	}
	n := 0
	for _, v := range out {
		if set[strings.TrimSpace(v)] {
			n++
		}
	}
	return n
}

// checkPeculiar fails item 4 when a peculiar value of the source is still
// in the output column, or the output holds very old ages.
func checkPeculiar(j *Job, out *Profile, outIdx map[string]int, fail func(int, string, string, ...any)) {
	for _, p := range j.Source.Peculiars() {
		oi, ok := outIdx[p.Column]
		if !ok {
			continue
		}
		n := 0
		for _, v := range j.OutputCols[oi] {
			if strings.TrimSpace(v) == p.Value {
				n++
			}
		}
		if n > 0 {
			fail(ItemPeculiar, fmt.Sprintf("列「%s」：特異な記述（%s）が%d件残っています", p.Column, peculiarJA[p.Kind], n),
				"column %q: peculiar value (%s) still in %d record(s)", p.Column, p.Kind, n)
		}
	}
	for _, p := range out.Peculiars() {
		if p.Kind == "old-age" {
			fail(ItemPeculiar, fmt.Sprintf("出力の列「%s」に%s歳の年齢があります（%d件）", p.Column, p.Value, p.Count),
				"output column %q holds an age of %s (%d record(s))", p.Column, p.Value, p.Count)
		}
	}
}

// Override lets a job that failed a check be released: it must name the
// item, give a reason, and be approved by a second person who is neither
// the requester nor the operator who ran the job.
type Override struct {
	Item        int       `json:"item"`
	Reason      string    `json:"reason"`
	RequestedBy string    `json:"requested_by"`
	ApprovedBy  string    `json:"approved_by"`
	At          time.Time `json:"at"`
}

// Gate decides whether a job may be released: every failed check needs a
// valid override. It returns a fault.Conflict error naming the items that
// block the release.
func Gate(results []CheckResult, overrides []Override, operator string) error {
	var blocked []string
	for _, r := range results {
		if r.Passed {
			continue
		}
		ok := false
		for _, o := range overrides {
			if o.Item == r.Item && strings.TrimSpace(o.Reason) != "" && o.ApprovedBy != "" &&
				o.ApprovedBy != o.RequestedBy && o.ApprovedBy != operator && o.RequestedBy != "" {
				ok = true
			}
		}
		if !ok {
			blocked = append(blocked, fmt.Sprint(r.Item))
		}
	}
	if len(blocked) > 0 {
		l := strings.Join(blocked, ", ")
		return fault.New(fault.Conflict,
			"release blocked: Rule 62 item(s) "+l+" failed without an override approved by a second person",
			"提供不可: 規則第62条第"+l+"号の確認が不合格で、別の担当者による承認がありません")
	}
	return nil
}
