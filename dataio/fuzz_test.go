package dataio

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/jp"
)

// FuzzReadCSV feeds arbitrary bytes to the reader: it must not panic, and
// every error must be a located *fault.Error.
func FuzzReadCSV(f *testing.F) {
	sj, _ := jp.Encode("氏名,住所\r\n山田,\"大阪市\r\n北区\"\r\n", jp.CP932)
	for _, s := range []string{"a,b\n1,2\n", "a\n\"x\"\"y\"\n", "a,b\n1,\"open\n", "\xef\xbb\xbfa\n1\n",
		"a,b\n1,2,3\n", "\xff\xfea\x00\n\x00", "PK\x03\x04", string(sj)} {
		f.Add([]byte(s), "")
	}
	f.Add(sj, "cp932")
	f.Add(sj, "euc-jp")
	f.Fuzz(func(t *testing.T, b []byte, enc string) {
		if _, err := jp.CanonicalEncoding(enc); err != nil {
			return
		}
		r, err := NewReader(bytes.NewReader(b), "f.csv", Options{Encoding: enc})
		for err == nil {
			var rec []string
			rec, err = r.Read()
			if err == nil && len(rec) != len(r.Header()) {
				t.Fatalf("record of %d fields, header of %d", len(rec), len(r.Header()))
			}
		}
		if err == io.EOF {
			return
		}
		var fe *fault.Error
		if !errors.As(err, &fe) || fe.File != "f.csv" {
			t.Fatalf("error without location: %v", err)
		}
	})
}

// FuzzCSVRoundTrip writes a small table in UTF-8 and CP932 and reads it back.
func FuzzCSVRoundTrip(f *testing.F) {
	f.Add("名前", "住所", "山田,太郎", "大阪市\n北区", byte(','))
	f.Add("a", "", "\"q\"", " x ", byte('\t'))
	f.Add("", "b", "～−①", "", byte(';'))
	f.Fuzz(func(t *testing.T, h1, h2, v1, v2 string, delim byte) {
		d := rune(delim)
		if d == 0 || d == '"' || d == '\r' || d == '\n' || d >= 0x80 {
			return
		}
		rows := [][]string{{h1, h2}, {v1, v2}}
		for _, r := range rows {
			for _, c := range r {
				if !utf8.ValidString(c) {
					return
				}
			}
		}
		if strings.HasPrefix(h1, "\uFEFF") || (h1 == "" && h2 == "") || (v1 == "" && v2 == "") {
			return // a leading BOM is stripped; an all-empty row is a blank line
		}
		for _, enc := range []string{"utf-8", "cp932"} {
			var buf bytes.Buffer
			w, err := NewWriter(&buf, WriteOptions{Encoding: enc, Delimiter: d})
			if err != nil {
				t.Fatal(err)
			}
			failed := false
			for _, r := range rows {
				if err := w.Write(r); err != nil {
					var fe *fault.Error
					if enc != "cp932" || !errors.As(err, &fe) || fe.Line < 1 || fe.Column < 1 {
						t.Fatalf("%s: write error %v", enc, err)
					}
					failed = true
					break
				}
			}
			if failed {
				continue
			}
			if err := w.Commit(); err != nil {
				t.Fatal(err)
			}
			r, err := NewReader(bytes.NewReader(buf.Bytes()), "rt.csv", Options{Encoding: enc, Delimiter: d})
			if err != nil {
				t.Fatalf("%s: %v\n%q", enc, err, buf.Bytes())
			}
			rec, err := r.Read()
			if err != nil {
				t.Fatalf("%s: %v\n%q", enc, err, buf.Bytes())
			}
			got := [][]string{r.Header(), rec}
			want := make([][]string, 2)
			for i, row := range rows {
				for _, c := range row {
					c = strings.ReplaceAll(c, "\r\n", "\n")
					if enc == "cp932" {
						c = cp932Canon(c)
					}
					want[i] = append(want[i], c)
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: got %q, want %q", enc, got, want)
			}
		}
	})
}

// cp932Canon is what a CP932 round trip makes of a string.
func cp932Canon(s string) string {
	b, err := jp.Encode(s, jp.CP932)
	if err != nil {
		return s
	}
	d, _ := jp.NewDecoder(jp.CP932)
	out, _ := d.Decode(b)
	return out
}
