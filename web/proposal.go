package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

func (s *Server) proposalList(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.proc().Proposals(r.Context())
	if err != nil {
		return err
	}
	return s.page(w, r, "proposal_list", ps)
}

// openFile is a file open for proposals now, with its call.
type openFile struct {
	Entry platform.RegisterEntry
	Body  string
	Call  platform.Call
}

type proposalFormData struct {
	Files    []openFile
	Datasets []platform.CatalogDataset // created datasets open for art. 118 proposals
	Grounds  []string
	Errors   []string
}

// openDatasets lists the created datasets whose proposal period runs now.
func (s *Server) openDatasets(r *http.Request) ([]platform.CatalogDataset, error) {
	all, err := s.deps.Store.CatalogDatasets(r.Context(), false)
	if err != nil {
		return nil, err
	}
	var out []platform.CatalogDataset
	for _, d := range all {
		if d.ProposalOpen(s.now()) {
			out = append(out, d)
		}
	}
	return out, nil
}

func (s *Server) openFiles(r *http.Request) ([]openFile, error) {
	calls, err := s.deps.Store.Calls(r.Context(), 0)
	if err != nil {
		return nil, err
	}
	names := s.bodyNames(r)
	var out []openFile
	now := s.now()
	for _, c := range calls {
		if c.State(now) != platform.CallOpen {
			continue
		}
		for _, id := range c.EntryIDs {
			e, err := s.deps.Store.RegisterEntry(r.Context(), id)
			if err != nil {
				return nil, err
			}
			out = append(out, openFile{*e, names[e.BodyID], c})
		}
	}
	return out, nil
}

func (s *Server) proposalNew(w http.ResponseWriter, r *http.Request) error {
	return s.proposalForm(w, r, nil)
}

func (s *Server) proposalForm(w http.ResponseWriter, r *http.Request, errs []string) error {
	files, err := s.openFiles(r)
	if err != nil {
		return err
	}
	ds, err := s.openDatasets(r)
	if err != nil {
		return err
	}
	return s.page(w, r, "proposal_form", proposalFormData{files, ds, platform.DisqualificationGrounds, errs})
}

func (s *Server) proposalCreate(w http.ResponseWriter, r *http.Request) error {
	pr, err := s.proposalFromForm(r)
	if err == nil {
		err = s.proc().SaveProposal(r.Context(), pr)
	}
	if fault.ErrorCode(err) == fault.Invalid {
		return s.proposalForm(w, r, []string{fault.Safe(err, lang(r) == "ja")})
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/proposals/"+strconv.FormatInt(pr.ID, 10)+"?notice=saved")
}

func (s *Server) proposalFromForm(r *http.Request) (*platform.Proposal, error) {
	if err := r.ParseForm(); err != nil {
		return nil, fault.New(fault.Invalid, "bad form", "フォームが正しくありません")
	}
	f := func(k string) string { return strings.TrimSpace(r.FormValue(k)) }
	pr := &platform.Proposal{Kind: platform.KindNew, Title: f("title"),
		Proposer: platform.ProposerInfo{Name: f("proposer_name"), Address: f("proposer_address"), Representative: f("representative"), Corporate: f("corporate")},
		Contact:  f("contact"), Purpose: f("purpose"), Method: f("method"), Business: f("business"),
		SafetyMeasures: f("safety_measures"), Other: f("other"), UseLocation: f("use_location"), Contributes: f("contributes")}
	pr.Subjects, _ = strconv.ParseInt(strings.ReplaceAll(f("subjects"), ",", ""), 10, 64)
	for _, line := range strings.Split(f("joint"), "\n") {
		if name, addr, ok := strings.Cut(line, ","); ok {
			pr.JointProposers = append(pr.JointProposers, platform.ProposerInfo{Name: strings.TrimSpace(name), Address: strings.TrimSpace(addr)})
		}
	}
	var err error
	if pr.UseFrom, err = time.ParseInLocation("2006-01-02", f("use_from"), platform.JST); err != nil {
		return nil, fault.New(fault.Invalid, "use_from must be a date", "利用開始日を YYYY-MM-DD で入力してください").In("use_from")
	}
	if pr.UseTo, err = time.ParseInLocation("2006-01-02", f("use_to"), platform.JST); err != nil {
		return nil, fault.New(fault.Invalid, "use_to must be a date", "利用終了日を YYYY-MM-DD で入力してください").In("use_to")
	}
	files, err := s.openFiles(r)
	if err != nil {
		return nil, err
	}
	for _, v := range r.Form["entries"] {
		id, _ := strconv.ParseInt(v, 10, 64)
		for _, of := range files {
			if of.Entry.ID == id {
				pr.Targets = append(pr.Targets, platform.Target{BodyID: of.Entry.BodyID, EntryID: id, CallID: of.Call.ID,
					Subset: platform.Subset{Kind: platform.SubsetAll}})
			}
		}
	}
	if len(r.Form["datasets"]) > 0 {
		ds, err := s.openDatasets(r)
		if err != nil {
			return nil, err
		}
		pr.Kind, pr.Targets = platform.KindReuse, nil
		for _, v := range r.Form["datasets"] {
			for _, d := range ds {
				if d.ID == v {
					pr.Targets = append(pr.Targets, platform.Target{BodyID: d.BodyID, EntryID: d.FileID, DatasetID: d.ID,
						Subset: platform.Subset{Kind: platform.SubsetAll}})
				}
			}
		}
	}
	for i := range 6 {
		pr.Pledge.NotApplicable[i] = f("pledge_"+strconv.Itoa(i+1)) == "1"
	}
	if pr.Pledge.SignedBy = f("signed_by"); pr.Pledge.SignedBy != "" {
		pr.Pledge.SignedAt = s.now()
	}
	return pr, nil
}

type proposalView struct {
	Proposal *platform.Proposal
	Cases    []platform.Case
	Bodies   map[platform.ID]string
	Actions  []string
	Timeline []platform.Event
	Grounds  []string
	Editable bool
	Options  map[platform.ItemType][]platform.Granularity
}

func (s *Server) proposalShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "proposal")
	if err != nil {
		return err
	}
	p := s.proc()
	pr, err := p.Proposal(r.Context(), id)
	if err != nil {
		return err
	}
	cs, err := p.Cases(r.Context(), platform.CaseFilter{ProposalID: id})
	if err != nil {
		return err
	}
	a := actor(r)
	var acts []string
	for _, t := range platform.NextActions(platform.ProposalTransitions, pr.State) {
		if t.Allowed(a, 0, pr.BusinessID) == nil && !slices.Contains(acts, string(t.Action)) {
			acts = append(acts, string(t.Action))
		}
	}
	tl, err := s.deps.Store.Events(r.Context(), id)
	if err != nil {
		return err
	}
	var own []platform.Event
	for _, e := range tl {
		if e.CaseID == 0 {
			own = append(own, e)
		}
	}
	return s.page(w, r, "proposal_show", proposalView{pr, cs, s.bodyNames(r), acts, own, platform.DisqualificationGrounds,
		pr.State == platform.StateDraft && a.BusinessID == pr.BusinessID, granularityOptions()})
}

// proposalMatrix saves the item-by-item matrix and subset of each target.
func (s *Server) proposalMatrix(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "proposal")
	if err != nil {
		return err
	}
	p := s.proc()
	pr, err := p.Proposal(r.Context(), id)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return fault.New(fault.Invalid, "bad form", "フォームが正しくありません")
	}
	for ti := range pr.Targets {
		t := &pr.Targets[ti]
		pre := "t" + strconv.Itoa(ti) + "_"
		for ii := range t.Items {
			if g := r.FormValue(pre + "g" + strconv.Itoa(ii)); g != "" {
				t.Items[ii].Granularity = platform.Granularity(g)
			}
			t.Items[ii].Justification = strings.TrimSpace(r.FormValue(pre + "j" + strconv.Itoa(ii)))
		}
		t.Subset.Kind = platform.SubsetKind(r.FormValue(pre + "subset"))
		t.Subset.Filter = strings.TrimSpace(r.FormValue(pre + "filter"))
		t.Subset.SampleRate, _ = strconv.ParseFloat(r.FormValue(pre+"rate"), 64)
	}
	if err := p.SaveProposal(r.Context(), pr); err != nil {
		return err
	}
	return redirect(w, r, "/proposals/"+strconv.FormatInt(id, 10)+"?notice=saved")
}

func (s *Server) proposalAttach(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "proposal")
	if err != nil {
		return err
	}
	f, h, err := r.FormFile("file")
	if err != nil {
		return fault.New(fault.Invalid, "choose a file", "ファイルを選択してください").In("file")
	}
	defer f.Close()
	att, err := s.proc().AddAttachment(r.Context(), id, h.Filename, f)
	if err != nil {
		return err
	}
	if isAPI(r) {
		return writeJSON(w, http.StatusCreated, att)
	}
	return redirect(w, r, "/proposals/"+strconv.FormatInt(id, 10)+"?notice=saved")
}

// doProposalAction runs one proposal-level action.
func doProposalAction(r *http.Request, p *platform.Procedure, id platform.ID, action, note string) (any, error) {
	ctx := r.Context()
	switch action {
	case "submit":
		return p.Submit(ctx, id)
	case "start_check":
		return p.StartCheck(ctx, id)
	case "request_correction":
		return p.RequestProposalCorrection(ctx, id, note)
	case "reply_correction":
		return p.ReplyProposalCorrection(ctx, id, note, nil)
	case "reject_formal":
		return p.RejectFormal(ctx, id, note)
	case "fork":
		return p.Fork(ctx, id)
	case "withdraw":
		return p.WithdrawProposal(ctx, id, note)
	}
	return nil, fault.New(fault.NotFound, "unknown action "+action, "不明な操作です")
}

func (s *Server) proposalAct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "proposal")
	if err != nil {
		return err
	}
	if _, err := doProposalAction(r, s.proc(), id, r.PathValue("action"), strings.TrimSpace(r.FormValue("note"))); err != nil {
		return err
	}
	return redirect(w, r, "/proposals/"+strconv.FormatInt(id, 10)+"?notice=saved")
}

func granularityOptions() map[platform.ItemType][]platform.Granularity {
	out := map[platform.ItemType][]platform.Granularity{}
	for _, t := range []platform.ItemType{platform.ItemText, platform.ItemNumber, platform.ItemDate, platform.ItemCode,
		platform.ItemAddress, platform.ItemName, platform.ItemIDNumber} {
		out[t] = platform.GranularityOptions(t)
	}
	return out
}
