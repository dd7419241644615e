package sdc

import (
	"math"
	"sort"
)

func sortFloats(s []float64) { sort.Float64s(s) }

// meanSD returns the mean and the sample standard deviation of x, ignoring NaN.
func meanSD(x []float64) (float64, float64) {
	var n, sum float64
	for _, v := range x {
		if v == v {
			sum += v
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	m := sum / n
	var ss float64
	for _, v := range x {
		if v == v {
			ss += (v - m) * (v - m)
		}
	}
	if n < 2 {
		return m, 0
	}
	return m, math.Sqrt(ss / (n - 1))
}
