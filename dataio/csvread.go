package dataio

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"math/bits"
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
	phys     int   // physical lines read
	consumed int64 // bytes of the input read as lines
	raw      []byte
	text     []byte   // decoded line (encodings other than UTF-8)
	delimB   []byte   // the delimiter, UTF-8 encoded
	rec      record   // the last record parsed
	fields   [][]byte // nextBytes's result, reused
}

func newCSVSource(br *bufio.Reader, name string, o Options) (*csvSource, error) {
	s := &csvSource{name: name, br: br, delim: o.Delimiter}
	if s.delim == 0 {
		s.delim = ','
	}
	s.delimB = utf8.AppendRune(nil, s.delim)
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
func (s *csvSource) offset() int64        { return s.consumed }
func (s *csvSource) padsShortRows() bool  { return false }

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// readLine returns the next physical line, decoded to UTF-8, without its
// line end. The bytes are valid until the next call.
func (s *csvSource) readLine() ([]byte, error) {
	raw := s.raw[:0]
	for {
		chunk, err := s.br.ReadSlice('\n')
		if err == nil && len(raw) == 0 {
			raw = chunk // the whole line is in the buffer: no copy
			break
		}
		raw = append(raw, chunk...)
		s.raw = raw
		if len(raw) > maxRecordBytes {
			return nil, fault.New(fault.TooLarge, "a line is longer than 64 MiB",
				"1行が64MiBを超えています").At(s.name, s.phys+1, 0)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF && len(raw) == 0 {
			return nil, io.EOF
		}
		if err != nil && err != io.EOF {
			return nil, fault.New(fault.Invalid, "cannot read the file", "ファイルを読めません").
				At(s.name, s.phys+1, 0).Wrap(err)
		}
		break
	}
	s.phys++
	s.consumed += int64(len(raw))
	line := raw
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	if s.adaptive && !isASCII(line) {
		s.redetect(line)
	}
	if n := s.dec.Name(); (n == jp.UTF8 || n == jp.UTF8BOM) && utf8.Valid(line) {
		return line, nil // UTF-8 needs no decoding: no copy
	}
	text, err := s.dec.Decode(line)
	if err != nil {
		if fe, ok := err.(*fault.Error); ok {
			return nil, fe.At(s.name, s.phys, fe.Column)
		}
		return nil, err
	}
	s.text = append(s.text[:0], text...)
	return s.text, nil
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
	start, err := s.nextRecord()
	if err != nil {
		return nil, 0, err
	}
	text := string(s.rec.buf)
	fields := make([]string, len(s.rec.ends))
	a := 0
	for i, b := range s.rec.ends {
		fields[i] = text[a:b]
		a = b
	}
	return fields, start, nil
}

// nextBytes is next without allocating: the fields are valid until the
// next call.
func (s *csvSource) nextBytes() ([][]byte, int, error) {
	line, err := s.nextLine()
	if err != nil {
		return nil, 0, err
	}
	start := s.phys
	if f, ok := s.splitPlain(line); ok {
		return f, start, nil
	}
	if err := s.parse(line); err != nil {
		return nil, 0, err
	}
	s.fields = s.fields[:0]
	a := 0
	for _, b := range s.rec.ends {
		s.fields = append(s.fields, s.rec.buf[a:b:b])
		a = b
	}
	return s.fields, start, nil
}

// splitPlain is parse for a line without quotes, without copying: the
// fields are the line's bytes between delimiters. ok is false when the
// line has a quote.
func (s *csvSource) splitPlain(line []byte) (fields [][]byte, ok bool) {
	if len(s.delimB) == 1 {
		return s.splitByte(line, s.delimB[0])
	}
	if bytes.IndexByte(line, '"') >= 0 {
		return nil, false
	}
	f, d := s.fields[:0], s.delimB
	for {
		j := bytes.Index(line, d)
		if j < 0 {
			break
		}
		f = append(f, line[:j:j])
		line = line[j+len(d):]
	}
	s.fields = append(f, line[:len(line):len(line)])
	return s.fields, true
}

const ones, low7 = 0x0101010101010101, 0x7F7F7F7F7F7F7F7F

// zeros has the high bit of each zero byte of v set, and no other bit.
func zeros(v uint64) uint64 { return ^((v&low7 + low7) | v | low7) }

// splitByte is splitPlain for a one-byte delimiter. It tests eight bytes
// at a time for the delimiter and the quote (fields are short: a call to
// bytes.IndexByte per field costs more than the search).
func (s *csvSource) splitByte(line []byte, delim byte) (fields [][]byte, ok bool) {
	dw, qw := uint64(delim)*ones, uint64('"')*ones
	f, a, i := s.fields[:0], 0, 0
	for ; i+8 <= len(line); i += 8 {
		w := binary.LittleEndian.Uint64(line[i:])
		if zeros(w^qw) != 0 {
			return nil, false
		}
		for m := zeros(w ^ dw); m != 0; m &= m - 1 {
			j := i + bits.TrailingZeros64(m)/8
			f = append(f, line[a:j:j])
			a = j + 1
		}
	}
	for ; i < len(line); i++ {
		switch line[i] {
		case delim:
			f = append(f, line[a:i:i])
			a = i + 1
		case '"':
			return nil, false
		}
	}
	s.fields = append(f, line[a:len(line):len(line)])
	return s.fields, true
}

// nextRecord parses the next non-blank record into s.rec and returns the
// line it starts on.
func (s *csvSource) nextRecord() (int, error) {
	line, err := s.nextLine()
	if err != nil {
		return 0, err
	}
	start := s.phys // parse may read more lines
	return start, s.parse(line)
}

// nextLine returns the next non-blank line.
func (s *csvSource) nextLine() ([]byte, error) {
	for {
		line, err := s.readLine()
		if err != nil || len(line) > 0 {
			return line, err
		}
	}
}

// record is one parsed record: field i is buf[ends[i-1]:ends[i]].
type record struct {
	buf  []byte
	ends []int
}

func (r *record) end() { r.ends = append(r.ends, len(r.buf)) }

// parse splits one record (RFC 4180: fields may be quoted with ", a quote
// inside is doubled, a quoted field may span lines) into s.rec. A quote
// inside an unquoted field is kept as is.
func (s *csvSource) parse(line []byte) error {
	rec := &s.rec
	rec.buf, rec.ends = rec.buf[:0], rec.ends[:0]
	i := 0
	for {
		if i < len(line) && line[i] == '"' {
			startLine, startCol := s.phys, column(line, i)
			i++
			for {
				j := bytes.IndexByte(line[i:], '"')
				if j < 0 {
					rec.buf = append(rec.buf, line[i:]...)
					if len(rec.buf) > maxRecordBytes {
						return fault.New(fault.TooLarge, "a field is longer than 64 MiB",
							"項目が64MiBを超えています").At(s.name, startLine, startCol)
					}
					next, err := s.readLine()
					if err == io.EOF {
						return fault.New(fault.Invalid,
							"a quoted field is not closed (missing \")",
							"引用符（\"）で始まる項目が閉じられていません").At(s.name, startLine, startCol)
					}
					if err != nil {
						return err
					}
					rec.buf = append(rec.buf, '\n')
					line, i = next, 0
					continue
				}
				rec.buf = append(rec.buf, line[i:i+j]...)
				i += j + 1
				if i < len(line) && line[i] == '"' {
					rec.buf = append(rec.buf, '"')
					i++
					continue
				}
				break
			}
			rec.end()
			if i == len(line) {
				return nil
			}
			if !bytes.HasPrefix(line[i:], s.delimB) {
				return fault.New(fault.Invalid,
					"unexpected character after the closing quote of a field",
					"引用符で囲まれた項目の後に余分な文字があります").At(s.name, s.phys, column(line, i))
			}
			i += len(s.delimB)
			if i == len(line) {
				rec.end()
				return nil
			}
			continue
		}
		var j int
		if len(s.delimB) == 1 {
			j = bytes.IndexByte(line[i:], s.delimB[0])
		} else {
			j = bytes.Index(line[i:], s.delimB)
		}
		if j < 0 {
			rec.buf = append(rec.buf, line[i:]...)
			rec.end()
			return nil
		}
		rec.buf = append(rec.buf, line[i:i+j]...)
		rec.end()
		i += j + len(s.delimB)
		if i == len(line) {
			rec.end()
			return nil
		}
	}
}

// column is the 1-based character column of byte offset i.
func column(line []byte, i int) int { return utf8.RuneCount(line[:i]) + 1 }
