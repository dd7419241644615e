package platform

import (
	"slices"
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
	CaseIDs    []ID   `json:"case_ids"`
	// SharedCost is the cost shared by all bodies (setup, risk check);
	// SplitKey says how it is divided: "equal" or "equal_rows" (half equally,
	// half by source rows).
	SharedCost  int64        `json:"shared_cost"`
	SplitKey    string       `json:"split_key"`
	Rows        map[ID]int64 `json:"rows,omitempty"` // source rows per body
	Shares      map[ID]int64 `json:"shares"`         // computed share per body
	Terms       string       `json:"terms"`          // 委託契約の概要
	From        time.Time    `json:"from"`
	To          time.Time    `json:"to"`
	Published   bool         `json:"published"`
	PublishedAt *time.Time   `json:"published_at,omitempty"`
	CreatedAt   time.Time    `json:"created_at"`
}

// Validate checks the commission.
func (c *Commission) Validate() error {
	if strings.TrimSpace(c.Contractor) == "" {
		return fault.New(fault.Invalid, "contractor is required", "受託者を入力してください").In("contractor")
	}
	if len(c.BodyIDs) < 2 {
		return fault.New(fault.Invalid, "a joint commission has at least two bodies", "共同受託には2以上の実施機関が必要です").In("body_ids")
	}
	if c.SharedCost < 0 {
		return fault.New(fault.Invalid, "shared cost must not be negative", "共通経費は0以上としてください").In("shared_cost")
	}
	if c.SplitKey != "equal" && c.SplitKey != "equal_rows" {
		return fault.New(fault.Invalid, "split key must be equal or equal_rows", "按分方法は均等又は均等＋件数です").In("split_key")
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
	if c.SplitKey == "equal_rows" {
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
