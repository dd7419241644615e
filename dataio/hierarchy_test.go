package dataio

import (
	"io"
	"testing"

	"github.com/tokumei/tokumei/jp"
)

// TestOsakaHierarchies builds the lgcode and era-date hierarchies of the
// real Osaka file's code and date columns.
func TestOsakaHierarchies(t *testing.T) {
	r, err := Open(datasetPath(t, "japan/osaka_2018zitensyatou.csv"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var codes, dates, places []string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, rec[4])
		dates = append(dates, rec[8])
		if rec[7] != "" {
			places = append(places, rec[5]+rec[6]+rec[7])
		}
	}
	lg, err := jp.LGCodeHierarchy(codes)
	if err != nil {
		t.Fatal(err)
	}
	if len(lg) != 71 {
		t.Errorf("%d distinct codes, want 71", len(lg))
	}
	for _, row := range lg {
		if row[0] != "" && (row[1] != "大阪府" || row[2] != "近畿" || row[3] != "*") {
			t.Errorf("row %q", row)
		}
	}
	ed, err := jp.EraDateHierarchy(dates, jp.EraDateOptions{FiscalYear: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range ed {
		if row[0] == "不明" && row[1] != "*" {
			t.Errorf("不明 row %q", row)
		}
	}
	// Places: every prefecture+municipality+町丁目 of the file (full-width
	// digits, 堺市's "１丁" without 目) matches a town of the list.
	towns, cities := 0, 0
	seen := map[string]bool{}
	for _, p := range places {
		if seen[p] || p == "" {
			continue
		}
		seen[p] = true
		a, err := jp.ParseAddress(p)
		if err != nil || a.Level < 2 {
			t.Errorf("place %q: level %d (%s) %v", p, a.Level, a.Note, err)
			continue
		}
		cities++
		if a.Level == 3 {
			towns++
		}
	}
	t.Logf("Osaka places: %d distinct, %d matched to 町丁目", cities, towns)
	if towns != cities {
		t.Errorf("only %d of %d distinct places matched a town", towns, cities)
	}
}
