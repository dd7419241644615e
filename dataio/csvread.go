package dataio

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/jp"
	"golang.org/x/text/transform"
)

// maxRecordBytes bounds one record (a quoted field may span lines).
const maxRecordBytes = 64 << 20

type csvSource struct {
	name     string
	br       *bufio.Reader
	dec      *jp.Decoder
	det      Detection
	adaptive bool // encoding "auto" and only ASCII seen so far
	delim    rune
	phys     int // physical lines read
	raw      []byte
	width    int // fields in the last record, to size the next
}

func newCSVSource(br *bufio.Reader, name string, o Options) (*csvSource, error) {
	s := &csvSource{name: name, br: br, delim: o.Delimiter}
	if s.delim == 0 {
		s.delim = ','
	}
	if s.delim == '"' || s.delim == '\n' || s.delim == '\r' || !utf8.ValidRune(s.delim) {
		return nil, fault.New(fault.Invalid, "the delimiter cannot be a quote or a line break",
			"区切り文字に引用符や改行は使えません").In("delimiter")
	}
	enc, err := jp.CanonicalEncoding(o.Encoding)
	if err != nil {
		return nil, err
	}
	if enc == "auto" {
		sample, _ := br.Peek(64 << 10)
		s.det = jp.DetectEncoding(sample)
		s.adaptive = s.det.Name == jp.UTF8 && isASCII(sample)
	} else {
		s.det = Detection{Name: enc, Confidence: 1}
	}
	if s.det.Name == jp.UTF16LE || s.det.Name == jp.UTF16BE {
		s.br = bufio.NewReaderSize(transform.NewReader(br, jp.NewUTF16Decoder(s.det.Name)), 64<<10)
		s.dec, _ = jp.NewDecoder(jp.UTF8)
		return s, nil
	}
	if s.det.Name == jp.UTF8 || s.det.Name == jp.UTF8BOM {
		if b, _ := br.Peek(3); bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
			br.Discard(3)
		}
	}
	s.dec, err = jp.NewDecoder(s.det.Name)
	return s, err
}

func (s *csvSource) detection() Detection { return s.det }
func (s *csvSource) padsShortRows() bool  { return false }

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// readLine returns the next physical line, decoded, without its line end.
func (s *csvSource) readLine() (string, error) {
	s.raw = s.raw[:0]
	for {
		chunk, err := s.br.ReadSlice('\n')
		s.raw = append(s.raw, chunk...)
		if len(s.raw) > maxRecordBytes {
			return "", fault.New(fault.TooLarge, "a line is longer than 64 MiB",
				"1行が64MiBを超えています").At(s.name, s.phys+1, 0)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF && len(s.raw) == 0 {
			return "", io.EOF
		}
		if err != nil && err != io.EOF {
			return "", fault.New(fault.Invalid, "cannot read the file", "ファイルを読めません").
				At(s.name, s.phys+1, 0).Wrap(err)
		}
		break
	}
	s.phys++
	line := bytes.TrimSuffix(s.raw, []byte{'\n'})
	line = bytes.TrimSuffix(line, []byte{'\r'})
	if s.adaptive && !isASCII(line) {
		s.redetect(line)
	}
	text, err := s.dec.Decode(line)
	if err != nil {
		if fe, ok := err.(*fault.Error); ok {
			return "", fe.At(s.name, s.phys, fe.Column)
		}
		return "", err
	}
	return text, nil
}

// redetect settles the encoding of a file that was pure ASCII in the
// sample, at its first non-ASCII line.
func (s *csvSource) redetect(line []byte) {
	s.adaptive = false
	rest, _ := s.br.Peek(s.br.Buffered())
	sample := append(append(append([]byte(nil), line...), '\n'), rest...)
	d := jp.DetectEncoding(sample)
	if d.Name == jp.UTF16LE || d.Name == jp.UTF16BE || d.Name == jp.UTF8BOM {
		d = Detection{Name: jp.UTF8, Confidence: 0.5}
	}
	s.det = d
	s.dec, _ = jp.NewDecoder(d.Name)
}

func (s *csvSource) next() ([]string, int, error) {
	for {
		line, err := s.readLine()
		if err != nil {
			return nil, 0, err
		}
		if line == "" {
			continue
		}
		start := s.phys
		rec, err := s.parse(line)
		return rec, start, err
	}
}

// parse splits one record (RFC 4180: fields may be quoted with ", a quote
// inside is doubled, a quoted field may span lines). A quote inside an
// unquoted field is kept as is.
func (s *csvSource) parse(line string) (fields []string, err error) {
	fields = make([]string, 0, max(s.width, 8))
	defer func() { s.width = len(fields) }()
	var b strings.Builder
	dl := utf8.RuneLen(s.delim)
	i := 0
	for {
		if i < len(line) && line[i] == '"' {
			startLine, startCol := s.phys, column(line, i)
			i++
			for {
				j := strings.IndexByte(line[i:], '"')
				if j < 0 {
					b.WriteString(line[i:])
					if b.Len() > maxRecordBytes {
						return nil, fault.New(fault.TooLarge, "a field is longer than 64 MiB",
							"項目が64MiBを超えています").At(s.name, startLine, startCol)
					}
					next, err := s.readLine()
					if err == io.EOF {
						return nil, fault.New(fault.Invalid,
							"a quoted field is not closed (missing \")",
							"引用符（\"）で始まる項目が閉じられていません").At(s.name, startLine, startCol)
					}
					if err != nil {
						return nil, err
					}
					b.WriteByte('\n')
					line, i = next, 0
					continue
				}
				b.WriteString(line[i : i+j])
				i += j + 1
				if i < len(line) && line[i] == '"' {
					b.WriteByte('"')
					i++
					continue
				}
				break
			}
			fields = append(fields, b.String())
			b.Reset()
			if i == len(line) {
				return fields, nil
			}
			if r, _ := utf8.DecodeRuneInString(line[i:]); r != s.delim {
				return nil, fault.New(fault.Invalid,
					"unexpected character after the closing quote of a field",
					"引用符で囲まれた項目の後に余分な文字があります").At(s.name, s.phys, column(line, i))
			}
			i += dl
			if i == len(line) {
				return append(fields, ""), nil
			}
			continue
		}
		j := strings.IndexRune(line[i:], s.delim)
		if j < 0 {
			return append(fields, line[i:]), nil
		}
		fields = append(fields, line[i:i+j])
		i += j + dl
		if i == len(line) {
			return append(fields, ""), nil
		}
	}
}

// column is the 1-based character column of byte offset i.
func column(line string, i int) int { return utf8.RuneCountInString(line[:i]) + 1 }
