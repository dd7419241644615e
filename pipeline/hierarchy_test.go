package pipeline

import (
	"strings"
	"testing"

	"github.com/tokumei/tokumei/anon"
)

// The era-date builder takes fiscal_year from the spec: 2024-03-31 and
// 2024-04-01 fall in different fiscal years (令和5年度, 令和6年度) though in
// one calendar year.
func TestEraDateFiscalYear(t *testing.T) {
	values := []string{"令和6年3月31日", "2024-04-01"}
	for _, fiscal := range []bool{false, true} {
		h, err := BuildHierarchy(anon.HierarchySpec{Builder: "era-date", FiscalYear: fiscal}, values, "")
		if err != nil {
			t.Fatal(err)
		}
		var cells []string
		for _, row := range h.Rows {
			cells = append(cells, row[1:]...)
		}
		joined := strings.Join(cells, " ")
		if fiscal != strings.Contains(joined, "年度") {
			t.Errorf("fiscal_year=%v: levels %s", fiscal, joined)
		}
	}
}
