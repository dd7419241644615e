package sdc

import (
	"strings"

	"github.com/tokumei/tokumei/fault"
)

// SwapOptions configure targeted record swapping (sdcMicro recordSwap, the
// EU census 2021 method).
type SwapOptions struct {
	Swap    []int   // columns whose values the two records exchange (geography and carry-along columns)
	Similar []int   // strata: a donor must agree with the target on these columns
	Risky   []bool  // records at risk; they are swapped first (nil: none)
	Rate    float64 // share of all records to swap at least (risky ones count towards it)
}

// SwapResult lists the swapped pairs (processing-method information).
type SwapResult struct {
	Pairs     [][2]int `json:"-"`
	Swapped   int      `json:"swapped"`   // records whose values changed
	Unmatched int      `json:"unmatched"` // targets with no donor in their stratum
	Seed      Seed     `json:"-"`
}

// RecordSwap exchanges the Swap columns between pairs of records that agree
// on the Similar columns and differ on the Swap columns, in place. Each
// record takes part in at most one swap.
func RecordSwap(cols [][]string, o SwapOptions, seed *Seed) (*SwapResult, error) {
	if len(o.Swap) == 0 {
		return nil, fault.New(fault.Invalid, "record swapping needs the columns to swap", "交換する列を指定してください").In("swap")
	}
	if len(cols) == 0 {
		return &SwapResult{}, nil
	}
	n := len(cols[0])
	if o.Risky != nil && len(o.Risky) != n {
		return nil, fault.Errorf(fault.Invalid, "risky has %d entries for %d records", len(o.Risky), n).In("risky")
	}
	s, rng := resolve(seed)
	res := &SwapResult{Seed: s}
	key := func(i int, attrs []int) string {
		var b strings.Builder
		for _, j := range attrs {
			b.WriteString(cols[j][i])
			b.WriteByte(0x1f)
		}
		return b.String()
	}
	strata := map[string][]int{}
	for i := 0; i < n; i++ {
		k := key(i, o.Similar)
		strata[k] = append(strata[k], i)
	}
	perm := rng.Perm(n)
	var targets []int
	for _, i := range perm {
		if o.Risky != nil && o.Risky[i] {
			targets = append(targets, i)
		}
	}
	want := int(o.Rate*float64(n) + 0.5)
	for _, i := range perm {
		if len(targets) >= want {
			break
		}
		if o.Risky == nil || !o.Risky[i] {
			targets = append(targets, i)
		}
	}
	used := make([]bool, n)
	for _, t := range targets {
		if used[t] {
			continue
		}
		cand := strata[key(t, o.Similar)]
		tk := key(t, o.Swap)
		var donors []int
		for _, d := range cand {
			if !used[d] && d != t && key(d, o.Swap) != tk {
				donors = append(donors, d)
			}
		}
		if len(donors) == 0 {
			res.Unmatched++
			continue
		}
		d := donors[rng.IntN(len(donors))]
		for _, j := range o.Swap {
			cols[j][t], cols[j][d] = cols[j][d], cols[j][t]
		}
		used[t], used[d] = true, true
		res.Pairs = append(res.Pairs, [2]int{t, d})
		res.Swapped += 2
	}
	return res, nil
}
