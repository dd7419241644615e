package anon

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentSearches runs reference cases at once, each several times,
// and compares every result with the same case run alone: the arenas and
// workers kept between searches (arena.go) must never be shared by two
// searches at once, nor refer to a finished one's memory.
func TestConcurrentSearches(t *testing.T) {
	dir, cases := loadCases(t)
	want := map[string]bool{"adult/k5_s0_loss": true, "adult/k5_s0_dm": true, "adult/k5_l3_s2_dm": true,
		"adult/k5_s2_loss": true, "fars_int/k5_s0_loss": true}
	var probs []*Problem
	var names, alone []string
	for _, c := range cases {
		name := strings.TrimSuffix(filepath.Base(c.Dataset), ".csv") + "/" + c.Case
		if !want[name] {
			continue
		}
		p := refProblem(t, dir, c)
		r, err := Anonymize(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		probs, names, alone = append(probs, p), append(names, name), append(alone, resultDigest(r))
	}
	if len(probs) != len(want) {
		t.Fatalf("%d cases found, want %d", len(probs), len(want))
	}
	const runs = 3
	got := make([]string, len(probs)*runs)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := Anonymize(context.Background(), probs[i%len(probs)])
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = resultDigest(r)
		}()
	}
	wg.Wait()
	for i, g := range got {
		if c := i % len(probs); g != alone[c] {
			t.Errorf("%s run at once with others: %s, alone: %s", names[c], g, alone[c])
		}
	}
}

// resultDigest sums up a result: its transformation, figures, and a hash of
// the output's classes (each base class's output class, its codes, sizes
// and suppression).
func resultDigest(r *Result) string {
	h := uint64(14695981039346656037)
	mix := func(v uint64) { h = (h ^ v) * 1099511628211 }
	for _, c := range r.cls {
		mix(uint64(c))
		mix(uint64(r.final.count[c]))
		if r.bad[c] {
			mix(1)
		}
		for _, codes := range r.final.codes {
			mix(uint64(codes[c]))
		}
	}
	return fmt.Sprint(r.Transformation, r.InformationLoss, r.NodesChecked, r.SuppressedRecords,
		r.EquivalenceClasses, r.MinClassSize, h)
}
