package platform

import (
	"slices"
	"testing"

	"github.com/tokumei/tokumei/fault"
)

func TestAllStatesHasDesignNames(t *testing.T) {
	design := []string{"DRAFT", "SUBMITTED", "FORMAL_CHECK", "CORRECTION_REQUESTED", "LG_REVIEW", "CONFORMING",
		"NON_CONFORMING", "NOTIFIED", "CONTRACT_APPLIED", "FEE_INVOICED", "FEE_PAID", "CONTRACTED", "SOURCE_REQUESTED",
		"SOURCE_RECEIVED", "PROCESSING", "RISK_CHECK", "LG_ACCEPTANCE", "REGISTER_UPDATED", "PROVIDED", "IN_USE",
		"CHANGE_PROPOSED", "CANCELLED", "EXPIRED", "DELETION_CONFIRMED", "ARCHIVED", "WITHDRAWN", "REJECTED_FORMAL",
		"CALL_DRAFT", "CALL_PUBLISHED", "CALL_OPEN", "CALL_CLOSED", "FORKED", "OUT_OF_PURPOSE_DECISION"}
	for _, n := range design {
		if !State(n).Valid() {
			t.Errorf("state %s missing from AllStates", n)
		}
		if State(n).JA() == n {
			t.Errorf("state %s has no Japanese label", n)
		}
	}
	seen := map[State]bool{}
	for _, s := range AllStates {
		if seen[s] {
			t.Errorf("duplicate state %s", s)
		}
		seen[s] = true
	}
}

// Every case state except the start is reachable from FORKED, and every
// non-terminal state has a way out.
func TestCaseStatesReachable(t *testing.T) {
	reach := map[State]bool{StateForked: true}
	for changed := true; changed; {
		changed = false
		for _, tr := range CaseTransitions {
			for _, f := range tr.From {
				if reach[f] && !reach[tr.To] {
					reach[tr.To], changed = true, true
				}
			}
		}
	}
	for _, s := range CaseStates {
		if !reach[s] {
			t.Errorf("case state %s unreachable", s)
		}
		if s != StateArchived && len(NextActions(CaseTransitions, s)) == 0 {
			t.Errorf("case state %s has no way out", s)
		}
	}
}

func TestTransitionsRefused(t *testing.T) {
	body1 := Actor{UserID: 1, Role: RoleBodyApprover, BodyID: 10}
	body1Rev := Actor{UserID: 2, Role: RoleBodyReviewer, BodyID: 10}
	body2 := Actor{UserID: 3, Role: RoleBodyApprover, BodyID: 20}
	biz := Actor{UserID: 4, Role: RoleBusiness, BusinessID: 7}
	otherBiz := Actor{UserID: 5, Role: RoleBusiness, BusinessID: 8}
	win := Actor{UserID: 6, Role: RoleWindowOfficer}
	admin := Actor{UserID: 7, Role: RoleAdmin}
	proc := Actor{UserID: 8, Role: RoleProcessor}
	tests := []struct {
		name   string
		table  []Transition
		from   State
		action Action
		actor  Actor
		code   fault.Code
	}{
		{"approver decides conforming", CaseTransitions, StateOutOfPurposeDecision, ActDecideConforming, body1, ""},
		{"other body cannot decide", CaseTransitions, StateOutOfPurposeDecision, ActDecideConforming, body2, fault.Forbidden},
		{"reviewer cannot decide", CaseTransitions, StateOutOfPurposeDecision, ActDecideConforming, body1Rev, fault.Forbidden},
		{"window cannot decide", CaseTransitions, StateOutOfPurposeDecision, ActDecideConforming, win, fault.Forbidden},
		{"admin cannot decide", CaseTransitions, StateOutOfPurposeDecision, ActDecideConforming, admin, fault.Forbidden},
		{"cannot skip review", CaseTransitions, StateLGReview, ActDecideConforming, body1, fault.Conflict},
		{"cannot contract before payment", CaseTransitions, StateFeeInvoiced, ActConcludeContract, body1, fault.Conflict},
		{"proposer applies", CaseTransitions, StateNotified, ActApplyContract, biz, ""},
		{"other business cannot apply", CaseTransitions, StateNotified, ActApplyContract, otherBiz, fault.Forbidden},
		{"body cannot apply for proposer", CaseTransitions, StateNotified, ActApplyContract, body1, fault.Forbidden},
		{"processor starts", CaseTransitions, StateSourceReceived, ActStartProcessing, proc, ""},
		{"processor cannot approve risk", CaseTransitions, StateRiskCheck, ActApproveRisk, proc, fault.Forbidden},
		{"no processing before source", CaseTransitions, StateSourceRequested, ActStartProcessing, proc, fault.Conflict},
		{"no withdraw after contract", CaseTransitions, StateContracted, ActWithdraw, biz, fault.Conflict},
		{"archived is final", CaseTransitions, StateArchived, ActArchive, win, fault.Conflict},
		{"window forks proposal", ProposalTransitions, StateFormalCheck, ActFork, win, ""},
		{"body cannot fork", ProposalTransitions, StateFormalCheck, ActFork, body1, fault.Forbidden},
		{"no fork from draft", ProposalTransitions, StateDraft, ActFork, win, fault.Conflict},
		{"other business cannot submit", ProposalTransitions, StateDraft, ActSubmit, otherBiz, fault.Forbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr, err := FindTransition(tc.table, tc.from, tc.action)
			if err == nil {
				err = tr.Allowed(tc.actor, 10, 7)
			}
			if got := fault.ErrorCode(err); got != tc.code {
				t.Fatalf("got %q (%v), want %q", got, err, tc.code)
			}
		})
	}
}

func TestAllActionsCoverTables(t *testing.T) {
	for _, tr := range append(append([]Transition{}, ProposalTransitions...), CaseTransitions...) {
		if !slices.Contains(AllActions, tr.Action) {
			t.Errorf("action %s missing from AllActions", tr.Action)
		}
		if !tr.To.Valid() {
			t.Errorf("action %s leads to unknown state %s", tr.Action, tr.To)
		}
	}
}
