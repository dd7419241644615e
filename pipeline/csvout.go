package pipeline

import (
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/fault"
)

// csvOut writes UTF-8 CSV the way dataio does (RFC 4180 quoting, CRLF),
// without per-field transcoding: the output path of large jobs. Lines are
// built in its own buffer and written out in chunks of flushBytes.
type csvOut struct {
	tmp   *os.File
	path  string
	w     io.Writer
	buf   []byte
	err   error // the first write error
	delim byte
}

// flushBytes is the size of csvOut's writes.
const flushBytes = 1 << 20

func isUTF8(enc string) bool {
	switch strings.ToLower(strings.ReplaceAll(enc, "_", "-")) {
	case "", "utf-8", "utf8", "utf-8-bom", "utf8-bom":
		return true
	}
	return false
}

// newCSVOut starts path through a temporary file (w == nil) or writes to w.
func newCSVOut(path string, w io.Writer, delim rune, bom bool) (*csvOut, error) {
	if delim >= 0x80 || delim == '"' || delim == '\r' || delim == '\n' {
		return nil, fault.New(fault.Invalid, "this delimiter cannot be used", "この区切り文字は使えません").In("output.delimiter")
	}
	o := &csvOut{path: path, delim: byte(delim)}
	if w == nil {
		dir, base := filepath.Split(path)
		if dir == "" {
			dir = "."
		}
		f, err := os.CreateTemp(dir, "."+base+".tmp-*")
		if err != nil {
			return nil, fault.New(fault.Invalid, "cannot create the output file", "出力ファイルを作れません").At(base, 0, 0).Wrap(err)
		}
		o.tmp, w = f, f
	}
	o.w = w
	o.buf = make([]byte, 0, flushBytes+64<<10)
	if bom {
		o.buf = append(o.buf, "\uFEFF"...)
	}
	return o, nil
}

func (o *csvOut) Write(row []string) error {
	for i, f := range row {
		if i > 0 {
			o.buf = append(o.buf, o.delim)
		}
		o.buf = o.appendField(o.buf, f)
	}
	o.buf = append(o.buf, '\r', '\n')
	return o.flushFull()
}

// appendField appends f, quoted when needed.
func (o *csvOut) appendField(b []byte, f string) []byte {
	if !o.needsQuotes(f) {
		return append(b, f...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(f, `"`, `""`)...)
	return append(b, '"')
}

// flushFull writes the buffer out once it holds flushBytes.
func (o *csvOut) flushFull() error {
	if len(o.buf) >= flushBytes {
		return o.flush()
	}
	return o.err
}

func (o *csvOut) flush() error {
	if o.err == nil && len(o.buf) > 0 {
		_, o.err = o.w.Write(o.buf)
	}
	o.buf = o.buf[:0]
	return o.err
}

// codeWriter writes rows given as codes (anon.Result.EachOutputClass):
// every value is encoded once per column, quoted as Write would quote it
// and followed by its separator, and the runs of quasi-identifier columns
// once per output class (their codes are the same in all rows of a
// class), so a row is a few appends.
type codeWriter struct {
	o     *csvOut
	enc   [][][]byte // column → code → encoded value and separator
	runs  []colRun
	cache [][][]byte // output class → its quasi-identifier runs, encoded (nil: not cached)
}

// The encoded quasi-identifiers of the output classes are kept when there
// are at most maxCachedClasses classes of four rows or more on average.
// With more classes the cache is slower than encoding each column: rows
// come in input order, so each row's class entry and bytes are a cache
// miss (10M rows, 127,127 classes: writing 2.5 → 4.2 s CPU), while the
// per-column values stay in the processor's cache.
const maxCachedClasses = 1 << 12

// colRun is a run of adjacent output columns [from, to), all
// quasi-identifiers or none.
type colRun struct {
	from, to int
	quasi    bool
}

func (o *csvOut) codeWriter(cols []anon.OutputColumn, quasi []bool, classes int, rows int64) *codeWriter {
	w := &codeWriter{o: o, enc: make([][][]byte, len(cols))}
	if classes <= maxCachedClasses && 4*int64(classes) <= rows {
		w.cache = make([][][]byte, classes)
	}
	for k, c := range cols {
		sep := []byte{o.delim}
		if k == len(cols)-1 {
			sep = []byte("\r\n")
		}
		w.enc[k] = make([][]byte, len(c.Values))
		for i, v := range c.Values {
			w.enc[k][i] = append(o.appendField(nil, v), sep...)
		}
		if n := len(w.runs); n > 0 && w.runs[n-1].quasi == quasi[k] {
			w.runs[n-1].to = k + 1
		} else {
			w.runs = append(w.runs, colRun{from: k, to: k + 1, quasi: quasi[k]})
		}
	}
	return w
}

// write writes one row of output class class.
func (w *codeWriter) write(class int, codes []uint32) error {
	o := w.o
	if len(codes) == 0 {
		o.buf = append(o.buf, '\r', '\n')
		return o.flushFull()
	}
	if w.cache == nil {
		o.buf = w.appendRun(o.buf, colRun{0, len(codes), false}, codes)
		return o.flushFull()
	}
	segs := w.cache[class]
	if segs == nil {
		for _, r := range w.runs {
			if r.quasi {
				segs = append(segs, w.appendRun(nil, r, codes))
			}
		}
		w.cache[class] = segs
	}
	b, q := o.buf, 0
	for _, r := range w.runs {
		if r.quasi {
			b = append(b, segs[q]...)
			q++
		} else {
			b = w.appendRun(b, r, codes)
		}
	}
	o.buf = b
	return o.flushFull()
}

func (w *codeWriter) appendRun(b []byte, r colRun, codes []uint32) []byte {
	for k := r.from; k < r.to; k++ {
		b = append(b, w.enc[k][codes[k]]...)
	}
	return b
}

func (o *csvOut) needsQuotes(f string) bool {
	if f == "" {
		return false
	}
	if strings.IndexByte(f, o.delim) >= 0 || strings.ContainsAny(f, "\"\r\n") {
		return true
	}
	return f[0] == ' ' || f[0] == '\t' || f[len(f)-1] == ' ' || f[len(f)-1] == '\t'
}

func (o *csvOut) Commit() error {
	err := o.flush()
	if o.tmp == nil {
		return err
	}
	if err == nil {
		err = o.tmp.Close()
	} else {
		o.tmp.Close()
	}
	if err == nil {
		err = os.Rename(o.tmp.Name(), o.path)
	}
	if err != nil {
		os.Remove(o.tmp.Name())
		return fault.New(fault.Internal, "cannot write the output", "出力を書き込めません").At(filepath.Base(o.path), 0, 0).Wrap(err)
	}
	return nil
}

func (o *csvOut) Abort() {
	if o.tmp != nil {
		o.tmp.Close()
		os.Remove(o.tmp.Name())
	}
}
