package platform

import (
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// MinSubjects is the least number of subjects a proposal may ask for
// (criterion 2; 1,000 per Takarazuka's criteria, rule article unverified).
const MinSubjects = 1000

// Criterion is one of the 7 review criteria of art. 114(1) (審査基準),
// identified by its number. Its wording is display text and lives in the
// web UI's message catalogue (key "criterion.<No>"): nothing outside the UI
// shows it, and the notice of the result cites criteria by number (第N号).
type Criterion struct {
	No    int
	Reuse bool // applies to art. 118 proposals too (1, 4–7)
}

// Criteria are the seven criteria, numbered as in art. 114(1).
var Criteria = []Criterion{{1, true}, {2, false}, {3, false}, {4, true}, {5, true}, {6, true}, {7, true}}

// CriteriaFor returns the criteria that apply to a proposal of kind k.
func CriteriaFor(k ProposalKind) []Criterion {
	if k != KindReuse {
		return Criteria
	}
	var out []Criterion
	for _, c := range Criteria {
		if c.Reuse {
			out = append(out, c)
		}
	}
	return out
}

// Finding is the result on one criterion.
type Finding struct {
	Criterion int    `json:"criterion"`
	Met       bool   `json:"met"`
	Reason    string `json:"reason"` // required: why met or not
}

// Review is a body's criterion-by-criterion review of a case (審査).
type Review struct {
	Findings    []Finding `json:"findings"`
	ReviewerID  ID        `json:"reviewer_id"`
	SubmittedAt time.Time `json:"submitted_at"`
}

// Complete checks that every criterion for kind has a finding with a reason.
func (r *Review) Complete(k ProposalKind) error {
	for _, c := range CriteriaFor(k) {
		f := r.Finding(c.No)
		if f == nil {
			return fault.Errorf(fault.Invalid, "criterion %d has no finding", c.No).In("findings")
		}
		if strings.TrimSpace(f.Reason) == "" {
			e := fault.New(fault.Invalid, "each finding needs a reason", "各審査基準について理由を記載してください")
			return e.In("findings").At("", c.No, 0)
		}
	}
	return nil
}

// Finding returns the finding on criterion no, or nil.
func (r *Review) Finding(no int) *Finding {
	for i := range r.Findings {
		if r.Findings[i].Criterion == no {
			return &r.Findings[i]
		}
	}
	return nil
}

// Conforming reports whether every finding is met.
func (r *Review) Conforming() bool {
	for _, f := range r.Findings {
		if !f.Met {
			return false
		}
	}
	return len(r.Findings) > 0
}

// FailedReasons returns the reasons of unmet criteria, for the notice.
func (r *Review) FailedReasons() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if !f.Met {
			out = append(out, f)
		}
	}
	return out
}

// SuggestFindings computes the findings that follow from data: criterion 1
// (disqualification on record), 2 (subjects), 5 (use period against the
// call's maximum). The reviewer confirms or overrides them.
func SuggestFindings(p *Proposal, fileSubjects int64, maxUseMonths int, disqualifiedUntil *time.Time) []Finding {
	var out []Finding
	if disqualifiedUntil != nil {
		out = append(out, Finding{1, false, "第120条による契約解除から2年を経過していない（" + disqualifiedUntil.In(JST).Format("2006年1月2日") + "まで）"})
	} else if p.Pledge.Complete() {
		out = append(out, Finding{1, true, "誓約書の提出があり、契約解除の記録もない"})
	}
	if p.Kind != KindReuse {
		switch {
		case p.Subjects < MinSubjects:
			out = append(out, Finding{2, false, "本人の数が1,000人未満である"})
		case fileSubjects > 0 && p.Subjects > fileSubjects:
			out = append(out, Finding{2, false, "本人の数が個人情報ファイルの本人の数を超えている"})
		default:
			out = append(out, Finding{2, true, "本人の数が1,000人以上かつファイルの本人の数以下である"})
		}
	}
	if maxUseMonths > 0 {
		if p.UseTo.After(p.UseFrom.AddDate(0, maxUseMonths, 0)) {
			out = append(out, Finding{5, false, "利用期間が募集要項に定める上限を超えている"})
		} else {
			out = append(out, Finding{5, true, "利用期間が募集要項に定める上限以内である"})
		}
	}
	return out
}

// HandoverDecision is the body's decision on letting the processor handle
// the source personal data (目的外提供の可否 / 委託の判断, domain.md §2.6).
type HandoverDecision struct {
	Decision   string    `json:"decision"`    // "allow", "deny", "conditional" (可/否/条件付)
	LegalBasis string    `json:"legal_basis"` // 法令に基づく / 利用目的内 / 第69条第2項第n号 / 委託 / 条例第n条
	Conditions string    `json:"conditions,omitempty"`
	DecidedBy  ID        `json:"decided_by"`
	DecidedAt  time.Time `json:"decided_at"`
}

// Validate checks the decision.
func (h *HandoverDecision) Validate() error {
	switch h.Decision {
	case "allow", "conditional":
	case "deny":
		return fault.New(fault.Invalid, "a denied handover cannot lead to a conforming decision", "元データの取扱いを認めない場合は適合の決定ができません").In("decision")
	default:
		return fault.New(fault.Invalid, "decision must be allow, deny or conditional", "判断は可・否・条件付のいずれかです").In("decision")
	}
	if strings.TrimSpace(h.LegalBasis) == "" {
		return fault.New(fault.Invalid, "legal basis is required", "根拠を入力してください").In("legal_basis")
	}
	if h.Decision == "conditional" && strings.TrimSpace(h.Conditions) == "" {
		return fault.New(fault.Invalid, "conditions are required", "条件を入力してください").In("conditions")
	}
	return nil
}

// CouncilConsultation records a consultation of the privacy council
// (個人情報保護審議会への諮問), when the body held one.
type CouncilConsultation struct {
	Council    string     `json:"council"`
	Reference  string     `json:"reference"` // 諮問番号
	AskedAt    time.Time  `json:"asked_at"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
	Opinion    string     `json:"opinion,omitempty"`
}

// NoticeResult is the outcome stated in a review-result notice.
type NoticeResult string

// Notice results.
const (
	NoticeConforming    NoticeResult = "conforming"
	NoticeNonConforming NoticeResult = "non_conforming"
)

// Notice is the review-result notice (審査結果の通知, art. 114(2)–(3)).
type Notice struct {
	Number      string       `json:"number"` // 文書番号
	Result      NoticeResult `json:"result"`
	BodyName    string       `json:"body_name"`
	Addressee   string       `json:"addressee"`
	Title       string       `json:"title"`
	Findings    []Finding    `json:"findings"`
	FeeEstimate int64        `json:"fee_estimate,omitempty"`
	ApplyBy     *time.Time   `json:"apply_by,omitempty"` // 契約の申込期限
	Inquiry     string       `json:"inquiry"`
	IssuedAt    time.Time    `json:"issued_at"`
	IssuedBy    ID           `json:"issued_by"`
}

// Paragraphs returns the Japanese body text of the notice.
func (n *Notice) Paragraphs() []string {
	if n.Result == NoticeConforming {
		p := []string{
			"提案のあった「" + n.Title + "」について審査した結果、個人情報の保護に関する法律第114条第1項各号に掲げる基準に適合すると認めたので、同条第2項の規定により通知します。",
			"同法第115条の規定により、行政機関等匿名加工情報の利用に関する契約を締結することができます。契約の締結を希望する場合は、期限までに申込みをしてください。",
		}
		if n.ApplyBy != nil {
			p = append(p, "契約の申込期限："+FormatDateJA(*n.ApplyBy))
		}
		if n.FeeEstimate > 0 {
			p = append(p, "手数料の見込額："+FormatYen(n.FeeEstimate)+"（契約の締結前に納付してください。）")
		}
		return append(p, "提供の方法：本プラットフォームの指定された利用者に対する期限付き・一回限りのダウンロード")
	}
	p := []string{
		"提案のあった「" + n.Title + "」について審査した結果、次の理由により、個人情報の保護に関する法律第114条第1項各号に掲げる基準に適合しないと認めたので、同条第3項の規定により通知します。",
	}
	for _, f := range n.Findings {
		if !f.Met {
			p = append(p, "理由（基準第"+itoa(f.Criterion)+"号）："+f.Reason)
		}
	}
	return p
}

// FormatDateJA formats t as a Japanese date in JST, e.g. 2026年4月1日.
func FormatDateJA(t time.Time) string { return t.In(JST).Format("2006年1月2日") }
