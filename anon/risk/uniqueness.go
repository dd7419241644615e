package risk

import (
	"math"
	"sort"
)

// Population-uniqueness model names.
const (
	ModelPitman = "pitman"
	ModelZayatz = "zayatz"
	ModelSNB    = "snb"
	ModelNone   = "none" // no sample uniques: no population uniques either
)

// Uniqueness is the estimated population uniqueness: how many persons of the
// population are unique on the quasi-identifiers. Estimates that could not
// be computed (no convergence, out of range) are null.
type Uniqueness struct {
	Population       int64    `json:"population"`
	SamplingFraction float64  `json:"sampling_fraction"`
	Pitman           *float64 `json:"pitman"` // Hoshino (2001), Pitman sampling formula
	Zayatz           *float64 `json:"zayatz"` // Zayatz (1991)
	SNB              *float64 `json:"snb"`    // slide negative binomial, Chen & McNulty (1998)
	// Model is the estimate chosen by Dankar et al.'s rule (BMC MIDM 2012):
	// Pitman when the sampling fraction is at most 0.1 (Zayatz when Pitman
	// fails), else the smaller of Zayatz and SNB.
	Model             string  `json:"model"`
	PopulationUniques float64 `json:"population_uniques"` // the chosen estimate (persons)
	Fraction          float64 `json:"fraction"`           // PopulationUniques / Population
}

// sizeHist is a class-size histogram: size -> number of classes, with sizes
// sorted ascending.
type sizeHist struct {
	sizes  []int64
	counts []int64
	n, u   float64 // records, classes
}

func newSizeHist(sizes []int64) sizeHist {
	m := map[int64]int64{}
	var h sizeHist
	for _, s := range sizes {
		if s > 0 {
			m[s]++
			h.n += float64(s)
			h.u++
		}
	}
	h.sizes = sortedKeys(m)
	for _, s := range h.sizes {
		h.counts = append(h.counts, m[s])
	}
	return h
}

func (h sizeHist) classesOf(size int64) float64 {
	i := sort.Search(len(h.sizes), func(i int) bool { return h.sizes[i] >= size })
	if i < len(h.sizes) && h.sizes[i] == size {
		return float64(h.counts[i])
	}
	return 0
}

// PopulationUniqueness estimates population uniques from the sample class
// sizes and the population size (which must exceed the number of records).
func PopulationUniqueness(sizes []int64, population int64) Uniqueness {
	h := newSizeHist(sizes)
	N := float64(population)
	out := Uniqueness{Population: population}
	if h.n == 0 || N < h.n {
		out.Model = ModelNone
		return out
	}
	pi := h.n / N
	out.SamplingFraction = pi
	if h.classesOf(1) == 0 {
		zero := 0.0
		out.Pitman, out.Zayatz, out.SNB = &zero, &zero, &zero
		out.Model = ModelNone
		return out
	}
	valid := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 || v > N {
			return nil
		}
		return &v
	}
	out.Pitman = valid(pitman(h, N))
	out.Zayatz = valid(zayatz(h, N))
	out.SNB = valid(snb(h, pi))
	switch {
	case pi <= 0.1 && out.Pitman != nil:
		out.Model, out.PopulationUniques = ModelPitman, *out.Pitman
	case pi > 0.1 && out.SNB != nil && (out.Zayatz == nil || *out.SNB <= *out.Zayatz):
		out.Model, out.PopulationUniques = ModelSNB, *out.SNB
	case out.Zayatz != nil:
		out.Model, out.PopulationUniques = ModelZayatz, *out.Zayatz
	default:
		out.Model = ModelNone
	}
	out.Fraction = out.PopulationUniques / N
	return out
}

// zayatz estimates population uniques after Zayatz (1991): the share of
// sample uniques that are population uniques is estimated by assuming the
// population class sizes are distributed like the sample's, with
// hypergeometric sampling.
func zayatz(h sizeHist, N float64) float64 {
	var denom float64
	for i, s := range h.sizes {
		denom += float64(h.counts[i]) / h.u * hyperOne(N, float64(s), h.n)
	}
	c1 := h.classesOf(1)
	cond := c1 / h.u * hyperOne(N, 1, h.n) / denom
	return c1 * cond / (h.n / N)
}

// pitman estimates population uniques under the Pitman sampling formula
// (Hoshino 2001): maximum-likelihood θ and α by Newton's method, then
// Γ(θ+1)/Γ(θ+α) · N^α.
func pitman(h sizeHist, N float64) float64 {
	t, a, ok := pitmanFit(h)
	if !ok {
		return math.NaN()
	}
	lg1, _ := math.Lgamma(t + 1)
	lg2, _ := math.Lgamma(t + a)
	return math.Exp(lg1 - lg2 + a*math.Log(N))
}

// pitmanFit returns the maximum-likelihood θ and α.
func pitmanFit(h sizeHist) (t, a float64, ok bool) {
	n, u := h.n, h.u
	c1, c2 := h.classesOf(1), h.classesOf(2)
	if c2 == 0 {
		c2 = 1
	}
	// Moment-based starting point (Hoshino 2001).
	c := c1 * (c1 - 1) / c2
	t = (n*u*c - c1*(n-1)*(2*u+c)) / (2*c1*u + c1*c - n*c)
	a = (t*(c1-n) + (n-1)*c1) / (n * u)
	if !(a > 0 && a < 1) || !(t > -a) || math.IsNaN(t) {
		t, a = 1, 0.5
	}
	for iter := 0; iter < 200; iter++ {
		g1, g2, h11, h12, h22 := pitmanDerivs(h, t, a)
		det := h11*h22 - h12*h12
		if det == 0 || math.IsNaN(det) {
			return 0, 0, false
		}
		dt := (g1*h22 - g2*h12) / det
		da := (g2*h11 - g1*h12) / det
		// Damped step keeping 0 < α < 1 and θ > -α.
		step := 1.0
		for k := 0; k < 60; k++ {
			nt, na := t-step*dt, a-step*da
			if na > 0 && na < 1 && nt > -na {
				break
			}
			step /= 2
		}
		t, a = t-step*dt, a-step*da
		if math.Abs(step*dt) < 1e-10*(1+math.Abs(t)) && math.Abs(step*da) < 1e-12 {
			break
		}
	}
	g1, g2, _, _, _ := pitmanDerivs(h, t, a)
	return t, a, a > 0 && a < 1 && math.Abs(g1)+math.Abs(g2) < 1e-6
}

// pitmanDerivs returns the gradient and Hessian of the Pitman
// log-likelihood L(θ,α) = Σ_{i<u} ln(θ+iα) - Σ_{i<n} ln(θ+i) +
// Σ_j c_j Σ_{l<j} ln(l-α), using digamma and trigamma sums.
func pitmanDerivs(h sizeHist, t, a float64) (g1, g2, h11, h12, h22 float64) {
	n, u := h.n, h.u
	r := t / a
	// Σ_{i=1}^{u-1} 1/(θ+iα) = (ψ(r+u) - ψ(r+1))/α
	s1 := (digamma(r+u) - digamma(r+1)) / a
	// Σ i/(θ+iα) = ((u-1) - θ·s1)/α
	s2 := ((u - 1) - t*s1) / a
	// Σ 1/(θ+iα)² = (ψ'(r+1) - ψ'(r+u))/α²
	q1 := (trigamma(r+1) - trigamma(r+u)) / (a * a)
	// Σ i/(θ+iα)² = (s1 - θ q1)/α
	q2 := (s1 - t*q1) / a
	// Σ i²/(θ+iα)² = (s2 - θ q2)/α
	q3 := (s2 - t*q2) / a
	o2 := digamma(n+t) - digamma(t+1)
	d2 := trigamma(t+1) - trigamma(n+t)
	var o4, d4 float64
	p0, t0 := digamma(1-a), trigamma(1-a)
	for i, s := range h.sizes {
		if s > 1 {
			cnt := float64(h.counts[i])
			o4 += cnt * (digamma(float64(s)-a) - p0)
			d4 += cnt * (t0 - trigamma(float64(s)-a))
		}
	}
	g1 = s1 - o2
	g2 = s2 - o4
	h11 = -q1 + d2
	h12 = -q2
	h22 = -q3 - d4
	return
}

// snb estimates population uniques with the slide negative binomial model
// (Chen & McNulty 1998): population class sizes F-1 ~ NegBin(α, β) over K
// non-empty classes, Bernoulli sampling with fraction f. The expected
// numbers of sample classes of size 1 and 2 are matched to the observed
// ones; the population uniques are K·β^α. K is the Shlosser estimate.
func snb(h sizeHist, f float64) float64 {
	c1, c2 := h.classesOf(1), h.classesOf(2)
	if c2 == 0 {
		return math.NaN()
	}
	q := 1 - f
	var num, den float64
	for i, s := range h.sizes {
		cnt := float64(h.counts[i])
		num += math.Pow(q, float64(s)) * cnt
		den += float64(s) * f * math.Pow(q, float64(s-1)) * cnt
	}
	K := h.u + c1*num/den
	eq := func(a, b float64) (float64, float64) {
		d := q * (1 - b)
		D := 1 - d
		e1 := K*f*math.Pow(b/D, a)*(1+a*d/D) - c1
		e2 := K*f*f/2*a*(1-b)*math.Pow(b, a)*math.Pow(D, -(a+2))*(2-(1-a)*d) - c2
		return e1 / c1, e2 / c2
	}
	best := math.NaN()
	for _, start := range [][2]float64{{1, 0.5}, {0.5, 0.1}, {2, 0.9}, {0.1, 0.01}, {5, 0.5}} {
		a, b := start[0], start[1]
		ok := false
		for iter := 0; iter < 200; iter++ {
			f1, f2 := eq(a, b)
			if math.Abs(f1) < 1e-10 && math.Abs(f2) < 1e-10 {
				ok = true
				break
			}
			ha, hb := 1e-7*math.Max(a, 1e-3), 1e-7*math.Max(b, 1e-6)
			fa1, fa2 := eq(a+ha, b)
			fb1, fb2 := eq(a, b+hb)
			j11, j21 := (fa1-f1)/ha, (fa2-f2)/ha
			j12, j22 := (fb1-f1)/hb, (fb2-f2)/hb
			det := j11*j22 - j12*j21
			if det == 0 || math.IsNaN(det) {
				break
			}
			da := (f1*j22 - f2*j12) / det
			db := (f2*j11 - f1*j21) / det
			step := 1.0
			for k := 0; k < 60 && !(a-step*da > 0 && b-step*db > 0 && b-step*db < 1); k++ {
				step /= 2
			}
			a, b = a-step*da, b-step*db
		}
		if ok {
			best = K * math.Pow(b, a)
			break
		}
	}
	return best
}
