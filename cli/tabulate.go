package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/dataio"
	"github.com/tokumei/tokumei/dp"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/jp"
	"github.com/tokumei/tokumei/pipeline"
	"github.com/tokumei/tokumei/tabular"
)

func init() {
	Register(Command{Name: "tabulate", Summary: "statistics tables with cell suppression, rounding, cell key or DP (統計表)", Run: runTabulate})
}

// tabSpec is the JSON spec of tokumei tabulate (DESIGN.md).
type tabSpec struct {
	Input       anon.InputSpec  `json:"input"`
	Dimensions  []tabDim        `json:"dimensions"`
	Measure     tabular.Measure `json:"-"`
	MeasureJSON struct {
		Type   string `json:"type"`
		Column string `json:"column"`
	} `json:"measure"`
	Contributor string     `json:"contributor,omitempty"`
	Tables      [][]string `json:"tables,omitempty"`
	TotalLabel  string     `json:"total_label,omitempty"`
	Protection  struct {
		Rules          []tabular.Rule `json:"rules"`
		Secondary      string         `json:"secondary"`
		Zeros          string         `json:"zeros,omitempty"` // safe (default) or unsafe
		ZerosSecondary bool           `json:"zeros_secondary,omitempty"`
		FullAudit      bool           `json:"full_audit,omitempty"`
		Optimal        *struct {
			Cost       string  `json:"cost,omitempty"` // value (default), frequency, unity
			MaxCells   int     `json:"max_cells,omitempty"`
			MaxNodes   int     `json:"max_nodes,omitempty"`
			TimeLimitS float64 `json:"time_limit_s,omitempty"`
		} `json:"optimal,omitempty"`
		Rounding *struct {
			Method string `json:"method"`
			Base   int    `json:"base"`
		} `json:"rounding,omitempty"`
		CellKey *struct {
			Secret    string  `json:"secret,omitempty"`
			SecretEnv string  `json:"secret_env,omitempty"`
			KeyColumn string  `json:"key_column,omitempty"`
			MaxNoise  int     `json:"max_noise"`
			Variance  float64 `json:"variance"`
		} `json:"cell_key,omitempty"`
		DP *struct {
			Mechanism     string  `json:"mechanism"`
			Epsilon       float64 `json:"epsilon,omitempty"`
			Rho           float64 `json:"rho,omitempty"`
			Person        string  `json:"person,omitempty"`
			MaxPartitions int     `json:"max_partitions"`
			MaxRows       int     `json:"max_rows"`
			Lower         float64 `json:"lower,omitempty"`
			Upper         float64 `json:"upper,omitempty"`
			Ledger        string  `json:"ledger,omitempty"`
			Dataset       string  `json:"dataset,omitempty"`
			Population    string  `json:"population,omitempty"`
			Release       string  `json:"release,omitempty"`
			LimitEpsilon  float64 `json:"limit_epsilon,omitempty"`
			LimitDelta    float64 `json:"limit_delta,omitempty"`
		} `json:"dp,omitempty"`
	} `json:"protection"`
	Output struct {
		Path     string `json:"path"`
		Encoding string `json:"encoding,omitempty"` // utf-8-bom (default), utf-8, cp932
		Report   string `json:"report,omitempty"`
	} `json:"output"`
	progress *progressBar // the reading and protecting phases are shown here
}

type tabDim struct {
	Column    string              `json:"column"`
	Hierarchy *anon.HierarchySpec `json:"hierarchy,omitempty"`
	Level     *int                `json:"level,omitempty"`
	Levels    []int               `json:"levels,omitempty"`
	Values    []string            `json:"values,omitempty"`
	LGCode    bool                `json:"lgcode,omitempty"`
}

func runTabulate(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("tabulate", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	specPath := fs.String("spec", "", "table spec (JSON); relative paths are relative to its folder")
	format := fs.String("format", "", "json: print the cells on standard output")
	pf := addProgressFlags(fs)
	if err := fs.Parse(args); err != nil {
		return UsageError("%v", err)
	}
	if *specPath == "" {
		return UsageError("--spec is required (tokumei tabulate --spec table.json)")
	}
	raw, err := os.ReadFile(*specPath)
	if err != nil {
		return fault.New(fault.NotFound, "cannot read the spec", "仕様ファイルを読めません").At(*specPath, 0, 0).Wrap(err)
	}
	var s tabSpec
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return fault.New(fault.Invalid, "bad spec: "+err.Error(), "仕様が不正です: "+err.Error()).At(*specPath, 0, 0)
	}
	s.Measure = tabular.Measure{Type: s.MeasureJSON.Type, Column: s.MeasureJSON.Column}
	base := filepath.Dir(*specPath)
	if s.progress, err = pf.bar(env); err != nil {
		return err
	}
	res, err := tabulate(ctx, &s, base)
	s.progress.end()
	if err != nil {
		return err
	}
	if s.Output.Path != "" {
		if err := writeTableFile(res, rel(base, s.Output.Path), s.Output.Encoding); err != nil {
			return err
		}
	}
	if s.Output.Report != "" {
		b, _ := json.MarshalIndent(res.Report, "", "  ")
		if err := os.WriteFile(rel(base, s.Output.Report), append(b, '\n'), 0o600); err != nil {
			return fault.Errorf(fault.Invalid, "cannot write the report: %v", err).In("output.report")
		}
	}
	r := res.Report
	fmt.Fprintf(env.Stderr, "%d cells (%d inner), %d primary, %d secondary, method %s\n", r.Cells, r.InnerCells, r.Primary, r.Secondary, r.Method)
	if r.Audit != nil {
		fmt.Fprintf(env.Stderr, "audit: passed=%v, %d suppressed cells in %d components\n", r.Audit.Passed, r.Audit.Suppressed, r.Audit.Components)
	}
	if e := r.Exact; e != nil {
		fmt.Fprintf(env.Stderr, "optimal (最適二次秘匿): %s; cost %s %g (heuristic %g), %d nodes, %d cuts\n", e.Status, e.Cost, e.Objective, e.HeuristicCost, e.Nodes, e.Cuts)
	}
	for _, f := range r.Fallbacks {
		fmt.Fprintln(env.Stderr, "fallback:", f)
	}
	if *format == "json" {
		return writeCellsJSON(env.Stdout, res)
	}
	if r.Audit != nil && !r.Audit.Passed {
		return fault.New(fault.Unsatisfiable, "the attacker audit fails: some suppressed cells can be narrowed below their protection (see the report)",
			"攻撃者監査に失敗しました。秘匿セルの一部が必要な保護幅より狭く推定できます（報告書を参照）")
	}
	return nil
}

func rel(base, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(base, p)
}

// tabulate reads the input (twice when a hierarchy builder needs the
// distinct values) and releases the table as the spec says.
func tabulate(ctx context.Context, s *tabSpec, base string) (*tabular.Result, error) {
	spec := tabular.Spec{Measure: s.Measure, Contributor: s.Contributor, Tables: s.Tables, TotalLabel: s.TotalLabel}
	needValues := map[string]bool{}
	for _, d := range s.Dimensions {
		if d.Hierarchy != nil && d.Hierarchy.File == "" {
			needValues[d.Column] = true
		}
	}
	values := map[string][]string{}
	if len(needValues) > 0 {
		seen := map[string]map[string]bool{}
		err := readInput(s, base, func(header, row []string, line int64) error {
			for i, h := range header {
				if needValues[h] && i < len(row) {
					if seen[h] == nil {
						seen[h] = map[string]bool{}
					}
					if !seen[h][row[i]] {
						seen[h][row[i]] = true
						values[h] = append(values[h], row[i])
					}
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for i, d := range s.Dimensions {
		td := tabular.Dimension{Column: d.Column, Values: d.Values, Levels: d.Levels, LGCode: d.LGCode}
		if d.Level != nil {
			td.Levels = []int{*d.Level}
		}
		if d.Hierarchy != nil {
			h, err := pipeline.BuildHierarchy(*d.Hierarchy, values[d.Column], base)
			if err != nil {
				return nil, err
			}
			td.Hierarchy = h
			td.LGCode = td.LGCode || d.Hierarchy.Builder == "lgcode"
		}
		if d.Column == "" {
			return nil, fault.Errorf(fault.Invalid, "dimension %d has no column", i+1).In("dimensions")
		}
		spec.Dimensions = append(spec.Dimensions, td)
	}
	pr := s.Protection
	if err := tabular.CheckRules(pr.Rules, &spec); err != nil {
		return nil, err
	}
	if ck := pr.CellKey; ck != nil {
		secret := ck.Secret
		if ck.SecretEnv != "" {
			secret = os.Getenv(ck.SecretEnv)
		}
		if secret == "" {
			return nil, fault.Errorf(fault.Invalid, "the cell key method needs a secret (secret or secret_env)").In("protection.cell_key")
		}
		spec.CellKeySecret, spec.CellKeyColumn = []byte(secret), ck.KeyColumn
	}
	if d := pr.DP; d != nil {
		spec.Bound = &tabular.Bound{Person: d.Person, MaxPartitions: d.MaxPartitions, MaxRows: d.MaxRows, Lower: d.Lower, Upper: d.Upper}
	}
	var tab *tabular.Table
	start := time.Now()
	err := readInput(s, base, func(header, row []string, line int64) error {
		if tab == nil {
			var err error
			if tab, err = tabular.NewTable(spec, header); err != nil {
				return err
			}
		}
		return tab.Add(row, line)
	})
	if err != nil {
		return nil, err
	}
	if tab == nil {
		return nil, fault.Errorf(fault.Invalid, "the input has no rows").In("input.path")
	}
	if err := tab.Finish(); err != nil {
		return nil, err
	}
	build := time.Since(start).Milliseconds()
	s.progress.step("protecting")
	var res *tabular.Result
	switch {
	case pr.DP != nil:
		res, err = releaseDP(ctx, tab, s, base)
	case pr.CellKey != nil:
		res, err = tab.CellKey(pr.CellKey.MaxNoise, pr.CellKey.Variance)
	case pr.Rounding != nil:
		res, err = tab.Round(pr.Rounding.Method, pr.Rounding.Base, nil)
	default:
		var p *tabular.Protected
		o := tabular.Options{Rules: pr.Rules, Secondary: pr.Secondary, FullAudit: pr.FullAudit,
			Zeros: tabular.Zeros{Unsafe: pr.Zeros == "unsafe", UseSecondary: pr.ZerosSecondary}}
		if op := pr.Optimal; op != nil {
			if op.MaxCells < 0 || op.MaxNodes < 0 || op.TimeLimitS < 0 {
				return nil, fault.Errorf(fault.Invalid, "optimal limits must not be negative").In("protection.optimal")
			}
			o.Exact = tabular.ExactOptions{Cost: op.Cost, MaxCells: op.MaxCells, MaxNodes: op.MaxNodes,
				TimeLimit: time.Duration(op.TimeLimitS * float64(time.Second))}
		}
		p, err = tab.Protect(o)
		if err == nil {
			res = p.Result()
		}
	}
	if err != nil {
		return nil, err
	}
	res.Report.ElapsedMS["build"] = build
	return res, nil
}

func releaseDP(ctx context.Context, tab *tabular.Table, s *tabSpec, base string) (*tabular.Result, error) {
	d := s.Protection.DP
	o := tabular.DPOptions{Mechanism: d.Mechanism, Epsilon: d.Epsilon, Rho: d.Rho}
	var acct *dp.MemoryAccountant
	ledger := ""
	if d.Ledger != "" {
		ledger = rel(base, d.Ledger)
		data, err := os.ReadFile(ledger)
		switch {
		case err == nil:
			if acct, err = dp.LoadLedger(data); err != nil {
				return nil, fault.Errorf(fault.Invalid, "%v", err).In("protection.dp.ledger")
			}
		case errors.Is(err, os.ErrNotExist):
			var limits []dp.Limit
			if d.LimitEpsilon > 0 {
				if d.Dataset != "" {
					limits = append(limits, dp.Limit{Scope: dp.Scope{Dataset: d.Dataset}, Epsilon: d.LimitEpsilon, Delta: d.LimitDelta})
				}
				if d.Population != "" {
					limits = append(limits, dp.Limit{Scope: dp.Scope{Population: d.Population}, Epsilon: d.LimitEpsilon, Delta: d.LimitDelta})
				}
			}
			acct = dp.NewMemoryAccountant(limits...)
		default:
			return nil, fault.Errorf(fault.Invalid, "cannot read the ledger: %v", err).In("protection.dp.ledger")
		}
		o.Accountant = acct
		o.Charge = dp.Charge{Release: d.Release, Dataset: d.Dataset, Population: d.Population}
	}
	res, err := tab.Noise(ctx, o)
	if err != nil {
		return nil, err
	}
	if acct != nil {
		b, _ := json.MarshalIndent(acct, "", "  ")
		tmp := ledger + ".tmp"
		if err := os.WriteFile(tmp, b, 0o600); err != nil {
			return nil, fault.Errorf(fault.Invalid, "cannot write the ledger: %v", err).In("protection.dp.ledger")
		}
		if err := os.Rename(tmp, ledger); err != nil {
			return nil, fault.Errorf(fault.Invalid, "cannot write the ledger: %v", err).In("protection.dp.ledger")
		}
	}
	return res, nil
}

// readInput streams the input file through f.
func readInput(s *tabSpec, base string, f func(header, row []string, line int64) error) error {
	if s.Input.Path == "" {
		return fault.Errorf(fault.Invalid, "input.path is required").In("input.path")
	}
	delim, err := anon.Delim(s.Input.Delimiter, ',')
	if err != nil {
		return err
	}
	path := rel(base, s.Input.Path)
	r, err := dataio.Open(path, dataio.Options{Delimiter: delim, Encoding: s.Input.Encoding, Sheet: s.Input.Sheet})
	if err != nil {
		return err
	}
	defer r.Close()
	fp := s.progress.reading(path, r)
	header := r.Header()
	for {
		row, err := r.Read()
		if err == io.EOF {
			fp.done()
			return nil
		}
		if err != nil {
			return err
		}
		fp.row()
		if err := f(header, row, int64(r.Line())); err != nil {
			var fe *fault.Error
			if errors.As(err, &fe) && fe.File == "" {
				c := *fe
				c.File = filepath.Base(path)
				return &c
			}
			return err
		}
	}
}

// Columns of the local-government code (ecosystem.md §A2).
const (
	colLGCode = "全国地方公共団体コード"
	colLGName = "地方公共団体名"
)

// lgColumns returns the code and the name of a dimension label.
func lgColumns(label string) (string, string) {
	code := label
	if len(code) == 5 {
		if d, err := jp.CheckDigit(code); err == nil {
			code += strconv.Itoa(d)
		}
	}
	if lg, err := jp.LookupLG(code); err == nil {
		return lg.Code, lg.Name
	}
	return "", label
}

func writeTableFile(res *tabular.Result, path, encoding string) error {
	if encoding == "" {
		encoding = "utf-8-bom"
	}
	w, err := dataio.Create(path, dataio.WriteOptions{Encoding: encoding, Sheet: "統計表"})
	if err != nil {
		return err
	}
	dims := res.Dimensions()
	var header []string
	for _, d := range dims {
		if d.LGCode {
			header = append(header, colLGCode, colLGName)
		} else {
			header = append(header, d.Column)
		}
	}
	header = append(header, "value", "status")
	if err := w.Write(header); err != nil {
		w.Abort()
		return err
	}
	var werr error
	res.Cells(func(c int) {
		if werr != nil {
			return
		}
		key := res.KeyMap(c)
		var row []string
		for _, d := range dims {
			lab, ok := key[d.Column]
			if d.LGCode {
				code, name := "", lab
				if ok && lab != res.Spec.TotalLabel {
					code, name = lgColumns(lab)
				}
				row = append(row, code, name)
			} else {
				row = append(row, lab)
			}
		}
		row = append(row, formatValue(res.Value[c]), res.Status[c].String())
		werr = w.Write(row)
	})
	if werr != nil {
		w.Abort()
		return werr
	}
	return w.Commit()
}

func formatValue(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// writeCellsJSON prints the cells as DESIGN.md states: key (dimension →
// label, margins with the total label), value (null when suppressed) and
// status.
func writeCellsJSON(w io.Writer, res *tabular.Result) error {
	dims := res.Dimensions()
	var b strings.Builder
	b.WriteString("[")
	first := true
	res.Cells(func(c int) {
		if !first {
			b.WriteString(",")
		}
		first = false
		b.WriteString("\n  {\"key\": {")
		key := res.KeyMap(c)
		k := 0
		for _, d := range dims {
			lab, ok := key[d.Column]
			if !ok {
				continue
			}
			if k > 0 {
				b.WriteString(", ")
			}
			k++
			kb, _ := json.Marshal(d.Column)
			vb, _ := json.Marshal(lab)
			b.Write(kb)
			b.WriteString(": ")
			b.Write(vb)
		}
		b.WriteString("}, \"value\": ")
		if v := res.Value[c]; math.IsNaN(v) {
			b.WriteString("null")
		} else {
			b.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
		}
		fmt.Fprintf(&b, ", \"status\": %q}", res.Status[c].String())
	})
	b.WriteString("\n]\n")
	_, err := io.WriteString(w, b.String())
	return err
}
