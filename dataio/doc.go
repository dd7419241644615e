// Package dataio reads and writes the tabular files local governments hand
// over: CSV in any Japanese encoding (UTF-8 with or without BOM, CP932 /
// Shift_JIS, EUC-JP; detected automatically) and Excel XLSX workbooks. Every
// file is presented the same way: a header row, then records of strings.
// CSV is streamed (a 2 GB file needs little memory); undecodable bytes and
// malformed rows are errors that name the file, line and column, never
// silently replaced. Writers write to a temporary file in the target
// directory and rename it into place on Commit.
//
// It imports the standard library, golang.org/x/text, excelize, fault and jp.
package dataio
