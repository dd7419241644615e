package pipeline

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tokumei/tokumei/fault"
)

// csvOut writes UTF-8 CSV the way dataio does (RFC 4180 quoting, CRLF),
// without per-field transcoding: the output path of large jobs.
type csvOut struct {
	tmp   *os.File
	path  string
	bw    *bufio.Writer
	delim byte
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
