package platform

import (
	"testing"
	"time"
)

func TestFeeCompute(t *testing.T) {
	ft := DefaultFeeTable(1, time.Time{})
	tests := []struct {
		name  string
		basis FeeBasis
		hours float64
		out   int64
		orig  int64
		want  int64
		bad   bool
	}{
		{"worked example 10.5h + 110,000", FeeNew, 10.5, 110000, 0, 174450, false},
		{"whole hours", FeeNew, 2, 0, 0, 21000 + 7900, false},
		{"started hour counts", FeeNew, 2.01, 0, 0, 21000 + 3*3950, false},
		{"zero hours", FeeNew, 0, 0, 0, 21000, false},
		{"negative hours", FeeNew, -1, 0, 0, 0, true},
		{"reuse = original fee", FeeReuse, 0, 0, 174450, 174450, false},
		{"reuse without original", FeeReuse, 0, 0, 0, 0, true},
		{"change", FeeChange, 0, 0, 0, 12600, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ft.Compute(tc.basis, tc.hours, tc.out, tc.orig)
			if tc.bad != (err != nil) {
				t.Fatalf("err = %v", err)
			}
			if !tc.bad && f.Total != tc.want {
				t.Errorf("total %d, want %d (lines %v)", f.Total, tc.want, f.Lines)
			}
		})
	}
}

func TestFeeTableAt(t *testing.T) {
	d := func(y int) time.Time { return time.Date(y, 4, 1, 0, 0, 0, 0, JST) }
	tables := []FeeTable{
		{BodyID: 1, EffectiveFrom: d(2026), Base: 30000, PerHour: 4000},
		{BodyID: 1, EffectiveFrom: d(2024), Base: 21000, PerHour: 3950},
		{BodyID: 2, EffectiveFrom: d(2020), Base: 99999},
	}
	if got := FeeTableAt(tables, 1, d(2025)).Base; got != 21000 {
		t.Errorf("2025: base %d", got)
	}
	if got := FeeTableAt(tables, 1, d(2027)).Base; got != 30000 {
		t.Errorf("2027: base %d", got)
	}
	if got := FeeTableAt(tables, 1, d(2023)).Base; got != DefaultFeeBase {
		t.Errorf("before any table: base %d, want default", got)
	}
	if got := FormatYen(174450); got != "174,450円" {
		t.Errorf("FormatYen = %s", got)
	}
}

func TestCommissionSplit(t *testing.T) {
	tests := []struct {
		key  string
		cost int64
		rows map[ID]int64
		want map[ID]int64
	}{
		{"equal", 100000, nil, map[ID]int64{1: 33334, 2: 33333, 3: 33333}},
		{"equal_rows", 90000, map[ID]int64{1: 1000, 2: 2000, 3: 0}, map[ID]int64{1: 30000, 2: 45000, 3: 15000}},
	}
	for _, tc := range tests {
		c := Commission{BodyIDs: []ID{1, 2, 3}, SharedCost: tc.cost, SplitKey: tc.key, Rows: tc.rows}
		c.Split()
		var sum int64
		for b, w := range tc.want {
			if c.Shares[b] != w {
				t.Errorf("%s: body %d share %d, want %d", tc.key, b, c.Shares[b], w)
			}
			sum += c.Shares[b]
		}
		if sum != tc.cost {
			t.Errorf("%s: shares sum %d, want %d", tc.key, sum, tc.cost)
		}
	}
}
