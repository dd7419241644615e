package platform

import (
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// Default fee amounts of the Cabinet Order (施行令第31条, not re-verified):
// the standard that local ordinances copy.
const (
	DefaultFeeBase       = 21000 // 基本額
	DefaultFeePerHour    = 3950  // 作成に要する時間1時間までごとに
	DefaultFeeChangeOnly = 12600 // 事業の変更の提案に係る契約（第118条）
)

// FeeTable is a body's fee schedule (手数料条例) from a date on.
type FeeTable struct {
	ID            ID        `json:"id"`
	BodyID        ID        `json:"body_id"`
	EffectiveFrom time.Time `json:"effective_from"`
	Base          int64     `json:"base"`
	PerHour       int64     `json:"per_hour"`
	ChangeFee     int64     `json:"change_fee"` // existing contractor changing its business (art. 118)
	Ordinance     string    `json:"ordinance"`  // e.g. 〇〇市個人情報の保護に関する法律施行条例第8条
}

// DefaultFeeTable returns the Cabinet-Order standard from date from.
func DefaultFeeTable(body ID, from time.Time) FeeTable {
	return FeeTable{BodyID: body, EffectiveFrom: from, Base: DefaultFeeBase, PerHour: DefaultFeePerHour,
		ChangeFee: DefaultFeeChangeOnly, Ordinance: "手数料の標準（個人情報の保護に関する法律施行令）"}
}

// Validate checks the amounts.
func (f *FeeTable) Validate() error {
	if f.Base < 0 || f.PerHour < 0 || f.ChangeFee < 0 {
		return fault.New(fault.Invalid, "amounts must not be negative", "金額は0以上としてください").In("base")
	}
	if f.EffectiveFrom.IsZero() {
		return fault.New(fault.Invalid, "effective date is required", "施行日を入力してください").In("effective_from")
	}
	return nil
}

// FeeTableAt returns the table in force at t: the latest EffectiveFrom <= t.
// With no table in force it returns the Cabinet-Order default.
func FeeTableAt(tables []FeeTable, body ID, t time.Time) FeeTable {
	sorted := append([]FeeTable(nil), tables...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].EffectiveFrom.Before(sorted[j].EffectiveFrom) })
	best := DefaultFeeTable(body, time.Time{})
	for _, ft := range sorted {
		if ft.BodyID == body && !ft.EffectiveFrom.After(t) {
			best = ft
		}
	}
	return best
}

// FeeBasis says how a fee was computed.
type FeeBasis string

// Fee bases.
const (
	FeeNew    FeeBasis = "new"    // 第119条第3項: base + per started hour + outsourcing
	FeeReuse  FeeBasis = "reuse"  // 第118条 new user: the original contract's fee
	FeeChange FeeBasis = "change" // 第118条 contractor changing its business
)

// FeeLine is one line of an invoice.
type FeeLine struct {
	Label  string `json:"label"`
	Amount int64  `json:"amount"`
}

// Fee is a computed fee with its lines.
type Fee struct {
	Basis       FeeBasis  `json:"basis"`
	Hours       float64   `json:"hours"`
	Outsourcing int64     `json:"outsourcing"`
	Lines       []FeeLine `json:"lines"`
	Total       int64     `json:"total"`
}

// Compute returns the fee under table ft. For FeeNew: Base + PerHour ×
// ⌈hours⌉ + outsourcing; for FeeReuse: originalFee; for FeeChange: ChangeFee.
func (ft FeeTable) Compute(basis FeeBasis, hours float64, outsourcing, originalFee int64) (Fee, error) {
	f := Fee{Basis: basis, Hours: hours, Outsourcing: outsourcing}
	switch basis {
	case FeeNew:
		if hours < 0 || outsourcing < 0 || math.IsNaN(hours) {
			return f, fault.New(fault.Invalid, "hours and outsourcing cost must not be negative", "作業時間及び委託費用は0以上としてください").In("hours")
		}
		h := int64(math.Ceil(hours))
		f.Lines = []FeeLine{{"基本額", ft.Base}, {FormatYen(ft.PerHour) + " × " + strconv.FormatInt(h, 10) + "時間", ft.PerHour * h}}
		if outsourcing > 0 {
			f.Lines = append(f.Lines, FeeLine{"委託を受けた者に支払う額", outsourcing})
		}
	case FeeReuse:
		if originalFee <= 0 {
			return f, fault.New(fault.Invalid, "the original contract's fee is unknown", "当初の契約の手数料額が不明です").In("original_fee")
		}
		f.Lines = []FeeLine{{"作成済みの行政機関等匿名加工情報の利用（当初契約と同額）", originalFee}}
	case FeeChange:
		f.Lines = []FeeLine{{"事業の変更に係る契約", ft.ChangeFee}}
	default:
		return f, fault.New(fault.Invalid, "unknown fee basis", "手数料の区分が正しくありません").In("basis")
	}
	for _, l := range f.Lines {
		f.Total += l.Amount
	}
	return f, nil
}

// Invoice is the fee request of a body (手数料の請求).
type Invoice struct {
	Number    string    `json:"number"`
	Fee       Fee       `json:"fee"`
	Ordinance string    `json:"ordinance"`
	DueAt     time.Time `json:"due_at"`
	IssuedAt  time.Time `json:"issued_at"`
	IssuedBy  ID        `json:"issued_by"`
}

// Payment records the receipt of a fee (納付の確認).
type Payment struct {
	Amount     int64     `json:"amount"`
	PaidAt     time.Time `json:"paid_at"`
	Method     string    `json:"method"`  // 納付書, 口座振込 …
	Receipt    string    `json:"receipt"` // 領収番号
	RecordedBy ID        `json:"recorded_by"`
}

// FormatYen formats an amount as "174,450円".
func FormatYen(v int64) string { return groupDigits(v) + "円" }

func groupDigits(v int64) string {
	s := strconv.FormatInt(v, 10)
	neg := v < 0
	if neg {
		s = s[1:]
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

func itoa(i int) string { return strconv.Itoa(i) }
