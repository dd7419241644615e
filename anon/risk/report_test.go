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

// pitmanGradIter is the Pitman log-likelihood gradient by plain sums.
func pitmanGradIter(sizes []int64, t, a float64) (float64, float64) {
	var n, u int64
	var g1, g2 float64
	for _, s := range sizes {
		n += s
		u++
		for l := int64(1); l < s; l++ {
			g2 -= 1 / (float64(l) - a)
		}
	}
	for i := int64(1); i < u; i++ {
		g1 += 1 / (t + float64(i)*a)
		g2 += float64(i) / (t + float64(i)*a)
	}
	for i := int64(1); i < n; i++ {
		g1 -= 1 / (t + float64(i))
	}
	return g1, g2
}

// simulate draws a population of N persons over skewed key combinations,
// samples a fraction of it and returns the sample class sizes and the true
// number of population uniques.
func simulate(N int, frac float64, seed uint64) ([]int64, int64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	pop := map[[3]int]int{}
	var keys [][3]int
	for i := 0; i < N; i++ {
		k := [3]int{int(rng.ExpFloat64() * 12), rng.IntN(2), int(rng.ExpFloat64() * 40)}
		keys = append(keys, k)
		pop[k]++
	}
	var popUniques int64
	for _, c := range pop {
		if c == 1 {
			popUniques++
		}
	}
	sample := map[[3]int]int64{}
	for _, k := range keys {
		if rng.Float64() < frac {
			sample[k]++
		}
	}
	var sizes []int64
	for _, c := range sample {
		sizes = append(sizes, c)
	}
	return sizes, popUniques
}

func TestPopulationUniquenessSimulated(t *testing.T) {
	const N = 100000
	for _, frac := range []float64{0.05, 0.3} {
		sizes, truth := simulate(N, frac, 42)
		var n int64
		for _, s := range sizes {
			n += s
		}
		u := PopulationUniqueness(sizes, N)
		if u.Model == ModelNone || u.PopulationUniques <= 0 {
			t.Fatalf("frac %v: no estimate: %+v", frac, u)
		}
		ratio := u.PopulationUniques / float64(truth)
		t.Logf("frac %v: model %s estimate %.0f truth %d (pitman %v zayatz %v snb %v)", frac, u.Model, u.PopulationUniques, truth, deref(u.Pitman), deref(u.Zayatz), deref(u.SNB))
		if ratio < 0.5 || ratio > 2 {
			t.Errorf("frac %v: estimate %.0f vs true %d population uniques", frac, u.PopulationUniques, truth)
		}
		if frac <= 0.1 && u.Model != ModelPitman {
			t.Errorf("Dankar's rule picks Pitman below 10%% sampling, got %s", u.Model)
		}
		if frac > 0.1 && u.Model == ModelPitman {
			t.Errorf("Dankar's rule must not pick Pitman above 10%%")
		}
		if frac <= 0.1 {
			ta, aa, ok := pitmanFit(newSizeHist(sizes))
			g1, g2 := pitmanGradIter(sizes, ta, aa)
			if !ok || math.Abs(g1) > 1e-4 || math.Abs(g2) > 1e-4 {
				t.Errorf("Pitman fit not a stationary point: ok=%v grad %v %v", ok, g1, g2)
			}
		}
	}
}

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func TestPopulationUniquenessNoUniques(t *testing.T) {
	u := PopulationUniqueness([]int64{2, 3, 5}, 1000)
	if u.Model != ModelNone || u.PopulationUniques != 0 {
		t.Errorf("%+v", u)
	}
}

func TestRecordSizes(t *testing.T) {
	rows := [][]string{{"a", "1"}, {"a", "*"}, {"b", "1"}, {"a", "1"}, {"*", "*"}}
	for _, matchAny := range []bool{false, true} {
		got, err := RecordSizes(toCols(rows), Options{MissingMatchesAll: matchAny})
		if err != nil {
			t.Fatal(err)
		}
		want := bruteSizes(rows[:4], matchAny)
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("matchAny=%v record %d: %d want %d", matchAny, i, got[i], want[i])
			}
		}
		if got[4] != 0 {
			t.Errorf("all-missing record size %d", got[4])
		}
	}
}
