package risk

import "math"

// RecordRisks returns each record's re-identification risk: 1/f for its
// class size f (prosecutor), or E[1/F | f] when o.Population is larger than
// the sample (the individual risk of sdcMicro with equal weights). Records
// whose every quasi-identifier is missing get 0. Use it to pick the records
// to target in swapping or suppression.
func RecordRisks(cols [][]string, o Options) ([]float64, error) {
	sizes, err := RecordSizes(cols, o)
	if err != nil {
		return nil, err
	}
	var n int64
	for _, s := range sizes {
		if s > 0 {
			n++
		}
	}
	usePop := o.Population > n && n > 0
	p := float64(n) / float64(o.Population)
	cache := map[int64]float64{}
	out := make([]float64, len(sizes))
	for i, s := range sizes {
		switch {
		case s <= 0:
		case !usePop:
			out[i] = 1 / float64(s)
		default:
			r, ok := cache[s]
			if !ok {
				r = ExpectedInverse(s, p)
				cache[s] = r
			}
			out[i] = r
		}
	}
	return out, nil
}

// HouseholdRisks returns, for each record, the risk of its household:
// 1 − Π(1 − r_i) over the household's members (sdcMicro's household risk).
// household[i] is record i's household key; an empty key is a household of
// one.
func HouseholdRisks(risks []float64, household []string) []float64 {
	logSafe := map[string]float64{} // Σ log(1 − r_i)
	certain := map[string]bool{}    // some member has risk 1
	for i, r := range risks {
		h := household[i]
		if h == "" {
			continue
		}
		if r >= 1 {
			certain[h] = true
			continue
		}
		logSafe[h] += math.Log1p(-r)
	}
	out := make([]float64, len(risks))
	for i, r := range risks {
		h := household[i]
		switch {
		case h == "":
			out[i] = r
		case certain[h]:
			out[i] = 1
		default:
			out[i] = -math.Expm1(logSafe[h])
		}
	}
	return out
}
