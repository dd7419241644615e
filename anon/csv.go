package anon

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/tokumei/tokumei/fault"
)

func fmtS(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// ReadCSV reads a UTF-8 CSV file with a header row (a byte-order mark is
// skipped) into a table. file names the source in error messages.
func ReadCSV(r io.Reader, file string, delimiter rune) (*Table, error) {
	if delimiter == 0 {
		delimiter = ','
	}
	br := bufio.NewReaderSize(r, 1<<20)
	if b, err := br.Peek(3); err == nil && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.Comma = delimiter
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fault.New(fault.Invalid, "the file is empty: no header row", "ファイルが空です（ヘッダ行がありません）").At(file, 1, 0)
	}
	if err != nil {
		return nil, csvFault(err, file)
	}
	header = append([]string(nil), header...)
	b, err := NewTableBuilder(header, file)
	if err != nil {
		return nil, err
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvFault(err, file)
		}
		line, _ := cr.FieldPos(0)
		for i, v := range rec {
			if !utf8.ValidString(v) {
				return nil, fault.New(fault.Invalid, "the value is not valid UTF-8 (give the encoding in the spec)",
					"値が UTF-8 ではありません（spec で文字コードを指定してください）").At(file, line, i+1)
			}
		}
		if err := b.Append(rec, int64(line)); err != nil {
			return nil, err
		}
	}
	return b.Build(), nil
}

func csvFault(err error, file string) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fault.Errorf(fault.Invalid, "malformed CSV: %v", pe.Err).At(file, pe.Line, pe.Column).Wrap(err)
	}
	return fault.Errorf(fault.Invalid, "cannot read: %v", err).At(file, 0, 0).Wrap(err)
}
