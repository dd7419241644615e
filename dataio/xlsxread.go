package dataio

import (
	"io"

	"github.com/tokumei/tokumei/fault"
	"github.com/xuri/excelize/v2"
)

// xlsxSource reads the cells of one sheet as displayed (formatted values,
// as a Japanese Excel would export them to CSV). Rows are numbered as in
// Excel.
type xlsxSource struct {
	name string
	f    *excelize.File
	rows *excelize.Rows
	row  int
}

func newXLSXSource(r io.Reader, name, sheet string) (*xlsxSource, error) {
	// Cells are rendered as a Japanese Excel shows them: built-in date
	// format 14 as 2024/4/1 (not the ambiguous US 04-01-24), the ja-JP
	// formats as R6.4.1 or 令和6年4月1日 — all readable by jp.ParseDate.
	f, err := excelize.OpenReader(r, excelize.Options{
		CultureInfo:      excelize.CultureNameJaJP,
		ShortDatePattern: "yyyy/m/d",
	})
	if err != nil {
		return nil, fault.New(fault.Invalid, "cannot read the file as an Excel workbook (.xlsx)",
			"Excelブック（.xlsx）として読めません").At(name, 0, 0).Wrap(err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, fault.New(fault.Invalid, "the workbook has no sheet", "ブックにシートがありません").At(name, 0, 0)
	}
	if sheet == "" {
		sheet = sheets[0]
	}
	idx, err := f.GetSheetIndex(sheet)
	if err != nil || idx < 0 {
		f.Close()
		return nil, fault.New(fault.NotFound, "the workbook has no sheet named "+quote(sheet),
			"ブックに "+quote(sheet)+" という名前のシートがありません").At(name, 0, 0).In("sheet")
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, fault.New(fault.Invalid, "cannot read sheet "+quote(sheet),
			"シート "+quote(sheet)+" を読めません").At(name, 0, 0).Wrap(err)
	}
	return &xlsxSource{name: name, f: f, rows: rows}, nil
}

func quote(s string) string { return "\"" + s + "\"" }

func (x *xlsxSource) detection() Detection { return Detection{Name: "utf-8", Confidence: 1} }
func (x *xlsxSource) padsShortRows() bool  { return true }

func (x *xlsxSource) next() ([]string, int, error) {
	for x.rows.Next() {
		x.row++
		cols, err := x.rows.Columns()
		if err != nil {
			return nil, 0, fault.New(fault.Invalid, "cannot read this row of the sheet",
				"シートのこの行を読めません").At(x.name, x.row, 0).Wrap(err)
		}
		if blank(cols) {
			continue
		}
		return cols, x.row, nil
	}
	if err := x.rows.Error(); err != nil {
		return nil, 0, fault.New(fault.Invalid, "cannot read the sheet", "シートを読めません").
			At(x.name, x.row+1, 0).Wrap(err)
	}
	return nil, 0, io.EOF
}

func blank(cols []string) bool {
	for _, c := range cols {
		if c != "" {
			return false
		}
	}
	return true
}

func (x *xlsxSource) Close() error {
	if x.f == nil {
		return nil
	}
	x.rows.Close()
	err := x.f.Close()
	x.f = nil
	return err
}
