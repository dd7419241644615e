package sdc

import "github.com/tokumei/tokumei/fault"

// AdditiveNoise adds independent normal noise with standard deviation
// ratio × sd(x) to every value (uncorrelated additive noise, sdcMicro
// addNoise "additive" with noise = 100·ratio). It returns the seed used.
func AdditiveNoise(x []float64, ratio float64, seed *Seed) (Seed, error) {
	if ratio < 0 {
		return Seed{}, fault.New(fault.Invalid, "noise ratio must not be negative", "ノイズの比率は0以上で指定してください").In("ratio")
	}
	s, rng := resolve(seed)
	_, sd := meanSD(x)
	for i := range x {
		x[i] += rng.NormFloat64() * ratio * sd
	}
	return s, nil
}

// MultiplicativeNoise multiplies every value by (1 + e), e ~ N(0, sd²),
// which keeps zeros and signs and scales the error with the value. It
// returns the seed used.
func MultiplicativeNoise(x []float64, sd float64, seed *Seed) (Seed, error) {
	if sd < 0 {
		return Seed{}, fault.New(fault.Invalid, "noise standard deviation must not be negative", "ノイズの標準偏差は0以上で指定してください").In("sd")
	}
	s, rng := resolve(seed)
	for i := range x {
		x[i] *= 1 + rng.NormFloat64()*sd
	}
	return s, nil
}
