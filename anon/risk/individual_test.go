package risk

import (
	"math"
	"testing"
)

func TestRecordRisks(t *testing.T) {
	rows := [][]string{{"a", "1"}, {"a", "1"}, {"b", "2"}, {"a", "1"}, {"*", "*"}}
	got, err := RecordRisks(toCols(rows), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1.0 / 3, 1.0 / 3, 1, 1.0 / 3, 0}
	for i := range want {
		if !near(got[i], want[i]) {
			t.Errorf("record %d: %v want %v", i, got[i], want[i])
		}
	}
	pop, _ := RecordRisks(toCols(rows), Options{Population: 400})
	p := 4.0 / 400
	if !near(pop[2], p/(1-p)*math.Log(1/p)) || math.Abs(pop[0]-seriesInverse(3, p)) > 1e-9 {
		t.Errorf("population risks %v", pop)
	}
}

func TestHouseholdRisks(t *testing.T) {
	r := []float64{0.5, 0.2, 0.1, 1, 0.3, 0.25}
	hh := []string{"h1", "h1", "h2", "h2", "", "h3"}
	got := HouseholdRisks(r, hh)
	want := []float64{1 - 0.5*0.8, 1 - 0.5*0.8, 1, 1, 0.3, 0.25}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("record %d: %v want %v", i, got[i], want[i])
		}
	}
}
