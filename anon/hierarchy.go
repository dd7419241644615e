package anon

import (
	"bufio"
	"encoding/csv"
	"io"
	"slices"
	"strings"

	"github.com/tokumei/tokumei/fault"
)

// Hierarchy is a generalisation hierarchy (一般化階層) in ARX's layout: one
// row per original value, level 0 (the value itself) first, the last level
// the most general one (usually "*"). Every row has the same number of
// levels.
type Hierarchy struct {
	Source string     // file name or builder, for error messages
	Rows   [][]string // Rows[i][0] is an original value
	Lines  []int      // 1-based source line of each row, when read from a file
}

// Levels returns the number of levels, level 0 included.
func (h *Hierarchy) Levels() int {
	if len(h.Rows) == 0 {
		return 0
	}
	return len(h.Rows[0])
}

func (h *Hierarchy) line(i int) int {
	if h.Lines != nil {
		return h.Lines[i]
	}
	return i + 1
}

// ReadHierarchy reads an ARX hierarchy file: no header, one row per value,
// delimiter ';' when 0. Rows with uneven levels are an error naming the line.
func ReadHierarchy(r io.Reader, file string, delimiter rune) (*Hierarchy, error) {
	if delimiter == 0 {
		delimiter = ';'
	}
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.Comma = delimiter
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	h := &Hierarchy{Source: file}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvFault(err, file)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && rec[0] == "" {
			continue
		}
		h.Rows = append(h.Rows, rec)
		h.Lines = append(h.Lines, line)
	}
	if err := h.Validate(); err != nil {
		return nil, err
	}
	return h, nil
}

// HierarchyFromRows makes a hierarchy from rows in ARX layout (row[0] the
// value, the last element the root) and validates it.
func HierarchyFromRows(rows [][]string) (*Hierarchy, error) {
	h := &Hierarchy{Source: "hierarchy", Rows: rows}
	if err := h.Validate(); err != nil {
		return nil, err
	}
	return h, nil
}

// Validate checks that the hierarchy is non-empty, that every row has the
// same number of levels, that level-0 values are unique, and that it is a
// tree: a label at level L always generalises to the same label at L+1.
// A value may appear twice only in identical rows (as in ARX's FARS files);
// such rows count twice in the Loss metric's domain size, as in ARX.
func (h *Hierarchy) Validate() error {
	if len(h.Rows) == 0 || len(h.Rows[0]) == 0 {
		return fault.New(fault.Invalid, "the hierarchy is empty", "一般化階層が空です").At(h.Source, 0, 0)
	}
	n := len(h.Rows[0])
	seen := make(map[string]int, len(h.Rows))
	for i, row := range h.Rows {
		if len(row) != n {
			return fault.New(fault.Invalid,
				fmtS("uneven levels: this row has %d levels, the first row has %d", len(row), n),
				fmtS("階層の段数が不揃いです（この行は %d 段、先頭行は %d 段）", len(row), n)).
				At(h.Source, h.line(i), min(len(row), n)+1)
		}
		if j, dup := seen[row[0]]; dup && !slices.Equal(row, h.Rows[j]) {
			return fault.New(fault.Invalid,
				fmtS("value %q appears twice (first on line %d)", row[0], h.line(j)),
				fmtS("値 %q が二度現れます（最初は %d 行目）", row[0], h.line(j))).At(h.Source, h.line(i), 1)
		}
		seen[row[0]] = i
	}
	for l := 1; l+1 < n; l++ {
		parent := map[string]string{}
		for i, row := range h.Rows {
			p, ok := parent[row[l]]
			if !ok {
				parent[row[l]] = row[l+1]
			} else if p != row[l+1] {
				return fault.New(fault.Invalid,
					fmtS("label %q at level %d generalises both to %q and to %q: a hierarchy must be a tree", row[l], l, p, row[l+1]),
					fmtS("レベル %d のラベル %q が %q と %q の両方に一般化されています（階層は木でなければなりません）", l, row[l], p, row[l+1])).
					At(h.Source, h.line(i), l+2)
			}
		}
	}
	return nil
}

// WriteARX writes the hierarchy in ARX format with the delimiter (';' when 0).
func (h *Hierarchy) WriteARX(w io.Writer, delimiter rune) error {
	if delimiter == 0 {
		delimiter = ';'
	}
	cw := csv.NewWriter(w)
	cw.Comma = delimiter
	for _, row := range h.Rows {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// String returns the hierarchy in ARX format.
func (h *Hierarchy) String() string {
	var b strings.Builder
	h.WriteARX(&b, ';')
	return b.String()
}
