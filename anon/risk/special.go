package risk

import "math"

// digamma returns ψ(x) for x > 0 by recurrence up to x ≥ 6 and the
// asymptotic series.
func digamma(x float64) float64 {
	if x <= 0 && x == math.Floor(x) {
		return math.NaN()
	}
	var r float64
	if x < 0 {
		// reflection: ψ(1-x) - ψ(x) = π cot(πx)
		return digamma(1-x) - math.Pi/math.Tan(math.Pi*x)
	}
	for x < 6 {
		r -= 1 / x
		x++
	}
	f := 1 / (x * x)
	return r + math.Log(x) - 0.5/x - f*(1.0/12-f*(1.0/120-f*(1.0/252-f*(1.0/240-f/132))))
}

// trigamma returns ψ'(x) for x > 0.
func trigamma(x float64) float64 {
	if x <= 0 {
		return math.NaN()
	}
	var r float64
	for x < 6 {
		r += 1 / (x * x)
		x++
	}
	f := 1 / (x * x)
	return r + 1/x + f/2 + f/x*(1.0/6-f*(1.0/30-f*(1.0/42-f/30)))
}

// lchoose returns ln C(a, b).
func lchoose(a, b float64) float64 {
	x, _ := math.Lgamma(a + 1)
	y, _ := math.Lgamma(b + 1)
	z, _ := math.Lgamma(a - b + 1)
	return x - y - z
}

// hyperOne returns P(X = 1) for X hypergeometric: n draws from N items of
// which K are successes.
func hyperOne(N, K, n float64) float64 {
	if K < 1 || n < 1 || N-K < n-1 {
		return 0
	}
	return math.Exp(math.Log(K) + lchoose(N-K, n-1) - lchoose(N, n))
}
