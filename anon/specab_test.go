package anon

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestSpecAB alternates searches without and with speculation (SPECAB=rounds).
func TestSpecAB(t *testing.T) {
	rounds := 0
	fmt.Sscan(os.Getenv("SPECAB"), &rounds)
	if rounds == 0 {
		t.Skip("SPECAB not set")
	}
	dir, cases := loadCases(t)
	for _, c := range cases {
		name := strings.TrimSuffix(filepath.Base(c.Dataset), ".csv") + "/" + c.Case
		if f := os.Getenv("SPECCASE"); f != "" && !regexp.MustCompile(f).MatchString(name) {
			continue
		}
		p := refProblem(t, dir, c)
		var w [2][]float64
		var cp [2]time.Duration
		for r := 0; r < rounds; r++ {
			for m := 0; m < 2; m++ {
				specOn = m == 1
				c0 := cpuTime()
				t0 := time.Now()
				if _, err := Anonymize(context.Background(), p); err != nil {
					t.Fatal(err)
				}
				w[m] = append(w[m], float64(time.Since(t0).Microseconds())/1000)
				cp[m] += cpuTime() - c0
			}
		}
		for m := range w {
			slices.Sort(w[m])
		}
		q := len(w[0]) / 4
		fmt.Printf("%-24s min %7.2f → %7.2f (%.2f)  p25 %7.2f → %7.2f (%.2f)  cpu/op %6.2f → %6.2f\n", name,
			w[0][0], w[1][0], w[1][0]/w[0][0], w[0][q], w[1][q], w[1][q]/w[0][q],
			float64(cp[0].Microseconds())/1000/float64(rounds), float64(cp[1].Microseconds())/1000/float64(rounds))
	}
	specOn = true
}

func init() {
	if os.Getenv("NOSPEC") != "" {
		specOn = false
	}
}
