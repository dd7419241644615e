package tabular

import (
	"context"
	"errors"
	"math"

	"github.com/tokumei/tokumei/dp"
	"github.com/tokumei/tokumei/fault"
)

// DPOptions configure a differentially private release.
type DPOptions struct {
	Mechanism string  // discrete-laplace (epsilon) or discrete-gaussian (rho)
	Epsilon   float64 // pure DP cost, Laplace
	Rho       float64 // zCDP cost, Gaussian
	Sampler   *dp.Sampler
	// Accountant, when set, is charged before any noise is drawn.
	Accountant dp.Accountant
	Charge     dp.Charge // release, dataset and population of the charge
	// KeepNegative keeps negative noisy cells (default: set to 0, a
	// post-processing that costs no privacy).
	KeepNegative bool
}

// DPReport describes a DP release.
type DPReport struct {
	Mechanism       string  `json:"mechanism"`
	Epsilon         float64 `json:"epsilon,omitempty"`
	Rho             float64 `json:"rho,omitempty"`
	Scale           string  `json:"scale"` // Laplace scale or Gaussian sigma²
	NoiseStdDev     float64 `json:"noise_stddev"`
	MaxPartitions   int     `json:"max_partitions"`
	MaxContribution int64   `json:"max_contribution"`
	DroppedRows     int64   `json:"dropped_rows"`
	Charged         bool    `json:"charged"`
	DeclaredDomain  bool    `json:"declared_domain"`
}

// Noise releases the table with DP noise on every inner cell of the cover
// table; margins are sums of noisy inner cells (post-processing), so the
// release is additive and margins cost nothing more. The table must have
// been built with Spec.Bound.
func (t *Table) Noise(ctx context.Context, o DPOptions) (*Result, error) {
	if err := t.Finish(); err != nil {
		return nil, err
	}
	b := t.Spec.Bound
	if b == nil {
		return nil, fault.Errorf(fault.Invalid, "differential privacy needs contribution bounds (dp.max_partitions, dp.max_rows)").In("dp")
	}
	if t.Spec.Measure.Type == "mean" {
		return nil, fault.Errorf(fault.Invalid, "differential privacy is implemented for counts and sums; release a sum and a count").In("measure")
	}
	maxC := int64(b.MaxRows)
	if t.Spec.Measure.Type == "sum" {
		maxC *= int64(math.Max(math.Abs(b.Lower), math.Abs(b.Upper)))
		if maxC == 0 {
			return nil, fault.Errorf(fault.Invalid, "sum bounds [%g, %g] leave nothing to release", b.Lower, b.Upper).In("dp")
		}
	}
	bounds := dp.Bounds{MaxPartitions: int64(b.MaxPartitions), MaxContribution: maxC}
	var n *dp.Noise
	var err error
	switch o.Mechanism {
	case dp.MechLaplace, "laplace":
		n, err = dp.NewLaplace(o.Epsilon, bounds, o.Sampler)
	case dp.MechGaussian, "gaussian":
		n, err = dp.NewGaussian(o.Rho, bounds, o.Sampler)
	default:
		return nil, fault.Errorf(fault.Invalid, "dp mechanism %q: use discrete-laplace or discrete-gaussian", o.Mechanism).In("dp.mechanism")
	}
	if err != nil {
		return nil, fault.Errorf(fault.Invalid, "%v", err).In("dp")
	}
	rep := t.newReport()
	rep.DP = &DPReport{Mechanism: n.Mechanism, Epsilon: n.Epsilon, Rho: n.Rho, Scale: n.Scale(), NoiseStdDev: n.StdDev(),
		MaxPartitions: b.MaxPartitions, MaxContribution: maxC, DroppedRows: t.Dropped, DeclaredDomain: t.declaredDomain()}
	if !rep.DP.DeclaredDomain {
		rep.note("warning: some dimension categories come from the data; which categories exist is not protected by DP")
	}
	if o.Accountant != nil {
		c := o.Charge
		c.Mechanism, c.Epsilon, c.Rho = n.Mechanism, n.Epsilon, n.Rho
		if err := o.Accountant.Spend(ctx, c); err != nil {
			var be *dp.BudgetError
			if errors.As(err, &be) {
				return nil, fault.New(fault.Conflict, "privacy budget exhausted: "+be.Error(), "プライバシー予算を超えます").Wrap(err)
			}
			return nil, err
		}
		rep.DP.Charged = true
	}
	res := &Result{Table: t, Status: t.plainStatus(), Value: make([]float64, t.N), Report: rep}
	for c := 0; c < t.N; c++ {
		if !t.coverLeaf(c) {
			continue
		}
		v := n.Add(int64(math.Round(t.Magnitude(c))))
		if v < 0 && !o.KeepNegative {
			v = 0
		}
		res.Value[c] = float64(v)
	}
	t.sumUp(res.Value)
	return res, nil
}

func (t *Table) declaredDomain() bool {
	for _, d := range t.dims {
		if d.open {
			return false
		}
	}
	return true
}

// coverLeaf reports whether c is a leaf in every dimension.
func (t *Table) coverLeaf(c int) bool {
	for j, d := range t.dims {
		if !d.isLeaf(t.node(c, j)) {
			return false
		}
	}
	return true
}

// sumUp recomputes the margins of v from its cover leaves.
func (t *Table) sumUp(v []float64) {
	for j, d := range t.dims {
		order := depthOrder(d)
		nj, sj := len(d.nodes), t.stride[j]
		for base := 0; base < t.N; base++ {
			if base/sj%nj != 0 {
				continue
			}
			for _, p := range order {
				pc := base + p*sj
				v[pc] = 0
				for _, ch := range d.nodes[p].children {
					v[pc] += v[base+ch*sj]
				}
			}
		}
	}
}
