package standard

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"sort"
	"time"

	"github.com/tokumei/tokumei/anon/risk"
	"github.com/tokumei/tokumei/fault"
)

// Record is the processing record (加工の記録, 作成記録) of one creation run
// (domain.md §3.6). Everything but Secret may be shown to the body, the
// auditor and, through Public, published; Secret is processing-method
// information (加工方法等情報) and must be stored like source data.
type Record struct {
	RunID       string    `json:"run_id"`
	CaseID      string    `json:"case_id,omitempty"`
	Body        string    `json:"body,omitempty"`    // 実施機関
	Dataset     string    `json:"dataset,omitempty"` // name of the anonymised dataset
	PlanVersion string    `json:"plan_version,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	Operator    string    `json:"operator"`           // who ran the job
	Reviewer    string    `json:"reviewer,omitempty"` // second-person risk check
	Engine      string    `json:"engine,omitempty"`   // engine version and environment

	Input  FileInfo `json:"input"`
	Output FileInfo `json:"output"`

	Items          []ItemRecord     `json:"items"` // the five Rule 62 items, in order
	Suppression    Suppression      `json:"suppression"`
	Generalization []Generalization `json:"generalization,omitempty"`
	Pseudonyms     []PseudonymInfo  `json:"pseudonyms,omitempty"`
	Parameters     Parameters       `json:"parameters"`
	RiskBefore     *risk.Measures   `json:"risk_before,omitempty"`
	RiskAfter      *risk.Measures   `json:"risk_after,omitempty"`
	Utility        Utility          `json:"utility"`
	Checks         []CheckResult    `json:"checks,omitempty"`
	Overrides      []Override       `json:"overrides,omitempty"`

	Secret *MethodInfo `json:"secret,omitempty"`
}

// FileInfo identifies a file by hash and shape.
type FileInfo struct {
	Name    string `json:"name"`
	SHA256  string `json:"sha256"`
	Records int    `json:"records"`
	Columns int    `json:"columns"`
}

// ItemRecord lists what was done for one Rule 62 item.
type ItemRecord struct {
	Item    int            `json:"item"`
	Title   string         `json:"title"`
	TitleJA string         `json:"title_ja"`
	Actions []ColumnAction `json:"actions"`
}

// Suppression counts deleted records and blanked cells.
type Suppression struct {
	RecordsDeleted  int            `json:"records_deleted"`
	CellsSuppressed int            `json:"cells_suppressed"`
	PerColumn       map[string]int `json:"per_column,omitempty"`
}

// Generalization is the level chosen for one quasi-identifier. The
// hierarchy itself is in Secret.
type Generalization struct {
	Column      string `json:"column"`
	Builder     string `json:"builder,omitempty"`
	Level       int    `json:"level"`
	MaxLevel    int    `json:"max_level,omitempty"`
	Description string `json:"description,omitempty"` // e.g. "5歳階級", "市区町村"
}

// PseudonymInfo records a pseudonymised column: the scheme and the key's
// public id, never the key.
type PseudonymInfo struct {
	Column string `json:"column"`
	Scheme string `json:"scheme"` // e.g. "HMAC-SHA256, per-delivery key, per-recipient subkey"
	KeyID  string `json:"key_id"`
}

// Parameters are the job parameters that may be shown.
type Parameters struct {
	Privacy          json.RawMessage   `json:"privacy,omitempty"`
	SuppressionLimit float64           `json:"suppression_limit"`
	Metric           string            `json:"metric,omitempty"`
	Threshold        float64           `json:"risk_threshold,omitempty"`
	MissingValues    string            `json:"missing_values,omitempty"`
	Other            map[string]string `json:"other,omitempty"`
}

// Utility is the information loss and the distributions before and after.
type Utility struct {
	Metric        string         `json:"metric,omitempty"`
	Value         float64        `json:"value"`
	Distributions []Distribution `json:"distributions,omitempty"`
}

// Distribution is one attribute's value counts before and after.
type Distribution struct {
	Column string `json:"column"`
	Before []Bar  `json:"before"`
	After  []Bar  `json:"after"`
}

// Bar is one category's count.
type Bar struct {
	Label string `json:"label"`
	Count int    `json:"count"`
}

// MethodInfo is the processing-method information (加工方法等情報): keys,
// seeds, hierarchies, swap pairs, PRAM matrices. It is secret.
type MethodInfo struct {
	Keys        map[string]string          `json:"keys,omitempty"`  // key id -> key (hex)
	Seeds       map[string]string          `json:"seeds,omitempty"` // method -> seed (hex)
	Hierarchies map[string]json.RawMessage `json:"hierarchies,omitempty"`
	Other       map[string]json.RawMessage `json:"other,omitempty"`
}

// Public returns a copy of the record without the processing-method
// information, for anything shown outside the secure store.
// Counts below PublicMinCount in the "before" distributions are merged so
// that rare source values are not disclosed.
func (r *Record) Public() *Record {
	c := *r
	c.Secret = nil
	c.Utility.Distributions = nil
	for _, d := range r.Utility.Distributions {
		d.Before = mergeSmall(d.Before)
		d.After = mergeSmall(d.After)
		c.Utility.Distributions = append(c.Utility.Distributions, d)
	}
	return &c
}

// PublicMinCount is the smallest category count shown in a public record.
const PublicMinCount = 5

const smallLabel = "5件未満の区分"

func mergeSmall(bs []Bar) []Bar {
	var out []Bar
	small := 0
	for _, b := range bs {
		if b.Count < PublicMinCount {
			small += b.Count
		} else {
			out = append(out, b)
		}
	}
	if small > 0 {
		out = append(out, Bar{smallLabel, small})
	}
	return out
}

// SetActions fills Items from the actions, one entry per Rule 62 item.
func (r *Record) SetActions(actions []ColumnAction) {
	r.Items = nil
	for item := 1; item <= 5; item++ {
		t := ItemTitles[item]
		ir := ItemRecord{Item: item, Title: t[0], TitleJA: t[1], Actions: []ColumnAction{}}
		for _, a := range actions {
			if a.Item == item {
				ir.Actions = append(ir.Actions, a)
			}
		}
		r.Items = append(r.Items, ir)
	}
}

// WriteJSON writes the record as indented JSON (including Secret: call
// Public first for anything leaving the secure store).
func (r *Record) WriteJSON(w io.Writer) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	e.SetEscapeHTML(false)
	return e.Encode(r)
}

// HashFile returns the SHA-256 of a file in hex.
func HashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fault.Errorf(fault.NotFound, "cannot open %s", path).Wrap(err)
	}
	defer f.Close()
	return HashReader(f)
}

// HashReader returns the SHA-256 of everything read from r in hex.
func HashReader(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", fault.Errorf(fault.Internal, "hash: %v", err).Wrap(err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Distributions counts the values of each named column before and after,
// keeping the top categories (by count; the rest summed as "その他").
func Distributions(names []string, before, after [][]string, top int) []Distribution {
	if top <= 0 {
		top = 12
	}
	var out []Distribution
	for j, n := range names {
		d := Distribution{Column: n}
		if j < len(before) {
			d.Before = bars(before[j], top)
		}
		if j < len(after) {
			d.After = bars(after[j], top)
		}
		out = append(out, d)
	}
	return out
}

func bars(col []string, top int) []Bar {
	cnt := map[string]int{}
	for _, v := range col {
		if v == "" {
			v = "（空欄）"
		}
		cnt[v]++
	}
	bs := make([]Bar, 0, len(cnt))
	for l, c := range cnt {
		bs = append(bs, Bar{l, c})
	}
	sort.Slice(bs, func(i, j int) bool {
		if bs[i].Count != bs[j].Count {
			return bs[i].Count > bs[j].Count
		}
		return bs[i].Label < bs[j].Label
	})
	if len(bs) > top {
		rest := 0
		for _, b := range bs[top-1:] {
			rest += b.Count
		}
		bs = append(bs[:top-1], Bar{"その他", rest})
	}
	return bs
}
