// Package dp holds differential-privacy primitives for Tokumei's statistics
// (統計情報): exact, floating-point-free samplers for the discrete Laplace and
// discrete Gaussian distributions after Canonne, Kamath and Steinke, "The
// Discrete Gaussian for Differential Privacy" (NeurIPS 2020), the additive
// mechanisms built on them, contribution bounding, and a privacy-budget
// accountant keyed by dataset and by population across releases.
//
// Sampling uses only integer and rational arithmetic (math/big) over a
// uniform random byte source, crypto/rand by default, so the floating-point
// attacks of Mironov (CCS 2012) do not apply. Accounting values are float64:
// they are not secret.
//
// dp imports only the standard library.
package dp
