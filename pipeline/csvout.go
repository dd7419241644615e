package pipeline

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/fault"
)

// csvOut writes UTF-8 CSV the way dataio does (RFC 4180 quoting, CRLF),
// without per-field transcoding: the output path of large jobs.
type csvOut struct {
	tmp   *os.File
	path  string
	bw    *bufio.Writer
	delim byte
	line  []byte // writeCodes's buffer
}

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
	o.bw = bufio.NewWriterSize(w, 1<<20)
	if bom {
		o.bw.WriteString("\uFEFF")
	}
	return o, nil
}

func (o *csvOut) Write(row []string) error {
	for i, f := range row {
		if i > 0 {
			o.bw.WriteByte(o.delim)
		}
		if o.needsQuotes(f) {
			o.bw.WriteByte('"')
			o.bw.WriteString(strings.ReplaceAll(f, `"`, `""`))
			o.bw.WriteByte('"')
		} else {
			o.bw.WriteString(f)
		}
	}
	_, err := o.bw.WriteString("\r\n")
	return err
}

// encodeColumns encodes every value of every column once, quoted as
// Write would quote it.
func (o *csvOut) encodeColumns(cols []anon.OutputColumn) [][][]byte {
	enc := make([][][]byte, len(cols))
	for k, c := range cols {
		enc[k] = make([][]byte, len(c.Values))
		for i, v := range c.Values {
			if o.needsQuotes(v) {
				v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
			}
			enc[k][i] = []byte(v)
		}
	}
	return enc
}

// writeCodes writes one row of codes into the encoded values.
func (o *csvOut) writeCodes(enc [][][]byte, codes []uint32) error {
	line := o.line[:0]
	for k, c := range codes {
		if k > 0 {
			line = append(line, o.delim)
		}
		line = append(line, enc[k][c]...)
	}
	line = append(line, '\r', '\n')
	o.line = line
	_, err := o.bw.Write(line)
	return err
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
	err := o.bw.Flush()
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
