package sdc

import (
	"math/rand/v2"
	"testing"
)

// classSizes recounts class sizes pairwise (own category: "*" equals "*";
// matches-any: "*" equals everything). Records all "*" are skipped (-1).
func classSizes(cols [][]string, matchAny bool) []int {
	n := len(cols[0])
	out := make([]int, n)
	for i := 0; i < n; i++ {
		allStar := true
		for _, c := range cols {
			if c[i] != "*" {
				allStar = false
			}
		}
		if allStar {
			out[i] = -1
			continue
		}
		for j := 0; j < n; j++ {
			ok := true
			for _, c := range cols {
				a, b := c[i], c[j]
				if a != b && !(matchAny && (a == "*" || b == "*")) {
					ok = false
				}
			}
			if ok {
				out[i]++
			}
		}
	}
	return out
}

func TestLocalSuppression(t *testing.T) {
	for _, matchAny := range []bool{true, false} {
		rng := rand.New(rand.NewPCG(1, 9))
		n := 300
		cols := make([][]string, 3)
		vals := [][]string{{"20代", "30代", "40代", "50代", "60代", "70代", "80代", "90代"}, {"男", "女"}, {"A町", "B町", "C町", "D村"}}
		for j := range cols {
			cols[j] = make([]string, n)
			for i := range cols[j] {
				cols[j][i] = vals[j][rng.IntN(len(vals[j]))]
			}
		}
		orig := make([][]string, 3)
		for j := range cols {
			orig[j] = append([]string(nil), cols[j]...)
		}
		k := 5
		res, err := LocalSuppression(cols, SuppressionOptions{K: k, Importance: []int{2, 1, 3}, MissingMatchesAll: matchAny})
		if err != nil {
			t.Fatal(err)
		}
		cells := 0
		for j := range cols {
			diff := 0
			for i := range cols[j] {
				if cols[j][i] != orig[j][i] {
					if cols[j][i] != "*" {
						t.Fatal("a cell changed to something other than *")
					}
					diff++
				}
			}
			if diff != res.PerColumn[j] {
				t.Errorf("column %d: %d cells changed, reported %d", j, diff, res.PerColumn[j])
			}
			cells += diff
		}
		if cells != res.Cells || cells == 0 {
			t.Errorf("cells %d reported %d", cells, res.Cells)
		}
		if res.Order[0] != 2 || res.Order[2] != 1 {
			t.Errorf("order %v: least important (highest number) first", res.Order)
		}
		below := 0
		for _, s := range classSizes(cols, matchAny) {
			if s >= 0 && s < k {
				below++
			}
		}
		if below != res.Remaining {
			t.Errorf("matchAny=%v: %d records below k, reported %d", matchAny, below, res.Remaining)
		}
		if below != 0 {
			t.Errorf("matchAny=%v: %d records below k", matchAny, below)
		}
		full := 0
		for i := 0; i < n; i++ {
			if cols[0][i] == "*" && cols[1][i] == "*" && cols[2][i] == "*" {
				full++
			}
		}
		if full != res.FullySuppressed {
			t.Errorf("fully suppressed %d, reported %d", full, res.FullySuppressed)
		}
	}
}
