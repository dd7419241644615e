package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"testing"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/dataio"
	"github.com/tokumei/tokumei/fault"
)

// readTable (byte records, interned once, columns reserved from the size)
// must build the same table as reading record by record with strings, with
// the same lines (a blank line and a multi-line field move later rows), and
// stop at a bad record far in with its line and column.
func TestReadTableSameAsRecords(t *testing.T) {
	var in bytes.Buffer
	in.WriteString("a,b\n")
	const rows = 70000 // past the point where columns are reserved
	for i := 0; i < rows; i++ {
		if i == 5000 {
			in.WriteString("\n")
		}
		if i == 9000 {
			in.WriteString("\"multi\nline\",x\n")
		}
		fmt.Fprintf(&in, "%d,v%d\n", i%97, i%13)
	}
	cr := &countingReader{r: bytes.NewReader(in.Bytes()), total: int64(in.Len())}
	got, err := readTable(cr, "in.csv", dataio.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dr, _ := dataio.NewReader(bytes.NewReader(in.Bytes()), "in.csv", dataio.Options{})
	b, _ := anon.NewTableBuilder(dr.Header(), "in.csv")
	for {
		rec, err := dr.Read()
		if err == io.EOF {
			break
		}
		b.Append(rec, int64(dr.Line()))
	}
	want := b.Build()
	if got.Rows != want.Rows || got.Rows != rows+1 {
		t.Fatalf("%d rows, want %d", got.Rows, want.Rows)
	}
	for r := int64(0); r < want.Rows; r++ {
		if !reflect.DeepEqual(got.Row(r), want.Row(r)) || got.LineOf(r) != want.LineOf(r) {
			t.Fatalf("row %d: %q line %d, want %q line %d", r, got.Row(r), got.LineOf(r), want.Row(r), want.LineOf(r))
		}
	}
	bad := append(bytes.Clone(in.Bytes()), "1,2,3\n"...)
	_, err = readTable(bytes.NewReader(bad), "in.csv", dataio.Options{}, nil)
	var fe *fault.Error
	lines := bytes.Count(bad, []byte("\n"))
	if !errors.As(err, &fe) || fe.Line != lines || fe.Column != 3 {
		t.Errorf("error %v, want one at line %d column 3", err, lines)
	}
}
