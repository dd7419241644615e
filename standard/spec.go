package standard

import (
	"encoding/json"
	"io"
	"math"
	"strings"
)

// Spec is a job spec with the public keys of the spec contract (DESIGN.md
// "The engine"): input, attributes, privacy, suppression_limit, metric,
// output. The engine rejects unknown keys, so Action, Comment and Template
// are kept out of the JSON (see Template.Plan); Risk is the block `tokumei
// risk` reads and is written only when set.
type Spec struct {
	Template         string      `json:"-"`
	Input            Input       `json:"input"`
	Attributes       []Attribute `json:"attributes"`
	Privacy          []Model     `json:"privacy"`
	SuppressionLimit float64     `json:"suppression_limit"`
	Metric           string      `json:"metric"`
	Output           Output      `json:"output"`
	Risk             *RiskSpec   `json:"risk,omitempty"`
}

// Input names the input file.
type Input struct {
	Path      string `json:"path"`
	Delimiter string `json:"delimiter,omitempty"`
	Encoding  string `json:"encoding,omitempty"`
	Sheet     string `json:"sheet,omitempty"`
}

// Output names the output files.
type Output struct {
	Path   string `json:"path"`
	Report string `json:"report,omitempty"`
}

// Attribute is one column of the spec.
type Attribute struct {
	Name      string     `json:"name"`
	Type      string     `json:"type"` // identifying, quasi, sensitive, insensitive
	Hierarchy *Hierarchy `json:"hierarchy,omitempty"`
	MinLevel  *int       `json:"min_level,omitempty"`
	// Action is the Rule 62 action for identifying columns: "delete" or
	// "pseudonym" (仮ID); for others e.g. "top-code".
	Action  string `json:"-"`
	Comment string `json:"-"`
}

// Hierarchy is a hierarchy file or builder with its options.
type Hierarchy struct {
	File          string                `json:"file,omitempty"`
	Builder       string                `json:"builder,omitempty"`
	Widths        []float64             `json:"widths,omitempty"`
	Top           *float64              `json:"top,omitempty"`
	Bottom        *float64              `json:"bottom,omitempty"`
	Steps         []string              `json:"steps,omitempty"`
	Chars         int                   `json:"chars,omitempty"`
	Groups        []map[string][]string `json:"groups,omitempty"`
	ReferenceDate string                `json:"reference_date,omitempty"`
}

// Model is one privacy model.
type Model struct {
	Model     string  `json:"model"`
	K         int     `json:"k,omitempty"`
	Attribute string  `json:"attribute,omitempty"`
	L         float64 `json:"l,omitempty"`
	T         float64 `json:"t,omitempty"`
}

// RiskSpec is the "risk" block read by `tokumei risk`.
type RiskSpec struct {
	Population    int64    `json:"population,omitempty"`
	Threshold     float64  `json:"threshold,omitempty"`
	Missing       string   `json:"missing,omitempty"` // "own-category" (default) or "matches-any"
	MissingTokens []string `json:"missing_tokens,omitempty"`
}

// Attribute types of the spec contract.
const (
	TypeIdentifying = "identifying"
	TypeQuasi       = "quasi"
	TypeSensitive   = "sensitive"
	TypeInsensitive = "insensitive"
)

// DraftOptions configure DraftSpec.
type DraftOptions struct {
	InputPath     string
	ReferenceDate string // for age bands from birth dates, e.g. "2026-04-01"
	K             int    // default 5
}

// DraftSpec writes a draft job spec from a profile for the user to edit:
// identifiers, identification codes and linking codes are deleted,
// quasi-identifiers get a hierarchy suited to their kind, sensitive columns
// stay sensitive and the rest insensitive.
func DraftSpec(p *Profile, o DraftOptions) *Spec {
	k := o.K
	if k <= 0 {
		k = 5
	}
	s := &Spec{
		Input:            Input{Path: o.InputPath, Encoding: "auto"},
		Privacy:          []Model{{Model: "k-anonymity", K: k}},
		SuppressionLimit: 0.02,
		Metric:           "loss",
		Output:           Output{Path: "out.csv", Report: "report.json"},
	}
	for _, c := range p.Columns {
		a := Attribute{Name: c.Column, Comment: c.ReasonJA}
		switch c.Class {
		case Identifier, IdentificationCode:
			a.Type, a.Action = TypeIdentifying, "delete"
		case LinkingCode:
			a.Type, a.Action = TypeIdentifying, "delete"
			a.Comment += "（仮IDに置き換える場合は pseudonym）"
		case QuasiIdentifier:
			a.Type = TypeQuasi
			a.Hierarchy, a.MinLevel = draftHierarchy(c, o)
		case Sensitive:
			a.Type = TypeSensitive
		default:
			a.Type = TypeInsensitive
		}
		s.Attributes = append(s.Attributes, a)
	}
	return s
}

func ptr[T any](v T) *T { return &v }

func draftHierarchy(c ColumnProfile, o DraftOptions) (*Hierarchy, *int) {
	switch c.Kind {
	case KindBirthDate:
		return &Hierarchy{Builder: "age-band", ReferenceDate: o.ReferenceDate}, nil
	case KindDate:
		if len(c.Values) > 0 && IsEraDate(c.Values[0]) {
			return &Hierarchy{Builder: "era-date"}, nil
		}
		return &Hierarchy{Builder: "date", Steps: []string{"month", "year", "decade"}}, nil
	case KindAge:
		return &Hierarchy{Builder: "interval", Widths: []float64{5, 10, 20}, Top: ptr(90.0)}, nil
	case KindAddress:
		return &Hierarchy{Builder: "address"}, ptr(1)
	case KindPostal:
		return &Hierarchy{Builder: "mask", Chars: 1}, nil
	case KindArea:
		if len(c.Values) > 0 && len(digitsOnly(c.Values[0])) == 6 {
			return &Hierarchy{Builder: "lgcode"}, nil
		}
	case KindNumber:
		if w := numericWidth(c.Values); w > 0 {
			return &Hierarchy{Builder: "interval", Widths: []float64{w, 2 * w, 4 * w}}, nil
		}
	}
	if len(c.Values) > 0 {
		return &Hierarchy{Builder: "groups", Groups: []map[string][]string{{"*": c.Values}}}, nil
	}
	return &Hierarchy{Builder: "mask", Chars: 1}, nil
}

// numericWidth picks a round interval width giving about ten intervals.
func numericWidth(vals []string) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		var x float64
		if err := json.Unmarshal([]byte(strings.TrimSpace(fold(v))), &x); err != nil {
			return 0
		}
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	if !(hi > lo) {
		return 0
	}
	w := math.Pow(10, math.Floor(math.Log10((hi-lo)/10)))
	return w
}

// WriteJSON writes the spec as indented JSON.
func (s *Spec) WriteJSON(w io.Writer) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	e.SetEscapeHTML(false)
	return e.Encode(s)
}

// ColumnPlan is the Rule 62 action planned for one column.
type ColumnPlan struct {
	Column  string `json:"column"`
	Type    string `json:"type"`
	Action  string `json:"action,omitempty"` // delete, pseudonym, top-code …
	Comment string `json:"comment,omitempty"`
}

// Plan lists each attribute's planned action and comment (which the spec
// JSON cannot carry).
func (s *Spec) Plan() []ColumnPlan {
	out := make([]ColumnPlan, 0, len(s.Attributes))
	for _, a := range s.Attributes {
		out = append(out, ColumnPlan{Column: a.Name, Type: a.Type, Action: a.Action, Comment: a.Comment})
	}
	return out
}
