package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/standard"
)

// apiNote is the body of proposal actions.
type apiNote struct {
	Note string `json:"note,omitempty" doc:"correction request or reply, rejection or withdrawal reason"`
}

// apiStateMachine describes the procedure: every state and transition.
type apiStateMachine struct {
	States              []platform.State      `json:"states"`
	ProposalTransitions []platform.Transition `json:"proposal_transitions"`
	CaseTransitions     []platform.Transition `json:"case_transitions"`
}

func (s *Server) caseAPIRoutes() []route {
	return []route{
		{Pattern: "GET /api/v1/procedure", Handler: s.apiProcedure, Public: true,
			API: &apiOp{ID: "getProcedure", Tag: "procedure", Summary: "The procedure's states and allowed transitions (party and roles)", Response: apiStateMachine{}}},
		{Pattern: "GET /api/v1/calls", Handler: s.apiCallList, Public: true,
			API: &apiOp{ID: "listCalls", Tag: "calls", Summary: "List calls for proposals (published ones; a body's own drafts for its users)", Response: platform.Call{}, List: true}},
		{Pattern: "POST /api/v1/calls", Handler: s.apiCallCreate, Roles: append(bodyUsers, platform.RoleWindowOfficer),
			API: &apiOp{ID: "createCall", Tag: "calls", Summary: "Draft a call for proposals (period at least 30 days)", Request: platform.Call{}, Response: platform.Call{}, Status: http.StatusCreated}},
		{Pattern: "POST /api/v1/calls/{call}/publish", Handler: s.callPublish, Roles: bodyUsers,
			API: &apiOp{ID: "publishCall", Tag: "calls", Summary: "Publish the call's notice (the body's approver)", Response: platform.Call{}}},
		{Pattern: "GET /api/v1/proposals", Handler: s.apiProposalList, Roles: caseReaders,
			API: &apiOp{ID: "listProposals", Tag: "proposals", Summary: "List the proposals the caller may see", Response: platform.Proposal{}, List: true}},
		{Pattern: "POST /api/v1/proposals", Handler: s.apiProposalSave, Roles: businesses,
			API: &apiOp{ID: "createProposal", Tag: "proposals", Summary: "Create a draft proposal (8 statutory items, targets, matrix, pledge)", Request: platform.Proposal{}, Response: platform.Proposal{}, Status: http.StatusCreated}},
		{Pattern: "GET /api/v1/proposals/{proposal}", Handler: s.apiProposalShow, Roles: caseReaders,
			API: &apiOp{ID: "getProposal", Tag: "proposals", Summary: "Show a proposal", Response: platform.Proposal{}}},
		{Pattern: "PUT /api/v1/proposals/{proposal}", Handler: s.apiProposalSave, Roles: businesses,
			API: &apiOp{ID: "updateProposal", Tag: "proposals", Summary: "Replace a draft proposal", Request: platform.Proposal{}, Response: platform.Proposal{}}},
		{Pattern: "POST /api/v1/proposals/{proposal}/attachments", Handler: s.proposalAttach, Roles: businesses,
			API: &apiOp{ID: "addProposalAttachment", Tag: "proposals", Multipart: true, Summary: "Attach a file (stored encrypted, hashed)", Response: platform.Attachment{}, Status: http.StatusCreated}},
		{Pattern: "POST /api/v1/proposals/{proposal}/actions/{action}", Handler: s.apiProposalAct, Roles: caseReaders,
			API: &apiOp{ID: "actOnProposal", Tag: "proposals", Request: apiNote{}, Response: platform.Proposal{},
				Summary: "Take a proposal action: submit, start_check, request_correction, reply_correction, reject_formal, fork (returns the cases), withdraw"}},
		{Pattern: "GET /api/v1/cases", Handler: s.apiCaseList, Roles: caseReaders,
			API: &apiOp{ID: "listCases", Tag: "cases", Query: []string{"state"}, Summary: "List the per-body cases the caller may see", Response: platform.Case{}, List: true}},
		{Pattern: "GET /api/v1/cases/overdue", Handler: s.apiCaseOverdue, Roles: officers,
			API: &apiOp{ID: "listOverdueCases", Tag: "cases", Summary: "Cases whose state deadline (set per body) has passed", Response: platform.Case{}, List: true}},
		{Pattern: "GET /api/v1/cases/{case}", Handler: s.apiCaseShow, Roles: caseReaders,
			API: &apiOp{ID: "getCase", Tag: "cases", Summary: "Show a case", Response: platform.Case{}}},
		{Pattern: "GET /api/v1/cases/{case}/progress", Handler: s.apiCaseProgress, Roles: caseReaders,
			API: &apiOp{ID: "getCaseProgress", Tag: "cases", Summary: "The processing job's progress (phase and percentage; the case page polls it)", Response: apiProgress{}}},
		{Pattern: "GET /api/v1/cases/{case}/record", Handler: s.apiCaseRecord, Roles: officers,
			API: &apiOp{ID: "getProcessingRecord", Tag: "cases", Summary: "The processing record (public view of the Rule 62 standard record: no keys, seeds or hierarchies); the read is audited", Response: standard.Record{}}},
		{Pattern: "GET /api/v1/cases/{case}/timeline", Handler: s.apiCaseTimeline, Roles: caseReaders,
			API: &apiOp{ID: "getCaseTimeline", Tag: "cases", Summary: "The case's timeline (every transition and act)", Response: platform.Event{}, List: true}},
		{Pattern: "POST /api/v1/cases/{case}/actions/{action}", Handler: s.apiCaseAct, Roles: caseReaders,
			API: &apiOp{ID: "actOnCase", Tag: "cases", Request: apiCaseAction{}, Response: platform.Case{},
				Summary: "Take a case action (route, save_review, submit_review, decide_conforming, notify, apply_contract, invoice, record_payment, sign_contract, conclude_contract, request_source, start_processing, approve_risk, accept_output, deliver, propose_change, review_change, decide_change, cancel, expire, submit_deletion, confirm_deletion, archive, withdraw …)"}},
		{Pattern: "POST /api/v1/cases/{case}/extract", Handler: s.caseExtract, Roles: bodyUsers,
			API: &apiOp{ID: "uploadExtract", Tag: "cases", Multipart: true, Response: platform.Case{},
				Summary: "Upload the source extract (CSV UTF-8/CP932 or XLSX); columns must be those requested"}},
		{Pattern: "GET /api/v1/cases/{case}/download", Handler: s.caseDownload, Roles: businesses,
			API: &apiOp{ID: "downloadDataset", Tag: "cases", Summary: "Download the dataset once (named recipients, before the grant expires); returns CSV"}},
		{Pattern: "GET /api/v1/bodies/{body}/fee-tables", Handler: s.apiFeeTables,
			API: &apiOp{ID: "listFeeTables", Tag: "fees", Summary: "A body's fee tables by effective date", Response: platform.FeeTable{}, List: true}},
		{Pattern: "POST /api/v1/bodies/{body}/fee-tables", Handler: s.apiFeeTableCreate, Roles: bodyUsers,
			API: &apiOp{ID: "createFeeTable", Tag: "fees", Summary: "Add a fee table (the body's approver)", Request: platform.FeeTable{}, Response: platform.FeeTable{}, Status: http.StatusCreated}},
		{Pattern: "GET /api/v1/bodies/{body}/deadlines", Handler: s.apiDeadlines, Roles: officers,
			API: &apiOp{ID: "getDeadlines", Tag: "fees", Summary: "A body's deadlines per state (days)", Response: platform.Deadlines{}}},
		{Pattern: "PUT /api/v1/bodies/{body}/deadlines", Handler: s.apiDeadlinesPut, Roles: bodyUsers,
			API: &apiOp{ID: "putDeadlines", Tag: "fees", Summary: "Set a body's deadlines (the body's approver)", Request: platform.Deadlines{}, Response: platform.Deadlines{}}},
		{Pattern: "POST /api/v1/bodies/{body}/datasets", Handler: s.apiBodyDataset, Roles: bodyUsers,
			API: &apiOp{ID: "listBodyDataset", Tag: "datasets", Request: platform.BodyDataset{}, Response: platform.CatalogDataset{}, Status: http.StatusCreated,
				Summary: "List anonymised data the body created without a proposal (art. 117 register items; open for art. 118 proposals)"}},
		{Pattern: "GET /api/v1/commissions", Handler: s.apiCommissions, Roles: officers,
			API: &apiOp{ID: "listCommissions", Tag: "commissions", Summary: "Joint commissions", Response: platform.Commission{}, List: true}},
		{Pattern: "POST /api/v1/commissions", Handler: s.apiCommissionCreate, Roles: windowStaff,
			API: &apiOp{ID: "createCommission", Tag: "commissions", Summary: "Record a joint commission and split its shared cost", Request: platform.Commission{}, Response: platform.Commission{}, Status: http.StatusCreated}},
		{Pattern: "POST /api/v1/commissions/{commission}/publish", Handler: s.apiCommissionPublish, Roles: windowStaff,
			API: &apiOp{ID: "publishCommission", Tag: "commissions", Summary: "Publish a commission record"}},
		{Pattern: "GET /api/v1/public/commissions", Handler: s.apiPublicCommissions, Public: true,
			API: &apiOp{ID: "listPublicCommissions", Tag: "commissions", Summary: "Published commission records", Response: platform.PublicCommission{}, List: true}},
	}
}

func (s *Server) apiProcedure(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, apiStateMachine{platform.AllStates, platform.ProposalTransitions, platform.CaseTransitions})
}

func (s *Server) apiCallList(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.proc().Calls(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(cs))
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

func (s *Server) apiCallCreate(w http.ResponseWriter, r *http.Request) error {
	var c platform.Call
	if err := decodeJSON(r, &c); err != nil {
		return err
	}
	c.ID = 0
	if err := s.proc().CreateCall(r.Context(), &c); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

func (s *Server) apiProposalList(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.proc().Proposals(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(ps))
}

func (s *Server) apiProposalShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "proposal")
	if err != nil {
		return err
	}
	pr, err := s.proc().Proposal(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, pr)
}

func (s *Server) apiProposalSave(w http.ResponseWriter, r *http.Request) error {
	var pr platform.Proposal
	if err := decodeJSON(r, &pr); err != nil {
		return err
	}
	status := http.StatusCreated
	pr.ID = 0
	if r.Method == http.MethodPut {
		id, err := pathID(r, "proposal")
		if err != nil {
			return err
		}
		pr.ID, status = id, http.StatusOK
	}
	if err := s.proc().SaveProposal(r.Context(), &pr); err != nil {
		return err
	}
	return writeJSON(w, status, pr)
}

func (s *Server) apiProposalAct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "proposal")
	if err != nil {
		return err
	}
	var in apiNote
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
	}
	out, err := doProposalAction(r, s.proc(), id, r.PathValue("action"), in.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiCaseList(w http.ResponseWriter, r *http.Request) error {
	f := platform.CaseFilter{}
	if st := platform.State(r.URL.Query().Get("state")); st != "" {
		if !slices.Contains(platform.AllStates, st) {
			return fault.New(fault.Invalid, "unknown state", "状態が正しくありません").In("state")
		}
		f.States = []platform.State{st}
	}
	cs, err := s.proc().Cases(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(cs))
}

func (s *Server) apiCaseOverdue(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.proc().Overdue(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(cs))
}

func (s *Server) apiCaseShow(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCase(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) apiCaseTimeline(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "case")
	if err != nil {
		return err
	}
	tl, err := s.proc().Timeline(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(tl))
}

func (s *Server) apiCaseAct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "case")
	if err != nil {
		return err
	}
	var in apiCaseAction
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
	}
	c, err := doCaseAction(r.Context(), s.proc(), id, r.PathValue("action"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) apiFeeTables(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "body")
	if err != nil {
		return err
	}
	fs, err := s.proc().FeeTables(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(fs))
}

func (s *Server) apiFeeTableCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "body")
	if err != nil {
		return err
	}
	var f platform.FeeTable
	if err := decodeJSON(r, &f); err != nil {
		return err
	}
	f.ID, f.BodyID = 0, id
	if err := s.proc().AddFeeTable(r.Context(), &f); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, f)
}

func (s *Server) apiDeadlines(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "body")
	if err != nil {
		return err
	}
	if !actor(r).CanReadBody(id) {
		return errOtherBody
	}
	d, err := s.proc().Deadlines(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (s *Server) apiDeadlinesPut(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "body")
	if err != nil {
		return err
	}
	var d platform.Deadlines
	if err := decodeJSON(r, &d); err != nil {
		return err
	}
	d.BodyID = id
	if err := s.proc().SetDeadlines(r.Context(), d); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (s *Server) apiCommissions(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.proc().Commissions(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(cs))
}

func (s *Server) apiCommissionCreate(w http.ResponseWriter, r *http.Request) error {
	var c platform.Commission
	if err := decodeJSON(r, &c); err != nil {
		return err
	}
	c.ID = 0
	if err := s.proc().CreateCommission(r.Context(), &c); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

func (s *Server) apiCommissionPublish(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "commission")
	if err != nil {
		return err
	}
	if err := s.proc().PublishCommission(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiPublicCommissions(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.proc().PublishedCommissions(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(cs))
}

func (s *Server) apiBodyDataset(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "body")
	if err != nil {
		return err
	}
	var in platform.BodyDataset
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e, err := s.deps.Store.RegisterEntry(r.Context(), in.EntryID)
	if err != nil {
		return err
	}
	if e.BodyID != id {
		return fault.New(fault.NotFound, "register entry not found", "ファイル簿の記載が見つかりません")
	}
	d, err := s.proc().ListBodyDataset(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, d)
}

// apiProgress is the progress of a case's processing job.
type apiProgress struct {
	State      platform.State    `json:"state"`
	Phase      platform.JobPhase `json:"phase" doc:"queued, reading, profiling, pseudonymising, encoding, searching, writing, checking, storing, done or failed"`
	PhaseLabel string            `json:"phase_label" doc:"the phase in the request's language"`
	Percent    int               `json:"percent" doc:"0–100"`
	UpdatedAt  *time.Time        `json:"updated_at,omitempty"`
}

func (s *Server) apiCaseProgress(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCase(r)
	if err != nil {
		return err
	}
	out := apiProgress{State: c.State}
	switch {
	case c.Progress != nil:
		out.Phase, out.Percent, out.UpdatedAt = c.Progress.Phase, c.Progress.Percent, &c.Progress.UpdatedAt
	case c.State == platform.StateProcessing:
		out.Phase = platform.PhaseQueued
	}
	if out.Phase != "" {
		out.PhaseLabel = T(r, "progress.phase."+string(out.Phase))
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiCaseRecord(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "case")
	if err != nil {
		return err
	}
	rec, err := s.proc().ProcessingRecord(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rec)
}
