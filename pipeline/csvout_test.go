package pipeline

import (
	"bytes"
	"testing"

	"github.com/tokumei/tokumei/anon"
)

// The code writer (values encoded once per column, quasi-identifier runs
// once per class unless there are too many classes) must write the same
// bytes as Write (each field quoted
// as needed), across several flushes.
func TestCSVOutCodesSameAsRows(t *testing.T) {
	cols := []anon.OutputColumn{
		{Name: "a", Values: []string{"plain", "with,comma", `say "hi"`, " lead", "trail\t", "", "two\nlines", "*"}},
		{Name: "b", Values: []string{"x", "大阪市;北区", "y\r"}},
		{Name: "c", Values: []string{"1", "2", "*"}},
		{Name: "d", Values: []string{"p", "q"}},
	}
	quasi := []bool{true, false, true, true}
	// Class of a row: its codes in the quasi-identifier columns a, c, d.
	class := func(r []uint32) int { return int(r[0])*6 + int(r[2])*2 + int(r[3]) }
	var rows [][]uint32
	for i := 0; i < 40000; i++ { // several MB: several flushes
		rows = append(rows, []uint32{uint32(i % 8), uint32(i % 3), uint32(i / 7 % 3), uint32(i / 5 % 2)})
	}
	for i, delim := range []rune{',', ';', '\t', ','} {
		var byRow, byCode bytes.Buffer
		wr, _ := newCSVOut("", &byRow, delim, true)
		wc, _ := newCSVOut("", &byCode, delim, true)
		classes := 8 * 6
		if i == 3 {
			classes = len(rows) / 2 // classes of two rows on average: no cache
		}
		cw := wc.codeWriter(cols, quasi, classes, int64(len(rows)))
		if (cw.cache == nil) != (i == 3) {
			t.Fatalf("%d classes: cache %v", classes, cw.cache != nil)
		}
		for _, r := range rows {
			row := make([]string, len(r))
			for k, c := range r {
				row[k] = cols[k].Values[c]
			}
			wr.Write(row)
			cw.write(class(r), r)
		}
		wr.Commit()
		wc.Commit()
		if !bytes.Equal(byRow.Bytes(), byCode.Bytes()) {
			t.Errorf("delimiter %q: rows and codes differ (%d / %d bytes)", delim, byRow.Len(), byCode.Len())
		}
		if !bytes.Contains(byRow.Bytes(), []byte(`"say ""hi"""`)) || !bytes.HasPrefix(byRow.Bytes(), []byte("\uFEFF")) {
			t.Errorf("delimiter %q: quotes not doubled or no BOM: %q", delim, byRow.String()[:200])
		}
	}
}
