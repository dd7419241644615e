package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

// This file holds the pages and API for creating and editing joint
// commissions (共同受託): the contractor, the commissioning bodies, the cases
// (files) processed, the period, and how the shared cost is split. The list
// (GET /commissions) is among the case routes; published records appear on
// the portal (/portal/commissions) and at GET /api/v1/public/commissions.

// commissionRoutes declares the commission pages and API.
func (s *Server) commissionRoutes() []route {
	return []route{
		{Pattern: "GET /commissions/new", Handler: s.commissionNew, Roles: windowStaff},
		{Pattern: "POST /commissions", Handler: s.commissionCreate, Roles: windowStaff},
		{Pattern: "GET /commissions/{commission}", Handler: s.commissionShow, Roles: officers},
		{Pattern: "GET /commissions/{commission}/edit", Handler: s.commissionEdit, Roles: windowStaff},
		{Pattern: "POST /commissions/{commission}", Handler: s.commissionUpdate, Roles: windowStaff},
		{Pattern: "POST /commissions/{commission}/publish", Handler: s.commissionPublish, Roles: windowStaff},
		{Pattern: "GET /api/v1/commissions/{commission}", Handler: s.apiCommission, Roles: officers,
			API: &apiOp{ID: "getCommission", Tag: "commissions", Summary: "Show a joint commission (bodies: only their own)", Response: platform.Commission{}}},
		{Pattern: "PUT /api/v1/commissions/{commission}", Handler: s.apiCommissionUpdate, Roles: windowStaff,
			API: &apiOp{ID: "updateCommission", Tag: "commissions", Request: platform.Commission{}, Response: platform.Commission{},
				Summary: "Change a joint commission and split its shared cost again (percent: sum 100; amount: sum = shared_cost)"}},
	}
}

// commissionFormData is the form of a commission: its values, the bodies
// and cases to choose from, and the error of the last submission.
type commissionFormData struct {
	C         *platform.Commission
	Bodies    []platform.Body
	Cases     []platform.Case
	BodyName  map[platform.ID]string
	Errors    []string
	ErrField  string
	Action    string
	Rows      []commissionBodyRow
	InCases   map[platform.ID]bool // chosen cases
	Entries   []platform.RegisterEntry
	InEntries map[platform.ID]bool // chosen files (scope)
	SplitKeys []string
}

// commissionBodyRow is one body of the form: chosen or not, its share.
type commissionBodyRow struct {
	Body    platform.Body
	In      bool
	Percent string
	Amount  string
}

func (s *Server) commissionNew(w http.ResponseWriter, r *http.Request) error {
	now := s.now()
	c := &platform.Commission{SplitKey: platform.SplitEqual, From: now, To: now.AddDate(1, 0, 0)}
	return s.commissionForm(w, r, http.StatusOK, c, nil)
}

func (s *Server) commissionForm(w http.ResponseWriter, r *http.Request, status int, c *platform.Commission, err error) error {
	bs, e := s.deps.Store.Bodies(r.Context(), "")
	if e != nil {
		return e
	}
	cs, e := s.proc().Cases(r.Context(), platform.CaseFilter{})
	if e != nil {
		return e
	}
	var open []platform.Case
	for _, k := range cs {
		if !k.State.Terminal() && k.Kind == platform.KindNew {
			open = append(open, k)
		}
	}
	d := commissionFormData{C: c, Bodies: bs, Cases: open, BodyName: s.bodyNames(r), Action: "/commissions",
		InCases: map[platform.ID]bool{}, InEntries: map[platform.ID]bool{}, SplitKeys: []string{platform.SplitEqual, platform.SplitEqualRows, platform.SplitPercent, platform.SplitAmount}}
	for _, b := range bs {
		row := commissionBodyRow{Body: b, In: slices.Contains(c.BodyIDs, b.ID)}
		if p, ok := c.Percent[b.ID]; ok {
			row.Percent = strconv.FormatFloat(p, 'f', -1, 64)
		}
		if a, ok := c.Amounts[b.ID]; ok {
			row.Amount = strconv.FormatInt(a, 10)
		}
		d.Rows = append(d.Rows, row)
	}
	for _, k := range c.CaseIDs {
		d.InCases[k] = true
	}
	if d.Entries, e = s.deps.Store.RegisterEntries(r.Context(), 0); e != nil {
		return e
	}
	for _, k := range c.EntryIDs {
		d.InEntries[k] = true
	}
	if c.ID != 0 {
		d.Action = "/commissions/" + strconv.FormatInt(c.ID, 10)
	}
	if err != nil {
		d.Errors = []string{fault.Safe(err, lang(r) == "ja")}
		var f *fault.Error
		if errors.As(err, &f) {
			d.ErrField = f.Field
		}
	}
	return s.pageStatus(w, r, status, "commission_form", d)
}

func (s *Server) commissionCreate(w http.ResponseWriter, r *http.Request) error {
	c, err := commissionFromForm(r)
	if err == nil {
		err = s.proc().CreateCommission(r.Context(), c)
	}
	if fault.ErrorCode(err) == fault.Invalid || fault.ErrorCode(err) == fault.Conflict {
		return s.commissionForm(w, r, fault.HTTPStatus(err), c, err)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/commissions/"+strconv.FormatInt(c.ID, 10)+"?notice=saved")
}

func (s *Server) commissionOf(r *http.Request) (*platform.Commission, error) {
	id, err := pathID(r, "commission")
	if err != nil {
		return nil, err
	}
	return s.proc().Commission(r.Context(), id)
}

func (s *Server) commissionEdit(w http.ResponseWriter, r *http.Request) error {
	c, err := s.commissionOf(r)
	if err != nil {
		return err
	}
	return s.commissionForm(w, r, http.StatusOK, c, nil)
}

func (s *Server) commissionUpdate(w http.ResponseWriter, r *http.Request) error {
	old, err := s.commissionOf(r)
	if err != nil {
		return err
	}
	c, err := commissionFromForm(r)
	if c != nil {
		c.ID = old.ID
	}
	if err == nil {
		err = s.proc().UpdateCommission(r.Context(), c)
	}
	if fault.ErrorCode(err) == fault.Invalid || fault.ErrorCode(err) == fault.Conflict {
		return s.commissionForm(w, r, fault.HTTPStatus(err), c, err)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/commissions/"+strconv.FormatInt(c.ID, 10)+"?notice=saved")
}

type commissionShowData struct {
	C        *platform.Commission
	BodyName map[platform.ID]string
	Files    []string // the files in scope: name（body）
	CanEdit  bool
}

func (s *Server) commissionShow(w http.ResponseWriter, r *http.Request) error {
	c, err := s.commissionOf(r)
	if err != nil {
		return err
	}
	names := s.bodyNames(r)
	var files []string
	for _, id := range c.EntryIDs {
		if e, err := s.deps.Store.RegisterEntry(r.Context(), id); err == nil {
			files = append(files, e.FileName+"（"+names[e.BodyID]+"）")
		}
	}
	return s.page(w, r, "commission_show", commissionShowData{c, names, files, actor(r).Has(platform.RoleWindowOfficer)})
}

func (s *Server) commissionPublish(w http.ResponseWriter, r *http.Request) error {
	c, err := s.commissionOf(r)
	if err != nil {
		return err
	}
	if err := s.proc().PublishCommission(r.Context(), c.ID); err != nil {
		return err
	}
	return redirect(w, r, "/commissions/"+strconv.FormatInt(c.ID, 10)+"?notice=saved")
}

func (s *Server) apiCommission(w http.ResponseWriter, r *http.Request) error {
	c, err := s.commissionOf(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) apiCommissionUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "commission")
	if err != nil {
		return err
	}
	var c platform.Commission
	if err := decodeJSON(r, &c); err != nil {
		return err
	}
	c.ID = id
	if err := s.proc().UpdateCommission(r.Context(), &c); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

// commissionFromForm reads the form; it returns the commission read so far
// with an error, so that the form shows what was typed.
func commissionFromForm(r *http.Request) (*platform.Commission, error) {
	c := &platform.Commission{}
	if err := r.ParseForm(); err != nil {
		return c, fault.New(fault.Invalid, "bad form", "フォームが正しくありません")
	}
	f := func(k string) string { return strings.TrimSpace(r.FormValue(k)) }
	c.Contractor, c.Title, c.Terms, c.SplitKey = f("contractor"), f("title"), f("terms"), f("split_key")
	for _, v := range r.Form["body_ids"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			c.BodyIDs = append(c.BodyIDs, id)
		}
	}
	for _, v := range r.Form["entry_ids"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			c.EntryIDs = append(c.EntryIDs, id)
		}
	}
	for _, v := range r.Form["case_ids"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			c.CaseIDs = append(c.CaseIDs, id)
		}
	}
	var errs []error
	c.From, errs = formDate(f("from"), "from", "委託の期間（開始日）", errs)
	c.To, errs = formDate(f("to"), "to", "委託の期間（終了日）", errs)
	cost, err := strconv.ParseInt(strings.ReplaceAll(f("shared_cost"), ",", ""), 10, 64)
	if err != nil {
		errs = append(errs, fault.New(fault.Invalid, "shared cost must be a whole number of yen", "共通経費（円）を数で入力してください").In("shared_cost"))
	}
	c.SharedCost = cost
	switch c.SplitKey {
	case platform.SplitPercent:
		c.Percent = map[platform.ID]float64{}
	case platform.SplitAmount:
		c.Amounts = map[platform.ID]int64{}
	}
	for _, b := range c.BodyIDs {
		id := strconv.FormatInt(b, 10)
		switch v := strings.ReplaceAll(f("percent_"+id), "%", ""); {
		case c.Percent == nil:
		case v == "":
			c.Percent[b] = 0
		default:
			p, err := strconv.ParseFloat(v, 64)
			if err != nil {
				errs = append(errs, fault.New(fault.Invalid, "percentages must be numbers", "按分割合（%）を数で入力してください").In("percent"))
			}
			c.Percent[b] = p
		}
		switch v := strings.ReplaceAll(f("amount_"+id), ",", ""); {
		case c.Amounts == nil:
		case v == "":
			c.Amounts[b] = 0
		default:
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				errs = append(errs, fault.New(fault.Invalid, "amounts must be whole numbers of yen", "按分額（円）を数で入力してください").In("amounts"))
			}
			c.Amounts[b] = n
		}
	}
	if len(errs) > 0 {
		return c, errs[0]
	}
	return c, nil
}

func formDate(v, field, label string, errs []error) (time.Time, []error) {
	t, err := time.ParseInLocation("2006-01-02", v, platform.JST)
	if err != nil {
		errs = append(errs, fault.New(fault.Invalid, field+" must be a date (YYYY-MM-DD)", label+"を YYYY-MM-DD で入力してください").In(field))
	}
	return t, errs
}
