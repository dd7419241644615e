package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

// apiCaseAction is the body of POST /api/v1/cases/{case}/actions/{action}
// (and what the case page's forms post). Each action reads the fields it
// needs; see caseActions.
type apiCaseAction struct {
	Note        string                        `json:"note,omitempty" doc:"request, reply, reason, check report or decision text"`
	Findings    []platform.Finding            `json:"findings,omitempty" doc:"save_review, review_change: one finding per criterion 1–7"`
	Handover    *platform.HandoverDecision    `json:"handover,omitempty" doc:"decide_conforming: the decision on handing over the source data"`
	Council     *platform.CouncilConsultation `json:"council,omitempty" doc:"record_council"`
	Hours       float64                       `json:"hours,omitempty" doc:"notify, invoice: hours needed to create"`
	Outsourcing int64                         `json:"outsourcing,omitempty" doc:"notify, invoice: amount paid to the outsourced processor (yen)"`
	PayDays     int                           `json:"pay_days,omitempty" doc:"invoice: days to pay"`
	Payment     *platform.Payment             `json:"payment,omitempty" doc:"record_payment"`
	Location    string                        `json:"location,omitempty" doc:"sign_contract: place of use"`
	Users       []string                      `json:"users,omitempty" doc:"sign_contract: named staff"`
	Recipients  []platform.ID                 `json:"recipients,omitempty" doc:"sign_contract: user ids allowed to download"`
	ProposalTo  *time.Time                    `json:"proposal_to,omitempty" doc:"accept_output: end of the period for reuse proposals"`
	Purpose     string                        `json:"purpose,omitempty" doc:"propose_change: the changed purpose"`
	Approve     bool                          `json:"approve,omitempty" doc:"decide_change"`
	Ground      string                        `json:"ground,omitempty" doc:"cancel: fraud, disqualified or breach"`
	Method      string                        `json:"method,omitempty" doc:"submit_deletion: how the data was deleted"`
	Overrides   []platform.CheckOverride      `json:"overrides,omitempty" doc:"approve_risk: a reason for each failed Rule 62 item released nonetheless"`
}

// caseActionNames lists the actions of POST …/actions/{action}: the
// transitions of the case state machine and the acts that record without
// changing the state.
var caseActionNames = []string{"route", "request_correction", "reply_correction", "save_review", "record_council",
	"submit_review", "decide_conforming", "decide_nonconforming", "notify", "apply_contract", "invoice",
	"record_payment", "sign_contract", "conclude_contract", "request_source", "start_processing", "approve_risk",
	"reject_risk", "accept_output", "reject_output", "deliver", "start_use", "propose_change", "review_change", "decide_change",
	"cancel", "expire", "submit_deletion", "confirm_deletion", "archive", "withdraw"}

// doCaseAction runs one action on a case through the procedure service.
func doCaseAction(ctx context.Context, p *platform.Procedure, id platform.ID, action string, in apiCaseAction) (*platform.Case, error) {
	switch action {
	case "route":
		return p.Route(ctx, id)
	case "request_correction":
		return p.RequestCaseCorrection(ctx, id, in.Note)
	case "reply_correction":
		return p.ReplyCaseCorrection(ctx, id, in.Note)
	case "save_review":
		return p.SaveReview(ctx, id, in.Findings)
	case "record_council":
		if in.Council == nil {
			return nil, fault.New(fault.Invalid, "council is required", "審議会の記録を入力してください").In("council")
		}
		return p.RecordCouncil(ctx, id, *in.Council)
	case "submit_review":
		return p.SubmitReview(ctx, id)
	case "decide_conforming":
		return p.DecideConforming(ctx, id, in.Handover)
	case "decide_nonconforming":
		return p.DecideNonConforming(ctx, id)
	case "notify":
		return p.Notify(ctx, id, in.Hours, in.Outsourcing)
	case "apply_contract":
		return p.ApplyContract(ctx, id)
	case "invoice":
		return p.IssueInvoice(ctx, id, in.Hours, in.Outsourcing, in.PayDays)
	case "record_payment":
		if in.Payment == nil {
			return nil, fault.New(fault.Invalid, "payment is required", "納付の記録を入力してください").In("payment")
		}
		return p.RecordPayment(ctx, id, *in.Payment)
	case "sign_contract":
		return p.SignContract(ctx, id, in.Location, in.Users, in.Recipients)
	case "conclude_contract":
		return p.ConcludeContract(ctx, id)
	case "request_source":
		return p.RequestSource(ctx, id, in.Note)
	case "start_processing":
		return p.StartProcessing(ctx, id)
	case "approve_risk":
		return p.ApproveRiskOverriding(ctx, id, in.Note, in.Overrides)
	case "reject_risk":
		return p.RejectRisk(ctx, id, in.Note)
	case "accept_output":
		if in.ProposalTo == nil {
			return nil, fault.New(fault.Invalid, "proposal_to is required", "提案をすることができる期間の終期を入力してください").In("proposal_to")
		}
		return p.AcceptOutput(ctx, id, *in.ProposalTo)
	case "reject_output":
		return p.RejectOutput(ctx, id, in.Note)
	case "deliver":
		return p.Deliver(ctx, id)
	case "start_use":
		return p.StartUse(ctx, id)
	case "propose_change":
		return p.ProposeChange(ctx, id, in.Purpose, in.Note)
	case "review_change":
		return p.ReviewChange(ctx, id, in.Findings)
	case "decide_change":
		return p.DecideChange(ctx, id, in.Approve, in.Note)
	case "cancel":
		return p.Cancel(ctx, id, in.Ground, in.Note)
	case "expire":
		return p.Expire(ctx, id)
	case "submit_deletion":
		return p.SubmitDeletionCertificate(ctx, id, in.Note, in.Method, nil)
	case "confirm_deletion":
		return p.ConfirmDeletion(ctx, id)
	case "archive":
		return p.Archive(ctx, id)
	case "withdraw":
		return p.WithdrawCase(ctx, id, in.Note)
	}
	return nil, fault.New(fault.NotFound, "unknown action "+action, "不明な操作です")
}

// caseActionFromForm reads the case page's form fields.
func caseActionFromForm(r *http.Request) (apiCaseAction, error) {
	f := func(k string) string { return strings.TrimSpace(r.FormValue(k)) }
	in := apiCaseAction{Note: f("note"), Location: f("location"), Purpose: f("purpose"), Ground: f("ground"),
		Method: f("method"), Approve: f("approve") == "1"}
	var err error
	num := func(k string) float64 {
		if err != nil || f(k) == "" {
			return 0
		}
		v, e := strconv.ParseFloat(strings.ReplaceAll(f(k), ",", ""), 64)
		if e != nil {
			err = fault.New(fault.Invalid, k+" must be a number", "数値を入力してください").In(k)
		}
		return v
	}
	in.Hours, in.Outsourcing, in.PayDays = num("hours"), int64(num("outsourcing")), int(num("pay_days"))
	for i := 1; i <= len(platform.Criteria); i++ {
		k := strconv.Itoa(i)
		if v := f("met_" + k); v != "" {
			in.Findings = append(in.Findings, platform.Finding{Criterion: i, Met: v == "1", Reason: f("reason_" + k)})
		}
	}
	for i := 1; i <= 5; i++ {
		if v := f("override_" + strconv.Itoa(i)); v != "" {
			in.Overrides = append(in.Overrides, platform.CheckOverride{Item: i, Reason: v})
		}
	}
	if f("decision") != "" {
		in.Handover = &platform.HandoverDecision{Decision: f("decision"), LegalBasis: f("legal_basis"), Conditions: f("conditions")}
	}
	if f("council") != "" {
		in.Council = &platform.CouncilConsultation{Council: f("council"), Reference: f("reference"), Opinion: f("opinion")}
		if d, e := time.ParseInLocation("2006-01-02", f("asked_at"), platform.JST); e == nil {
			in.Council.AskedAt = d
		}
	}
	if f("receipt") != "" {
		in.Payment = &platform.Payment{Amount: int64(num("amount")), Method: f("pay_method"), Receipt: f("receipt")}
	}
	if d, e := time.ParseInLocation("2006-01-02", f("proposal_to"), platform.JST); e == nil {
		in.ProposalTo = &d
	}
	for _, u := range strings.FieldsFunc(f("users"), func(r rune) bool { return r == '\n' || r == ',' || r == '、' }) {
		in.Users = append(in.Users, strings.TrimSpace(u))
	}
	for _, s := range strings.FieldsFunc(f("recipients"), func(r rune) bool { return r == ',' || r == ' ' }) {
		id, e := strconv.ParseInt(s, 10, 64)
		if e != nil {
			return in, fault.New(fault.Invalid, "recipients must be user ids", "受領者は利用者IDで入力してください").In("recipients")
		}
		in.Recipients = append(in.Recipients, id)
	}
	return in, err
}
