package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tokumei/tokumei/anon/risk"
	"github.com/tokumei/tokumei/dataio"
	"github.com/tokumei/tokumei/fault"
)

func init() {
	Register(Command{Name: "risk", Summary: "measure re-identification risk of a spec's input (or output)", Run: runRisk})
}

// riskSpec is the part of a job spec that `tokumei risk` reads.
type riskSpec struct {
	Input struct {
		Path      string `json:"path"`
		Delimiter string `json:"delimiter"`
		Encoding  string `json:"encoding"`
		Sheet     string `json:"sheet"`
	} `json:"input"`
	Attributes []struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"attributes"`
	Output struct {
		Path string `json:"path"`
	} `json:"output"`
	Risk struct {
		Population    int64    `json:"population"`
		Threshold     float64  `json:"threshold"`
		Missing       string   `json:"missing"`
		MissingTokens []string `json:"missing_tokens"`
		// PopulationTable is a CSV with the quasi-identifier columns and a
		// count column: the population size of each combination.
		PopulationTable *struct {
			Path        string `json:"path"`
			Delimiter   string `json:"delimiter"`
			CountColumn string `json:"count_column"`
		} `json:"population_table"`
	} `json:"risk"`
}

// riskOutput is what `tokumei risk` prints: the measured file's report and,
// with --output, the input's report beside it.
type riskOutput struct {
	File string `json:"file"`
	*risk.Report
	Input *riskOutput `json:"input,omitempty"`
}

func runRisk(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("risk", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	specPath := fs.String("spec", "", "job spec (JSON)")
	output := fs.Bool("output", false, "measure the output file of the spec (and show the input beside it)")
	population := fs.Int64("population", 0, "population size (overrides risk.population)")
	threshold := fs.Float64("threshold", 0, "per-record risk threshold (overrides risk.threshold)")
	missing := fs.String("missing", "", `missing values: "own-category" or "matches-any" (overrides risk.missing)`)
	pf := addProgressFlags(fs)
	if err := fs.Parse(args); err != nil {
		return fault.Errorf(fault.Invalid, "%v", err)
	}
	if *specPath == "" {
		return fault.New(fault.Invalid, "--spec is required", "--spec を指定してください")
	}
	s, err := readRiskSpec(*specPath)
	if err != nil {
		return err
	}
	if *population > 0 {
		s.Risk.Population = *population
	}
	if *threshold > 0 {
		s.Risk.Threshold = *threshold
	}
	if *missing != "" {
		s.Risk.Missing = *missing
	}
	o := risk.Options{Population: s.Risk.Population, Threshold: s.Risk.Threshold, MissingTokens: s.Risk.MissingTokens}
	switch s.Risk.Missing {
	case "", risk.MissingOwnCategory:
	case risk.MissingMatchesAny, "matches-all":
		o.MissingMatchesAll = true
	default:
		return fault.New(fault.Invalid, `risk.missing must be "own-category" or "matches-any"`, `risk.missing は "own-category" か "matches-any" です`).In("risk.missing")
	}
	var qi []string
	for _, a := range s.Attributes {
		if a.Type == "quasi" {
			qi = append(qi, a.Name)
		}
	}
	if len(qi) == 0 {
		return fault.New(fault.Invalid, "the spec has no quasi-identifier", "準識別子が指定されていません").In("attributes")
	}
	bar, err := pf.bar(env)
	if err != nil {
		return err
	}
	res, err := measureSpec(*specPath, s, qi, o, *output, bar)
	bar.end()
	if err != nil {
		return err
	}
	e := json.NewEncoder(env.Stdout)
	e.SetIndent("", "  ")
	e.SetEscapeHTML(false)
	return e.Encode(res)
}

// measureSpec measures the input of the spec, or with output its output
// file with the input beside it.
func measureSpec(specPath string, s *riskSpec, qi []string, o risk.Options, output bool, bar *progressBar) (*riskOutput, error) {
	var err error
	dir := filepath.Dir(specPath)
	if pt := s.Risk.PopulationTable; pt != nil {
		if o.PopulationTable, err = readPopulationTable(resolvePath(dir, pt.Path), pt.Delimiter, pt.CountColumn, qi, bar); err != nil {
			return nil, err
		}
	}
	in, err := measureFile(resolvePath(dir, s.Input.Path), s, qi, o, bar)
	if err != nil || !output {
		return in, err
	}
	if s.Output.Path == "" {
		return nil, fault.New(fault.Invalid, "the spec names no output file", "出力ファイルが指定されていません").In("output.path")
	}
	out, err := measureFile(resolvePath(dir, s.Output.Path), s, qi, o, bar)
	if err != nil {
		return nil, err
	}
	out.Input = in
	return out, nil
}

func resolvePath(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

func readRiskSpec(path string) (*riskSpec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fault.Errorf(fault.NotFound, "cannot read the spec %s", path).Wrap(err)
	}
	var s riskSpec
	if err := json.Unmarshal(b, &s); err != nil {
		fe := fault.New(fault.Invalid, "the spec is not valid JSON: "+err.Error(), "仕様ファイルがJSONとして正しくありません").Wrap(err)
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line := 1
			for _, c := range b[:min(int(se.Offset), len(b))] {
				if c == '\n' {
					line++
				}
			}
			return nil, fe.At(filepath.Base(path), line, 0)
		}
		return nil, fe.At(filepath.Base(path), 0, 0)
	}
	if s.Input.Path == "" {
		return nil, fault.New(fault.Invalid, "the spec names no input file", "入力ファイルが指定されていません").In("input.path")
	}
	return &s, nil
}

// readColumns reads the named columns of a file, column-major, showing the
// reading on bar.
func readColumns(path string, in dataioOpts, names []string, bar *progressBar) ([][]string, error) {
	r, err := dataio.Open(path, dataio.Options{Delimiter: in.delimiter, Encoding: in.encoding, Sheet: in.sheet})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	fp := bar.reading(path, r)
	header := r.Header()
	idx := make([]int, len(names))
	for k, n := range names {
		idx[k] = -1
		for j, h := range header {
			if h == n {
				idx[k] = j
			}
		}
		if idx[k] < 0 {
			return nil, fault.Errorf(fault.Invalid, "column %q is not in the file", n).At(filepath.Base(path), 1, 0).In(n)
		}
	}
	cols := make([][]string, len(names))
	for {
		rec, err := r.Read()
		if err == io.EOF {
			fp.done()
			break
		}
		if err != nil {
			return nil, err
		}
		fp.row()
		for k, j := range idx {
			v := ""
			if j < len(rec) {
				v = rec[j]
			}
			cols[k] = append(cols[k], v)
		}
	}
	return cols, nil
}

type dataioOpts struct {
	delimiter rune
	encoding  string
	sheet     string
}

func delimiterRune(s string) (rune, error) {
	switch s {
	case "":
		return 0, nil
	case `\t`, "tab":
		return '\t', nil
	}
	r, n := utf8.DecodeRuneInString(s)
	if n != len(s) {
		return 0, fault.New(fault.Invalid, "the delimiter must be one character", "区切り文字は1文字です").In("input.delimiter")
	}
	return r, nil
}

func measureFile(path string, s *riskSpec, qi []string, o risk.Options, bar *progressBar) (*riskOutput, error) {
	d, err := delimiterRune(s.Input.Delimiter)
	if err != nil {
		return nil, err
	}
	cols, err := readColumns(path, dataioOpts{d, s.Input.Encoding, s.Input.Sheet}, qi, bar)
	if err != nil {
		return nil, err
	}
	bar.step("measuring")
	rep, err := risk.Measure(cols, qi, o)
	if err != nil {
		return nil, err
	}
	return &riskOutput{File: filepath.Base(path), Report: rep}, nil
}

// readPopulationTable reads a population table: the quasi-identifier
// columns and a count column (default "count").
func readPopulationTable(path, delim, countCol string, qi []string, bar *progressBar) (map[string]int64, error) {
	if countCol == "" {
		countCol = "count"
	}
	d, err := delimiterRune(delim)
	if err != nil {
		return nil, err
	}
	cols, err := readColumns(path, dataioOpts{delimiter: d, encoding: "auto"}, append(append([]string(nil), qi...), countCol), bar)
	if err != nil {
		return nil, err
	}
	table := map[string]int64{}
	counts := cols[len(qi)]
	for i, c := range counts {
		n, err := strconv.ParseInt(strings.TrimSpace(c), 10, 64)
		if err != nil || n < 0 {
			return nil, fault.New(fault.Invalid, "the count is not a non-negative whole number", "人数が0以上の整数ではありません").At(filepath.Base(path), i+2, len(qi)+1).In(countCol)
		}
		vals := make([]string, len(qi))
		for k := range qi {
			vals[k] = cols[k][i]
		}
		table[risk.Key(vals...)] += n
	}
	return table, nil
}
