package dataio

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/jp"
	"github.com/xuri/excelize/v2"
)

var table = [][]string{
	{"全国地方公共団体コード", "氏名", "メモ", "数"},
	{"011002", "山田　太郎", "a,b \"q\"", "001"},
	{"131016", "ｶﾀｶﾅ", "改行\nあり", " 7"},
	{"271004", "〜−¢", "", "=1+2"},
}

func writeFile(t *testing.T, path string, o WriteOptions, rows [][]string) {
	t.Helper()
	w, err := Create(path, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("%s exists before Commit", path)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestRoundTrips(t *testing.T) {
	dir := t.TempDir()
	// CP932 holds 〜−¢ only in their Microsoft forms: they come back folded.
	cp := append([][]string(nil), table...)
	cp[3] = []string{"271004", "～－￠", "", "=1+2"}
	tests := []struct {
		file string
		o    WriteOptions
		want [][]string
		enc  string
	}{
		{"u.csv", WriteOptions{}, table, jp.UTF8},
		{"b.csv", WriteOptions{Encoding: "utf-8-bom"}, table, jp.UTF8BOM},
		{"s.csv", WriteOptions{Encoding: "cp932"}, cp, jp.CP932},
		{"t.tsv", WriteOptions{}, table, jp.UTF8},
		{"x.xlsx", WriteOptions{Sheet: "データ"}, table, "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p := filepath.Join(dir, tt.file)
			writeFile(t, p, tt.o, table)
			r, err := Open(p, Options{Sheet: tt.o.Sheet})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			got := append([][]string{r.Header()}, readAll(t, r)...)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("round trip\n got %q\nwant %q", got, tt.want)
			}
			if r.Encoding().Name != tt.enc {
				t.Errorf("encoding %v, want %s", r.Encoding(), tt.enc)
			}
			fi, _ := os.Stat(p)
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600", fi.Mode())
			}
		})
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != len(tests) {
		t.Errorf("temporary files left: %d entries", len(ents))
	}
}

func TestXLSXStreamAndSheets(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, WriteOptions{Format: "xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range table {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(bytes.NewReader(buf.Bytes()), "mem.xlsx", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, r); len(got) != 3 || got[0][0] != "011002" || r.Line() != 4 {
		t.Errorf("got %q, line %d", got, r.Line())
	}
	if _, err := NewReader(bytes.NewReader(buf.Bytes()), "mem.xlsx", Options{Sheet: "無い"}); fault.ErrorCode(err) != fault.NotFound {
		t.Errorf("missing sheet: %v", err)
	}
}

func TestCP932WriteErrorNamesRow(t *testing.T) {
	p := filepath.Join(t.TempDir(), "o.csv")
	w, err := Create(p, WriteOptions{Encoding: "cp932"})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]string{"id", "氏名"})
	w.Write([]string{"1", "髙橋"})
	err = w.Write([]string{"2", "𠮷野"}) // 𠮷 (U+20BB7) is not in CP932
	var fe *fault.Error
	if !errors.As(err, &fe) || fe.Line != 3 || fe.Column != 2 || fe.Field != "氏名" || fe.Code != fault.Invalid {
		t.Fatalf("error %#v, want row 3 column 2 氏名", err)
	}
	if want := "o.csv:3:2: 氏名: row 3: character U+20BB7 cannot be written in cp932"; fe.Error() != want {
		t.Errorf("message %q, want %q", fe.Error(), want)
	}
	w.Abort()
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Error("aborted output exists")
	}
	ents, _ := os.ReadDir(filepath.Dir(p))
	if len(ents) != 0 {
		t.Errorf("temporary file left after Abort: %v", ents)
	}
}

// TestXLSXDatesAsJapaneseExcelShowsThem writes date cells with the usual
// built-in formats and expects text that jp.ParseDate reads back.
func TestXLSXDatesAsJapaneseExcelShowsThem(t *testing.T) {
	f := excelize.NewFile()
	d := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	f.SetCellValue("Sheet1", "A1", "日付")
	want := []string{"2024/4/1", "2024/4/1 00:00", "R6.4.1", "令和6年4月1日"}
	for i, id := range []int{14, 22, 57, 58} {
		c, _ := excelize.CoordinatesToCellName(1, i+2)
		f.SetCellValue("Sheet1", c, d)
		st, _ := f.NewStyle(&excelize.Style{NumFmt: id})
		f.SetCellStyle("Sheet1", c, c, st)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(bytes.NewReader(buf.Bytes()), "dates.xlsx", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, rec := range readAll(t, r) {
		if rec[0] != want[i] {
			t.Errorf("row %d: %q, want %q", i+2, rec[0], want[i])
		}
		if got, err := jp.ParseDate(rec[0], jp.DateOptions{}); err != nil || !got.Equal(d) {
			t.Errorf("row %d: %q parses to %v, %v", i+2, rec[0], got, err)
		}
	}
}
