package pipeline

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/dataio"
	"github.com/tokumei/tokumei/fault"
)

// readInput reads the input table named by the spec (or its Reader),
// reporting the bytes read to st.
// large is called when the table is expected to have largeJobRows rows
// or more.
func readInput(spec *anon.Spec, o Options, st *statusFunc, large func()) (*anon.Table, string, error) {
	delim, err := anon.Delim(spec.Input.Delimiter, 0)
	if err != nil {
		return nil, "", err
	}
	name := filepath.Base(spec.Input.Path)
	if name == "." || name == "" {
		name = "input"
	}
	r := spec.Input.Reader
	if r == nil {
		rc, err := o.Open(spec.Path(spec.Input.Path))
		if err != nil {
			return nil, "", fault.New(fault.NotFound, "cannot open the input file", "入力ファイルを開けません").At(name, 0, 0).Wrap(err)
		}
		defer rc.Close()
		r = rc
	}
	cr := &countingReader{r: r, total: sizeOf(r), large: large}
	t, err := readTable(cr, name, dataio.Options{Delimiter: delim, Encoding: spec.Input.Encoding, Sheet: spec.Input.Sheet},
		func() { st.report(PhaseReading, cr.n, cr.total) })
	if err == nil {
		st.report(PhaseReading, cr.n, max(cr.total, cr.n))
	}
	return t, name, err
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r        io.Reader
	n, total int64
	large    func() // called when the estimated rows reach largeJobRows
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// sizeOf returns the size of a file or an in-memory reader, 0 when unknown.
func sizeOf(r io.Reader) int64 {
	switch v := r.(type) {
	case interface{ Stat() (os.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			return fi.Size()
		}
	case interface{ Size() int64 }:
		return v.Size()
	case interface{ Len() int }:
		return int64(v.Len())
	}
	return 0
}

// readTable reads any table dataio reads into an anon table. tick, when
// not nil, is called every few thousand rows.
func readTable(r io.Reader, name string, o dataio.Options, tick func()) (*anon.Table, error) {
	dr, err := dataio.NewReader(r, name, o)
	if err != nil {
		return nil, err
	}
	defer dr.Close()
	b, err := anon.NewTableBuilder(dr.Header(), name)
	if err != nil {
		return nil, err
	}
	cr, _ := r.(*countingReader)
	for rows := int64(1); ; rows++ {
		rec, err := dr.ReadBytes()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := b.AppendBytes(rec, int64(dr.Line())); err != nil {
			return nil, err
		}
		if rows&4095 == 0 {
			if rows == 4096 && cr != nil && cr.total > 0 {
				more := estimateRows(rows, dr.Offset(), cr.total)
				if rows+more >= largeJobRows && cr.large != nil {
					cr.large()
				}
				b.Reserve(more)
			}
			if tick != nil {
				tick()
			}
		}
	}
	return b.Build(), nil
}

// estimateRows guesses the rows still to come from the bytes per row so
// far (offset: bytes the rows took), with 3 % to spare; 0 when unknown.
// Columns sized once this way are not copied as they grow (a 10M-row
// file would otherwise copy every column several times).
func estimateRows(rows, offset, total int64) int64 {
	if offset <= 0 || total <= offset {
		return 0
	}
	return int64(float64(total-offset) / (float64(offset) / float64(rows)) * 1.03)
}

// readAux reads an auxiliary CSV file of the spec (subset, population).
func readAux(spec *anon.Spec, f *anon.FileRef, o Options, def rune) (*anon.Table, string, error) {
	delim, err := anon.Delim(f.Delimiter, def)
	if err != nil {
		return nil, "", err
	}
	name := filepath.Base(f.Path)
	rc, err := o.Open(spec.Path(f.Path))
	if err != nil {
		return nil, "", fault.New(fault.NotFound, "cannot open the file", "ファイルを開けません").At(name, 0, 0).Wrap(err)
	}
	defer rc.Close()
	t, err := readTable(rc, name, dataio.Options{Delimiter: delim, Encoding: "auto"}, nil)
	return t, name, err
}

// problem turns the spec and the table into an engine problem.
func problem(ctx context.Context, spec *anon.Spec, tab *anon.Table, name string, o Options) (*anon.Problem, error) {
	p := &anon.Problem{Table: tab, File: name, Models: spec.Privacy, SuppressionLimit: spec.SuppressionLimit,
		Metric: spec.Metric, Exhaustive: o.Exhaustive || spec.Search == "exhaustive",
		TimeLimit: time.Duration(spec.TimeLimitMS) * time.Millisecond, SensitiveHierarchies: map[string]*anon.Hierarchy{}}
	for i, a := range spec.Attributes {
		field := "attributes[" + strconv.Itoa(i) + "]"
		col := tab.Column(a.Name)
		if col == nil {
			return nil, fault.New(fault.Invalid, "the input has no column \""+a.Name+"\"",
				"入力に列「"+a.Name+"」がありません").In(field+".name").At(name, 1, 0)
		}
		if a.Hierarchy == nil || (a.Type != anon.Quasi && a.Type != anon.Sensitive) {
			continue
		}
		h, err := BuildHierarchy(*a.Hierarchy, col.Dict, spec.BaseDir)
		if err != nil {
			return nil, err
		}
		if a.Type == anon.Sensitive {
			p.SensitiveHierarchies[a.Name] = h
			continue
		}
		q := anon.QI{Name: a.Name, Hierarchy: h, MaxLevel: -1}
		if a.MinLevel != nil {
			q.MinLevel = *a.MinLevel
		}
		if a.MaxLevel != nil {
			q.MaxLevel = *a.MaxLevel
		}
		p.QIs = append(p.QIs, q)
	}
	for i, m := range spec.Privacy {
		field := "privacy[" + strconv.Itoa(i) + "]"
		if m.Hierarchy != nil {
			col := tab.Column(m.Attribute)
			if col == nil {
				return nil, fault.Errorf(fault.Invalid, "the input has no column %q", m.Attribute).In(field)
			}
			h, err := BuildHierarchy(*m.Hierarchy, col.Dict, spec.BaseDir)
			if err != nil {
				return nil, err
			}
			p.SensitiveHierarchies[m.Attribute] = h
		}
		if m.Subset != nil {
			sub, err := subset(spec, tab, m.Subset, o)
			if err != nil {
				return nil, err
			}
			p.Subset = sub
		}
		if m.Population != nil {
			pop, err := population(spec, m.Population, o)
			if err != nil {
				return nil, err
			}
			p.Population = pop
		}
	}
	return p, nil
}

// subset marks the input rows that appear in the research subset file
// (rows matched on every column, as a multiset).
func subset(spec *anon.Spec, tab *anon.Table, f *anon.FileRef, o Options) ([]bool, error) {
	delim, _ := anon.Delim(spec.Input.Delimiter, ',')
	st, name, err := readAux(spec, f, o, delim)
	if err != nil {
		return nil, err
	}
	if !slices.Equal(st.Names(), tab.Names()) {
		return nil, fault.New(fault.Invalid, "the research subset must have the same columns as the input",
			"研究用サブセットの列は入力と同じでなければなりません").At(name, 1, 0)
	}
	want := map[string]int{}
	for r := int64(0); r < st.Rows; r++ {
		want[strings.Join(st.Row(r), "\x1f")]++
	}
	sub := make([]bool, tab.Rows)
	for r := int64(0); r < tab.Rows; r++ {
		k := strings.Join(tab.Row(r), "\x1f")
		if want[k] > 0 {
			want[k]--
			sub[r] = true
		}
	}
	for r := int64(0); r < st.Rows; r++ {
		if want[strings.Join(st.Row(r), "\x1f")] > 0 {
			return nil, fault.New(fault.Invalid, "a row of the research subset is not in the input",
				"研究用サブセットの行が入力にありません").At(name, st.LineOf(r), 0)
		}
	}
	return sub, nil
}

// population reads the k-map population table: quasi-identifier columns
// and a count column.
func population(spec *anon.Spec, f *anon.FileRef, o Options) (*anon.Population, error) {
	delim, _ := anon.Delim(spec.Input.Delimiter, ',')
	pt, name, err := readAux(spec, f, o, delim)
	if err != nil {
		return nil, err
	}
	cc := f.CountColumn
	if cc == "" {
		cc = "count"
	}
	col := pt.Column(cc)
	if col == nil {
		return nil, fault.Errorf(fault.Invalid, "the population table has no column %q", cc).At(name, 1, 0)
	}
	counts := make([]int64, pt.Rows)
	for r := int64(0); r < pt.Rows; r++ {
		n, err := strconv.ParseInt(strings.TrimSpace(col.Value(r)), 10, 64)
		if err != nil || n < 0 {
			return nil, fault.New(fault.Invalid, "the count is not a non-negative integer", "件数が 0 以上の整数ではありません").
				At(name, pt.LineOf(r), pt.ColumnIndex(cc)+1)
		}
		counts[r] = n
	}
	return &anon.Population{Table: pt, Counts: counts, File: name}, nil
}

// writeOutput writes the output table and returns the number of rows.
func writeOutput(spec *anon.Spec, ar *anon.Result, o Options, st *statusFunc) (int64, error) {
	var drop []string
	for _, a := range spec.Attributes {
		if a.Type == anon.Identifying {
			drop = append(drop, a.Name)
		}
	}
	oo := anon.OutputOptions{Drop: drop, RemoveSuppressed: spec.Suppressed == "remove"}
	in, _ := anon.Delim(spec.Input.Delimiter, ',')
	delim, err := anon.Delim(spec.Output.Delimiter, in)
	if err != nil {
		return 0, err
	}
	wo := dataio.WriteOptions{Encoding: spec.Output.Encoding, Delimiter: delim}
	var w rowWriter
	fast := isUTF8(spec.Output.Encoding) && !strings.EqualFold(filepath.Ext(spec.Output.Path), ".xlsx")
	bom := strings.Contains(strings.ToLower(spec.Output.Encoding), "bom")
	switch {
	case o.Output != nil && fast:
		w, err = newCSVOut("", o.Output, delim, bom)
	case o.Output != nil:
		w, err = dataio.NewWriter(o.Output, wo)
	case spec.Output.Path == "":
		return 0, fault.New(fault.Invalid, "no output path is given", "出力先が指定されていません").In("output.path")
	case fast:
		w, err = newCSVOut(spec.Path(spec.Output.Path), nil, delim, bom)
	default:
		w, err = dataio.Create(spec.Path(spec.Output.Path), wo)
	}
	if err != nil {
		return 0, err
	}
	if err := w.Write(ar.OutputHeader(oo)); err != nil {
		w.Abort()
		return 0, err
	}
	var n int64
	st.report(PhaseWriting, 0, ar.Records)
	if co, ok := w.(*csvOut); ok {
		cw := co.codeWriter(ar.OutputColumns(oo), ar.QuasiOutputColumns(oo), ar.OutputClasses(), ar.Records)
		err = ar.EachOutputClass(oo, func(class int, codes []uint32) error {
			n++
			if n&4095 == 0 {
				st.report(PhaseWriting, n, ar.Records)
			}
			return cw.write(class, codes)
		})
	} else {
		err = ar.EachOutputRow(oo, func(row []string) error {
			n++
			if n&4095 == 0 {
				st.report(PhaseWriting, n, ar.Records)
			}
			return w.Write(row)
		})
	}
	if err != nil {
		w.Abort()
		return 0, err
	}
	return n, w.Commit()
}

// rowWriter is dataio.Writer or csvOut.
type rowWriter interface {
	Write(row []string) error
	Commit() error
	Abort()
}
