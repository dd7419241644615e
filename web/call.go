package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

type callListData struct {
	Calls  []platform.Call
	Bodies map[platform.ID]string
	Now    time.Time
	CanNew bool
}

func (s *Server) callList(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.proc().Calls(r.Context())
	if err != nil {
		return err
	}
	a := actor(r)
	return s.page(w, r, "call_list", callListData{cs, s.bodyNames(r), s.now(), a.Has(platform.RoleBodyReviewer, platform.RoleBodyApprover, platform.RoleWindowOfficer)})
}

type callFormData struct {
	Bodies  []platform.Body
	Entries []platform.RegisterEntry
	Errors  []string
}

func (s *Server) callNew(w http.ResponseWriter, r *http.Request) error {
	return s.callForm(w, r, nil)
}

func (s *Server) callForm(w http.ResponseWriter, r *http.Request, errs []string) error {
	a := actor(r)
	bs, err := s.deps.Store.Bodies(r.Context(), "")
	if err != nil {
		return err
	}
	es, err := s.deps.Store.RegisterEntries(r.Context(), a.BodyID)
	if err != nil {
		return err
	}
	var bodies []platform.Body
	for _, b := range bs {
		if a.CanReadBody(b.ID) {
			bodies = append(bodies, b)
		}
	}
	var entries []platform.RegisterEntry
	for _, e := range es {
		if e.ProposalInvited && a.CanReadBody(e.BodyID) {
			entries = append(entries, e)
		}
	}
	return s.page(w, r, "call_form", callFormData{bodies, entries, errs})
}

func (s *Server) callCreate(w http.ResponseWriter, r *http.Request) error {
	c, err := callFromForm(r)
	if err == nil {
		err = s.proc().CreateCall(r.Context(), c)
	}
	if fault.ErrorCode(err) == fault.Invalid {
		return s.callForm(w, r, []string{fault.Safe(err, lang(r) == "ja")})
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/calls?notice=saved")
}

func callFromForm(r *http.Request) (*platform.Call, error) {
	if err := r.ParseForm(); err != nil {
		return nil, fault.New(fault.Invalid, "bad form", "フォームが正しくありません")
	}
	f := func(k string) string { return strings.TrimSpace(r.FormValue(k)) }
	date := func(k string) (time.Time, error) {
		t, err := time.ParseInLocation("2006-01-02", f(k), platform.JST)
		if err != nil {
			return t, fault.New(fault.Invalid, k+" must be a date (YYYY-MM-DD)", "日付を YYYY-MM-DD で入力してください").In(k)
		}
		return t, nil
	}
	c := &platform.Call{Title: f("title"), Office: f("office"), Notice: f("notice"), NoticeURL: f("notice_url")}
	var err error
	if c.BodyID, err = strconv.ParseInt(f("body_id"), 10, 64); err != nil {
		return nil, fault.New(fault.Invalid, "choose a body", "実施機関を選択してください").In("body_id")
	}
	if c.OpensAt, err = date("opens_at"); err != nil {
		return nil, err
	}
	if c.ClosesAt, err = date("closes_at"); err != nil {
		return nil, err
	}
	c.ClosesAt = c.ClosesAt.Add(24*time.Hour - time.Second)
	c.MaxUseMonths, _ = strconv.Atoi(f("max_use_months"))
	c.FiscalYr, _ = strconv.Atoi(f("fiscal_year"))
	for _, v := range r.Form["entry_ids"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err == nil {
			c.EntryIDs = append(c.EntryIDs, id)
		}
	}
	return c, nil
}

func (s *Server) callPublish(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "call")
	if err != nil {
		return err
	}
	if _, err := s.proc().PublishCall(r.Context(), id); err != nil {
		return err
	}
	if isAPI(r) {
		c, err := s.deps.Store.Call(r.Context(), id)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, c)
	}
	return redirect(w, r, "/calls?notice=saved")
}
