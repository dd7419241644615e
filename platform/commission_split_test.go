package platform

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tokumei/tokumei/fault"
)

func TestCommissionSplitKeys(t *testing.T) {
	tests := []struct {
		key     string
		cost    int64
		percent map[ID]float64
		amounts map[ID]int64
		want    map[ID]int64
	}{
		{"percent", 100000, map[ID]float64{1: 50, 2: 30, 3: 20}, nil, map[ID]int64{1: 50000, 2: 30000, 3: 20000}},
		// 33.33 % of 1,000 yen is 333.3: the 1 yen left goes to the first body.
		{"percent", 1000, map[ID]float64{1: 33.34, 2: 33.33, 3: 33.33}, nil, map[ID]int64{1: 334, 2: 333, 3: 333}},
		// A body with 0 % gets nothing, not even a rounding yen.
		{"percent", 1001, map[ID]float64{1: 0, 2: 50, 3: 50}, nil, map[ID]int64{1: 0, 2: 501, 3: 500}},
		{"amount", 90000, nil, map[ID]int64{1: 10000, 2: 80000, 3: 0}, map[ID]int64{1: 10000, 2: 80000, 3: 0}},
	}
	for _, tc := range tests {
		c := Commission{Contractor: "受託者", Title: "件名", BodyIDs: []ID{1, 2, 3}, SharedCost: tc.cost, SplitKey: tc.key,
			Percent: tc.percent, Amounts: tc.amounts, From: time.Now(), To: time.Now().AddDate(1, 0, 0)}
		if err := c.Validate(); err != nil {
			t.Fatalf("%s %v: %v", tc.key, tc.want, err)
		}
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

// A split that does not account for the whole cost is refused with a
// Japanese message naming the field.
func TestCommissionValidate(t *testing.T) {
	base := func() Commission {
		return Commission{Contractor: "受託者", Title: "件名", BodyIDs: []ID{1, 2}, SharedCost: 1000, SplitKey: "equal",
			From: time.Date(2026, 4, 1, 0, 0, 0, 0, JST), To: time.Date(2027, 3, 31, 0, 0, 0, 0, JST)}
	}
	tests := []struct {
		name   string
		change func(*Commission)
		field  string
		ja     string
	}{
		{"percent short", func(c *Commission) { c.SplitKey, c.Percent = "percent", map[ID]float64{1: 60, 2: 35} }, "percent", "按分割合（%）の合計が100%になっていません（合計 95%）"},
		{"percent over", func(c *Commission) { c.SplitKey, c.Percent = "percent", map[ID]float64{1: 60, 2: 40.5} }, "percent", "合計 100.5%"},
		{"percent negative", func(c *Commission) { c.SplitKey, c.Percent = "percent", map[ID]float64{1: 110, 2: -10} }, "percent", "0以上"},
		{"percent other body", func(c *Commission) { c.SplitKey, c.Percent = "percent", map[ID]float64{1: 50, 9: 50} }, "percent", "委託元でない"},
		{"amounts short", func(c *Commission) { c.SplitKey, c.Amounts = "amount", map[ID]int64{1: 500, 2: 400} }, "amounts", "按分額（円）の合計 900円 が共通経費 1,000円 と一致しません"},
		{"amounts over", func(c *Commission) { c.SplitKey, c.Amounts = "amount", map[ID]int64{1: 500, 2: 600} }, "amounts", "1,100円"},
		{"unknown key", func(c *Commission) { c.SplitKey = "ad hoc" }, "split_key", "按分方法"},
		{"one body", func(c *Commission) { c.BodyIDs = []ID{1} }, "body_ids", "2以上"},
		{"body twice", func(c *Commission) { c.BodyIDs = []ID{1, 1} }, "body_ids", "重複"},
		{"no contractor", func(c *Commission) { c.Contractor = " " }, "contractor", "受託者"},
		{"period reversed", func(c *Commission) { c.To = c.From.AddDate(0, 0, -1) }, "from", "期間"},
		{"no period", func(c *Commission) { c.From = time.Time{} }, "from", "期間"},
		{"negative cost", func(c *Commission) { c.SharedCost = -1 }, "shared_cost", "0以上"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := base()
			tc.change(&c)
			err := c.Validate()
			var f *fault.Error
			if !errors.As(err, &f) || f.Code != fault.Invalid || f.Field != tc.field || !strings.Contains(f.MessageJA, tc.ja) {
				t.Fatalf("got %#v, want invalid %s with %q", err, tc.field, tc.ja)
			}
		})
	}
}
