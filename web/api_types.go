package web

import (
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

// JSON shapes of the API. Names are snake_case; dates of legal periods are
// "YYYY-MM-DD" (JST), instants RFC 3339.

type apiLocalGovernment struct {
	Code            string  `json:"code" doc:"6-digit 全国地方公共団体コード"`
	Name            string  `json:"name"`
	Kana            string  `json:"kana,omitempty"`
	PrefCode        string  `json:"pref_code"`
	Pref            string  `json:"pref"`
	Kind            string  `json:"kind"`
	SchemeMandatory bool    `json:"scheme_mandatory"`
	SchemeAdopted   bool    `json:"scheme_adopted"`
	OrdinanceStatus string  `json:"ordinance_status"`
	OrdinanceDate   *string `json:"ordinance_date"`
	OpenDataStatus  string  `json:"open_data_status"`
	OpenDataDate    *string `json:"open_data_date"`
}

func toAPILG(lg *platform.LocalGovernment) apiLocalGovernment {
	return apiLocalGovernment{Code: lg.Code, Name: lg.Name, Kana: lg.Kana, PrefCode: lg.PrefCode, Pref: lg.Pref,
		Kind: lg.Kind, SchemeMandatory: lg.SchemeMandatory, SchemeAdopted: lg.SchemeAdopted,
		OrdinanceStatus: lg.OrdinanceStatus, OrdinanceDate: apiDate(lg.OrdinanceDate),
		OpenDataStatus: lg.OpenDataStatus, OpenDataDate: apiDate(lg.OpenDataDate)}
}

type apiBody struct {
	ID        platform.ID       `json:"id"`
	LGCode    string            `json:"lg_code"`
	Kind      platform.BodyKind `json:"kind"`
	Name      string            `json:"name"`
	Unit      string            `json:"unit,omitempty"`
	Address   string            `json:"address,omitempty"`
	Email     string            `json:"email,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
}

func toAPIBody(b *platform.Body) apiBody {
	return apiBody{ID: b.ID, LGCode: b.LGCode, Kind: b.Kind, Name: b.Name, Unit: b.Unit,
		Address: b.Address, Email: b.Email, CreatedAt: b.CreatedAt}
}

func (a apiBody) body() platform.Body {
	return platform.Body{ID: a.ID, LGCode: a.LGCode, Kind: a.Kind, Name: a.Name, Unit: a.Unit,
		Address: a.Address, Email: a.Email}
}

// apiRegisterEntry is one entry of a 個人情報ファイル簿 (domain.md §3.4).
type apiRegisterEntry struct {
	ID                platform.ID           `json:"id"`
	BodyID            platform.ID           `json:"body_id"`
	FileName          string                `json:"file_name" doc:"1 個人情報ファイルの名称"`
	Unit              string                `json:"unit" doc:"2 担当組織"`
	Purpose           string                `json:"purpose" doc:"3 利用目的"`
	Items             []platform.RecordItem `json:"items" doc:"4 記録項目"`
	SubjectScope      string                `json:"subject_scope" doc:"4 記録範囲"`
	Subjects          int64                 `json:"subjects" doc:"本人の数（概数）"`
	CollectionMethod  string                `json:"collection_method" doc:"5 収集方法"`
	SpecialCare       bool                  `json:"special_care" doc:"6 要配慮個人情報"`
	RegularRecipients string                `json:"regular_recipients" doc:"7 経常的提供先"`
	DisclosureOffice  string                `json:"disclosure_office" doc:"8 開示請求等を受理する組織"`
	SpecialProcedures string                `json:"special_procedures" doc:"9 訂正・利用停止の特別の手続"`
	Kind              platform.FileKind     `json:"kind" doc:"10 電算処理/マニュアル処理"`
	ProposalInvited   bool                  `json:"proposal_invited" doc:"11 提案の募集をする個人情報ファイルである旨"`
	ProposalOffice    string                `json:"proposal_office" doc:"12 提案を受ける組織"`
	AnonSummary       string                `json:"anon_summary" doc:"13 行政機関等匿名加工情報の概要"`
	AnonOffice        string                `json:"anon_office" doc:"14 提案を受ける組織（作成済み）"`
	AnonProposalFrom  *string               `json:"anon_proposal_from" doc:"15 提案期間の開始 YYYY-MM-DD"`
	AnonProposalTo    *string               `json:"anon_proposal_to" doc:"15 提案期間の終了 YYYY-MM-DD"`
	Remarks           string                `json:"remarks" doc:"16 備考"`
	Published         bool                  `json:"published"`
	Version           int                   `json:"version" doc:"required on update: the version read"`
	UpdatedAt         time.Time             `json:"updated_at"`
}

func toAPIEntry(e *platform.RegisterEntry) apiRegisterEntry {
	items := e.Items
	if items == nil {
		items = []platform.RecordItem{}
	}
	return apiRegisterEntry{ID: e.ID, BodyID: e.BodyID, FileName: e.FileName, Unit: e.Unit, Purpose: e.Purpose,
		Items: items, SubjectScope: e.SubjectScope, Subjects: e.Subjects, CollectionMethod: e.CollectionMethod,
		SpecialCare: e.SpecialCare, RegularRecipients: e.RegularRecipients, DisclosureOffice: e.DisclosureOffice,
		SpecialProcedures: e.SpecialProcedures, Kind: e.Kind, ProposalInvited: e.ProposalInvited,
		ProposalOffice: e.ProposalOffice, AnonSummary: e.AnonSummary, AnonOffice: e.AnonOffice,
		AnonProposalFrom: apiDate(e.AnonProposalFrom), AnonProposalTo: apiDate(e.AnonProposalTo),
		Remarks: e.Remarks, Published: e.Published, Version: e.Version, UpdatedAt: e.UpdatedAt}
}

// entry converts a request into a register entry; dates are checked here.
func (a apiRegisterEntry) entry() (platform.RegisterEntry, error) {
	e := platform.RegisterEntry{ID: a.ID, BodyID: a.BodyID, FileName: a.FileName, Unit: a.Unit, Purpose: a.Purpose,
		Items: a.Items, SubjectScope: a.SubjectScope, Subjects: a.Subjects, CollectionMethod: a.CollectionMethod,
		SpecialCare: a.SpecialCare, RegularRecipients: a.RegularRecipients, DisclosureOffice: a.DisclosureOffice,
		SpecialProcedures: a.SpecialProcedures, Kind: a.Kind, ProposalInvited: a.ProposalInvited,
		ProposalOffice: a.ProposalOffice, AnonSummary: a.AnonSummary, AnonOffice: a.AnonOffice,
		Remarks: a.Remarks, Published: a.Published, Version: a.Version}
	var err error
	if e.AnonProposalFrom, err = parseDate(a.AnonProposalFrom, "anon_proposal_from"); err != nil {
		return e, err
	}
	if e.AnonProposalTo, err = parseDate(a.AnonProposalTo, "anon_proposal_to"); err != nil {
		return e, err
	}
	return e, nil
}

type apiRegisterChange struct {
	Version int              `json:"version"`
	At      time.Time        `json:"at"`
	ActorID platform.ID      `json:"actor_id"`
	Reason  string           `json:"reason,omitempty"`
	Entry   apiRegisterEntry `json:"entry"`
}

// apiImportResult reports an import: either every row was stored, or none
// and Errors names each bad row.
type apiImportResult struct {
	Created int              `json:"created"`
	Updated int              `json:"updated"`
	Errors  []apiImportError `json:"errors"`
}

type apiImportError struct {
	Line      int    `json:"line"`
	Field     string `json:"field,omitempty"`
	Message   string `json:"message"`
	MessageJA string `json:"message_ja"`
}

func apiDate(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.In(platform.JST).Format("2006-01-02")
	return &s
}

// parseDate reads YYYY-MM-DD (or YYYY/MM/DD) as a JST date; nil or "" is no date.
func parseDate(s *string, field string) (*time.Time, error) {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil, nil
	}
	v := strings.ReplaceAll(strings.TrimSpace(*s), "/", "-")
	t, err := time.ParseInLocation("2006-01-02", v, platform.JST)
	if err != nil {
		return nil, fault.New(fault.Invalid, "date must be YYYY-MM-DD", "日付は YYYY-MM-DD の形式で入力してください").In(field)
	}
	return &t, nil
}
