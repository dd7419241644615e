package dataio

import (
	"io"

	"github.com/tokumei/tokumei/fault"
	"github.com/xuri/excelize/v2"
)

// xlsxSink writes every cell as text (codes keep their leading zeros) with
// excelize's stream writer.
type xlsxSink struct {
	name string
	w    io.Writer
	f    *excelize.File
	sw   *excelize.StreamWriter
	vals []any
}

func newXLSXSink(w io.Writer, name, sheet string) (*xlsxSink, error) {
	f := excelize.NewFile()
	if sheet == "" {
		sheet = "Sheet1"
	}
	if sheet != "Sheet1" {
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			return nil, fault.New(fault.Invalid, "invalid sheet name "+quote(sheet), "シート名 "+quote(sheet)+" は使えません").
				In("sheet").Wrap(err)
		}
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, fault.New(fault.Invalid, "invalid sheet name "+quote(sheet), "シート名 "+quote(sheet)+" は使えません").
			In("sheet").Wrap(err)
	}
	return &xlsxSink{name: name, w: w, f: f, sw: sw}, nil
}

func (x *xlsxSink) writeRow(row []string, line int, header []string) error {
	if line > excelize.TotalRows {
		return fault.New(fault.TooLarge, "more rows than an Excel sheet can hold (1,048,576)",
			"Excelのシートに入る行数（1,048,576行）を超えています").At(x.name, line, 0)
	}
	if len(row) > excelize.MaxColumns {
		return fault.New(fault.TooLarge, "more columns than an Excel sheet can hold (16,384)",
			"Excelのシートに入る列数（16,384列）を超えています").At(x.name, line, 0)
	}
	x.vals = x.vals[:0]
	for i, v := range row {
		if len([]rune(v)) > excelize.TotalCellChars {
			return locate(fault.New(fault.TooLarge, "a cell holds at most 32,767 characters",
				"セルには32,767文字までしか入りません"), x.name, line, i, header)
		}
		x.vals = append(x.vals, v)
	}
	cell, _ := excelize.CoordinatesToCellName(1, line)
	if err := x.sw.SetRow(cell, x.vals); err != nil {
		return fault.New(fault.Invalid, "cannot write this row", "この行を書き込めません").At(x.name, line, 0).Wrap(err)
	}
	return nil
}

func (x *xlsxSink) flush() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	return x.f.Write(x.w)
}
