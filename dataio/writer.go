package dataio

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/jp"
)

// WriteOptions control writing.
type WriteOptions struct {
	Encoding  string // CSV: "utf-8" (default), "utf-8-bom", "cp932" (also "shift_jis")
	Delimiter rune   // CSV: 0 means ','
	Sheet     string // XLSX: sheet name; "" means "Sheet1"
	Format    string // NewWriter only: "csv" (default) or "xlsx"; Create uses the extension
}

// Writer writes a table. The first row written is the header. Nothing
// reaches the target path before Commit.
type Writer struct {
	name   string
	sink   sink
	row    int
	header []string
	tmp    *os.File
	path   string
	done   bool
}

type sink interface {
	writeRow(row []string, line int, header []string) error
	flush() error
}

// Create starts writing path (CSV, or XLSX for .xlsx) through a temporary
// file in the same directory, renamed into place by Commit. The file is
// created with mode 0600: outputs usually hold personal data.
func Create(path string, o WriteOptions) (*Writer, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fault.New(fault.Invalid, "cannot create a file in the folder of "+base,
			base+" のフォルダにファイルを作れません").Wrap(err)
	}
	o.Format = "csv"
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		o.Format = "xlsx"
	}
	if o.Delimiter == 0 && strings.EqualFold(filepath.Ext(path), ".tsv") {
		o.Delimiter = '\t'
	}
	w, err := newWriter(tmp, base, o)
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, err
	}
	w.tmp, w.path = tmp, path
	return w, nil
}

// NewWriter writes a table to w (CSV, or XLSX when o.Format is "xlsx").
// Commit flushes; Abort only marks the writer finished.
func NewWriter(w io.Writer, o WriteOptions) (*Writer, error) {
	return newWriter(w, "", o)
}

func newWriter(w io.Writer, name string, o WriteOptions) (*Writer, error) {
	switch strings.ToLower(o.Format) {
	case "", "csv":
		s, err := newCSVSink(w, name, o)
		if err != nil {
			return nil, err
		}
		return &Writer{name: name, sink: s}, nil
	case "xlsx":
		s, err := newXLSXSink(w, name, o.Sheet)
		if err != nil {
			return nil, err
		}
		return &Writer{name: name, sink: s}, nil
	}
	return nil, fault.New(fault.Invalid, "unknown output format "+quote(o.Format)+" (use csv or xlsx)",
		"不明な出力形式 "+quote(o.Format)+" です（csv または xlsx）").In("format")
}

// Write writes one row. A character the output encoding cannot hold gives a
// fault.Invalid error naming the row (Line, the header being row 1) and the
// column (Column, from 1; Field is the column name).
func (w *Writer) Write(row []string) error {
	if w.done {
		return fault.Errorf(fault.Internal, "write after commit or abort")
	}
	w.row++
	if w.row == 1 {
		w.header = append([]string(nil), row...)
	}
	return w.sink.writeRow(row, w.row, w.header)
}

// Commit flushes the output and, for Create, syncs the temporary file and
// renames it to the target path atomically.
func (w *Writer) Commit() error {
	if w.done {
		return fault.Errorf(fault.Internal, "commit after commit or abort")
	}
	w.done = true
	if err := w.sink.flush(); err != nil {
		w.discard()
		return fault.New(fault.Internal, "cannot write the output", "出力を書き込めません").
			At(w.name, 0, 0).Wrap(err)
	}
	if w.tmp == nil {
		return nil
	}
	if err := w.tmp.Sync(); err != nil {
		w.discard()
		return fault.New(fault.Internal, "cannot write the output", "出力を書き込めません").At(w.name, 0, 0).Wrap(err)
	}
	if err := w.tmp.Close(); err != nil {
		os.Remove(w.tmp.Name())
		return fault.New(fault.Internal, "cannot write the output", "出力を書き込めません").At(w.name, 0, 0).Wrap(err)
	}
	if err := os.Rename(w.tmp.Name(), w.path); err != nil {
		os.Remove(w.tmp.Name())
		return fault.New(fault.Internal, "cannot move the output into place", "出力ファイルを配置できません").
			At(w.name, 0, 0).Wrap(err)
	}
	return nil
}

// Abort discards the output: the temporary file of Create is removed and
// the target path is left untouched. Abort after Commit does nothing.
func (w *Writer) Abort() {
	if w.done {
		return
	}
	w.done = true
	w.discard()
}

func (w *Writer) discard() {
	if w.tmp != nil {
		w.tmp.Close()
		os.Remove(w.tmp.Name())
	}
}

// csvSink writes RFC 4180 CSV with CRLF line ends.
type csvSink struct {
	name  string
	bw    *bufio.Writer
	enc   *jp.Encoder
	delim rune
}

func newCSVSink(w io.Writer, name string, o WriteOptions) (*csvSink, error) {
	enc := jp.UTF8
	if o.Encoding != "" {
		e, err := jp.CanonicalEncoding(o.Encoding)
		if err != nil {
			return nil, err
		}
		enc = e
	}
	switch enc {
	case jp.UTF8, jp.UTF8BOM, jp.CP932:
	default:
		return nil, fault.New(fault.Invalid, "CSV can be written in utf-8, utf-8-bom or cp932, not "+enc,
			"CSVの文字コードは utf-8, utf-8-bom, cp932 のいずれかです").In("encoding")
	}
	d := o.Delimiter
	if d == 0 {
		d = ','
	}
	if d == '"' || d == '\r' || d == '\n' || !utf8.ValidRune(d) || (enc == jp.CP932 && d >= 0x80) {
		return nil, fault.New(fault.Invalid, "this delimiter cannot be used", "この区切り文字は使えません").In("delimiter")
	}
	e, err := jp.NewEncoder(enc)
	if err != nil {
		return nil, err
	}
	s := &csvSink{name: name, bw: bufio.NewWriterSize(w, 64<<10), enc: e, delim: d}
	if enc == jp.UTF8BOM {
		s.bw.WriteString("\uFEFF")
	}
	return s, nil
}

func (s *csvSink) writeRow(row []string, line int, header []string) error {
	if len(row) == 1 && row[0] == "" {
		_, err := s.bw.WriteString("\"\"\r\n") // a blank line would be skipped on reading
		return err
	}
	for i, f := range row {
		if i > 0 {
			s.bw.WriteRune(s.delim)
		}
		if s.needsQuotes(f) {
			f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
		}
		b, err := s.enc.Encode(f)
		if err != nil {
			return locate(err, s.name, line, i, header)
		}
		s.bw.Write(b)
	}
	_, err := s.bw.WriteString("\r\n")
	return err
}

func (s *csvSink) needsQuotes(f string) bool {
	if f == "" {
		return false
	}
	if strings.ContainsRune(f, s.delim) || strings.ContainsAny(f, "\"\r\n") {
		return true
	}
	return f[0] == ' ' || f[0] == '\t' || f[len(f)-1] == ' ' || f[len(f)-1] == '\t'
}

func (s *csvSink) flush() error { return s.bw.Flush() }

// locate places an encoding error at a row and column of the output.
func locate(err error, name string, line, col int, header []string) error {
	fe, ok := err.(*fault.Error)
	if !ok {
		return err
	}
	fe = fe.At(name, line, col+1)
	if col < len(header) && header[col] != "" {
		fe = fe.In(header[col])
	} else {
		fe = fe.In("column " + strconv.Itoa(col+1))
	}
	fe.Message = "row " + strconv.Itoa(line) + ": " + fe.Message
	fe.MessageJA = strconv.Itoa(line) + "行目: " + fe.MessageJA
	return fe
}
