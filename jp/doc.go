// Package jp holds Tokumei's knowledge of Japanese public-sector data: the
// list of local governments with their codes (全国地方公共団体コード), Japanese
// era dates (和暦), addresses (住所), character width and normalisation, and
// the hierarchy builders the anonymisation engine uses for these values.
//
// Its reference data (the local-government list and the 町字 list) is
// embedded in the package, so nothing is read from disk at run time.
//
// It imports only the standard library, golang.org/x/text and fault.
package jp
