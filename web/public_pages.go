package web

import (
	"net/http"
	"strconv"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

// portalView is what public_portal.html receives.
type portalView struct {
	Files, Eligible, Datasets, Statistics, UsageCases, LGs int
	OpenCalls                                              []platform.CatalogCall
	Recent                                                 []*platform.CatalogDataset
	Prefs                                                  []platform.LocalGovernment
}

func (s *Server) portalHome(w http.ResponseWriter, r *http.Request) error {
	ix, err := s.catalog().Index(r.Context())
	if err != nil {
		return err
	}
	v := portalView{Files: ix.Files(platform.FileQuery{}).Total, Eligible: ix.Files(platform.FileQuery{Invited: true}).Total,
		UsageCases: len(ix.UsageCases()), LGs: len(ix.National()), OpenCalls: ix.OpenCalls(s.now()), Prefs: ix.Prefectures()}
	kind := func(k platform.DatasetKind, rows int) platform.DatasetResult {
		return ix.Datasets(platform.DatasetQuery{Sort: "metadata_modified desc", Rows: rows,
			Filters: []platform.DatasetFilter{{Field: "kind", Values: []string{string(k)}}}})
	}
	anon := kind(platform.DatasetAnonymized, 10)
	v.Datasets, v.Recent = anon.Count, anon.Datasets
	v.Statistics = kind(platform.DatasetStatistics, 0).Count
	if len(v.OpenCalls) > 20 {
		v.OpenCalls = v.OpenCalls[:20]
	}
	return s.page(w, r, "public_portal", v)
}

func (s *Server) portalGuide(w http.ResponseWriter, r *http.Request) error {
	return s.page(w, r, "public_guide", nil)
}

// datasetView is what public_dataset.html receives.
type datasetView struct {
	D        *platform.CatalogDataset
	Org      *platform.Org
	License  platform.License
	Open     bool
	Resource []platform.CatalogResource
}

func (s *Server) portalDataset(w http.ResponseWriter, r *http.Request) error {
	ix, err := s.catalog().Index(r.Context())
	if err != nil {
		return err
	}
	d, ok := ix.Dataset(r.PathValue("name"))
	if !ok {
		return fault.New(fault.NotFound, "dataset not found", "データセットが見つかりません")
	}
	v := datasetView{D: d, Open: d.ProposalOpen(s.now()), Resource: d.Resources}
	v.Org, _ = ix.OrgOf(d.BodyID)
	v.License, _ = platform.LicenseByID(d.LicenseID)
	return s.page(w, r, "public_dataset", v)
}

// portalDatasetItems serves the outline of a dataset (items and
// granularity) as CSV: its public resource.
func (s *Server) portalDatasetItems(w http.ResponseWriter, r *http.Request) error {
	ix, err := s.catalog().Index(r.Context())
	if err != nil {
		return err
	}
	d, ok := ix.Dataset(r.PathValue("name"))
	if !ok {
		return fault.New(fault.NotFound, "dataset not found", "データセットが見つかりません")
	}
	t := table{Cols: []col{c("lg_code"), c("id"), c("dataset"), c("item"), c("granularity")}}
	for i, it := range d.Items {
		t.Rows = append(t.Rows, []cell{txt(d.LGCode), txt(strconv.Itoa(i + 1)), txt(d.Name), txt(it.Name), txt(it.Granularity)})
	}
	return writeTable(w, t, "csv", d.Name+"_items.csv")
}

// Usage cases: the editorial workflow draft → review → published.

func (s *Server) usageEditRoutes() []route {
	editors := []platform.Role{platform.RoleBusiness, platform.RoleWindowOfficer, platform.RoleAdmin, platform.RoleAuditor}
	return []route{
		{Pattern: "GET /usage-cases", Handler: s.usageEdit, Roles: editors},
		{Pattern: "POST /usage-cases", Handler: s.usageCreate, Roles: editors},
		{Pattern: "POST /usage-cases/{id}/move", Handler: s.usageMove, Roles: editors},
	}
}

type usageEditView struct {
	Cases    []platform.UsageCase
	Editor   bool
	Moves    map[platform.PublishState][]platform.PublishState
	Form     platform.UsageCase
	ErrField string
	Err      string
}

func (s *Server) usageEdit(w http.ResponseWriter, r *http.Request) error {
	return s.renderUsageEdit(w, r, http.StatusOK, platform.UsageCase{}, nil)
}

func (s *Server) renderUsageEdit(w http.ResponseWriter, r *http.Request, status int, form platform.UsageCase, ferr error) error {
	cases, err := s.catalog().EditorUsageCases(r.Context())
	if err != nil {
		return err
	}
	v := usageEditView{Cases: cases, Editor: actor(r).Has(platform.RoleWindowOfficer, platform.RoleAdmin), Form: form,
		Moves: map[platform.PublishState][]platform.PublishState{}}
	all := []platform.PublishState{platform.PublishDraft, platform.PublishReview, platform.PublishPublished, platform.PublishWithdrawn}
	for _, from := range all {
		for _, to := range all {
			if platform.CanMoveUsageCase(from, to) && (v.Editor || (actor(r).Has(platform.RoleBusiness) && to == platform.PublishReview)) {
				v.Moves[from] = append(v.Moves[from], to)
			}
		}
	}
	if fe, ok := ferr.(*fault.Error); ok {
		v.ErrField, v.Err = fe.Field, safeMessage(fe, lang(r))
	}
	return s.pageStatus(w, r, status, "usage_edit", v)
}

func (s *Server) usageCreate(w http.ResponseWriter, r *http.Request) error {
	u := platform.UsageCase{Title: r.FormValue("title"), TitleEN: r.FormValue("title_en"), Summary: r.FormValue("summary"),
		Organisation: r.FormValue("organisation"), URL: r.FormValue("url")}
	if lg := r.FormValue("lg_codes"); lg != "" {
		u.LGCodes = splitList(lg)
	}
	if ds := r.FormValue("dataset_ids"); ds != "" {
		u.DatasetIDs = splitList(ds)
	}
	if err := s.catalog().SubmitUsageCase(r.Context(), &u); err != nil {
		if fault.ErrorCode(err) == fault.Invalid {
			return s.renderUsageEdit(w, r, http.StatusBadRequest, u, err)
		}
		return err
	}
	return redirect(w, r, "/usage-cases?notice=saved")
}

func (s *Server) usageMove(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return fault.New(fault.NotFound, "usage case not found", "活用事例が見つかりません")
	}
	version, _ := strconv.Atoi(r.FormValue("version"))
	to := platform.PublishState(r.FormValue("to"))
	if _, err := s.catalog().MoveUsageCase(r.Context(), id, version, to, r.FormValue("note")); err != nil {
		return err
	}
	return redirect(w, r, "/usage-cases?notice=saved")
}

func splitList(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ';' || s[i] == ',' || s[i] == ' ' || s[i] == '\n' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}
