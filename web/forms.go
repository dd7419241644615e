package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/web/i18n"
	"github.com/xuri/excelize/v2"
)

// The application forms of the guide (domain.md §3.1, §7): the proposal
// (art. 112(2), its 8 statutory items), the pledge (art. 113, 6 grounds),
// the proposal for created information (art. 118), the contract application
// (art. 115) and a power of attorney. Each is a printable page and an XLSX
// file at /portal/forms/{id} and /portal/forms/{id}.xlsx. The forms are
// submitted in Japanese; on the English UI each item carries an English
// gloss. All text is in messages/forms.json under "form.{id}.…".

// formDef is one form: its id, the catalogue key of its title, the number
// of items and the attachments it lists.
type formDef struct {
	ID, Title   string
	Items       int
	Attachments []string // catalogue keys
	Check       bool     // items are declarations ticked 該当しない (the pledge)
}

var forms = []formDef{
	{ID: "proposal", Title: "public.guide.form_proposal", Items: 8,
		Attachments: []string{"form.proposal.att1", "form.proposal.att2"}},
	{ID: "pledge", Title: "public.guide.form_pledge", Items: 6, Check: true},
	{ID: "reuse", Title: "public.guide.form_reuse", Items: 6, Attachments: []string{"form.proposal.att1"}},
	{ID: "contract", Title: "public.guide.form_contract", Items: 8},
	{ID: "attorney", Title: "public.guide.form_attorney", Items: 3},
}

func formByID(id string) (formDef, bool) {
	for _, f := range forms {
		if f.ID == id {
			return f, true
		}
	}
	return formDef{}, false
}

// formRow is one item: its number, the Japanese text and the English gloss.
type formRow struct {
	No     int
	JA, EN string
}

// formView is what public_form.html receives.
type formView struct {
	Form        formDef
	TitleJA     string
	Lead        string
	Rows        []formRow
	Attachments []formRow
	JA          map[string]string // the form's own wording, Japanese on either UI
}

func (f formDef) view() formView {
	row := func(no int, key string) formRow {
		return formRow{no, i18n.T(i18n.JA, key), i18n.T(i18n.EN, key)}
	}
	v := formView{Form: f, TitleJA: i18n.T(i18n.JA, f.Title), Lead: i18n.T(i18n.JA, "form."+f.ID+".lead"),
		JA: map[string]string{}}
	for _, k := range []string{"heading_no", "heading_item", "heading_entry", "attachments", "sign_date",
		"sign_name", "sign_address", "addressee", "not_applicable"} {
		v.JA[k] = i18n.T(i18n.JA, "form."+k)
	}
	for i := 1; i <= f.Items; i++ {
		v.Rows = append(v.Rows, row(i, "form."+f.ID+"."+strconv.Itoa(i)))
	}
	for i, k := range f.Attachments {
		v.Attachments = append(v.Attachments, row(i+1, k))
	}
	return v
}

func (s *Server) formRoutes() []route {
	return []route{{Pattern: "GET /portal/forms/{form}", Handler: s.portalForm, Public: true}}
}

// portalForm serves /portal/forms/{id} (HTML) and /portal/forms/{id}.xlsx.
func (s *Server) portalForm(w http.ResponseWriter, r *http.Request) error {
	id, xlsx := strings.CutSuffix(r.PathValue("form"), ".xlsx")
	f, ok := formByID(id)
	if !ok {
		return fault.New(fault.NotFound, "no such form", "その様式はありません")
	}
	if !xlsx {
		return s.page(w, r, "public_form", f.view())
	}
	return writeFormXLSX(w, f.view(), lang(r))
}

// writeFormXLSX writes the form as one sheet: title, lead, the items with
// an empty column to fill in (and the English gloss on the English UI),
// the attachments and the signature block.
func writeFormXLSX(w http.ResponseWriter, v formView, lang i18n.Lang) error {
	x := excelize.NewFile()
	defer x.Close()
	const sheet = "様式"
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	line := 0
	put := func(vals ...any) {
		line++
		cell, _ := excelize.CoordinatesToCellName(1, line)
		x.SetSheetRow(sheet, cell, &vals)
	}
	ja := func(k string) string { return i18n.T(i18n.JA, k) }
	put(v.TitleJA)
	put(ja("form.addressee"))
	if v.Lead != "" {
		put(v.Lead)
	}
	put()
	head := []any{ja("form.heading_no"), ja("form.heading_item"), ja("form.heading_entry")}
	if lang == i18n.EN {
		head = append(head, i18n.T(i18n.EN, "form.heading_en"))
	}
	put(head...)
	entry := ""
	if v.Form.Check {
		entry = "□ " + ja("form.not_applicable")
	}
	for _, r := range v.Rows {
		vals := []any{r.No, r.JA, entry}
		if lang == i18n.EN {
			vals = append(vals, r.EN)
		}
		put(vals...)
	}
	if len(v.Attachments) > 0 {
		put()
		put(ja("form.attachments"))
		for _, a := range v.Attachments {
			put(a.No, a.JA)
		}
	}
	put()
	for _, k := range []string{"form.sign_date", "form.sign_name", "form.sign_address"} {
		put("", ja(k))
	}
	x.SetColWidth(sheet, "A", "A", 6)
	x.SetColWidth(sheet, "B", "B", 70)
	x.SetColWidth(sheet, "C", "D", 50)
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", `attachment; filename="tokumei-form-`+v.Form.ID+`.xlsx"`)
	return x.Write(w)
}
