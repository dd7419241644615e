package dataio

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/jp"
)

// Detection is the encoding a reader uses and how sure the detection was.
type Detection = jp.Detection

// Options control reading.
type Options struct {
	Delimiter rune   // field separator; 0 means ',' (tab for .tsv files)
	Encoding  string // "auto" (default), "utf-8", "utf-8-bom", "cp932", "shift_jis", "euc-jp"
	Sheet     string // XLSX sheet name; "" means the first sheet
}

// Reader reads a table: a header row, then records.
type Reader struct {
	name    string
	src     source
	header  []string
	line    int
	closer  io.Closer
	scratch [][]byte
}

// source yields raw records with the line (CSV) or row (XLSX) they start on.
type source interface {
	next() (fields []string, line int, err error)
	detection() Detection
	padsShortRows() bool
}

// Open opens a CSV (any other extension) or XLSX (.xlsx, .xlsm) file. The
// header row is read at once.
func Open(path string, o Options) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, openError(path, err)
	}
	name := filepath.Base(path)
	if o.Delimiter == 0 && strings.EqualFold(filepath.Ext(path), ".tsv") {
		o.Delimiter = '\t'
	}
	r, err := NewReader(f, name, o)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

func openError(path string, err error) error {
	base := filepath.Base(path)
	if errors.Is(err, os.ErrNotExist) {
		return fault.New(fault.NotFound, "file "+base+" does not exist", "ファイル "+base+" がありません").Wrap(err)
	}
	return fault.New(fault.Invalid, "cannot open file "+base, "ファイル "+base+" を開けません").Wrap(err)
}

// NewReader reads a table from r; name is used in error messages. An XLSX
// workbook (ZIP magic "PK") is recognised and read whole; anything else is
// streamed as CSV.
func NewReader(r io.Reader, name string, o Options) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(4)
	var src source
	var err error
	switch {
	case bytes.HasPrefix(magic, []byte("PK\x03\x04")):
		src, err = newXLSXSource(br, name, o.Sheet)
	case bytes.HasPrefix(magic, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		err = fault.New(fault.Invalid,
			"old Excel .xls (97-2003) files are not supported; save the sheet as .xlsx or CSV",
			"旧形式のExcelファイル（.xls）は読めません。.xlsx または CSV で保存してください").At(name, 0, 0)
	default:
		src, err = newCSVSource(br, name, o)
	}
	if err != nil {
		return nil, err
	}
	rd := &Reader{name: name, src: src}
	h, line, err := src.next()
	if err == io.EOF {
		return nil, fault.New(fault.Invalid, "the file is empty (no header row)",
			"ファイルが空です（見出し行がありません）").At(name, 0, 0)
	}
	if err != nil {
		return nil, err
	}
	rd.header, rd.line = h, line
	return rd, nil
}

// Header returns the column names of the first row.
func (r *Reader) Header() []string { return r.header }

// Read returns the next record, with exactly as many fields as the header,
// or io.EOF after the last. Errors are *fault.Error naming file, line and
// column. Blank lines (and blank XLSX rows) are skipped.
func (r *Reader) Read() ([]string, error) {
	rec, line, err := r.src.next()
	if err != nil {
		return nil, err
	}
	r.line = line
	return fitWidth(r, rec, line, r.src.padsShortRows())
}

// ReadBytes is Read without allocating: the fields are valid until the
// next call. It is the fast path for large CSV files.
func (r *Reader) ReadBytes() ([][]byte, error) {
	bs, ok := r.src.(interface{ nextBytes() ([][]byte, int, error) })
	if !ok {
		rec, err := r.Read()
		if err != nil {
			return nil, err
		}
		r.scratch = r.scratch[:0]
		for _, f := range rec {
			r.scratch = append(r.scratch, []byte(f))
		}
		return r.scratch, nil
	}
	rec, line, err := bs.nextBytes()
	if err != nil {
		return nil, err
	}
	r.line = line
	return fitWidth(r, rec, line, false)
}

// fitWidth gives rec exactly as many fields as the header: empty fields
// past it are dropped (a trailing delimiter), a non-empty one is an error
// naming its column; a short row is padded with empty fields where the
// source leaves trailing blanks out (pads: XLSX), an error otherwise.
func fitWidth[F string | []byte](r *Reader, rec []F, line int, pads bool) ([]F, error) {
	n := len(r.header)
	if len(rec) > n {
		for i := n; i < len(rec); i++ {
			if len(rec[i]) != 0 {
				return nil, r.widthError(line, len(rec), i+1)
			}
		}
		rec = rec[:n]
	}
	if len(rec) < n {
		if !pads {
			return nil, r.widthError(line, len(rec), len(rec)+1)
		}
		rec = append(rec, make([]F, n-len(rec))...)
	}
	return rec, nil
}

func (r *Reader) widthError(line, got, col int) error {
	n := strconv.Itoa(len(r.header))
	g := strconv.Itoa(got)
	return fault.New(fault.Invalid,
		"this row has "+g+" fields but the header has "+n,
		"この行の項目数は "+g+" で、見出し行の "+n+" と一致しません").At(r.name, line, col)
}

// Line returns the line (CSV) or row (XLSX) where the last record read
// starts; after NewReader it is the header's line.
func (r *Reader) Line() int { return r.line }

// Offset returns how many bytes of the input the records read so far took
// (CSV in UTF-8 or CP932/EUC-JP, before decoding; a byte-order mark not
// counted), or -1 when unknown (XLSX, UTF-16). With the file's size it
// estimates how many records are left.
func (r *Reader) Offset() int64 {
	if o, ok := r.src.(interface{ offset() int64 }); ok && r.src.detection().Name != jp.UTF16LE && r.src.detection().Name != jp.UTF16BE {
		return o.offset()
	}
	return -1
}

// Encoding returns the encoding in use and the detection confidence (1 when
// the encoding was given, or the file is XLSX).
func (r *Reader) Encoding() Detection { return r.src.detection() }

// Close releases the reader (and closes the file opened by Open).
func (r *Reader) Close() error {
	var err error
	if c, ok := r.src.(io.Closer); ok {
		err = c.Close()
	}
	if r.closer != nil {
		if e := r.closer.Close(); err == nil {
			err = e
		}
		r.closer = nil
	}
	return err
}
