package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

type registerListData struct {
	Body     *platform.Body
	Entries  []platform.RegisterEntry
	CanWrite bool
}

func (s *Server) registerList(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bodyFor(r, false)
	if err != nil {
		return err
	}
	es, err := s.deps.Services.RegisterEntries(r.Context(), b.ID)
	if err != nil {
		return err
	}
	return s.page(w, r, "register_list", registerListData{b, es, canWrite(r, b.ID)})
}

func canWrite(r *http.Request, body platform.ID) bool {
	return actor(r).RequireBody(body, registerWriters...) == nil
}

func (s *Server) registerShow(w http.ResponseWriter, r *http.Request) error {
	b, e, err := s.entryFor(r, false)
	if err != nil {
		return err
	}
	return s.page(w, r, "register_show", struct {
		Body     *platform.Body
		Entry    *platform.RegisterEntry
		CanWrite bool
	}{b, e, canWrite(r, b.ID)})
}

func (s *Server) registerHistory(w http.ResponseWriter, r *http.Request) error {
	b, e, err := s.entryFor(r, false)
	if err != nil {
		return err
	}
	h, err := s.deps.Services.RegisterHistory(r.Context(), e.ID)
	if err != nil {
		return err
	}
	return s.page(w, r, "register_history", struct {
		Body    *platform.Body
		Entry   *platform.RegisterEntry
		History []platform.RegisterChange
	}{b, e, h})
}

// registerFormData feeds templates/register_form.html.
type registerFormData struct {
	Body   *platform.Body
	Entry  *platform.RegisterEntry
	Form   entryForm
	Errors []string
	Field  map[string]string // field → error message
	Action string
	New    bool
}

// entryForm holds the form values as typed (dates as text).
type entryForm struct {
	platform.RegisterEntry
	From, To string
	Reason   string
	Rows     []platform.RecordItem // items plus blank rows
}

// blankItemRows is how many empty record-item rows the form offers.
const blankItemRows = 5

func newEntryForm(e platform.RegisterEntry) entryForm {
	f := entryForm{RegisterEntry: e}
	if d := apiDate(e.AnonProposalFrom); d != nil {
		f.From = *d
	}
	if d := apiDate(e.AnonProposalTo); d != nil {
		f.To = *d
	}
	f.Rows = append(append([]platform.RecordItem{}, e.Items...), make([]platform.RecordItem, blankItemRows)...)
	return f
}

func (s *Server) registerNew(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bodyFor(r, true)
	if err != nil {
		return err
	}
	e := platform.RegisterEntry{BodyID: b.ID, Kind: platform.FileComputer, Unit: b.Unit}
	return s.page(w, r, "register_form", registerFormData{Body: b, Form: newEntryForm(e),
		Action: fmt.Sprintf("/bodies/%d/register", b.ID), New: true})
}

func (s *Server) registerCreate(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bodyFor(r, true)
	if err != nil {
		return err
	}
	f, err := parseEntryForm(r)
	f.BodyID = b.ID
	d := registerFormData{Body: b, Form: f, Action: fmt.Sprintf("/bodies/%d/register", b.ID), New: true}
	if err == nil {
		e := f.RegisterEntry
		if err = s.createEntry(r, &e); err == nil {
			return redirect(w, r, fmt.Sprintf("/bodies/%d/register/%d?notice=saved", b.ID, e.ID))
		}
	}
	return s.formError(w, r, err, &d)
}

func (s *Server) registerEdit(w http.ResponseWriter, r *http.Request) error {
	b, e, err := s.entryFor(r, true)
	if err != nil {
		return err
	}
	return s.page(w, r, "register_form", registerFormData{Body: b, Entry: e, Form: newEntryForm(*e),
		Action: fmt.Sprintf("/bodies/%d/register/%d", b.ID, e.ID)})
}

func (s *Server) registerUpdate(w http.ResponseWriter, r *http.Request) error {
	b, old, err := s.entryFor(r, true)
	if err != nil {
		return err
	}
	f, err := parseEntryForm(r)
	f.ID, f.BodyID, f.Published = old.ID, b.ID, old.Published
	d := registerFormData{Body: b, Entry: old, Form: f, Action: fmt.Sprintf("/bodies/%d/register/%d", b.ID, old.ID)}
	if err == nil {
		e := f.RegisterEntry
		if err = s.updateEntry(r, &e, f.Reason); err == nil {
			return redirect(w, r, fmt.Sprintf("/bodies/%d/register/%d?notice=saved", b.ID, e.ID))
		}
	}
	return s.formError(w, r, err, &d)
}

// formError shows the form again with the message of a bad-input error;
// other errors go to the error page.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, err error, d *registerFormData) error {
	switch fault.ErrorCode(err) {
	case fault.Invalid, fault.Conflict:
	default:
		return err
	}
	msg := safeMessage(err, lang(r))
	d.Errors = []string{msg}
	d.Field = map[string]string{}
	var fe *fault.Error
	if asFault(err, &fe) && fe.Field != "" {
		d.Field[fe.Field] = msg
	}
	return s.pageStatus(w, r, fault.HTTPStatus(err), "register_form", d)
}

// parseEntryForm reads the register form. The entry is returned even when
// err is not nil, so the form can be shown again as typed.
func parseEntryForm(r *http.Request) (entryForm, error) {
	if err := r.ParseForm(); err != nil {
		return entryForm{}, fault.New(fault.Invalid, "bad form", "フォームを読み取れません")
	}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	e := platform.RegisterEntry{
		FileName: v("file_name"), Unit: v("unit"), Purpose: v("purpose"), SubjectScope: v("subject_scope"),
		CollectionMethod: v("collection_method"), SpecialCare: v("special_care") == "1",
		RegularRecipients: v("regular_recipients"), DisclosureOffice: v("disclosure_office"),
		SpecialProcedures: v("special_procedures"), Kind: platform.FileKind(v("kind")),
		ProposalInvited: v("proposal_invited") == "1", ProposalOffice: v("proposal_office"),
		AnonSummary: v("anon_summary"), AnonOffice: v("anon_office"), Remarks: v("remarks"),
	}
	f := entryForm{From: v("anon_proposal_from"), To: v("anon_proposal_to"), Reason: v("reason")}
	var firstErr error
	keep := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	if n := v("subjects"); n != "" {
		x, err := strconv.ParseInt(strings.ReplaceAll(n, ",", ""), 10, 64)
		if err != nil || x < 0 {
			keep(fault.New(fault.Invalid, "number of subjects must be a whole number", "本人の数は0以上の整数で入力してください").In("subjects"))
		}
		e.Subjects = x
	}
	if ver, err := strconv.Atoi(v("version")); err == nil {
		e.Version = ver
	}
	var err error
	if e.AnonProposalFrom, err = parseDate(&f.From, "anon_proposal_from"); err != nil {
		keep(err)
	}
	if e.AnonProposalTo, err = parseDate(&f.To, "anon_proposal_to"); err != nil {
		keep(err)
	}
	for i := 0; i < 200; i++ {
		k := strconv.Itoa(i)
		if _, ok := r.PostForm["item_name_"+k]; !ok {
			break
		}
		it := platform.RecordItem{Name: v("item_name_" + k), Type: platform.ItemType(v("item_type_" + k)),
			SpecialCare: v("item_care_"+k) == "1"}
		if it.Name == "" {
			continue
		}
		if it.Type == "" {
			it.Type = platform.ItemText
		}
		if _, ok := itemTypeSet[it.Type]; !ok {
			keep(fault.New(fault.Invalid, "unknown record item type", "記録項目の型が正しくありません").In("items").At("", i+1, 0))
		}
		e.Items = append(e.Items, it)
	}
	f.RegisterEntry = e
	f.Rows = append(append([]platform.RecordItem{}, e.Items...), make([]platform.RecordItem, blankItemRows)...)
	if firstErr != nil {
		return f, firstErr
	}
	return f, e.Validate()
}

var itemTypeSet = map[platform.ItemType]struct{}{
	platform.ItemText: {}, platform.ItemNumber: {}, platform.ItemDate: {}, platform.ItemCode: {},
	platform.ItemAddress: {}, platform.ItemName: {}, platform.ItemIDNumber: {},
}
