// Package standard holds the legal processing standard for anonymised
// information held by administrative organs (行政機関等匿名加工情報, PPC Rule
// art. 62 加工基準): detectors that profile a personal-information file
// column by column (identifiers 個人識別記述, identification codes 個人識別符号,
// linking codes 連結符号, quasi-identifiers, sensitive attributes) and find
// peculiar values (特異な記述); a draft job spec; the five Rule 62 checks as
// automatic checks with a release gate that needs a second person's override;
// the processing record (加工の記録) as JSON and as a printable Japanese HTML
// page; and ready templates for typical local-government files.
//
// The record is built by BuildRecord from a Run, for the platform's
// processing job and for `tokumei anonymize` alike.
//
// It imports the standard library, golang.org/x/text, package fault,
// package anon (the spec types, for the record's generalisation and
// parameters, as DESIGN.md allows) and package anon/risk. The draft spec
// and the templates are written with the public JSON keys of the spec
// contract.
package standard
