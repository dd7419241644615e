package platform

import (
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// Clause is one article of a usage contract.
type Clause struct {
	No    int    `json:"no"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

// Contract is the usage contract (行政機関等匿名加工情報の利用に関する契約,
// art. 115) between one body and the contractor.
type Contract struct {
	Number     string `json:"number"`
	BodyName   string `json:"body_name"`
	Contractor string `json:"contractor"`
	Title      string `json:"title"`
	// DatasetID and DatasetVersion identify the information provided
	// (domain.md §3.3): known at conclusion for a reuse; for a new creation
	// recorded when the body accepts the output and the dataset is created.
	DatasetID      string     `json:"dataset_id,omitempty"`
	DatasetVersion int        `json:"dataset_version,omitempty"`
	Items          []string   `json:"items"` // items with granularity
	Subjects       int64      `json:"subjects"`
	Purpose        string     `json:"purpose"`
	UseFrom        time.Time  `json:"use_from"`
	UseTo          time.Time  `json:"use_to"`
	UseLocation    string     `json:"use_location"`
	Users          []string   `json:"users"`         // named staff allowed to use the data
	RecipientIDs   []ID       `json:"recipient_ids"` // their user accounts (download)
	Fee            int64      `json:"fee"`
	Clauses        []Clause   `json:"clauses"`
	SignedByBiz    *time.Time `json:"signed_by_contractor,omitempty"`
	ConcludedAt    *time.Time `json:"concluded_at,omitempty"`
	ConcludedBy    ID         `json:"concluded_by,omitempty"`
}

// Validate checks what concluding needs.
func (c *Contract) Validate() error {
	if !c.UseTo.After(c.UseFrom) {
		return fault.New(fault.Invalid, "contract term ends before it starts", "契約期間の終了日が開始日より前です").In("use_to")
	}
	if len(c.Users) == 0 {
		return fault.New(fault.Invalid, "at least one named user is required", "利用者を1名以上指定してください").In("users")
	}
	if c.SignedByBiz == nil {
		return fault.New(fault.Conflict, "the contractor has not signed", "契約者の記名押印（同意）がありません").In("signed_by_contractor")
	}
	return nil
}

// ContractClauses returns the clauses of domain.md §3.3 filled for c.
func ContractClauses(c *Contract) []Clause {
	period := FormatDateJA(c.UseFrom) + "から" + FormatDateJA(c.UseTo) + "まで"
	dataset := "データセットIDは作成時に本契約に記録する。"
	if c.DatasetID != "" {
		dataset = "データセットID " + c.DatasetID + "、第" + strconv.Itoa(max(c.DatasetVersion, 1)) + "版、"
	}
	texts := [][2]string{
		{"契約の目的", c.BodyName + "（以下「甲」という。）は、" + c.Contractor + "（以下「乙」という。）に対し、個人情報の保護に関する法律第115条の規定により、行政機関等匿名加工情報「" + c.Title + "」（" + dataset + "本人の数 " + groupDigits(c.Subjects) + "人、項目：" + strings.Join(c.Items, "、") + "）を提供し、乙はこれを次条の目的の範囲内で利用する。"},
		{"利用の目的及び方法", "乙は、提供を受けた情報を「" + c.Purpose + "」のためにのみ利用し、それ以外の目的に利用してはならない。"},
		{"利用期間及び場所", "利用期間は" + period + "とし、利用場所は「" + c.UseLocation + "」に限る。"},
		{"利用者", "乙の利用者は次の者に限る：" + strings.Join(c.Users, "、") + "。"},
		{"識別行為の禁止", "乙は、当該情報の作成に用いられた個人情報に係る本人を識別するために、当該情報を他の情報と照合し、又は削除された記述等若しくは加工の方法に関する情報を取得してはならない（法第45条）。"},
		{"安全管理措置", "乙は、提案書に記載した漏えいの防止その他の適切な管理のための措置を講じ、漏えい等の事故が生じたときは直ちに甲に報告する。"},
		{"第三者提供の制限", "乙は、甲の書面による承諾なく当該情報を第三者に提供してはならない。承諾を得て匿名加工情報として提供するときは、法第44条の公表及び明示を行う。"},
		{"成果の公表", "乙は、利用の成果を公表するときは統計情報の形式によるものとし、特定の個人を識別できる形で公表してはならない。"},
		{"報告及び調査", "甲は、必要があると認めるときは、乙に対し利用状況の報告を求め、又は乙の事業所に立ち入り調査することができる。"},
		{"契約の解除", "甲は、乙が偽りその他不正の手段により契約を締結したとき、法第113条各号のいずれかに該当することとなったとき、又はこの契約に重大な違反をしたときは、契約を解除することができる（法第120条）。解除されたときは、乙は直ちに当該情報を消去し、解除の日から2年間は提案をすることができない。"},
		{"消去及び報告", "乙は、利用期間が満了したとき又は契約が解除されたときは、当該情報（複製物を含む。）を直ちに消去し、消去報告書を甲に提出する。"},
		{"手数料", "乙は、条例の定めるところにより手数料 " + FormatYen(c.Fee) + " を契約の締結前に納付する。"},
	}
	out := make([]Clause, len(texts))
	for i, t := range texts {
		out[i] = Clause{No: i + 1, Title: t[0], Text: t[1]}
	}
	return out
}

// SourceRequest is the window's request to the body to extract the source
// file (抽出依頼): the minimum columns and records.
type SourceRequest struct {
	Columns     []string  `json:"columns"` // record items needed, incl. those to be deleted
	Subset      Subset    `json:"subset"`
	Note        string    `json:"note,omitempty"`
	RequestedAt time.Time `json:"requested_at"`
	RequestedBy ID        `json:"requested_by"`
}

// Extract is the source extract a body uploaded into the vault.
type Extract struct {
	VaultID    string     `json:"vault_id"`
	Name       string     `json:"name"`
	SHA256     string     `json:"sha256"`
	Size       int64      `json:"size"`
	Encoding   string     `json:"encoding"`
	Rows       int64      `json:"rows"`
	Columns    []string   `json:"columns"`
	UploadedAt time.Time  `json:"uploaded_at"`
	UploadedBy ID         `json:"uploaded_by"`
	DeletedAt  *time.Time `json:"deleted_at,omitempty"`
}

// CheckColumns verifies that the extract has every requested column;
// extra columns are refused too (minimum necessary).
func CheckColumns(have, want []string) error {
	set := map[string]bool{}
	for _, h := range have {
		set[strings.TrimSpace(h)] = true
	}
	for _, w := range want {
		if !set[w] {
			return fault.New(fault.Invalid, "column "+w+" is missing from the extract", "抽出データに列「"+w+"」がありません").In(w)
		}
		delete(set, w)
	}
	for h := range set {
		return fault.New(fault.Invalid, "column "+h+" was not requested", "列「"+h+"」は依頼していません（必要最小限としてください）").In(h)
	}
	return nil
}
