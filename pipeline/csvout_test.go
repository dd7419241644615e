package pipeline

import (
	"bytes"
	"testing"

	"github.com/tokumei/tokumei/anon"
)

// writeCodes (values encoded once per column) must write the same bytes as
// Write (each field quoted as needed).
func TestCSVOutCodesSameAsRows(t *testing.T) {
	cols := []anon.OutputColumn{
		{Name: "a", Values: []string{"plain", "with,comma", `say "hi"`, " lead", "trail\t", "", "two\nlines", "*"}},
		{Name: "b", Values: []string{"x", "大阪市;北区", "y\r"}},
	}
	rows := [][]uint32{{0, 0}, {1, 1}, {2, 2}, {3, 0}, {4, 1}, {5, 2}, {6, 0}, {7, 1}}
	for _, delim := range []rune{',', ';', '\t'} {
		var byRow, byCode bytes.Buffer
		wr, _ := newCSVOut("", &byRow, delim, false)
		wc, _ := newCSVOut("", &byCode, delim, false)
		enc := wc.encodeColumns(cols)
		for _, r := range rows {
			wr.Write([]string{cols[0].Values[r[0]], cols[1].Values[r[1]]})
			wc.writeCodes(enc, r)
		}
		wr.Commit()
		wc.Commit()
		if byRow.String() != byCode.String() {
			t.Errorf("delimiter %q:\nrows  %q\ncodes %q", delim, byRow.String(), byCode.String())
		}
		if !bytes.Contains(byRow.Bytes(), []byte(`"say ""hi"""`)) {
			t.Errorf("delimiter %q: quotes not doubled: %q", delim, byRow.String())
		}
	}
}
