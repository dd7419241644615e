package risk

import (
	"math"
	"math/rand/v2"
	"testing"
)

// bruteSizes returns, for every record, the number of records it cannot be
// told apart from, comparing records pairwise.
func bruteSizes(rows [][]string, matchAny bool) []int64 {
	miss := func(v string) bool { return v == "" || v == "*" || v == "NA" }
	out := make([]int64, len(rows))
	for i, a := range rows {
		for _, b := range rows {
			same := true
			for k := range a {
				ma, mb := miss(a[k]), miss(b[k])
				switch {
				case matchAny && (ma || mb):
				case ma && mb:
				case a[k] != b[k]:
					same = false
				}
			}
			if same {
				out[i]++
			}
		}
	}
	return out
}

func toCols(rows [][]string) [][]string {
	cols := make([][]string, len(rows[0]))
	for _, r := range rows {
		for j, v := range r {
			cols[j] = append(cols[j], v)
		}
	}
	return cols
}

func TestMeasureAgainstPairwise(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var rows [][]string
	ages := []string{"20-24", "25-29", "30-34", "*", "NA"}
	sexes := []string{"M", "F", ""}
	areas := []string{"北区", "南区", "中央区", "東区"}
	for i := 0; i < 300; i++ {
		rows = append(rows, []string{ages[rng.IntN(len(ages))], sexes[rng.IntN(len(sexes))], areas[rng.IntN(len(areas))]})
	}
	rows = append(rows, []string{"95-99", "F", "西区"}) // a unique
	names := []string{"age", "sex", "area"}
	for _, matchAny := range []bool{false, true} {
		o := Options{MissingMatchesAll: matchAny, MissingTokens: []string{"NA"}, Threshold: 0.1}
		rep, err := Measure(toCols(rows), names, o)
		if err != nil {
			t.Fatal(err)
		}
		sizes := bruteSizes(rows, matchAny)
		var uniq, atHigh, above int64
		var sum, hi float64
		for _, s := range sizes {
			r := 1 / float64(s)
			sum += r
			hi = math.Max(hi, r)
			if s == 1 {
				uniq++
			}
			if r > 0.1 {
				above++
			}
		}
		for _, s := range sizes {
			if 1/float64(s) == hi {
				atHigh++
			}
		}
		n := float64(len(rows))
		if rep.Records != int64(len(rows)) || rep.SampleUniqueCount != uniq {
			t.Errorf("matchAny=%v: records %d uniques %d, want %d %d", matchAny, rep.Records, rep.SampleUniqueCount, len(rows), uniq)
		}
		p := rep.Prosecutor
		if !near(p.Average, sum/n) || !near(p.Highest, hi) || p.RecordsAtHighestCount != atHigh || !near(p.ShareAboveThreshold, float64(above)/n) {
			t.Errorf("matchAny=%v: prosecutor %+v; want avg %v hi %v at %d above %v", matchAny, p, sum/n, hi, atHigh, float64(above)/n)
		}
		wantMode := MissingOwnCategory
		if matchAny {
			wantMode = MissingMatchesAny
		}
		if rep.MissingValues != wantMode {
			t.Errorf("missing mode %q", rep.MissingValues)
		}
		// Contributions: recount uniques without each attribute.
		for j, c := range rep.Contributions {
			var sub [][]string
			for _, r := range rows {
				var s []string
				for k, v := range r {
					if k != j {
						s = append(s, v)
					}
				}
				sub = append(sub, s)
			}
			var u int64
			for _, s := range bruteSizes(sub, matchAny) {
				if s == 1 {
					u++
				}
			}
			if c.UniquesWithout != u {
				t.Errorf("matchAny=%v %s: uniques without %d, want %d", matchAny, c.Attribute, c.UniquesWithout, u)
			}
		}
	}
}

func TestMeasureAllMissingExcluded(t *testing.T) {
	rows := [][]string{{"a", "x"}, {"a", "x"}, {"*", "*"}, {"*", ""}, {"b", "*"}}
	rep, err := Measure(toCols(rows), []string{"p", "q"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.AllMissing != 2 || rep.Records != 3 || rep.RecordsWithMissing != 1 || rep.EquivalenceClasses != 2 {
		t.Errorf("%+v", rep)
	}
}

func TestMeasureErrors(t *testing.T) {
	if _, err := Measure([][]string{{"a"}, {"b", "c"}}, []string{"x", "y"}, Options{}); err == nil {
		t.Error("ragged columns accepted")
	}
	if _, err := Measure(nil, nil, Options{}); err == nil {
		t.Error("no columns accepted")
	}
}

func TestPopulationTable(t *testing.T) {
	rows := [][]string{{"a", "1"}, {"a", "1"}, {"b", "2"}}
	o := Options{PopulationTable: map[string]int64{Key("a", "1"): 20, Key("b", "2"): 2}}
	rep, err := Measure(toCols(rows), []string{"x", "y"}, o)
	if err != nil {
		t.Fatal(err)
	}
	want := (2.0/20 + 1.0/2) / 3
	if rep.JournalistBasis != BasisPopulationTable || !near(rep.Journalist.Average, want) || !near(rep.Journalist.Highest, 0.5) {
		t.Errorf("%+v", rep.Journalist)
	}
}
