// Package sdc holds perturbative and local statistical-disclosure-control
// methods that complement full-domain generalisation: local suppression of
// single cells (セル削除), top and bottom coding (トップ・ボトムコーディング),
// microaggregation (ミクロアグリゲーション: MDAV and a Gower-distance variant
// for mixed data), additive and multiplicative noise (ノイズ付加), targeted
// record swapping within strata (データ交換), PRAM, record sampling
// (レコード一部抽出), Mondrian local recoding, keyed irreversible pseudonyms
// (仮ID) and row shuffling.
//
// Methods work on plain columns ([]string, []float64) so that they do not
// depend on the engine's table. Every random method takes a *Seed: nil means
// a fresh seed from crypto/rand; the seed actually used is returned so it can
// be kept as processing-method information (加工方法等情報) for audit and
// never published. The generator is ChaCha8 keyed by the seed.
//
// sdc imports the standard library, package fault and package anon/risk.
package sdc

import (
	"crypto/rand"
	"encoding/hex"
	mrand "math/rand/v2"

	"github.com/tokumei/tokumei/fault"
)

// Seed keys the random generator of one method run.
type Seed [32]byte

// NewSeed returns a seed from crypto/rand.
func NewSeed() Seed {
	var s Seed
	if _, err := rand.Read(s[:]); err != nil {
		panic("sdc: crypto/rand failed: " + err.Error())
	}
	return s
}

// ParseSeed reads a seed written by Seed.String (64 hex digits).
func ParseSeed(h string) (Seed, error) {
	var s Seed
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != len(s) {
		return s, fault.New(fault.Invalid, "seed must be 64 hexadecimal digits", "シードは16進数64桁で指定してください").In("seed")
	}
	copy(s[:], b)
	return s, nil
}

// String returns the seed in hex. It is processing-method information: keep
// it out of anything published.
func (s Seed) String() string { return hex.EncodeToString(s[:]) }

// resolve returns the seed to use and a generator keyed by it.
func resolve(seed *Seed) (Seed, *mrand.Rand) {
	var s Seed
	if seed == nil || *seed == (Seed{}) {
		s = NewSeed()
	} else {
		s = *seed
	}
	return s, mrand.New(mrand.NewChaCha8(s))
}
