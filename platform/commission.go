package platform

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// Commission is a joint commission (共同受託): one contractor processing for
// several bodies under commission, with the split of shared costs. Commission
// records are public once published.
type Commission struct {
	ID         ID     `json:"id"`
	Contractor string `json:"contractor"` // 受託者
	Title      string `json:"title"`
	BodyIDs    []ID   `json:"body_ids"`
	EntryIDs   []ID   `json:"entry_ids,omitempty"` // scope: the bodies' files processed (register entries)
	CaseIDs    []ID   `json:"case_ids"`
	// SharedCost is the cost shared by all bodies (setup, risk check);
	// SplitKey says how it is divided: "equal", "equal_rows" (half equally,
	// half by source rows), "percent" (Percent per body, summing to 100) or
	// "amount" (Amounts per body, summing to SharedCost).
	SharedCost  int64          `json:"shared_cost"`
	SplitKey    string         `json:"split_key"`
	Rows        map[ID]int64   `json:"rows,omitempty"`    // source rows per body
	Percent     map[ID]float64 `json:"percent,omitempty"` // percentage per body ("percent")
	Amounts     map[ID]int64   `json:"amounts,omitempty"` // yen per body ("amount")
	Shares      map[ID]int64   `json:"shares"`            // computed share per body
	Terms       string         `json:"terms"`             // 委託契約の概要
	From        time.Time      `json:"from"`
	To          time.Time      `json:"to"`
	Published   bool           `json:"published"`
	PublishedAt *time.Time     `json:"published_at,omitempty"`
	CreatedAt   time.Time      `json:"created_at"`
}

// Split keys.
const (
	SplitEqual     = "equal"
	SplitEqualRows = "equal_rows"
	SplitPercent   = "percent"
	SplitAmount    = "amount"
)

// Validate checks the commission: contractor, at least two distinct bodies,
// the period, and a split that accounts for the whole shared cost (the
// percentages sum to 100, or the amounts to the shared cost).
func (c *Commission) Validate() error {
	if strings.TrimSpace(c.Contractor) == "" {
		return fault.New(fault.Invalid, "contractor is required", "受託者を入力してください").In("contractor")
	}
	if strings.TrimSpace(c.Title) == "" {
		return fault.New(fault.Invalid, "title is required", "件名を入力してください").In("title")
	}
	if len(c.BodyIDs) < 2 {
		return fault.New(fault.Invalid, "a joint commission has at least two bodies", "共同受託には2以上の実施機関（委託元）が必要です").In("body_ids")
	}
	seen := map[ID]bool{}
	for _, b := range c.BodyIDs {
		if seen[b] {
			return fault.New(fault.Invalid, "a body is listed twice", "委託元の実施機関が重複しています").In("body_ids")
		}
		seen[b] = true
	}
	if c.From.IsZero() || c.To.IsZero() || c.To.Before(c.From) {
		return fault.New(fault.Invalid, "the period must have a start and an end not before it", "委託の期間（開始日・終了日）を、終了日が開始日より前にならないよう入力してください").In("from")
	}
	if c.SharedCost < 0 {
		return fault.New(fault.Invalid, "shared cost must not be negative", "共通経費は0以上としてください").In("shared_cost")
	}
	switch c.SplitKey {
	case SplitEqual, SplitEqualRows:
		return nil
	case SplitPercent:
		return c.validatePercent(seen)
	case SplitAmount:
		return c.validateAmounts(seen)
	}
	return fault.New(fault.Invalid, "split key must be equal, equal_rows, percent or amount",
		"按分方法は「均等」「半額均等・半額件数比」「割合（%）」「金額」のいずれかを選んでください").In("split_key")
}

// basisPoints is a percentage in hundredths of a percent.
func basisPoints(p float64) int64 { return int64(math.Round(p * 100)) }

func (c *Commission) validatePercent(bodies map[ID]bool) error {
	var sum int64
	for b, p := range c.Percent {
		if !bodies[b] {
			return fault.New(fault.Invalid, "a percentage for a body outside the commission", "按分割合（%）に委託元でない実施機関が含まれています").In("percent")
		}
		if p < 0 || math.IsNaN(p) {
			return fault.New(fault.Invalid, "percentages must not be negative", "按分割合（%）は0以上としてください").In("percent")
		}
		sum += basisPoints(p)
	}
	if sum != 10000 {
		return fault.New(fault.Invalid, "the percentages sum to "+strconv.FormatFloat(float64(sum)/100, 'f', -1, 64)+" %, not 100 %",
			"按分割合（%）の合計が100%になっていません（合計 "+strconv.FormatFloat(float64(sum)/100, 'f', -1, 64)+"%）").In("percent")
	}
	return nil
}

func (c *Commission) validateAmounts(bodies map[ID]bool) error {
	var sum int64
	for b, v := range c.Amounts {
		if !bodies[b] {
			return fault.New(fault.Invalid, "an amount for a body outside the commission", "按分額（円）に委託元でない実施機関が含まれています").In("amounts")
		}
		if v < 0 {
			return fault.New(fault.Invalid, "amounts must not be negative", "按分額（円）は0以上としてください").In("amounts")
		}
		sum += v
	}
	if sum != c.SharedCost {
		return fault.New(fault.Invalid, "the amounts sum to "+strconv.FormatInt(sum, 10)+" yen, not the shared cost "+strconv.FormatInt(c.SharedCost, 10),
			"按分額（円）の合計 "+FormatYen(sum)+" が共通経費 "+FormatYen(c.SharedCost)+" と一致しません").In("amounts")
	}
	return nil
}

// Split computes Shares so that they sum to SharedCost exactly; a rounding
// remainder goes to the bodies in BodyIDs order, one yen each.
func (c *Commission) Split() {
	n := int64(len(c.BodyIDs))
	c.Shares = map[ID]int64{}
	if n == 0 {
		return
	}
	ids := slices.Clone(c.BodyIDs)
	switch c.SplitKey {
	case SplitAmount:
		for _, b := range ids {
			c.Shares[b] = c.Amounts[b]
		}
		return
	case SplitPercent:
		var used int64
		for _, b := range ids {
			c.Shares[b] = c.SharedCost * basisPoints(c.Percent[b]) / 10000
			used += c.Shares[b]
		}
		var some []ID // the remainder goes to bodies with a share
		for _, b := range ids {
			if c.Percent[b] > 0 {
				some = append(some, b)
			}
		}
		if len(some) > 0 {
			distribute(c.Shares, some, c.SharedCost-used)
		}
		return
	}
	if c.SplitKey == SplitEqualRows {
		var total int64
		for _, b := range ids {
			total += c.Rows[b]
		}
		if total > 0 {
			half := c.SharedCost / 2
			var used int64
			for _, b := range ids {
				s := (c.SharedCost-half)/n + half*c.Rows[b]/total
				c.Shares[b] = s
				used += s
			}
			distribute(c.Shares, ids, c.SharedCost-used)
			return
		}
	}
	for _, b := range ids {
		c.Shares[b] = c.SharedCost / n
	}
	distribute(c.Shares, ids, c.SharedCost-c.SharedCost/n*n)
}

func distribute(shares map[ID]int64, ids []ID, rest int64) {
	for i := 0; rest > 0; i = (i + 1) % len(ids) {
		shares[ids[i]]++
		rest--
	}
}
