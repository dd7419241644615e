package platform

import (
	"slices"

	"github.com/tokumei/tokumei/fault"
)

// State is a state of a call, a proposal or a per-body case, named as in
// domain.md §2.3 and DESIGN.md. The same names are used in the database and
// in the OpenAPI document. Append only.
type State string

// Call states (提案の募集, level A). The stored state of a call is CALL_DRAFT
// or CALL_PUBLISHED; CALL_OPEN and CALL_CLOSED follow from the period.
const (
	CallDraft     State = "CALL_DRAFT"     // 募集要項の作成中
	CallPublished State = "CALL_PUBLISHED" // 公示済み（募集期間前）
	CallOpen      State = "CALL_OPEN"      // 募集期間中
	CallClosed    State = "CALL_CLOSED"    // 募集期間終了
)

// Proposal states (提案, level B), held by the proposal before it forks.
const (
	StateDraft               State = "DRAFT"                // B1 作成中
	StateSubmitted           State = "SUBMITTED"            // B2 提出
	StateFormalCheck         State = "FORMAL_CHECK"         // B3 形式審査（窓口）
	StateCorrectionRequested State = "CORRECTION_REQUESTED" // B3a 補正・説明の求め
	StateForked              State = "FORKED"               // B4 実施機関ごとの案件に分岐
	StateWithdrawn           State = "WITHDRAWN"            // 取下げ
	StateRejectedFormal      State = "REJECTED_FORMAL"      // 形式上の不受理
)

// Case states (案件, level C): one proposal as handled by one body.
const (
	StateLGReview             State = "LG_REVIEW"               // C1 実施機関の審査
	StateOutOfPurposeDecision State = "OUT_OF_PURPOSE_DECISION" // C1a 目的外提供・委託の判断
	StateConforming           State = "CONFORMING"              // C2a 基準に適合
	StateNonConforming        State = "NON_CONFORMING"          // C2b 基準に不適合
	StateNotified             State = "NOTIFIED"                // C3 審査結果の通知
	StateContractApplied      State = "CONTRACT_APPLIED"        // C4 契約の申込み
	StateFeeInvoiced          State = "FEE_INVOICED"            // C5 手数料の請求
	StateFeePaid              State = "FEE_PAID"                // C6 手数料の納付
	StateContracted           State = "CONTRACTED"              // C7 利用契約の締結
	StateSourceRequested      State = "SOURCE_REQUESTED"        // C8 元データの抽出依頼
	StateSourceReceived       State = "SOURCE_RECEIVED"         // C9 元データの受領
	StateProcessing           State = "PROCESSING"              // C10 加工
	StateRiskCheck            State = "RISK_CHECK"              // C11 リスク確認（第二者）
	StateLGAcceptance         State = "LG_ACCEPTANCE"           // C12 実施機関による確認
	StateRegisterUpdated      State = "REGISTER_UPDATED"        // C13 個人情報ファイル簿への記載
	StateProvided             State = "PROVIDED"                // C14 提供
	StateInUse                State = "IN_USE"                  // C15 利用中
	StateChangeProposed       State = "CHANGE_PROPOSED"         // C16 事業の変更の提案
	StateCancelled            State = "CANCELLED"               // C17 契約の解除
	StateExpired              State = "EXPIRED"                 // C18 利用期間の満了
	StateDeletionConfirmed    State = "DELETION_CONFIRMED"      // C19 消去の確認
	StateArchived             State = "ARCHIVED"                // C20 保存・完結
)

// AllStates lists every state in procedure order: call, proposal, case.
var AllStates = []State{
	CallDraft, CallPublished, CallOpen, CallClosed,
	StateDraft, StateSubmitted, StateFormalCheck, StateCorrectionRequested, StateForked,
	StateLGReview, StateOutOfPurposeDecision, StateConforming, StateNonConforming, StateNotified,
	StateContractApplied, StateFeeInvoiced, StateFeePaid, StateContracted,
	StateSourceRequested, StateSourceReceived, StateProcessing, StateRiskCheck, StateLGAcceptance,
	StateRegisterUpdated, StateProvided, StateInUse, StateChangeProposed, StateCancelled,
	StateExpired, StateDeletionConfirmed, StateArchived, StateWithdrawn, StateRejectedFormal,
}

// ProposalStates are the states a proposal can hold.
var ProposalStates = []State{StateDraft, StateSubmitted, StateFormalCheck,
	StateCorrectionRequested, StateForked, StateWithdrawn, StateRejectedFormal}

// CaseStates are the states a per-body case can hold (it starts FORKED).
var CaseStates = []State{StateForked, StateLGReview, StateCorrectionRequested,
	StateOutOfPurposeDecision, StateConforming, StateNonConforming, StateNotified,
	StateContractApplied, StateFeeInvoiced, StateFeePaid, StateContracted,
	StateSourceRequested, StateSourceReceived, StateProcessing, StateRiskCheck, StateLGAcceptance,
	StateRegisterUpdated, StateProvided, StateInUse, StateChangeProposed, StateCancelled,
	StateExpired, StateDeletionConfirmed, StateArchived, StateWithdrawn}

// Valid reports whether s is a known state.
func (s State) Valid() bool { return slices.Contains(AllStates, s) }

// Terminal reports whether nothing more happens in s except archiving.
func (s State) Terminal() bool {
	switch s {
	case StateArchived, StateWithdrawn, StateRejectedFormal:
		return true
	}
	return false
}

// stateJA gives the Japanese label of each state, for platform's own
// (Japanese) error messages, which the CLI and API clients read too. Pages
// show states through the web catalogue (key "state.<STATE>", ja and en);
// a web test keeps its Japanese text equal to this.
var stateJA = map[State]string{
	CallDraft: "募集要項作成中", CallPublished: "公示済み", CallOpen: "募集中", CallClosed: "募集終了",
	StateDraft: "提案書作成中", StateSubmitted: "提出済み", StateFormalCheck: "形式審査中",
	StateCorrectionRequested: "補正依頼中", StateForked: "実施機関へ回付待ち",
	StateLGReview: "審査中", StateOutOfPurposeDecision: "目的外提供・委託の判断",
	StateConforming: "基準に適合", StateNonConforming: "基準に不適合", StateNotified: "審査結果通知済み",
	StateContractApplied: "契約申込み済み", StateFeeInvoiced: "手数料請求済み", StateFeePaid: "手数料納付済み",
	StateContracted: "契約締結済み", StateSourceRequested: "元データ抽出依頼中", StateSourceReceived: "元データ受領済み",
	StateProcessing: "加工中", StateRiskCheck: "リスク確認中", StateLGAcceptance: "実施機関確認待ち",
	StateRegisterUpdated: "ファイル簿記載済み", StateProvided: "提供済み", StateInUse: "利用中",
	StateChangeProposed: "変更提案中", StateCancelled: "契約解除", StateExpired: "利用期間満了",
	StateDeletionConfirmed: "消去確認済み", StateArchived: "完結", StateWithdrawn: "取下げ",
	StateRejectedFormal: "不受理",
}

// JA returns the Japanese label of s.
func (s State) JA() string {
	if l, ok := stateJA[s]; ok {
		return l
	}
	return string(s)
}

// Party says whose user may take an action.
type Party string

// Parties.
const (
	PartyProposer Party = "proposer" // a user of the proposing business
	PartyBody     Party = "body"     // a user of the case's body (実施機関)
	PartyOperator Party = "operator" // creation-organisation staff (作成組織)
)

// Action names a transition. Append only: actions are stored in the timeline.
type Action string

// The actions of the procedure.
const (
	ActSubmit            Action = "submit"             // 提案書の提出
	ActStartCheck        Action = "start_check"        // 形式審査の開始
	ActRequestCorrection Action = "request_correction" // 補正・説明の求め
	ActReplyCorrection   Action = "reply_correction"   // 補正・回答
	ActRejectFormal      Action = "reject_formal"      // 不受理
	ActFork              Action = "fork"               // 受理・実施機関ごとに分岐
	ActWithdraw          Action = "withdraw"           // 取下げ
	ActRoute             Action = "route"              // 実施機関への回付
	ActSubmitReview      Action = "submit_review"      // 審査結果（7基準）の提出
	ActDecideConforming  Action = "decide_conforming"  // 適合の決定（委託判断を含む）
	ActDecideNonConform  Action = "decide_nonconforming"
	ActNotify            Action = "notify"            // 審査結果の通知
	ActApplyContract     Action = "apply_contract"    // 契約の申込み
	ActInvoice           Action = "invoice"           // 手数料の請求
	ActRecordPayment     Action = "record_payment"    // 納付の確認
	ActConcludeContract  Action = "conclude_contract" // 契約の締結
	ActRequestSource     Action = "request_source"    // 抽出依頼
	ActUploadExtract     Action = "upload_extract"    // 元データの登録
	ActStartProcessing   Action = "start_processing"  // 加工の開始
	ActFinishProcessing  Action = "finish_processing"
	ActFailProcessing    Action = "fail_processing"
	ActApproveRisk       Action = "approve_risk" // 加工の記録の承認
	ActRejectRisk        Action = "reject_risk"
	ActAcceptOutput      Action = "accept_output" // 実施機関の確認とファイル簿への記載
	ActRejectOutput      Action = "reject_output"
	ActDeliver           Action = "deliver"   // 提供
	ActStartUse          Action = "start_use" // 受領・利用開始
	ActProposeChange     Action = "propose_change"
	ActDecideChange      Action = "decide_change"
	ActCancel            Action = "cancel" // 契約の解除（第120条）
	ActExpire            Action = "expire"
	ActConfirmDeletion   Action = "confirm_deletion"
	ActArchive           Action = "archive"
)

// AllActions lists every action of the state machines, for the API.
var AllActions = []Action{ActSubmit, ActStartCheck, ActRequestCorrection, ActReplyCorrection, ActRejectFormal, ActFork,
	ActWithdraw, ActRoute, ActSubmitReview, ActDecideConforming, ActDecideNonConform, ActNotify, ActApplyContract,
	ActInvoice, ActRecordPayment, ActConcludeContract, ActRequestSource, ActUploadExtract, ActStartProcessing,
	ActFinishProcessing, ActFailProcessing, ActApproveRisk, ActRejectRisk, ActAcceptOutput, ActRejectOutput, ActDeliver,
	ActStartUse, ActProposeChange, ActDecideChange, ActCancel, ActExpire, ActConfirmDeletion, ActArchive,
	// acts recorded in the timeline without a change of state
	"create", "edit", "attach", "review.save", "council.record", "contract.sign", "deletion.submit", "reminder"}

// Transition is one allowed move: from any of From to To, by a user of Party
// holding one of Roles.
type Transition struct {
	Action Action
	From   []State
	To     State
	Party  Party
	Roles  []Role
}

var (
	bodyAny      = []Role{RoleBodyReviewer, RoleBodyApprover}
	bodyApprover = []Role{RoleBodyApprover}
	bodyReviewer = []Role{RoleBodyReviewer}
	business     = []Role{RoleBusiness}
	window       = []Role{RoleWindowOfficer}
	preContract  = []State{StateForked, StateLGReview, StateCorrectionRequested, StateOutOfPurposeDecision,
		StateConforming, StateNonConforming, StateNotified, StateContractApplied, StateFeeInvoiced, StateFeePaid}
)

// ProposalTransitions are the moves of a proposal (level B).
var ProposalTransitions = []Transition{
	{ActSubmit, []State{StateDraft}, StateSubmitted, PartyProposer, business},
	{ActStartCheck, []State{StateSubmitted}, StateFormalCheck, PartyOperator, window},
	{ActRequestCorrection, []State{StateFormalCheck}, StateCorrectionRequested, PartyOperator, window},
	{ActReplyCorrection, []State{StateCorrectionRequested}, StateFormalCheck, PartyProposer, business},
	{ActRejectFormal, []State{StateSubmitted, StateFormalCheck, StateCorrectionRequested}, StateRejectedFormal, PartyOperator, window},
	{ActFork, []State{StateFormalCheck}, StateForked, PartyOperator, window},
	{ActWithdraw, []State{StateDraft, StateSubmitted, StateFormalCheck, StateCorrectionRequested}, StateWithdrawn, PartyProposer, business},
}

// CaseTransitions are the moves of a per-body case (level C).
var CaseTransitions = []Transition{
	{ActRoute, []State{StateForked}, StateLGReview, PartyOperator, window},
	{ActRequestCorrection, []State{StateLGReview}, StateCorrectionRequested, PartyBody, bodyAny},
	{ActReplyCorrection, []State{StateCorrectionRequested}, StateLGReview, PartyProposer, business},
	{ActSubmitReview, []State{StateLGReview}, StateOutOfPurposeDecision, PartyBody, bodyReviewer},
	{ActDecideConforming, []State{StateOutOfPurposeDecision}, StateConforming, PartyBody, bodyApprover},
	{ActDecideNonConform, []State{StateLGReview, StateOutOfPurposeDecision}, StateNonConforming, PartyBody, bodyApprover},
	{ActNotify, []State{StateConforming, StateNonConforming}, StateNotified, PartyBody, bodyApprover},
	{ActApplyContract, []State{StateNotified}, StateContractApplied, PartyProposer, business},
	{ActInvoice, []State{StateContractApplied}, StateFeeInvoiced, PartyBody, bodyAny},
	{ActRecordPayment, []State{StateFeeInvoiced}, StateFeePaid, PartyBody, bodyAny},
	{ActConcludeContract, []State{StateFeePaid}, StateContracted, PartyBody, bodyApprover},
	{ActRequestSource, []State{StateContracted}, StateSourceRequested, PartyOperator, window},
	{ActUploadExtract, []State{StateSourceRequested}, StateSourceReceived, PartyBody, bodyAny},
	{ActStartProcessing, []State{StateSourceReceived}, StateProcessing, PartyOperator, []Role{RoleProcessor}},
	{ActFinishProcessing, []State{StateProcessing}, StateRiskCheck, PartyOperator, []Role{RoleProcessor}},
	{ActFailProcessing, []State{StateProcessing}, StateSourceReceived, PartyOperator, []Role{RoleProcessor}},
	{ActApproveRisk, []State{StateRiskCheck}, StateLGAcceptance, PartyOperator, []Role{RoleRiskAssessor}},
	{ActRejectRisk, []State{StateRiskCheck}, StateSourceReceived, PartyOperator, []Role{RoleRiskAssessor}},
	{ActAcceptOutput, []State{StateLGAcceptance}, StateRegisterUpdated, PartyBody, bodyApprover},
	{ActRejectOutput, []State{StateLGAcceptance}, StateSourceReceived, PartyBody, bodyApprover},
	{ActDeliver, []State{StateRegisterUpdated, StateContracted}, StateProvided, PartyOperator, window},
	{ActStartUse, []State{StateProvided}, StateInUse, PartyProposer, business},
	{ActProposeChange, []State{StateInUse}, StateChangeProposed, PartyProposer, business},
	{ActDecideChange, []State{StateChangeProposed}, StateInUse, PartyBody, bodyApprover},
	{ActCancel, []State{StateContracted, StateProvided, StateInUse, StateChangeProposed}, StateCancelled, PartyBody, bodyApprover},
	{ActExpire, []State{StateInUse, StateChangeProposed}, StateExpired, PartyOperator, window},
	{ActConfirmDeletion, []State{StateCancelled, StateExpired}, StateDeletionConfirmed, PartyBody, bodyAny},
	{ActArchive, []State{StateDeletionConfirmed, StateNotified, StateWithdrawn}, StateArchived, PartyOperator, window},
	{ActWithdraw, preContract, StateWithdrawn, PartyProposer, business},
}

// FindTransition returns the transition for action from state in table, or a
// Conflict fault naming the state and action.
func FindTransition(table []Transition, from State, action Action) (Transition, error) {
	for _, t := range table {
		if t.Action == action && slices.Contains(t.From, from) {
			return t, nil
		}
	}
	return Transition{}, fault.New(fault.Conflict,
		"action "+string(action)+" is not allowed in state "+string(from),
		"状態「"+from.JA()+"」では操作 "+string(action)+" はできません").In("state")
}

// Allowed checks that actor may take t on a record held by body bodyID and
// proposed by business businessID: the right role of the right party.
func (t Transition) Allowed(a Actor, bodyID, businessID ID) error {
	if err := a.Require(t.Roles...); err != nil {
		return err
	}
	switch t.Party {
	case PartyBody:
		if !a.Role.BodyScoped() || a.BodyID != bodyID {
			return fault.New(fault.Forbidden, "only the body that holds this case may do this",
				"この案件を所管する実施機関の職員のみが行えます")
		}
	case PartyProposer:
		if a.BusinessID == 0 || a.BusinessID != businessID {
			return fault.New(fault.Forbidden, "only the proposer may do this", "提案者のみが行えます")
		}
	case PartyOperator:
		if a.Role.BodyScoped() || a.Role == RoleBusiness {
			return fault.New(fault.Forbidden, "only the creation organisation may do this", "作成組織の職員のみが行えます")
		}
	}
	return nil
}

// NextActions lists the actions of table possible from s, in table order.
func NextActions(table []Transition, s State) []Transition {
	var out []Transition
	for _, t := range table {
		if slices.Contains(t.From, s) {
			out = append(out, t)
		}
	}
	return out
}
