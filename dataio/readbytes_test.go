package dataio

import (
	"bytes"
	"io"
	"math/rand"
	"reflect"
	"testing"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/jp"
)

// TestReadBytesMatchesRead reads the same inputs with Read and ReadBytes:
// the records, their lines and the errors (file, line, column) must agree.
func TestReadBytesMatchesRead(t *testing.T) {
	sj, _ := jp.Encode("氏名,住所\r\n山田,\"大阪市\r\n北区\"\r\n鈴木,堺市\r\n", jp.CP932)
	cases := []struct {
		name, in, enc string
		delim         rune
		want          [][]string // records expected (nil: only compare)
	}{
		{"plain", "a,b\n1,2\n3,4\n", "", 0, [][]string{{"1", "2"}, {"3", "4"}}},
		{"quoted, doubled quote, empty", "a,b,c\n\"x,y\",\"he said \"\"hi\"\"\",\n", "", 0,
			[][]string{{"x,y", `he said "hi"`, ""}}},
		{"multi-line field", "a,b\n\"line1\nline2\",z\n9,9\n", "", 0, [][]string{{"line1\nline2", "z"}, {"9", "9"}}},
		{"blank lines and CRLF", "a,b\r\n\r\n1,2\r\n\r\n3,\r\n", "", 0, [][]string{{"1", "2"}, {"3", ""}}},
		{"trailing empty fields trimmed", "a,b\n1,2,,\n", "", 0, [][]string{{"1", "2"}}},
		{"empty fields at both ends", "a,b,c\n,x,\n,,\n", "", 0, [][]string{{"", "x", ""}, {"", "", ""}}},
		{"multi-byte delimiter, empty fields", "a、b、c\n、北区、\n", "utf-8", '、', [][]string{{"", "北区", ""}}},
		{"BOM and Japanese", "\xef\xbb\xbf名前,年齢\n山田,30\n", "", 0, [][]string{{"山田", "30"}}},
		{"multi-byte delimiter", "a、b\n大阪、北区\n", "utf-8", '、', [][]string{{"大阪", "北区"}}},
		{"CP932", string(sj), "cp932", 0, [][]string{{"山田", "大阪市\n北区"}, {"鈴木", "堺市"}}},
		{"too many fields", "a,b\n1,2\n1,2,3\n", "", 0, nil},
		{"too few fields", "a,b\n1\n", "", 0, nil},
		{"unclosed quote", "a,b\n1,\"open\n", "", 0, nil},
		{"junk after quote", "a,b\n\"x\"y,2\n", "", 0, nil},
		{"invalid UTF-8", "a,b\n1,\xff\n", "utf-8", 0, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := Options{Encoding: c.enc, Delimiter: c.delim}
			strs, serr := readAllWith(t, c.in, o, false)
			byts, berr := readAllWith(t, c.in, o, true)
			if !reflect.DeepEqual(strs, byts) {
				t.Errorf("Read %q, ReadBytes %q", strs, byts)
			}
			if c.want != nil && !reflect.DeepEqual(strs, c.want) {
				t.Errorf("records %q, want %q", strs, c.want)
			}
			if (serr == nil) != (berr == nil) {
				t.Fatalf("errors differ: %v / %v", serr, berr)
			}
			if c.want == nil && serr == nil {
				t.Fatal("want an error")
			}
			if serr != nil {
				fs, fb := serr.(*fault.Error), berr.(*fault.Error)
				if fs.Line != fb.Line || fs.Column != fb.Column || fs.File != fb.File || fs.Error() != fb.Error() {
					t.Errorf("errors differ: %v at %d:%d / %v at %d:%d", fs, fs.Line, fs.Column, fb, fb.Line, fb.Column)
				}
			}
		})
	}
}

func readAllWith(t *testing.T, in string, o Options, useBytes bool) ([][]string, error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader([]byte(in)), "f.csv", o)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for {
		var rec []string
		if useBytes {
			b, err := r.ReadBytes()
			if err == io.EOF {
				return out, nil
			}
			if err != nil {
				return out, err
			}
			for _, f := range b {
				rec = append(rec, string(f))
			}
		} else {
			rec, err = r.Read()
			if err == io.EOF {
				return out, nil
			}
			if err != nil {
				return out, err
			}
		}
		out = append(out, rec)
	}
}

// Offset counts the input bytes of the records read (line ends, blank
// lines and multi-line fields included; a byte-order mark not).
func TestOffset(t *testing.T) {
	sj, _ := jp.Encode("氏名,住所\r\n山田,\"大阪市\r\n北区\"\r\n", jp.CP932)
	for _, c := range []struct {
		name, in, enc string
		bom           int
	}{
		{"plain", "a,b\n1,2\n\n3,4", "", 0},
		{"BOM, CRLF, multi-line", "\xef\xbb\xbfa,b\r\n\"x\r\ny\",2\r\n", "", 3},
		{"CP932", string(sj), "cp932", 0},
	} {
		r, err := NewReader(bytes.NewReader([]byte(c.in)), "f.csv", Options{Encoding: c.enc})
		if err != nil {
			t.Fatal(err)
		}
		prev := r.Offset()
		for {
			_, err := r.ReadBytes()
			if err == io.EOF {
				break
			}
			if r.Offset() <= prev {
				t.Errorf("%s: offset %d after %d", c.name, r.Offset(), prev)
			}
			prev = r.Offset()
		}
		if got, want := r.Offset(), int64(len(c.in)-c.bom); got != want {
			t.Errorf("%s: offset %d at the end, want %d", c.name, got, want)
		}
	}
}

// splitByte (eight bytes at a time) must split as bytes.Split and refuse
// any line with a quote, wherever the delimiters and quotes fall in the
// eight-byte words.
func TestSplitByteSameAsSplit(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	s := &csvSource{delimB: []byte{';'}}
	for n := 0; n < 20000; n++ {
		line := make([]byte, rng.Intn(40))
		for i := range line {
			switch r := rng.Intn(20); {
			case r < 5:
				line[i] = ';'
			case r == 5 && n%4 == 0:
				line[i] = '"'
			case r == 6:
				line[i] = 0x80 | byte(rng.Intn(64)) // high bytes: no false matches
			default:
				line[i] = 'a' + byte(rng.Intn(26))
			}
		}
		got, ok := s.splitPlain(line)
		if quote := bytes.IndexByte(line, '"') >= 0; ok == quote {
			t.Fatalf("%q: ok %v with a quote %v", line, ok, quote)
		}
		if want := bytes.Split(line, []byte{';'}); ok && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: fields %q, want %q", line, got, want)
		}
	}
}
