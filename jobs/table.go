package jobs

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"

	"github.com/tokumei/tokumei/dataio"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

// table is an extract read into memory as text: the header and the rows.
type table struct {
	header []string
	rows   [][]string
}

// readTable reads the extract (any encoding, CSV or XLSX).
func readTable(r io.Reader, name string) (*table, error) {
	rd, err := dataio.NewReader(r, name, dataio.Options{Encoding: "auto"})
	if err != nil {
		return nil, err
	}
	t := &table{header: append([]string(nil), rd.Header()...)}
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			return t, nil
		}
		if err != nil {
			return nil, err
		}
		t.rows = append(t.rows, append([]string(nil), rec...))
	}
}

// parseCSV reads a UTF-8 CSV (the engine's output).
func parseCSV(b []byte) (*table, error) {
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(recs) == 0 {
		return nil, fault.New(fault.Internal, "cannot reread the table for the checks", "検査のためにデータを読めません").Wrap(err)
	}
	return &table{header: recs[0], rows: recs[1:]}, nil
}

// columns returns the values column by column.
func (t *table) columns() [][]string {
	cols := make([][]string, len(t.header))
	for i := range cols {
		cols[i] = make([]string, 0, len(t.rows))
	}
	for _, r := range t.rows {
		for i := range cols {
			v := ""
			if i < len(r) {
				v = r[i]
			}
			cols[i] = append(cols[i], v)
		}
	}
	return cols
}

// distinct returns the distinct values of column i in first-seen order.
func (t *table) distinct(i int) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range t.rows {
		if i < len(r) && !seen[r[i]] {
			seen[r[i]] = true
			out = append(out, r[i])
		}
	}
	return out
}

// csv writes the table as UTF-8 CSV.
func (t *table) csv() ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(t.header)
	w.WriteAll(t.rows)
	return buf.Bytes(), w.Error()
}

// cutDates cuts the Gregorian date columns listed in level to the level
// the proposal asked for (year-month or year), so that no finer date
// reaches the engine for columns without a Japanese date hierarchy (those
// are held at that level by the hierarchy's minimum level instead).
func (t *table) cutDates(name string, level map[int]platform.Granularity) error {
	for line, r := range t.rows {
		for i, g := range level {
			v, ok := cutDate(r[i], g)
			if !ok {
				return fault.New(fault.Invalid, "a value of this date column is not a date", "日付でない値があります").At(name, line+2, i+1).In(t.header[i])
			}
			r[i] = v
		}
	}
	return nil
}

// cutDate keeps the year and month (or the year) of a Gregorian date
// written with digits (2006-01-02, 2006/1/2, 20060102); empty stays empty.
func cutDate(v string, g platform.Granularity) (string, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", true
	}
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	if len(parts) == 1 && len(v) == 8 {
		parts = []string{v[:4], v[4:6], v[6:]}
	}
	if len(parts) < 2 || len(parts[0]) != 4 || !digits(parts[0]) || !digits(parts[1]) || len(parts[1]) > 2 {
		return "", false
	}
	if g == platform.GranYear {
		return parts[0], true
	}
	m := parts[1]
	if len(m) == 1 {
		m = "0" + m
	}
	return parts[0] + "-" + m, true
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
