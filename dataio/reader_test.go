package dataio

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/jp"
)

func readAll(t *testing.T, r *Reader) [][]string {
	t.Helper()
	var out [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		out = append(out, rec)
	}
}

func TestOsakaCP932(t *testing.T) {
	path := datasetPath(t, "japan/osaka_2018zitensyatou.csv")
	r, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if d := r.Encoding(); d.Name != jp.CP932 || d.Confidence < 0.9 {
		t.Errorf("detected %+v, want cp932 with confidence ≥ 0.9", d)
	}
	h := r.Header()
	if len(h) != 14 || h[0] != "罪名" || h[7] != "町丁目（発生地）" {
		t.Fatalf("header %q", h)
	}
	n, fullWidth, unknownDate := 0, 0, 0
	codes := map[string]bool{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("row %d: %v", n+1, err)
		}
		n++
		if strings.ContainsAny(rec[7], "０１２３４５６７８９") {
			fullWidth++
		}
		if rec[8] == "不明" {
			unknownDate++
		}
		if rec[4] != "" { // 4 rows have no place
			codes[rec[4]] = true
		}
	}
	if n != 26990 {
		t.Errorf("read %d rows, want 26990", n)
	}
	if fullWidth != 21576 || unknownDate != 5 || len(codes) != 70 {
		t.Errorf("full-width 町丁目 %d (want 21576), 不明 dates %d (want 5), non-empty codes %d (want 70; 71 distinct with the empty one)",
			fullWidth, unknownDate, len(codes))
	}
	if r.Line() != 26991 {
		t.Errorf("last line %d, want 26991", r.Line())
	}
	for c := range codes {
		if _, err := jp.LookupLG(c); err != nil {
			t.Errorf("code %s in the Osaka file: %v", c, err)
		}
	}
}

func TestDetectAndDecode(t *testing.T) {
	text := "氏名,住所,メモ\n山田　太郎,大阪府大阪市北区梅田１丁目,～①髙\n"
	sjis, err := jp.Encode(text, jp.CP932)
	if err != nil {
		t.Fatal(err)
	}
	euc, err := jp.Encode(text, jp.EUCJP)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   []byte
		enc  string
		want string
	}{
		{"utf8", []byte(text), "", jp.UTF8},
		{"utf8 bom", append([]byte("\uFEFF"), text...), "", jp.UTF8BOM},
		{"cp932", sjis, "", jp.CP932},
		{"euc", euc, "", jp.EUCJP},
		{"explicit shift_jis", sjis, "shift_jis", jp.CP932},
		{"ascii then cp932", append([]byte("a,b,c\n1,2,3\n"+strings.Repeat("x,y,z\n", 20000)), sjisRow(t)...), "", jp.CP932},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader(tt.in), "t.csv", Options{Encoding: tt.enc})
			if err != nil {
				t.Fatal(err)
			}
			recs := readAll(t, r)
			if got := r.Encoding().Name; got != tt.want {
				t.Errorf("encoding %s, want %s", got, tt.want)
			}
			last := recs[len(recs)-1]
			if tt.name == "ascii then cp932" {
				if last[0] != "髙橋" {
					t.Errorf("last row %q", last)
				}
				return
			}
			if !reflect.DeepEqual(r.Header(), []string{"氏名", "住所", "メモ"}) ||
				!reflect.DeepEqual(last, []string{"山田　太郎", "大阪府大阪市北区梅田１丁目", "～①髙"}) {
				t.Errorf("got %q %q", r.Header(), recs)
			}
		})
	}
}

func sjisRow(t *testing.T) []byte {
	b, err := jp.Encode("髙橋,大阪,～\n", jp.CP932)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUndecodableByteIsLocated(t *testing.T) {
	good, _ := jp.Encode("名前,市\n山田,大阪市\n", jp.CP932)
	bad := append(append([]byte{}, good...), []byte("ab,c")...)
	bad = append(bad, 0x85, 0x40) // an undefined CP932 code
	bad = append(bad, "\n"...)
	r, err := NewReader(bytes.NewReader(bad), "bad.csv", Options{Encoding: "cp932"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Read(); err != nil {
		t.Fatalf("first row: %v", err)
	}
	_, err = r.Read()
	var fe *fault.Error
	if !errors.As(err, &fe) || fe.File != "bad.csv" || fe.Line != 3 || fe.Column != 5 || fe.Code != fault.Invalid {
		t.Fatalf("error %#v, want bad.csv line 3 column 5", err)
	}
	// The same bytes in a file declared UTF-8 are also refused, not replaced.
	r, err = NewReader(bytes.NewReader(good), "u.csv", Options{Encoding: "utf-8"})
	if !errors.As(err, &fe) || fe.Line != 1 || fe.Column != 1 {
		t.Fatalf("utf-8 error %v, want line 1 column 1", err)
	}
}

func TestCSVSyntax(t *testing.T) {
	in := "a,b,c\r\n" +
		"1,\"x,y\",\"he said \"\"hi\"\"\"\r\n" +
		"\r\n" +
		"2,\"multi\r\nline\",\r\n" +
		"3,4,5,,\r\n" +
		"5,q\"uote,6"
	r, err := NewReader(strings.NewReader(in), "s.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"1", "x,y", `he said "hi"`}, {"2", "multi\nline", ""}, {"3", "4", "5"}, {"5", `q"uote`, "6"}}
	lines := []int{2, 4, 6, 7}
	for i, w := range want {
		rec, err := r.Read()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(rec, w) || r.Line() != lines[i] {
			t.Errorf("record %d = %q at line %d, want %q at %d", i, rec, r.Line(), w, lines[i])
		}
	}
	if _, err := r.Read(); err != io.EOF {
		t.Errorf("want EOF, got %v", err)
	}
}

func TestCSVErrors(t *testing.T) {
	tests := []struct {
		in         string
		line, col  int
		wantInRead bool
	}{
		{"a,b\n1,2\n3\n", 3, 2, true},
		{"a,b\n1,2,3\n", 2, 3, true},
		{"a,b\n1,\"x\"y\n", 2, 6, true},
		{"a,b\n1,\"open\n\n", 2, 3, true},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		r, err := NewReader(strings.NewReader(tt.in), "e.csv", Options{})
		if err == nil {
			for err == nil {
				_, err = r.Read()
			}
		} else if tt.wantInRead {
			t.Errorf("%q: NewReader: %v", tt.in, err)
			continue
		}
		var fe *fault.Error
		if !errors.As(err, &fe) || fe.Line != tt.line || fe.Column != tt.col || fe.File != "e.csv" {
			t.Errorf("%q: error %v, want e.csv:%d:%d", tt.in, err, tt.line, tt.col)
		}
	}
}

func TestTSVAndDelimiter(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.tsv")
	os.WriteFile(p, []byte("a\tb\n1,5\t2\n"), 0o600)
	r, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	recs := readAll(t, r)
	if !reflect.DeepEqual(recs, [][]string{{"1,5", "2"}}) {
		t.Errorf("got %q", recs)
	}
	if _, err := Open(filepath.Join(dir, "missing.csv"), Options{}); fault.ErrorCode(err) != fault.NotFound {
		t.Errorf("missing file: %v", err)
	}
	if _, err := NewReader(strings.NewReader("a\n"), "x", Options{Encoding: "latin9"}); fault.ErrorCode(err) != fault.Invalid {
		t.Errorf("unknown encoding: %v", err)
	}
}

func TestUTF16WithBOM(t *testing.T) {
	text := "名前\t年齢\r\n山田\t45\r\n"
	le := []byte{0xFF, 0xFE}
	for _, r := range text {
		le = append(le, byte(r), byte(r>>8))
	}
	r, err := NewReader(bytes.NewReader(le), "u16.txt", Options{Delimiter: '\t'})
	if err != nil {
		t.Fatal(err)
	}
	recs := readAll(t, r)
	if r.Encoding().Name != jp.UTF16LE || !reflect.DeepEqual(r.Header(), []string{"名前", "年齢"}) ||
		!reflect.DeepEqual(recs, [][]string{{"山田", "45"}}) {
		t.Errorf("got %v %q %q", r.Encoding(), r.Header(), recs)
	}
}
