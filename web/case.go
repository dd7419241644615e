package web

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/standard"
)

var (
	caseReaders = []platform.Role{platform.RoleBusiness, platform.RoleBodyReviewer, platform.RoleBodyApprover,
		platform.RoleWindowOfficer, platform.RoleProcessor, platform.RoleRiskAssessor, platform.RoleAuditor, platform.RoleAdmin}
	officers = []platform.Role{platform.RoleBodyReviewer, platform.RoleBodyApprover, platform.RoleWindowOfficer,
		platform.RoleProcessor, platform.RoleRiskAssessor, platform.RoleAuditor, platform.RoleAdmin}
	bodyUsers   = []platform.Role{platform.RoleBodyReviewer, platform.RoleBodyApprover}
	windowStaff = []platform.Role{platform.RoleWindowOfficer}
	businesses  = []platform.Role{platform.RoleBusiness}
)

func (s *Server) proc() *platform.Procedure {
	p := s.deps.Services.Procedure()
	p.Clock = s.now
	return p
}

// caseRoutes declares the procedure's pages and API (calls, proposals,
// cases, fees, deadlines, commissions).
func (s *Server) caseRoutes() []route {
	rs := []route{
		{Pattern: "GET /calls", Handler: s.callList, Public: true},
		{Pattern: "GET /calls/new", Handler: s.callNew, Roles: append(bodyUsers, platform.RoleWindowOfficer)},
		{Pattern: "POST /calls", Handler: s.callCreate, Roles: append(bodyUsers, platform.RoleWindowOfficer)},
		{Pattern: "POST /calls/{call}/publish", Handler: s.callPublish, Roles: bodyUsers},
		{Pattern: "GET /bodies/{body}/procedure", Handler: s.bodySettings, Roles: officers},
		{Pattern: "POST /bodies/{body}/procedure/fees", Handler: s.bodyFeeCreate, Roles: bodyUsers},
		{Pattern: "POST /bodies/{body}/procedure/deadlines", Handler: s.bodyDeadlines, Roles: bodyUsers},
		{Pattern: "GET /commissions", Handler: s.commissionList, Roles: officers},
		{Pattern: "GET /proposals", Handler: s.proposalList, Roles: caseReaders},
		{Pattern: "GET /proposals/new", Handler: s.proposalNew, Roles: businesses},
		{Pattern: "POST /proposals", Handler: s.proposalCreate, Roles: businesses},
		{Pattern: "GET /proposals/{proposal}", Handler: s.proposalShow, Roles: caseReaders},
		{Pattern: "POST /proposals/{proposal}/matrix", Handler: s.proposalMatrix, Roles: businesses},
		{Pattern: "POST /proposals/{proposal}/attachments", Handler: s.proposalAttach, Roles: businesses},
		{Pattern: "POST /proposals/{proposal}/act/{action}", Handler: s.proposalAct, Roles: caseReaders},
		{Pattern: "GET /cases", Handler: s.caseList, Roles: caseReaders},
		{Pattern: "GET /cases/overdue", Handler: s.caseOverdue, Roles: officers},
		{Pattern: "GET /cases/ending", Handler: s.caseEnding, Roles: officers},
		{Pattern: "GET /cases/{case}", Handler: s.caseShow, Roles: caseReaders},
		{Pattern: "POST /cases/{case}/act/{action}", Handler: s.caseAct, Roles: caseReaders},
		{Pattern: "POST /cases/{case}/extract", Handler: s.caseExtract, Roles: bodyUsers},
		{Pattern: "GET /cases/{case}/download", Handler: s.caseDownload, Roles: businesses},
		{Pattern: "GET /cases/{case}/notice", Handler: s.caseNotice, Roles: caseReaders},
		{Pattern: "GET /cases/{case}/files/{kind}", Handler: s.caseFile, Roles: officers},
		{Pattern: "GET /cases/{case}/record", Handler: s.caseRecord, Roles: officers},
		{Pattern: "GET /cases/{case}/contract", Handler: s.caseContract, Roles: caseReaders},
		{Pattern: "GET /cases/{case}/invoice", Handler: s.caseInvoice, Roles: caseReaders},
	}
	return append(rs, s.caseAPIRoutes()...)
}

type caseListData struct {
	Title  string
	Cases  []platform.Case
	Bodies map[platform.ID]string
	State  string
	States []platform.State
}

func (s *Server) bodyNames(r *http.Request) map[platform.ID]string {
	out := map[platform.ID]string{}
	bs, _ := s.deps.Store.Bodies(r.Context(), "")
	for _, b := range bs {
		out[b.ID] = b.Name
	}
	return out
}

func (s *Server) caseList(w http.ResponseWriter, r *http.Request) error {
	f := platform.CaseFilter{}
	st := r.URL.Query().Get("state")
	if st != "" {
		f.States = []platform.State{platform.State(st)}
	}
	cs, err := s.proc().Cases(r.Context(), f)
	if err != nil {
		return err
	}
	return s.page(w, r, "case_list", caseListData{T(r, "case.list"), cs, s.bodyNames(r), st, platform.CaseStates})
}

func (s *Server) caseOverdue(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.proc().Overdue(r.Context())
	if err != nil {
		return err
	}
	return s.page(w, r, "case_list", caseListData{T(r, "case.overdue"), cs, s.bodyNames(r), "", nil})
}

// caseEnding lists cases whose use period ends soon. A GET writes nothing:
// the daily reminders job (jobs.UseRemindersJob) records the reminders.
func (s *Server) caseEnding(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.proc().EndingSoon(r.Context())
	if err != nil {
		return err
	}
	return s.page(w, r, "case_list", caseListData{T(r, "case.ending"), cs, s.bodyNames(r), "", nil})
}

// caseView feeds templates/case_show.html.
type caseView struct {
	Case      *platform.Case
	Body      *platform.Body
	Proposal  *platform.Proposal
	Timeline  []timelineItem
	Actions   []string
	Criteria  []platform.Criterion
	Suggested []platform.Finding
	Overdue   bool
	CanDL     bool
	// Record is the public view of the processing record, shown where the
	// risk assessor approves and the body accepts the output.
	Record *standard.Record
	// Progress of the processing job while the case is PROCESSING.
	Percent int
	Phase   platform.JobPhase
}

func (s *Server) loadCase(r *http.Request) (*platform.Case, error) {
	id, err := pathID(r, "case")
	if err != nil {
		return nil, err
	}
	return s.proc().Case(r.Context(), id)
}

// availableActions lists the actions the actor may take on c now.
func availableActions(a platform.Actor, c *platform.Case) []string {
	var out []string
	for _, t := range platform.NextActions(platform.CaseTransitions, c.State) {
		internal := t.Action == platform.ActFinishProcessing || t.Action == platform.ActFailProcessing
		if !internal && t.Allowed(a, c.BodyID, c.BusinessID) == nil && !slices.Contains(out, string(t.Action)) {
			out = append(out, string(t.Action))
		}
	}
	edits := map[string][]platform.State{
		"save_review":     {platform.StateLGReview},
		"review_change":   {platform.StateChangeProposed},
		"record_council":  {platform.StateLGReview, platform.StateOutOfPurposeDecision, platform.StateConforming},
		"sign_contract":   {platform.StateFeePaid},
		"submit_deletion": {platform.StateCancelled, platform.StateExpired},
	}
	for _, name := range []string{"save_review", "review_change", "record_council", "sign_contract", "submit_deletion"} {
		party, roles := platform.PartyBody, bodyUsers
		if name == "sign_contract" || name == "submit_deletion" {
			party, roles = platform.PartyProposer, businesses
		}
		if slices.Contains(edits[name], c.State) && (platform.Transition{Party: party, Roles: roles}).Allowed(a, c.BodyID, c.BusinessID) == nil {
			out = append(out, name)
		}
	}
	return out
}

func (s *Server) caseShow(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCase(r)
	if err != nil {
		return err
	}
	p := s.proc()
	tl, err := p.Timeline(r.Context(), c.ID)
	if err != nil {
		return err
	}
	b, err := s.deps.Store.Body(r.Context(), c.BodyID)
	if err != nil {
		return err
	}
	pr, err := s.deps.Store.Proposal(r.Context(), c.ProposalID)
	if err != nil {
		return err
	}
	a := actor(r)
	v := caseView{Case: c, Body: b, Proposal: pr, Timeline: timelineView(r, tl), Actions: availableActions(a, c),
		Criteria: platform.CriteriaFor(c.Kind), Overdue: c.Overdue(s.now())}
	if c.State == platform.StateLGReview {
		v.Suggested, _ = p.SuggestedFindings(r.Context(), c.ID)
	}
	v.CanDL = c.Contract != nil && slices.Contains(c.Contract.RecipientIDs, a.UserID) &&
		(c.State == platform.StateProvided || c.State == platform.StateInUse)
	if (c.State == platform.StateRiskCheck || c.State == platform.StateLGAcceptance) && a.Role != platform.RoleBusiness &&
		c.Processing != nil && c.Processing.RecordVault != "" {
		v.Record, _ = p.ProcessingRecord(r.Context(), c.ID) // a record that cannot be read leaves the summary out
	}
	if c.State == platform.StateProcessing {
		v.Percent, v.Phase = jobProgress(c)
		// The progress refresher (static/progress.js) polls the case's
		// progress: this page alone may run a same-origin script.
		w.Header().Set("Content-Security-Policy", csp+"; script-src 'self'; connect-src 'self'")
	}
	return s.page(w, r, "case_show", v)
}

func (s *Server) caseAct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "case")
	if err != nil {
		return err
	}
	in, err := caseActionFromForm(r)
	if err != nil {
		return err
	}
	action := r.PathValue("action")
	if action == "submit_deletion" {
		return s.caseDeletion(w, r, id, in)
	}
	if _, err := doCaseAction(r.Context(), s.proc(), id, action, in); err != nil {
		return err
	}
	return redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"?notice=saved")
}

func (s *Server) caseDeletion(w http.ResponseWriter, r *http.Request, id platform.ID, in apiCaseAction) error {
	var file io.Reader
	if f, _, err := r.FormFile("file"); err == nil {
		defer f.Close()
		file = f
	}
	if _, err := s.proc().SubmitDeletionCertificate(r.Context(), id, in.Note, in.Method, file); err != nil {
		return err
	}
	return redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"?notice=saved")
}

func (s *Server) caseExtract(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "case")
	if err != nil {
		return err
	}
	// Stream the part straight into the vault: the source extract never
	// reaches the disk in clear (r.FormFile would spool it to a temp file).
	name, f, err := streamPart(r, "file")
	if err != nil {
		return err
	}
	if _, err := s.proc().UploadExtract(r.Context(), id, name, f); err != nil {
		return err
	}
	if isAPI(r) {
		c, err := s.proc().Case(r.Context(), id)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, c)
	}
	return redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"?notice=saved")
}

func (s *Server) caseDownload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "case")
	if err != nil {
		return err
	}
	rc, name, err := s.proc().Download(r.Context(), id)
	if err != nil {
		return err
	}
	defer rc.Close()
	setAttachment(w, name)
	_, err = io.Copy(w, rc)
	return err
}

// setAttachment sets the headers of a delivered file: its media type from
// the file name (a dataset created under §2.5 may be XLSX; a CSV may be
// CP932, so no charset is claimed) and the name, RFC 2231-encoded when it
// is not ASCII.
func setAttachment(w http.ResponseWriter, name string) {
	ct := "application/octet-stream"
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		ct = "text/csv"
	case ".xlsx":
		ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case ".json":
		ct = "application/json"
	}
	w.Header().Set("Content-Type", ct)
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if disp == "" {
		disp = "attachment"
	}
	w.Header().Set("Content-Disposition", disp)
	w.Header().Set("Cache-Control", "no-store")
}

// docView feeds the printable documents.
type docView struct {
	Case     *platform.Case
	Body     *platform.Body
	Proposal *platform.Proposal
}

func (s *Server) caseDoc(w http.ResponseWriter, r *http.Request, name string, ready func(*platform.Case) bool) error {
	c, err := s.loadCase(r)
	if err != nil {
		return err
	}
	if !ready(c) {
		return fault.New(fault.NotFound, "this document has not been issued", "この文書はまだ作成されていません")
	}
	b, err := s.deps.Store.Body(r.Context(), c.BodyID)
	if err != nil {
		return err
	}
	pr, err := s.deps.Store.Proposal(r.Context(), c.ProposalID)
	if err != nil {
		return err
	}
	return s.page(w, r, name, docView{c, b, pr})
}

func (s *Server) caseNotice(w http.ResponseWriter, r *http.Request) error {
	return s.caseDoc(w, r, "case_notice", func(c *platform.Case) bool { return c.Notice != nil })
}

func (s *Server) caseContract(w http.ResponseWriter, r *http.Request) error {
	return s.caseDoc(w, r, "case_contract", func(c *platform.Case) bool { return c.Contract != nil })
}

func (s *Server) caseInvoice(w http.ResponseWriter, r *http.Request) error {
	return s.caseDoc(w, r, "case_invoice", func(c *platform.Case) bool { return c.Invoice != nil })
}

// caseFile serves the processing record (JSON, its public view) or the
// output (CSV) to the people who check them; the read is audited.
func (s *Server) caseFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "case")
	if err != nil {
		return err
	}
	kind := r.PathValue("kind")
	if kind == "record" {
		// The public view only: keys, seeds and hierarchies stay in the vault.
		rec, err := s.proc().ProcessingRecord(r.Context(), id)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Disposition", `attachment; filename="case-`+strconv.FormatInt(id, 10)+`-record.json"`)
		w.Header().Set("Cache-Control", "no-store")
		return writeJSON(w, http.StatusOK, rec)
	}
	rc, err := s.proc().OpenCaseFile(r.Context(), id, kind)
	if err != nil {
		return err
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="case-`+strconv.FormatInt(id, 10)+"-"+kind+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = io.Copy(w, rc)
	return err
}

// caseRecord shows the printable Japanese processing record (the public
// view of standard.Record, as WriteHTML renders it) to the people who
// check it; the read is audited.
func (s *Server) caseRecord(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "case")
	if err != nil {
		return err
	}
	rec, err := s.proc().ProcessingRecord(r.Context(), id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := rec.WriteHTML(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// jobProgress is the progress to show for a case in PROCESSING: what the
// job last stored, or queued at 0 before it has written anything.
func jobProgress(c *platform.Case) (int, platform.JobPhase) {
	if c.Progress == nil {
		return 0, platform.PhaseQueued
	}
	return c.Progress.Percent, c.Progress.Phase
}
