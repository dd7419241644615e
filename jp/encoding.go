package jp

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/tokumei/tokumei/fault"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding names, as used in specs and options.
const (
	UTF8    = "utf-8"     // UTF-8 without BOM (a leading BOM is still skipped on input)
	UTF8BOM = "utf-8-bom" // UTF-8 with a BOM (what Excel writes and expects)
	CP932   = "cp932"     // Windows-31J, Microsoft's Shift_JIS (NEC and IBM extensions)
	EUCJP   = "euc-jp"    // EUC-JP (old Unix systems)
	UTF16LE = "utf-16le"  // UTF-16 little-endian with BOM (Excel "Unicode text"); input only
	UTF16BE = "utf-16be"  // UTF-16 big-endian with BOM; input only
)

// Detection is the outcome of encoding detection: the encoding name and the
// confidence in it, from 0 (a guess) to 1 (certain, e.g. from a BOM).
type Detection struct {
	Name       string
	Confidence float64
}

// CanonicalEncoding maps an encoding name and its usual aliases (sjis,
// shift_jis, windows-31j, ms932, utf8, eucjp …) to one of the constants above.
// "shift_jis" means CP932: files called Shift_JIS are in practice written by
// Windows and use its extensions (①, ㈱, 髙). "auto" and "" give "auto".
func CanonicalEncoding(name string) (string, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.NewReplacer("_", "-", " ", "-").Replace(n)
	switch n {
	case "", "auto":
		return "auto", nil
	case "utf-8", "utf8":
		return UTF8, nil
	case "utf-8-bom", "utf8-bom", "utf-8-sig", "utf-8bom":
		return UTF8BOM, nil
	case "cp932", "shift-jis", "sjis", "shiftjis", "windows-31j", "ms932", "ms-kanji", "x-sjis", "csshiftjis":
		return CP932, nil
	case "euc-jp", "eucjp", "x-euc-jp", "ujis":
		return EUCJP, nil
	case "utf-16le", "utf-16", "utf16", "utf16le":
		return UTF16LE, nil
	case "utf-16be", "utf16be":
		return UTF16BE, nil
	}
	return "", fault.New(fault.Invalid,
		"unknown encoding "+quoteShort(name)+" (use auto, utf-8, utf-8-bom, cp932, shift_jis or euc-jp)",
		"不明な文字コード "+quoteShort(name)+" です（auto, utf-8, utf-8-bom, cp932, shift_jis, euc-jp のいずれか）")
}

func quoteShort(s string) string {
	if utf8.RuneCountInString(s) > 20 {
		s = string([]rune(s)[:20]) + "…"
	}
	return "\"" + s + "\""
}

// Decoder turns text in one encoding into UTF-8, reporting the position of
// the first byte it cannot decode instead of replacing it. It is meant to be
// fed one line (or a run of whole lines) at a time; UTF-16 is not line-safe
// and is decoded by callers as a stream.
type Decoder struct {
	name string
	t    transform.Transformer // nil for UTF-8
	buf  []byte
}

// NewDecoder returns a decoder for a canonical or alias encoding name.
func NewDecoder(name string) (*Decoder, error) {
	n, err := CanonicalEncoding(name)
	if err != nil {
		return nil, err
	}
	d := &Decoder{name: n}
	switch n {
	case CP932:
		d.t = japanese.ShiftJIS.NewDecoder()
	case EUCJP:
		d.t = japanese.EUCJP.NewDecoder()
	case UTF8, UTF8BOM:
	default:
		return nil, fault.Errorf(fault.Invalid, "encoding %s cannot be decoded line by line", n)
	}
	return d, nil
}

// Name returns the canonical encoding name.
func (d *Decoder) Name() string { return d.name }

// Decode decodes src. On an undecodable byte it returns a fault.Invalid error
// whose Line (counting '\n' in src, from 1) and Column (characters, from 1)
// locate it, and the text decoded before that line. The returned string does
// not alias src.
func (d *Decoder) Decode(src []byte) (string, error) {
	if d.t == nil {
		if utf8.Valid(src) {
			return string(src), nil
		}
		i := invalidUTF8At(src)
		line, col := position(src[:i])
		return "", undecodable(d.name, line, col, src[i])
	}
	var out []byte
	var err error
	if d.name == CP932 && hasUDA(src) {
		out, err = d.decodeCP932UDA(src)
	} else {
		out, err = d.transform(src)
	}
	if err != nil {
		return "", fault.Errorf(fault.Invalid, "cannot decode %s text", d.name).Wrap(err)
	}
	if i := badLegacyRune(out); i >= 0 {
		line, col := position(out[:i])
		return "", undecodable(d.name, line, col, offendingByte(src, line))
	}
	return string(out), nil
}

func (d *Decoder) transform(src []byte) ([]byte, error) {
	d.t.Reset()
	if cap(d.buf) < 2*len(src)+16 {
		d.buf = make([]byte, 2*len(src)+16)
	}
	d.buf = d.buf[:cap(d.buf)]
	for {
		n, _, err := d.t.Transform(d.buf, src, true)
		if err == transform.ErrShortDst {
			d.buf = make([]byte, 2*len(d.buf))
			d.t.Reset()
			continue
		}
		return d.buf[:n], err
	}
}

// badLegacyRune finds U+FFFD (the x/text decoders' mark for an undecodable
// byte) or a C1 control (CP932 0x80 decodes to U+0080 but is undefined).
func badLegacyRune(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError || (r >= 0x80 && r <= 0x9f) {
			return i
		}
		i += n
	}
	return -1
}

// offendingByte returns the first non-ASCII byte of the given line of src,
// only to describe the fault (never a data character).
func offendingByte(src []byte, line int) byte {
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(src, '\n')
		if i < 0 {
			break
		}
		src = src[i+1:]
	}
	for _, c := range src {
		if c >= 0x80 {
			return c
		}
	}
	return 0
}

func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// position returns the 1-based line and character column just after b.
func position(b []byte) (line, col int) {
	line = 1 + bytes.Count(b, []byte{'\n'})
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		b = b[i+1:]
	}
	return line, utf8.RuneCount(b) + 1
}

func undecodable(enc string, line, col int, b byte) *fault.Error {
	e := fault.New(fault.Invalid,
		"byte 0x"+hex2(b)+" cannot be decoded as "+enc+" (wrong encoding, or a damaged file)",
		"バイト 0x"+hex2(b)+" は "+enc+" として読めません（文字コードの指定違いか、ファイルの破損）")
	e.Line, e.Column = line, col
	return e
}

func hex2(b byte) string {
	const h = "0123456789ABCDEF"
	return string([]byte{h[b>>4], h[b&15]})
}

// cp932Fold maps the JIS/Unicode-standard forms of the characters whose
// CP932 mapping differs between tables (the "wave dash problem") to the
// Microsoft forms that CP932 bytes decode to, so both spellings encode to the
// same bytes: 〜→～ (0x8160), −→－ (0x817C), ‖→∥ (0x8161), ¢→￠ (0x8191),
// £→￡ (0x8192), ¬→￢ (0x81CA), —→― (0x815C), ¥→\ (0x5C), ‾→~ (0x7E).
var cp932Fold = strings.NewReplacer(
	"\u301C", "\uFF5E", "\u2212", "\uFF0D", "\u2016", "\u2225",
	"\u00A2", "\uFFE0", "\u00A3", "\uFFE1", "\u00AC", "\uFFE2",
	"\u2014", "\u2015", "\u00A5", "\\", "\u203E", "~",
)

// Encode encodes UTF-8 text in the named encoding (utf-8, utf-8-bom, cp932,
// euc-jp; the BOM itself is the caller's business). A character the encoding
// cannot hold gives a fault.Invalid error whose Column is its character
// position (from 1); nothing is replaced. For many strings, use an Encoder.
func Encode(s, name string) ([]byte, error) {
	e, err := NewEncoder(name)
	if err != nil {
		return nil, err
	}
	b, err := e.Encode(s)
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), b...), nil
}

// Encoder encodes strings into one encoding, reusing its buffers.
type Encoder struct {
	name string
	enc  encoding.Encoding // nil for UTF-8
	t    transform.Transformer
	buf  []byte
}

// NewEncoder returns an encoder for utf-8, utf-8-bom, cp932 (shift_jis) or
// euc-jp.
func NewEncoder(name string) (*Encoder, error) {
	n, err := CanonicalEncoding(name)
	if err != nil {
		return nil, err
	}
	e := &Encoder{name: n}
	switch n {
	case UTF8, UTF8BOM:
	case CP932:
		e.enc = japanese.ShiftJIS
	case EUCJP:
		e.enc = japanese.EUCJP
	default:
		return nil, fault.Errorf(fault.Invalid, "cannot write %s", n)
	}
	if e.enc != nil {
		e.t = e.enc.NewEncoder()
	}
	return e, nil
}

// Encode encodes s; the result is valid until the next call.
func (e *Encoder) Encode(s string) ([]byte, error) {
	if e.enc == nil {
		if !utf8.ValidString(s) {
			return nil, fault.New(fault.Invalid, "text is not valid UTF-8", "テキストが正しいUTF-8ではありません")
		}
		e.buf = append(e.buf[:0], s...)
		return e.buf, nil
	}
	if isASCIIString(s) {
		e.buf = append(e.buf[:0], s...)
		return e.buf, nil
	}
	s = cp932Fold.Replace(s)
	if e.name == CP932 && hasPUA(s) {
		return e.encodeUDA(s)
	}
	if need := 2*len(s) + 16; cap(e.buf) < need {
		e.buf = make([]byte, need)
	}
	e.t.Reset()
	n, _, err := e.t.Transform(e.buf[:cap(e.buf)], []byte(s), true)
	if err == nil {
		return e.buf[:n], nil
	}
	col := 1
	probe := e.enc.NewEncoder()
	for _, r := range s {
		if _, err := probe.String(string(r)); err != nil {
			f := fault.New(fault.Invalid,
				"character "+runeCode(r)+" cannot be written in "+e.name,
				"文字 "+runeCode(r)+" は "+e.name+" で表せません")
			f.Column = col
			return nil, f
		}
		col++
	}
	return nil, fault.Errorf(fault.Invalid, "cannot encode text as %s", e.name).Wrap(err)
}

func runeCode(r rune) string {
	const h = "0123456789ABCDEF"
	b := []byte("U+")
	digits := 4
	if r > 0xFFFF {
		digits = 5
	}
	if r > 0xFFFFF {
		digits = 6
	}
	for i := digits - 1; i >= 0; i-- {
		b = append(b, h[(r>>(4*uint(i)))&15])
	}
	return string(b)
}

// NewUTF16Decoder is used by dataio for UTF-16 input: it returns the
// transformer decoding UTF-16 with BOM (little- or big-endian) to UTF-8.
func NewUTF16Decoder(name string) transform.Transformer {
	if name == UTF16BE {
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
	}
	return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func hasPUA(s string) bool {
	for _, r := range s {
		if r >= udaPUAStart && r <= udaPUAEnd {
			return true
		}
	}
	return false
}

// encodeUDA encodes text holding user-defined characters (PUA U+E000–U+E757)
// to CP932, character by character.
func (e *Encoder) encodeUDA(s string) ([]byte, error) {
	var out []byte
	probe := e.enc.NewEncoder()
	col := 1
	for _, r := range s {
		if lead, trail, ok := udaBytes(r); ok {
			out = append(out, lead, trail)
		} else if b, err := probe.Bytes([]byte(string(r))); err == nil {
			out = append(out, b...)
		} else {
			f := fault.New(fault.Invalid,
				"character "+runeCode(r)+" cannot be written in "+e.name,
				"文字 "+runeCode(r)+" は "+e.name+" で表せません")
			f.Column = col
			return nil, f
		}
		col++
	}
	e.buf = append(e.buf[:0], out...)
	return e.buf, nil
}
