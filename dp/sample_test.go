package dp

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

func seeded(seed byte) *Sampler {
	var s [32]byte
	s[0] = seed
	return &Sampler{Source: rand.NewChaCha8(s)}
}

// chiSquare compares observed counts with the pmf, pooling bins whose
// expected count is below 5 into the two tails. It returns the statistic and
// the degrees of freedom.
func chiSquare(obs map[int64]int, n int, pmf func(int64) float64, lo, hi int64) (float64, int) {
	var stat float64
	bins := 0
	var tailObs, tailExp float64
	for y := lo; y <= hi; y++ {
		e := pmf(y) * float64(n)
		o := float64(obs[y])
		if e < 5 {
			tailObs += o
			tailExp += e
			continue
		}
		stat += (o - e) * (o - e) / e
		bins++
	}
	for y, c := range obs {
		if y < lo || y > hi {
			tailObs += float64(c)
		}
	}
	var inside float64
	for y := lo; y <= hi; y++ {
		inside += pmf(y)
	}
	tailExp += (1 - inside) * float64(n)
	if tailExp > 0 {
		stat += (tailObs - tailExp) * (tailObs - tailExp) / tailExp
		bins++
	}
	return stat, bins - 1
}

// critical is the chi-square quantile at upper tail 1e-6 (Wilson–Hilferty).
func critical(df int) float64 {
	const z = 4.753 // standard normal upper 1e-6
	k := float64(df)
	c := 1 - 2/(9*k) + z*math.Sqrt(2/(9*k))
	return k * c * c * c
}

func laplacePMF(scale float64) func(int64) float64 {
	q := math.Exp(-1 / scale)
	return func(y int64) float64 { return (1 - q) / (1 + q) * math.Pow(q, math.Abs(float64(y))) }
}

func gaussPMF(sigma2 float64) func(int64) float64 {
	var z float64
	lim := int64(50*math.Sqrt(sigma2)) + 50
	for y := -lim; y <= lim; y++ {
		z += math.Exp(-float64(y*y) / (2 * sigma2))
	}
	return func(y int64) float64 { return math.Exp(-float64(y*y)/(2*sigma2)) / z }
}

func draw(t *testing.T, n int, f func() (*big.Int, error)) map[int64]int {
	obs := make(map[int64]int)
	for i := 0; i < n; i++ {
		y, err := f()
		if err != nil {
			t.Fatal(err)
		}
		obs[y.Int64()]++
	}
	return obs
}

func TestDiscreteLaplaceMatchesPMF(t *testing.T) {
	const n = 60000
	for _, tc := range []struct {
		name  string
		scale *big.Rat
	}{
		{"scale 1", big.NewRat(1, 1)},
		{"scale 0.5", big.NewRat(1, 2)},
		{"scale 10/3", big.NewRat(10, 3)},
		{"scale 7", big.NewRat(7, 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := seeded(1)
			obs := draw(t, n, func() (*big.Int, error) { return s.DiscreteLaplace(tc.scale) })
			sc, _ := tc.scale.Float64()
			lim := int64(20*sc) + 5
			stat, df := chiSquare(obs, n, laplacePMF(sc), -lim, lim)
			if stat > critical(df) {
				t.Errorf("chi-square %.1f > %.1f (df %d): sampler does not follow the pmf", stat, critical(df), df)
			}
			// The test has power: the same samples reject a 10% wrong scale.
			wrong, wdf := chiSquare(obs, n, laplacePMF(sc*1.1), -lim, lim)
			if wrong <= critical(wdf) {
				t.Errorf("chi-square %.1f does not reject scale ×1.1 (critical %.1f)", wrong, critical(wdf))
			}
		})
	}
}

func TestDiscreteGaussianMatchesPMF(t *testing.T) {
	const n = 60000
	for _, tc := range []struct {
		name   string
		sigma2 *big.Rat
	}{
		{"sigma² 1", big.NewRat(1, 1)},
		{"sigma² 0.3", big.NewRat(3, 10)},
		{"sigma² 12.5", big.NewRat(25, 2)},
		{"sigma² 50", big.NewRat(50, 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := seeded(2)
			obs := draw(t, n, func() (*big.Int, error) { return s.DiscreteGaussian(tc.sigma2) })
			s2, _ := tc.sigma2.Float64()
			lim := int64(8*math.Sqrt(s2)) + 3
			stat, df := chiSquare(obs, n, gaussPMF(s2), -lim, lim)
			if stat > critical(df) {
				t.Errorf("chi-square %.1f > %.1f (df %d)", stat, critical(df), df)
			}
			wrong, wdf := chiSquare(obs, n, gaussPMF(s2*1.15), -lim, lim)
			if wrong <= critical(wdf) {
				t.Errorf("chi-square %.1f does not reject sigma² ×1.15", wrong)
			}
			// A discrete Laplace of matching variance is a different law.
			lap := laplacePMF(math.Sqrt(s2 / 2))
			if st, d := chiSquare(obs, n, lap, -lim, lim); st <= critical(d) {
				t.Errorf("chi-square %.1f does not reject a Laplace of equal variance", st)
			}
		})
	}
}

func TestBernoulliExp(t *testing.T) {
	const n = 40000
	for _, g := range []*big.Rat{big.NewRat(0, 1), big.NewRat(1, 3), big.NewRat(1, 1), big.NewRat(5, 2)} {
		s := seeded(3)
		hits := 0
		for i := 0; i < n; i++ {
			if s.BernoulliExp(g) {
				hits++
			}
		}
		gf, _ := g.Float64()
		p := math.Exp(-gf)
		sd := math.Sqrt(p * (1 - p) / n)
		if got := float64(hits) / n; math.Abs(got-p) > 5*sd+1e-12 {
			t.Errorf("gamma %v: frequency %.4f, want %.4f ± %.4f", g, got, p, 5*sd)
		}
	}
}

func TestParameters(t *testing.T) {
	s := seeded(4)
	if _, err := s.DiscreteLaplace(big.NewRat(0, 1)); err == nil {
		t.Error("scale 0 accepted")
	}
	if _, err := s.DiscreteGaussian(big.NewRat(-1, 1)); err == nil {
		t.Error("negative sigma² accepted")
	}
	if _, err := NewLaplace(0, Bounds{1, 1}, s); err == nil {
		t.Error("epsilon 0 accepted")
	}
	if _, err := NewGaussian(0.5, Bounds{0, 1}, s); err == nil {
		t.Error("zero partitions accepted")
	}
	// crypto/rand default works.
	var d Sampler
	if _, err := d.DiscreteGaussian(big.NewRat(2, 1)); err != nil {
		t.Fatal(err)
	}
}

func TestMechanismScale(t *testing.T) {
	lap, err := NewLaplace(0.5, Bounds{MaxPartitions: 2, MaxContribution: 3}, seeded(5))
	if err != nil {
		t.Fatal(err)
	}
	if lap.Scale() != "12.000000" { // L1 = 6, scale = 6/0.5
		t.Errorf("Laplace scale %s, want 12", lap.Scale())
	}
	g, _ := NewGaussian(0.25, Bounds{MaxPartitions: 2, MaxContribution: 3}, seeded(5))
	if g.Scale() != "36.000000" { // L2² = 18, sigma² = 18/(2·0.25)
		t.Errorf("Gaussian sigma² %s, want 36", g.Scale())
	}
	// Empirical variance of the added noise matches sigma².
	var ss float64
	const n = 20000
	for i := 0; i < n; i++ {
		d := float64(g.Add(100) - 100)
		ss += d * d
	}
	if v := ss / n; math.Abs(v-36) > 36*0.06 {
		t.Errorf("noise variance %.2f, want ≈ 36", v)
	}
}

func TestBounder(t *testing.T) {
	b := Bounder{MaxPartitions: 2, MaxRows: 1}
	steps := []struct {
		person string
		part   uint64
		want   bool
	}{
		{"a", 1, true}, {"a", 1, false}, {"a", 2, true}, {"a", 3, false}, {"b", 3, true}, {"a", 2, false},
	}
	for i, s := range steps {
		if got := b.Admit(s.person, s.part); got != s.want {
			t.Errorf("step %d: Admit(%s,%d) = %v", i, s.person, s.part, got)
		}
	}
}
