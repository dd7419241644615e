package platform

import (
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// LocalGovernment is one 地方公共団体 (or a designated-city ward), keyed by
// its 6-digit code, with the state of the scheme there.
type LocalGovernment struct {
	Code     string // 6-digit 全国地方公共団体コード with check digit
	Name     string // e.g. 札幌市
	Kana     string
	PrefCode string // 2-digit prefecture code
	Pref     string // prefecture name
	Kind     string // jp kind: prefecture, designated-city, ward, city, town, village, special-ward
	// SchemeMandatory: prefectures and designated cities must invite
	// proposals (domain.md §2.2); others may adopt the scheme.
	SchemeMandatory bool
	SchemeAdopted   bool
	OrdinanceStatus string // none, drafting, enacted
	OrdinanceDate   *time.Time
	OpenDataStatus  string // none, published
	OpenDataDate    *time.Time
}

// BodyKind is the kind of an executive body (実施機関). Append only.
type BodyKind string

// The usual executive bodies of a local government.
const (
	BodyGovernor        BodyKind = "governor"          // 知事
	BodyMayor           BodyKind = "mayor"             // 市長・町長・村長・区長
	BodyBoardEducation  BodyKind = "board_education"   // 教育委員会
	BodyElectionBoard   BodyKind = "election_board"    // 選挙管理委員会
	BodyPersonnel       BodyKind = "personnel"         // 人事委員会・公平委員会
	BodyAuditCommission BodyKind = "audit_commission"  // 監査委員
	BodyPolice          BodyKind = "police"            // 公安委員会・警察本部長
	BodyAgriculture     BodyKind = "agriculture"       // 農業委員会
	BodyFixedAssets     BodyKind = "fixed_assets"      // 固定資産評価審査委員会
	BodyPublicEnterpise BodyKind = "public_enterprise" // 公営企業管理者
	BodyAgency          BodyKind = "agency"            // 地方独立行政法人
	BodyOther           BodyKind = "other"
)

// Body is an executive body (実施機関) of a local government: the legal
// holder of files, and the actor of every legal act about them.
type Body struct {
	ID        ID
	LGCode    string
	Kind      BodyKind
	Name      string // e.g. 札幌市長, 北海道教育委員会
	Unit      string // unit in charge of the scheme (担当課)
	Address   string
	Email     string
	CreatedAt time.Time
}

// Validate checks the fields a user supplies.
func (b *Body) Validate() error {
	if len(b.LGCode) != 6 {
		return fault.New(fault.Invalid, "local-government code must have 6 digits", "団体コードは6桁で入力してください").In("lg_code")
	}
	if strings.TrimSpace(b.Name) == "" {
		return fault.New(fault.Invalid, "name is required", "名称を入力してください").In("name")
	}
	if b.Kind == "" {
		return fault.New(fault.Invalid, "kind is required", "機関の種別を選択してください").In("kind")
	}
	return nil
}
