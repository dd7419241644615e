package dp

import (
	"crypto/rand"
	"errors"
	"io"
	"math/big"
)

// Sampler draws exact samples from discrete distributions. Its source must
// yield uniform random bytes; nil means crypto/rand. A Sampler is not safe
// for concurrent use when its source is not.
type Sampler struct {
	Source io.Reader
}

var (
	bigOne = big.NewInt(1)
	bigTwo = big.NewInt(2)
)

// ErrParameter reports a parameter out of range (a zero or negative scale).
var ErrParameter = errors.New("dp: parameter out of range")

func (s *Sampler) src() io.Reader {
	if s == nil || s.Source == nil {
		return rand.Reader
	}
	return s.Source
}

// uniform returns an integer uniform on [0, n), n > 0.
func (s *Sampler) uniform(n *big.Int) *big.Int {
	v, err := rand.Int(s.src(), n)
	if err != nil {
		// crypto/rand never fails on Linux; a broken test source is a bug.
		panic("dp: random source failed: " + err.Error())
	}
	return v
}

// bernoulli returns true with probability num/den, 0 <= num <= den, den > 0.
func (s *Sampler) bernoulli(num, den *big.Int) bool {
	return s.uniform(den).Cmp(num) < 0
}

// BernoulliExp returns true with probability exp(-gamma), gamma >= 0
// (CKS20 Algorithm 1), using only rational arithmetic.
func (s *Sampler) BernoulliExp(gamma *big.Rat) bool {
	if gamma.Sign() < 0 {
		panic("dp: BernoulliExp of a negative gamma")
	}
	num, den := gamma.Num(), gamma.Denom()
	whole := new(big.Int).Quo(num, den)
	for i := new(big.Int); i.Cmp(whole) < 0; i.Add(i, bigOne) {
		if !s.bernoulliExpUnit(bigOne, bigOne) {
			return false
		}
	}
	rem := new(big.Int).Rem(num, den)
	return s.bernoulliExpUnit(rem, den)
}

// bernoulliExpUnit returns true with probability exp(-n/d) for 0 <= n/d <= 1.
func (s *Sampler) bernoulliExpUnit(n, d *big.Int) bool {
	k := int64(1)
	kd := new(big.Int)
	for {
		kd.Mul(d, big.NewInt(k))
		if !s.bernoulli(n, kd) {
			break
		}
		k++
	}
	return k%2 == 1
}

// DiscreteLaplace returns a sample Y with P[Y=y] proportional to
// exp(-|y|/scale), scale > 0 rational (CKS20 Algorithm 2, scale = t/s).
func (s *Sampler) DiscreteLaplace(scale *big.Rat) (*big.Int, error) {
	if scale.Sign() <= 0 {
		return nil, ErrParameter
	}
	t, sn := scale.Num(), scale.Denom() // scale = t/sn
	one := new(big.Rat).SetInt64(1)
	for {
		u := s.uniform(t)
		if !s.BernoulliExp(new(big.Rat).SetFrac(u, t)) {
			continue
		}
		v := new(big.Int)
		for s.BernoulliExp(one) {
			v.Add(v, bigOne)
		}
		x := v.Mul(v, t)
		x.Add(x, u)
		y := x.Quo(x, sn)
		neg := s.bernoulli(bigOne, bigTwo)
		if neg && y.Sign() == 0 {
			continue
		}
		if neg {
			y.Neg(y)
		}
		return y, nil
	}
}

// DiscreteGaussian returns a sample Y with P[Y=y] proportional to
// exp(-y²/(2·sigma2)), sigma2 > 0 rational (CKS20 Algorithm 3).
func (s *Sampler) DiscreteGaussian(sigma2 *big.Rat) (*big.Int, error) {
	if sigma2.Sign() <= 0 {
		return nil, ErrParameter
	}
	fl := new(big.Int).Quo(sigma2.Num(), sigma2.Denom())
	t := new(big.Int).Sqrt(fl) // floor(sqrt(sigma2))
	t.Add(t, bigOne)
	tr := new(big.Rat).SetInt(t)
	s2t := new(big.Rat).Quo(sigma2, tr)                 // sigma²/t
	twoS2 := new(big.Rat).Mul(sigma2, big.NewRat(2, 1)) // 2 sigma²
	for {
		y, _ := s.DiscreteLaplace(tr)
		g := new(big.Rat).SetInt(new(big.Int).Abs(y))
		g.Sub(g, s2t)
		g.Mul(g, g)
		g.Quo(g, twoS2)
		if s.BernoulliExp(g) {
			return y, nil
		}
	}
}
