package platform

import (
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// ItemType is the type of a record item (記録項目) of a file.
type ItemType string

// Record item types. Append only.
const (
	ItemText     ItemType = "text"
	ItemNumber   ItemType = "number"
	ItemDate     ItemType = "date"
	ItemCode     ItemType = "code" // a categorical code
	ItemAddress  ItemType = "address"
	ItemName     ItemType = "name"
	ItemIDNumber ItemType = "id_number" // identification or linking code
)

// RecordItem is one item recorded in a file, as listed in the register.
type RecordItem struct {
	Name        string   `json:"name"`
	Type        ItemType `json:"type"`
	SpecialCare bool     `json:"special_care,omitempty"` // 要配慮個人情報
	Note        string   `json:"note,omitempty"`
}

// FileKind is 電算処理ファイル or マニュアル処理ファイル.
type FileKind string

// File kinds.
const (
	FileComputer FileKind = "computer" // 電算処理ファイル
	FileManual   FileKind = "manual"   // マニュアル処理ファイル
)

// RegisterEntry is one entry of a body's personal-information file register
// (個人情報ファイル簿), with every field of domain.md §3.4.
type RegisterEntry struct {
	ID     ID
	BodyID ID
	// 1 個人情報ファイルの名称
	FileName string
	// 2 担当組織 (the body is BodyID; this is the unit in charge)
	Unit string
	// 3 利用目的
	Purpose string
	// 4 記録項目 and 記録範囲
	Items        []RecordItem
	SubjectScope string
	// approximate number of subjects (本人の数)
	Subjects int64
	// 5 収集方法
	CollectionMethod string
	// 6 要配慮個人情報が含まれるとき、その旨
	SpecialCare bool
	// 7 経常的提供先
	RegularRecipients string
	// 8 開示請求等を受理する組織の名称及び所在地
	DisclosureOffice string
	// 9 訂正・利用停止の特別の手続
	SpecialProcedures string
	// 10 電算処理ファイル / マニュアル処理ファイル
	Kind FileKind
	// 11 提案の募集をする個人情報ファイルである旨 (該当/非該当)
	ProposalInvited bool
	// 12 提案を受ける組織の名称及び所在地
	ProposalOffice string
	// 13 行政機関等匿名加工情報の概要 (subjects and items), 14 its receiving
	// organisation, 15 the period in which proposals may be made (art. 117)
	AnonSummary      string
	AnonOffice       string
	AnonProposalFrom *time.Time
	AnonProposalTo   *time.Time
	// 16 備考
	Remarks   string
	Published bool
	Version   int // incremented on every change; history keeps each version
	UpdatedAt time.Time
}

// Validate checks an entry; errors name the field.
func (e *RegisterEntry) Validate() error {
	req := func(v, field, ja string) error {
		if strings.TrimSpace(v) == "" {
			return fault.New(fault.Invalid, field+" is required", ja+"を入力してください").In(field)
		}
		return nil
	}
	if err := req(e.FileName, "file_name", "個人情報ファイルの名称"); err != nil {
		return err
	}
	if err := req(e.Purpose, "purpose", "利用目的"); err != nil {
		return err
	}
	if len(e.Items) == 0 {
		return fault.New(fault.Invalid, "at least one record item is required", "記録項目を1つ以上入力してください").In("items")
	}
	for i, it := range e.Items {
		if strings.TrimSpace(it.Name) == "" {
			return fault.New(fault.Invalid, "record item name is required", "記録項目名を入力してください").In("items").At("", i+1, 0)
		}
	}
	if e.Kind != FileComputer && e.Kind != FileManual {
		return fault.New(fault.Invalid, "kind must be computer or manual", "ファイルの種別は電算処理またはマニュアル処理です").In("kind")
	}
	if e.ProposalInvited {
		if err := req(e.ProposalOffice, "proposal_office", "提案を受ける組織の名称及び所在地"); err != nil {
			return err
		}
	}
	if e.AnonProposalFrom != nil && e.AnonProposalTo != nil && e.AnonProposalTo.Before(*e.AnonProposalFrom) {
		return fault.New(fault.Invalid, "proposal period ends before it starts", "提案期間の終了日が開始日より前です").In("anon_proposal_to")
	}
	return nil
}

// RegisterChange is one version in the history of a register entry.
type RegisterChange struct {
	EntryID ID
	Version int
	At      time.Time
	ActorID ID
	Entry   RegisterEntry // the entry as it was after the change
	Reason  string
}
