// Package anon holds Tokumei's microdata engine (匿名加工情報の作成): a
// columnar, dictionary-encoded table with 64-bit row indexes, generalisation
// hierarchies (ARX file format and builders), privacy models (k-anonymity,
// ℓ-diversity, t-closeness, δ-presence, k-map), information-loss metrics, and
// the search for the optimal full-domain generalisation with suppression over
// the lattice of transformations, with ARX's semantics so that results can be
// compared exactly. It also holds Spec, the JSON job description shared by
// the Go API, the CLI and the platform.
//
// anon imports only the standard library and package fault, so that it
// stands alone; reading Japanese encodings and XLSX is left to package
// dataio, and the wiring of a whole job to package pipeline.
package anon
