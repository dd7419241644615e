package tabular

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tokumei/tokumei/anon"
)

var header = []string{"area", "age", "sex", "year", "income", "firm"}

// areaHierarchy: 6 municipalities in 2 prefectures.
func areaHierarchy() *anon.Hierarchy {
	rows := [][]string{}
	for i := 0; i < 6; i++ {
		rows = append(rows, []string{fmt.Sprintf("m%d", i), fmt.Sprintf("p%d", i/3), "*"})
	}
	return &anon.Hierarchy{Source: "area", Rows: rows}
}

// genRows draws n rows with skewed categories so that small cells occur.
func genRows(seed uint64, n int) [][]string {
	rng := rand.New(rand.NewPCG(seed, 42))
	out := make([][]string, n)
	for i := range out {
		a := int(math.Min(5, math.Floor(rng.ExpFloat64()*1.5)))
		age := int(math.Min(4, math.Floor(rng.ExpFloat64()*1.2)))
		sex := rng.IntN(2)
		inc := math.Round(rng.ExpFloat64() * 100)
		if rng.IntN(50) == 0 {
			inc *= 40 // a dominant contributor now and then
		}
		out[i] = []string{fmt.Sprintf("m%d", a), fmt.Sprintf("a%d", age), []string{"M", "F"}[sex],
			fmt.Sprint(2020 + rng.IntN(3)), fmt.Sprint(inc), fmt.Sprintf("f%d", rng.IntN(n/3+1))}
	}
	return out
}

func build(t testing.TB, spec Spec, rows [][]string) *Table {
	t.Helper()
	tab, err := NewTable(spec, header)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if err := tab.Add(r, int64(i+2)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tab.Finish(); err != nil {
		t.Fatal(err)
	}
	return tab
}

// matches reports whether a row falls in the cell with this key, checked
// from the raw values and hierarchy rows, not from the table's trees.
func matches(row []string, key map[string]string, dims []Dimension, total string) bool {
	for _, d := range dims {
		lab, ok := key[d.Column]
		if !ok || lab == total {
			continue
		}
		v := row[colOf(d.Column)]
		if d.Hierarchy == nil {
			if v != lab {
				return false
			}
			continue
		}
		found := false
		for _, hr := range d.Hierarchy.Rows {
			if hr[0] != v {
				continue
			}
			levels := d.Levels
			if len(levels) == 0 {
				levels = []int{0}
			}
			for _, l := range levels {
				if hr[l] == lab {
					found = true
				}
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func colOf(name string) int {
	for i, h := range header {
		if h == name {
			return i
		}
	}
	panic(name)
}
