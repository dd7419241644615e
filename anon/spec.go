package anon

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/tokumei/tokumei/fault"
)

// Spec is a job description: the public JSON contract of DESIGN.md ("The
// engine"). Keys are never renamed; new keys may be added. Relative paths are
// relative to BaseDir, the directory of the spec file.
type Spec struct {
	Input            InputSpec       `json:"input"`
	Attributes       []AttributeSpec `json:"attributes"`
	Privacy          []ModelSpec     `json:"privacy"`
	SuppressionLimit float64         `json:"suppression_limit"`
	Metric           string          `json:"metric,omitempty"` // default "loss"
	Output           OutputSpec      `json:"output"`

	// Extensions.
	Suppressed  string `json:"suppressed,omitempty"`    // "star" (default) or "remove"
	TimeLimitMS int64  `json:"time_limit_ms,omitempty"` // 0: no limit (search to optimality)
	Search      string `json:"search,omitempty"`        // "optimal" (default) or "exhaustive"
	// Risk is the options of `tokumei risk` (docs/risk-and-standard.md),
	// kept as given so that one spec serves both commands; the engine
	// ignores it.
	Risk json.RawMessage `json:"risk,omitempty"`

	// BaseDir is the directory of the spec file (not serialised).
	BaseDir string `json:"-"`
}

// InputSpec names the input file. Reader, when set by a Go caller, is read
// instead of opening Path (Path then only names the data in messages).
type InputSpec struct {
	Path      string    `json:"path"`
	Delimiter string    `json:"delimiter,omitempty"` // default ","
	Encoding  string    `json:"encoding,omitempty"`  // "auto" (default), "utf-8", "utf-8-bom", "cp932", "shift_jis", "euc-jp"
	Sheet     string    `json:"sheet,omitempty"`     // XLSX sheet
	Reader    io.Reader `json:"-"`
}

// Attribute types.
const (
	Identifying = "identifying" // removed from the output (識別子)
	Quasi       = "quasi"       // generalised (準識別子)
	Sensitive   = "sensitive"   // kept, protected by ℓ-diversity / t-closeness (機微な属性)
	Insensitive = "insensitive" // kept as is
)

// AttributeSpec describes one column. Columns not listed are insensitive.
type AttributeSpec struct {
	Name      string         `json:"name"`
	Type      string         `json:"type"`
	Hierarchy *HierarchySpec `json:"hierarchy,omitempty"`
	MinLevel  *int           `json:"min_level,omitempty"`
	MaxLevel  *int           `json:"max_level,omitempty"`
}

// HierarchySpec gives a hierarchy as a file or as a builder with options.
type HierarchySpec struct {
	File      string `json:"file,omitempty"`
	Delimiter string `json:"delimiter,omitempty"` // of the file, default ";"
	Builder   string `json:"builder,omitempty"`   // interval, date, mask, groups, lgcode, address, age-band, era-date

	// interval: widths of the intervals per level, e.g. [5, 10, 20];
	// values below Bottom / at or above Top are coded "<bottom" / ">=top".
	Widths []float64 `json:"widths,omitempty"`
	Origin *float64  `json:"origin,omitempty"`
	Bottom *float64  `json:"bottom,omitempty"`
	Top    *float64  `json:"top,omitempty"`
	// date: input layout (Go reference layout; default tries 2006-01-02,
	// 2006/01/02, 20060102) and the levels to build out of
	// "month", "year", "decade" (default all three).
	Layout string   `json:"layout,omitempty"`
	Steps  []string `json:"steps,omitempty"`
	// mask: characters masked per level (default 1).
	Chars int `json:"chars,omitempty"`
	// groups: one object per level mapping a group label to its members
	// (labels of the level below).
	Groups []map[string][]string `json:"groups,omitempty"`
	// age-band, era-date (package jp).
	ReferenceDate    string `json:"reference_date,omitempty"`
	AllowEraOverflow bool   `json:"allow_era_overflow,omitempty"`
	// era-date: the year level is the fiscal year (年度) instead of the
	// calendar year (the two do not nest, so a hierarchy has one of them).
	FiscalYear bool `json:"fiscal_year,omitempty"`
}

// ModelSpec is one privacy model.
type ModelSpec struct {
	Model     string  `json:"model"`
	K         int     `json:"k,omitempty"`
	Attribute string  `json:"attribute,omitempty"` // sensitive attribute (ℓ, t)
	L         float64 `json:"l,omitempty"`
	C         float64 `json:"c,omitempty"` // recursive-(c,ℓ)
	T         float64 `json:"t,omitempty"`
	DeltaMin  float64 `json:"delta_min,omitempty"`
	DeltaMax  float64 `json:"delta_max,omitempty"`
	// Subset is the research subset for δ-presence (a CSV file with the
	// same header as the input; its rows are matched to input rows); the
	// output then holds only the subset.
	Subset *FileRef `json:"subset,omitempty"`
	// Population is the population table for k-map: a CSV with the
	// quasi-identifier columns and a count column.
	Population *FileRef `json:"population,omitempty"`
	// Hierarchy of the sensitive attribute, for hierarchical t-closeness
	// (defaults to the attribute's own hierarchy in "attributes").
	Hierarchy *HierarchySpec `json:"hierarchy,omitempty"`
}

// FileRef names an auxiliary CSV file.
type FileRef struct {
	Path        string `json:"path"`
	Delimiter   string `json:"delimiter,omitempty"`
	CountColumn string `json:"count_column,omitempty"` // k-map population (default "count")
}

// OutputSpec names the output files.
type OutputSpec struct {
	Path      string `json:"path"`
	Report    string `json:"report,omitempty"`
	Delimiter string `json:"delimiter,omitempty"` // default: the input delimiter
	Encoding  string `json:"encoding,omitempty"`  // default utf-8
	// The processing record (加工記録, package standard) as JSON and as
	// printable Japanese HTML; written by `tokumei anonymize` only.
	Record     string `json:"record,omitempty"`
	RecordHTML string `json:"record_html,omitempty"`
}

// ReadSpecFile reads and validates a spec; BaseDir is the file's directory.
func ReadSpecFile(path string) (*Spec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fault.New(fault.NotFound, "cannot read the spec file", "spec ファイルを読めません").At(path, 0, 0).Wrap(err)
	}
	return ParseSpec(b, path, filepath.Dir(path))
}

// ParseSpec decodes a JSON spec (unknown keys are an error) and validates it.
func ParseSpec(data []byte, file, baseDir string) (*Spec, error) {
	var s Spec
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		line, col := 0, 0
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		off := int64(-1)
		if errors.As(err, &se) {
			off = se.Offset
		} else if errors.As(err, &te) {
			off = te.Offset
		}
		if off >= 0 {
			line, col = lineCol(data, off)
		}
		return nil, fault.Errorf(fault.Invalid, "bad spec: %v", err).At(file, line, col).Wrap(err)
	}
	s.BaseDir = baseDir
	if err := s.Validate(); err != nil {
		var fe *fault.Error
		if errors.As(err, &fe) && fe.File == "" {
			return nil, fe.At(file, 0, 0)
		}
		return nil, err
	}
	return &s, nil
}

func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	pre := data[:off]
	line := bytes.Count(pre, []byte("\n")) + 1
	col := utf8.RuneCount(pre[bytes.LastIndexByte(pre, '\n')+1:]) + 1
	return line, col
}

// Path resolves p relative to the spec's directory.
func (s *Spec) Path(p string) string {
	if p == "" || filepath.IsAbs(p) || s.BaseDir == "" {
		return p
	}
	return filepath.Join(s.BaseDir, p)
}

// Delim returns the rune of a delimiter key (def when empty).
func Delim(s string, def rune) (rune, error) {
	switch {
	case s == "":
		return def, nil
	case s == `\t` || s == "tab":
		return '\t', nil
	case utf8.RuneCountInString(s) == 1:
		r, _ := utf8.DecodeRuneInString(s)
		return r, nil
	}
	return 0, fault.Errorf(fault.Invalid, "delimiter %q must be one character", s)
}
