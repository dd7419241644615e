package anon

import (
	"math/rand"
	"reflect"
	"strconv"
	"testing"
)

// AppendBytes (short and medium values through packed indexes, long ones
// through their hash index) must encode exactly as Append: same dictionaries, same codes.
func TestAppendBytesSameAsAppend(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	// Short (≤ 7 bytes), medium (8–16: "abcdefgh" and "abcdefghabcdefgh"
	// have the same first and last eight bytes) and long values.
	values := []string{"", "0", "00", "a", "a\x00", "1234567", "12345678", "大阪", "有配偶", "\x00", "\x00\x00",
		"abcdefgh", "abcdefghabcdefgh", "abcdefghbcdefgh", "\x00\x00\x00\x00\x00\x00\x00\x00"}
	for i := 0; i < 3000; i++ { // grow the indexes several times
		values = append(values, strconv.Itoa(rng.Intn(5000)), "v"+strconv.Itoa(i)+"-long-value", "v"+strconv.Itoa(i)+"-a-much-longer-value")
	}
	var rows [][]string
	for i := 0; i < 20000; i++ {
		rows = append(rows, []string{values[rng.Intn(len(values))], values[rng.Intn(15)]})
	}
	a, _ := NewTableBuilder([]string{"x", "y"}, "f")
	b, _ := NewTableBuilder([]string{"x", "y"}, "f")
	for i, r := range rows {
		a.Append(r, int64(i+2))
		b.AppendBytes([][]byte{[]byte(r[0]), []byte(r[1])}, int64(i+2))
	}
	ta, tb := a.Build(), b.Build()
	for c := range ta.Columns {
		if !reflect.DeepEqual(ta.Columns[c].Dict, tb.Columns[c].Dict) || !reflect.DeepEqual(ta.Columns[c].Codes, tb.Columns[c].Codes) {
			t.Fatalf("column %d differs", c)
		}
	}
	for r := int64(0); r < ta.Rows; r++ {
		if !reflect.DeepEqual(tb.Row(r), rows[r]) {
			t.Fatalf("row %d: %q, want %q", r, tb.Row(r), rows[r])
		}
	}
	if ta.Lines != nil || tb.Lines != nil {
		t.Error("a line table for rows all on line row+2")
	}
}

// The line table appears once a row is not on line row+2, and LineOf gives
// every row's line before and after.
func TestLinesOnlyWhenNeeded(t *testing.T) {
	b, _ := NewTableBuilder([]string{"x"}, "f")
	lines := []int64{2, 3, 4, 6, 7, 10}
	for _, l := range lines {
		b.AppendBytes([][]byte{[]byte("v")}, l)
	}
	tab := b.Build()
	if tab.Lines == nil {
		t.Fatal("no line table after a blank line")
	}
	for r, l := range lines {
		if got := tab.LineOf(int64(r)); got != int(l) {
			t.Errorf("row %d on line %d, want %d", r, got, l)
		}
	}
}

// A hash shared by two long values is told apart by the dictionary.
func TestLongIndexCollision(t *testing.T) {
	var s longIndex
	dict := []string{"first-long-value", "second-long-value"}
	h := s.hash([]byte(dict[0]))
	s.put(h, 0)
	if _, ok := s.get(h, []byte(dict[1]), dict); ok {
		t.Fatal("a different value with the same hash was found")
	}
	s.put(h, 1)
	if c, ok := s.get(h, []byte(dict[1]), dict); !ok || c != 1 {
		t.Fatalf("get = %d, %v; want 1, true", c, ok)
	}
	if c, ok := s.get(h, []byte(dict[0]), dict); !ok || c != 0 {
		t.Fatalf("get = %d, %v; want 0, true", c, ok)
	}
}
