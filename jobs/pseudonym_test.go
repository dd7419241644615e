package jobs

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/standard"
)

func TestPseudonymise(t *testing.T) {
	var b strings.Builder
	b.WriteString("宛名番号,性別\n")
	for i := range 200 {
		fmt.Fprintf(&b, "%08d,%s\n", 1000+i%100, []string{"男", "女"}[i%2]) // each number twice
	}
	src := []byte(b.String())
	actions := []standard.ColumnAction{{Item: standard.ItemLinkingCodes, Column: "宛名番号", Action: "pseudonym"}}
	run := func(business platform.ID) [][]string {
		tb, err := parseCSV(src)
		if err != nil {
			t.Fatal(err)
		}
		pt, key, _, cols := pseudonymise(tb, &platform.Case{BusinessID: business}, actions)
		out, err := pt.csv()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(cols, []string{"宛名番号"}) || bytes.Contains(out, []byte(key.Hex())) {
			t.Fatalf("columns %v, or the key is in the output", cols)
		}
		recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
		if err != nil || len(recs) != 201 {
			t.Fatalf("%d records, %v", len(recs), err)
		}
		return recs[1:]
	}
	a := run(1)
	seen := map[string]int{}
	order := 0
	for i, r := range a {
		if strings.HasPrefix(r[0], "0000") || len(r[0]) != 16 {
			t.Fatalf("row %d: %q is not a pseudonym", i, r[0])
		}
		seen[r[0]]++
		if r[1] == []string{"男", "女"}[i%2] {
			order++
		}
	}
	if len(seen) != 100 {
		t.Errorf("%d distinct pseudonyms for 100 distinct numbers", len(seen))
	}
	for p, n := range seen {
		if n != 2 {
			t.Errorf("pseudonym %s appears %d times, want 2 (consistent within a delivery)", p, n)
		}
	}
	if order == 200 {
		t.Error("rows were not shuffled")
	}
	// Another recipient (and another delivery) gets unrelated pseudonyms.
	for _, r := range run(2) {
		if seen[r[0]] > 0 {
			t.Fatalf("pseudonym %s links two recipients", r[0])
		}
	}
}
