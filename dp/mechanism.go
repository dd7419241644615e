package dp

import (
	"fmt"
	"math"
	"math/big"
)

// Mechanism names, as written in ledgers and reports.
const (
	MechLaplace  = "discrete-laplace"
	MechGaussian = "discrete-gaussian"
)

// Noise adds integer noise to integer aggregates and states its cost.
type Noise struct {
	Mechanism string
	// Epsilon is the pure-DP cost (Laplace); Rho the zero-concentrated cost
	// (Gaussian, Bun–Steinke 2016).
	Epsilon, Rho float64
	scale        *big.Rat // Laplace scale
	sigma2       *big.Rat // Gaussian variance parameter
	sampler      *Sampler
}

// Bounds are the contribution bounds of one person (Google DP's L0 and L∞):
// at most MaxPartitions cells, at most MaxContribution (absolute value) per
// cell after clamping.
type Bounds struct {
	MaxPartitions   int64
	MaxContribution int64
}

func (b Bounds) valid() error {
	if b.MaxPartitions < 1 || b.MaxContribution < 1 {
		return fmt.Errorf("%w: contribution bounds must be >= 1", ErrParameter)
	}
	return nil
}

// NewLaplace returns the discrete Laplace mechanism giving epsilon-DP for
// aggregates whose L1 sensitivity is MaxPartitions·MaxContribution.
func NewLaplace(epsilon float64, b Bounds, s *Sampler) (*Noise, error) {
	if err := b.valid(); err != nil {
		return nil, err
	}
	if !(epsilon > 0) || math.IsInf(epsilon, 0) {
		return nil, fmt.Errorf("%w: epsilon must be > 0", ErrParameter)
	}
	eps := new(big.Rat).SetFloat64(epsilon)
	l1 := new(big.Rat).SetInt64(b.MaxPartitions * b.MaxContribution)
	return &Noise{Mechanism: MechLaplace, Epsilon: epsilon, scale: l1.Quo(l1, eps), sampler: s}, nil
}

// NewGaussian returns the discrete Gaussian mechanism giving rho-zCDP for
// aggregates whose L2 sensitivity is sqrt(MaxPartitions)·MaxContribution:
// sigma² = MaxPartitions·MaxContribution² / (2 rho) (CKS20 Theorem 14).
func NewGaussian(rho float64, b Bounds, s *Sampler) (*Noise, error) {
	if err := b.valid(); err != nil {
		return nil, err
	}
	if !(rho > 0) || math.IsInf(rho, 0) {
		return nil, fmt.Errorf("%w: rho must be > 0", ErrParameter)
	}
	r := new(big.Rat).SetFloat64(rho)
	l2sq := new(big.Rat).SetInt64(b.MaxPartitions * b.MaxContribution * b.MaxContribution)
	s2 := l2sq.Quo(l2sq, r.Mul(r, big.NewRat(2, 1)))
	return &Noise{Mechanism: MechGaussian, Rho: rho, sigma2: s2, sampler: s}, nil
}

// Add returns v plus one fresh noise draw.
func (n *Noise) Add(v int64) int64 {
	var y *big.Int
	if n.Mechanism == MechLaplace {
		y, _ = n.sampler.DiscreteLaplace(n.scale)
	} else {
		y, _ = n.sampler.DiscreteGaussian(n.sigma2)
	}
	return v + y.Int64()
}

// StdDev returns the (approximate) standard deviation of the noise, for
// reports: sqrt(2)·scale for Laplace, sigma for the discrete Gaussian.
func (n *Noise) StdDev() float64 {
	if n.Mechanism == MechLaplace {
		f, _ := n.scale.Float64()
		return math.Sqrt2 * f
	}
	f, _ := n.sigma2.Float64()
	return math.Sqrt(f)
}

// Scale returns the Laplace scale or the Gaussian sigma² as a decimal string.
func (n *Noise) Scale() string {
	if n.Mechanism == MechLaplace {
		return n.scale.FloatString(6)
	}
	return n.sigma2.FloatString(6)
}

// Clamp limits v to [lo, hi].
func Clamp(v, lo, hi float64) float64 {
	return math.Max(lo, math.Min(hi, v))
}

// Bounder admits at most MaxPartitions distinct partitions per person and at
// most MaxRows rows per (person, partition), first come first served. The
// choice depends only on the person's own rows, so it is a stable
// transformation (it changes the output by at most one person's bounded
// contribution).
type Bounder struct {
	MaxPartitions int
	MaxRows       int
	seen          map[string]map[uint64]int
}

// Admit reports whether this row of person in partition is kept.
func (b *Bounder) Admit(person string, partition uint64) bool {
	if b.seen == nil {
		b.seen = make(map[string]map[uint64]int)
	}
	parts := b.seen[person]
	if parts == nil {
		parts = make(map[uint64]int, 1)
		b.seen[person] = parts
	}
	n, ok := parts[partition]
	if !ok && len(parts) >= b.MaxPartitions {
		return false
	}
	if n >= b.MaxRows {
		return false
	}
	parts[partition] = n + 1
	return true
}
