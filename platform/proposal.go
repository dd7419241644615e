package platform

import (
	"slices"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// ProposalKind says whether a proposal asks for new creation (art. 112) or
// for an already-created dataset (art. 118).
type ProposalKind string

// Proposal kinds.
const (
	KindNew   ProposalKind = "new"   // 行政機関等匿名加工情報の作成・提供（第112条）
	KindReuse ProposalKind = "reuse" // 作成済みの情報の利用（第118条）
)

// Party of a proposal: the proposer (item 1) or a joint proposer.
type ProposerInfo struct {
	Name           string `json:"name"`           // 氏名又は名称
	Address        string `json:"address"`        // 住所又は居所
	Representative string `json:"representative"` // 法人等の代表者の氏名
	Corporate      string `json:"corporate,omitempty"`
}

// Granularity is the level of detail asked for one record item (item 4:
// "address: prefecture only" — PPC Q&A 6-1-5).
type Granularity string

// Granularities. Append only.
const (
	GranAsIs         Granularity = "as_is"        // そのまま
	GranDelete       Granularity = "delete"       // 削除（不要）
	GranPseudonym    Granularity = "pseudonym"    // 仮IDに置換
	GranBand         Granularity = "band"         // 階級区分
	GranTopCode      Granularity = "top_code"     // トップ・ボトムコーディング
	GranYear         Granularity = "year"         // 年
	GranMonth        Granularity = "month"        // 年月
	GranPrefecture   Granularity = "prefecture"   // 都道府県
	GranMunicipality Granularity = "municipality" // 市区町村
	GranTown         Granularity = "town"         // 町字
	GranCategory     Granularity = "category"     // 分類に集約
)

// GranularityOptions returns the levels that may be asked for an item of type t.
// Names and identification codes can only be deleted or pseudonymised
// (Rule 62 items 1–3).
func GranularityOptions(t ItemType) []Granularity {
	switch t {
	case ItemName:
		return []Granularity{GranDelete}
	case ItemIDNumber:
		return []Granularity{GranDelete, GranPseudonym}
	case ItemDate:
		return []Granularity{GranMonth, GranYear, GranDelete}
	case ItemAddress:
		return []Granularity{GranTown, GranMunicipality, GranPrefecture, GranDelete}
	case ItemNumber:
		return []Granularity{GranAsIs, GranBand, GranTopCode, GranDelete}
	case ItemCode:
		return []Granularity{GranAsIs, GranCategory, GranDelete}
	}
	return []Granularity{GranAsIs, GranCategory, GranDelete}
}

// ItemRequest is one row of the item-by-item matrix: a record item of the
// register, the level wanted and why.
type ItemRequest struct {
	Item          string      `json:"item"`
	Type          ItemType    `json:"type"`
	Granularity   Granularity `json:"granularity"`
	Justification string      `json:"justification,omitempty"`
}

// Requested reports whether the item is wanted in the output.
func (r ItemRequest) Requested() bool { return r.Granularity != GranDelete && r.Granularity != "" }

// MatrixFromRegister builds the default matrix from a register entry: every
// item listed, at its coarsest non-deleted level (or deleted).
func MatrixFromRegister(e *RegisterEntry) []ItemRequest {
	out := make([]ItemRequest, 0, len(e.Items))
	for _, it := range e.Items {
		opts := GranularityOptions(it.Type)
		g := opts[0]
		out = append(out, ItemRequest{Item: it.Name, Type: it.Type, Granularity: g})
	}
	return out
}

// ValidateMatrix checks rows against the register's items: each item known,
// each level allowed for its type, at least one item wanted.
func ValidateMatrix(rows []ItemRequest, e *RegisterEntry) error {
	wanted := 0
	for i, r := range rows {
		j := slices.IndexFunc(e.Items, func(it RecordItem) bool { return it.Name == r.Item })
		if j < 0 {
			return fault.New(fault.Invalid, "item "+r.Item+" is not in the file register", "記録項目「"+r.Item+"」はファイル簿にありません").In("items").At("", i+1, 0)
		}
		if !slices.Contains(GranularityOptions(e.Items[j].Type), r.Granularity) {
			return fault.New(fault.Invalid, "level "+string(r.Granularity)+" is not allowed for item "+r.Item,
				"記録項目「"+r.Item+"」にこの粒度は指定できません").In("items").At("", i+1, 0)
		}
		if r.Requested() {
			wanted++
		}
	}
	if wanted == 0 {
		return fault.New(fault.Invalid, "at least one item must be requested", "提供を求める記録項目を1つ以上指定してください").In("items")
	}
	return nil
}

// SubsetKind is what part of the file is asked for (PPC Q&A 6-1-7).
type SubsetKind string

// Subset kinds.
const (
	SubsetAll    SubsetKind = "all"    // 全件
	SubsetFilter SubsetKind = "filter" // 属性による抽出
	SubsetSample SubsetKind = "sample" // 無作為抽出
)

// Subset is a requested part of a file.
type Subset struct {
	Kind       SubsetKind `json:"kind"`
	Filter     string     `json:"filter,omitempty"`      // e.g. "65歳以上"
	SampleRate float64    `json:"sample_rate,omitempty"` // 0 < rate <= 1
}

// Target is one file of one body in a proposal.
type Target struct {
	BodyID    ID            `json:"body_id"`
	EntryID   ID            `json:"entry_id"`             // register entry (new) or source entry (reuse)
	CallID    ID            `json:"call_id,omitempty"`    // the open call (new)
	DatasetID string        `json:"dataset_id,omitempty"` // the created catalogue dataset (reuse)
	FileName  string        `json:"file_name"`            // item 2, copied from the register
	Items     []ItemRequest `json:"items"`                // item 4
	Subset    Subset        `json:"subset"`
}

// DisqualificationGrounds are the six grounds of art. 113 (欠格事由) that the
// pledge (誓約書) declares do not apply.
var DisqualificationGrounds = []string{
	"未成年者",
	"心身の故障により行政機関等匿名加工情報をその用に供して行う事業を適正に行うに当たって必要な認知、判断及び意思疎通を適切に行うことができない者",
	"破産手続開始の決定を受けて復権を得ない者",
	"拘禁刑以上の刑に処せられ、又はこの法律の規定により刑に処せられ、その執行を終わり、又は執行を受けることがなくなった日から起算して2年を経過しない者",
	"第120条の規定により行政機関等匿名加工情報の利用に関する契約を解除され、その解除の日から起算して2年を経過しない者",
	"法人その他の団体であって、その役員のうちに前各号のいずれかに該当する者があるもの",
}

// Pledge is the signed declaration that no ground applies.
type Pledge struct {
	NotApplicable [6]bool   `json:"not_applicable"` // one confirmation per ground
	SignedBy      string    `json:"signed_by"`
	SignedAt      time.Time `json:"signed_at"`
}

// Complete reports whether every ground is declared not to apply and signed.
func (p *Pledge) Complete() bool {
	for _, ok := range p.NotApplicable {
		if !ok {
			return false
		}
	}
	return strings.TrimSpace(p.SignedBy) != "" && !p.SignedAt.IsZero()
}

// Attachment is a file attached to a proposal, stored encrypted in the vault.
type Attachment struct {
	Name    string    `json:"name"`
	VaultID string    `json:"vault_id"`
	SHA256  string    `json:"sha256"`
	Size    int64     `json:"size"`
	AddedAt time.Time `json:"added_at"`
}

// Correction is a request for correction or explanation and its reply.
type Correction struct {
	RequestedAt time.Time  `json:"requested_at"`
	RequestedBy ID         `json:"requested_by"`
	BodyID      ID         `json:"body_id,omitempty"` // 0: by the window
	Request     string     `json:"request"`
	Reply       string     `json:"reply,omitempty"`
	RepliedAt   *time.Time `json:"replied_at,omitempty"`
}

// Proposal is a business's proposal (提案書) with the 8 statutory items of
// art. 112(2), to one or many bodies.
type Proposal struct {
	ID         ID           `json:"id"`
	BusinessID ID           `json:"business_id"`
	CreatedBy  ID           `json:"created_by"`
	State      State        `json:"state"`
	Kind       ProposalKind `json:"kind"`
	Title      string       `json:"title"`
	// 1 提案者の氏名又は名称及び住所又は居所（法人は代表者の氏名）; joint proposers
	Proposer       ProposerInfo   `json:"proposer"`
	JointProposers []ProposerInfo `json:"joint_proposers,omitempty"`
	Contact        string         `json:"contact"`
	// 2 個人情報ファイルの名称 and 4 加工の方法を特定するに足りる事項: per target
	Targets []Target `json:"targets"`
	// 3 本人の数
	Subjects int64 `json:"subjects"`
	// 5 利用の目的及び方法その他当該事業の内容
	Purpose  string `json:"purpose"`
	Method   string `json:"method"`
	Business string `json:"business"`
	// 6 事業の用に供しようとする期間
	UseFrom time.Time `json:"use_from"`
	UseTo   time.Time `json:"use_to"`
	// 7 漏えいの防止その他の適切な管理のために講ずる措置
	SafetyMeasures string `json:"safety_measures"`
	// 8 その他規則で定める事項 and practice fields
	Other           string `json:"other,omitempty"`
	DeliveryFormat  string `json:"delivery_format,omitempty"`
	UseLocation     string `json:"use_location,omitempty"`
	PublishResults  string `json:"publish_results,omitempty"`
	OnwardProvision bool   `json:"onward_provision"`
	// Contributes: how the business contributes to new industries or an
	// affluent life (criterion 4).
	Contributes string       `json:"contributes,omitempty"`
	Pledge      Pledge       `json:"pledge"`
	Attachments []Attachment `json:"attachments,omitempty"`
	Corrections []Correction `json:"corrections,omitempty"`
	// Checklist is the window's latest completeness check (B3).
	Checklist   *Checklist `json:"checklist,omitempty"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// BodyIDs returns the distinct target bodies in order of first appearance.
func (p *Proposal) BodyIDs() []ID {
	var out []ID
	for _, t := range p.Targets {
		if !slices.Contains(out, t.BodyID) {
			out = append(out, t.BodyID)
		}
	}
	return out
}

// TargetsOf returns the targets of one body.
func (p *Proposal) TargetsOf(body ID) []Target {
	var out []Target
	for _, t := range p.Targets {
		if t.BodyID == body {
			out = append(out, t)
		}
	}
	return out
}

// Validate checks what submitting needs: the 8 items, the pledge, the
// targets. Register checks (matrix) are done by the service.
func (p *Proposal) Validate() error {
	req := func(v, field, ja string) error {
		if strings.TrimSpace(v) == "" {
			return fault.New(fault.Invalid, field+" is required", ja+"を入力してください").In(field)
		}
		return nil
	}
	checks := []struct{ v, f, ja string }{
		{p.Proposer.Name, "proposer.name", "提案者の氏名又は名称"},
		{p.Proposer.Address, "proposer.address", "提案者の住所又は居所"},
		{p.Purpose, "purpose", "利用の目的"},
		{p.Method, "method", "利用の方法"},
		{p.Business, "business", "事業の内容"},
		{p.SafetyMeasures, "safety_measures", "漏えいの防止その他の適切な管理のために講ずる措置"},
	}
	for _, c := range checks {
		if err := req(c.v, c.f, c.ja); err != nil {
			return err
		}
	}
	if p.Proposer.Corporate != "" || len(p.JointProposers) > 0 {
		if err := req(p.Proposer.Representative, "proposer.representative", "代表者の氏名"); err != nil {
			return err
		}
	}
	for i, j := range p.JointProposers {
		if strings.TrimSpace(j.Name) == "" || strings.TrimSpace(j.Address) == "" {
			return fault.New(fault.Invalid, "joint proposer needs name and address", "共同提案者の名称及び住所を入力してください").In("joint_proposers").At("", i+1, 0)
		}
	}
	if len(p.Targets) == 0 {
		return fault.New(fault.Invalid, "at least one target file is required", "対象の個人情報ファイルを1つ以上選択してください").In("targets")
	}
	if p.Kind == KindNew && p.Subjects <= 0 {
		return fault.New(fault.Invalid, "number of subjects is required", "本人の数を入力してください").In("subjects")
	}
	if !p.UseTo.After(p.UseFrom) {
		return fault.New(fault.Invalid, "use period ends before it starts", "利用期間の終了日が開始日より前です").In("use_to")
	}
	for i, t := range p.Targets {
		if err := t.Subset.Validate(); err != nil {
			return err.At("", i+1, 0)
		}
		if p.Kind == KindReuse && t.DatasetID == "" {
			return fault.New(fault.Invalid, "a reuse proposal names the created dataset", "作成済みの行政機関等匿名加工情報を指定してください").In("targets").At("", i+1, 0)
		}
	}
	if !p.Pledge.Complete() {
		return fault.New(fault.Invalid, "the pledge must confirm that none of the six disqualification grounds applies, and be signed",
			"誓約書：6つの欠格事由のいずれにも該当しないことを確認し、署名してください").In("pledge")
	}
	return nil
}

// Validate checks a subset request.
func (s Subset) Validate() *fault.Error {
	switch s.Kind {
	case SubsetAll, "":
		return nil
	case SubsetFilter:
		if strings.TrimSpace(s.Filter) == "" {
			return fault.New(fault.Invalid, "the filter condition is required", "抽出条件を入力してください").In("subset.filter")
		}
		return nil
	case SubsetSample:
		if s.SampleRate <= 0 || s.SampleRate > 1 {
			return fault.New(fault.Invalid, "sample rate must be in (0, 1]", "抽出率は0より大きく1以下としてください").In("subset.sample_rate")
		}
		return nil
	}
	return fault.New(fault.Invalid, "unknown subset kind", "抽出の種類が正しくありません").In("subset.kind")
}
