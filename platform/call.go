package platform

import (
	"slices"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// MinCallDays is the shortest call period: 30 days (毎年度1回以上、30日以上).
const MinCallDays = 30

// Call is a body's call for proposals (提案の募集, 募集要項): the target files,
// the period and the public notice (公示, Rule art. 53(2)).
type Call struct {
	ID        ID        `json:"id"`
	BodyID    ID        `json:"body_id"`
	Title     string    `json:"title"`
	FiscalYr  int       `json:"fiscal_year"` // 年度
	EntryIDs  []ID      `json:"entry_ids"`   // target files (register entries)
	OpensAt   time.Time `json:"opens_at"`
	ClosesAt  time.Time `json:"closes_at"`
	Office    string    `json:"office"` // 提案を受ける組織の名称及び所在地
	Notice    string    `json:"notice"` // text of the public notice
	NoticeURL string    `json:"notice_url,omitempty"`
	// MaxUseMonths is the longest use period the body accepts (criterion 5);
	// the law sets it by rule, the value is not found, so each call states it.
	MaxUseMonths int        `json:"max_use_months"`
	Published    bool       `json:"published"`
	PublishedAt  *time.Time `json:"published_at,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
}

// State returns the call's state at now: CALL_DRAFT until published, then
// CALL_PUBLISHED, CALL_OPEN in [OpensAt, ClosesAt), CALL_CLOSED after.
func (c *Call) State(now time.Time) State {
	switch {
	case !c.Published:
		return CallDraft
	case now.Before(c.OpensAt):
		return CallPublished
	case now.Before(c.ClosesAt):
		return CallOpen
	}
	return CallClosed
}

// Open reports whether proposals for entry are accepted at now.
func (c *Call) Open(now time.Time, entry ID) bool {
	return c.State(now) == CallOpen && slices.Contains(c.EntryIDs, entry)
}

// Validate checks the call; the period must be at least 30 days.
func (c *Call) Validate() error {
	if strings.TrimSpace(c.Title) == "" {
		return fault.New(fault.Invalid, "title is required", "件名を入力してください").In("title")
	}
	if len(c.EntryIDs) == 0 {
		return fault.New(fault.Invalid, "at least one target file is required", "対象の個人情報ファイルを1つ以上選択してください").In("entry_ids")
	}
	if c.ClosesAt.Sub(c.OpensAt) < MinCallDays*24*time.Hour {
		return fault.New(fault.Invalid, "the call period must be at least 30 days", "募集期間は30日以上としてください").In("closes_at")
	}
	if strings.TrimSpace(c.Office) == "" {
		return fault.New(fault.Invalid, "receiving office is required", "提案を受ける組織の名称及び所在地を入力してください").In("office")
	}
	if c.MaxUseMonths <= 0 {
		return fault.New(fault.Invalid, "maximum use period is required", "利用期間の上限（月数）を入力してください").In("max_use_months")
	}
	return nil
}

// ValidateNotice checks what publishing needs: the notice text.
func (c *Call) ValidateNotice() error {
	if strings.TrimSpace(c.Notice) == "" {
		return fault.New(fault.Invalid, "notice text is required to publish", "公示文を入力してください").In("notice")
	}
	return nil
}
