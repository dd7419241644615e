package web

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

// Statistics releases (統計情報の公表): pages for the creation
// organisation's window officers and a body's staff to create, edit,
// publish and withdraw a release (platform.Catalog checks role and body
// and writes the audit chain), and the public download of uploaded files,
// which answers only for files of a release in the published snapshot.

var statsEditors = []platform.Role{platform.RoleWindowOfficer, platform.RoleAdmin, platform.RoleBodyApprover, platform.RoleBodyReviewer}

func (s *Server) statisticsRoutes() []route {
	return []route{
		{Pattern: "GET /statistics-releases", Handler: s.statsList, Roles: statsEditors},
		{Pattern: "GET /statistics-releases/new", Handler: s.statsNew, Roles: statsEditors},
		{Pattern: "POST /statistics-releases", Handler: s.statsSave, Roles: statsEditors},
		{Pattern: "GET /statistics-releases/{id}", Handler: s.statsEdit, Roles: statsEditors},
		{Pattern: "POST /statistics-releases/{id}", Handler: s.statsSave, Roles: statsEditors},
		{Pattern: "POST /statistics-releases/{id}/move", Handler: s.statsMove, Roles: statsEditors},
		{Pattern: "GET /portal/statistics/files/{id}/{name}", Handler: s.statsFile, Public: true},
	}
}

// statsView is what statistics_edit.html receives.
type statsView struct {
	List      []platform.CatalogDataset
	Form      *platform.CatalogDataset
	Bodies    []platform.Body
	Licenses  []platform.License
	Publisher bool // the actor may publish the form's release
	Moves     []platform.PublishState
	From, To  string // the period as YYYY-MM-DD (date inputs)
	ErrField  string
	Err       string
}

func (s *Server) statsList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.catalog().StatisticsReleases(r.Context())
	if err != nil {
		return err
	}
	return s.page(w, r, "statistics_edit", statsView{List: list})
}

func (s *Server) statsNew(w http.ResponseWriter, r *http.Request) error {
	return s.renderStats(w, r, http.StatusOK, &platform.CatalogDataset{LicenseID: "cc-by-4.0", BodyID: actor(r).BodyID}, nil)
}

func (s *Server) statsEdit(w http.ResponseWriter, r *http.Request) error {
	d, err := s.catalog().StatisticsRelease(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.renderStats(w, r, http.StatusOK, d, nil)
}

func (s *Server) renderStats(w http.ResponseWriter, r *http.Request, status int, d *platform.CatalogDataset, ferr error) error {
	a := actor(r)
	v := statsView{Form: d, Publisher: platform.StatisticsPublisher(a, d.BodyID), From: ymd(d.PeriodFrom), To: ymd(d.PeriodTo)}
	for _, l := range platform.Licenses {
		if l.Open {
			v.Licenses = append(v.Licenses, l)
		}
	}
	bodies, err := s.deps.Store.Bodies(r.Context(), "")
	if err != nil {
		return err
	}
	for _, b := range bodies {
		if a.RequireBody(b.ID, statsEditors...) == nil {
			v.Bodies = append(v.Bodies, b)
		}
	}
	if d.ID != "" {
		for _, to := range []platform.PublishState{platform.PublishPublished, platform.PublishWithdrawn, platform.PublishDraft} {
			if platform.CanMoveStatisticsRelease(d.State, to) {
				v.Moves = append(v.Moves, to)
			}
		}
	}
	if fe, ok := ferr.(*fault.Error); ok {
		v.ErrField, v.Err = fe.Field, safeMessage(fe, lang(r))
	}
	return s.pageStatus(w, r, status, "statistics_edit", v)
}

// statsForm reads the release fields (and an uploaded file) from the form.
func statsForm(r *http.Request, d *platform.CatalogDataset) (*platform.StatisticsFile, error) {
	f := func(k string) string { return strings.TrimSpace(r.FormValue(k)) }
	body, _ := strconv.ParseInt(f("body_id"), 10, 64)
	d.BodyID, d.Name, d.Title, d.TitleEN, d.Notes, d.LicenseID = body, f("name"), f("title"), f("title_en"), f("notes"), f("license_id")
	d.Tags = splitList(f("tags"))
	var err error
	if d.PeriodFrom, err = statsDate(f("period_from"), "period_from"); err != nil {
		return nil, err
	}
	if d.PeriodTo, err = statsDate(f("period_to"), "period_to"); err != nil {
		return nil, err
	}
	if u := f("link_url"); u != "" {
		now := time.Now().UTC()
		name := f("link_name")
		if name == "" {
			name = u[strings.LastIndexByte(u, '/')+1:]
		}
		format := strings.ToUpper(f("link_format"))
		if format == "" {
			format = "CSV"
		}
		d.Resources = append(d.Resources, platform.CatalogResource{ID: platform.StableUUID("statistics-link", d.Name, u, now.String()),
			Name: name, URL: u, Format: format, CreatedAt: now, ModifiedAt: now})
	}
	file, hdr, err := r.FormFile("file")
	if err == http.ErrMissingFile {
		return nil, nil
	}
	if err != nil {
		return nil, fault.New(fault.Invalid, "cannot read the uploaded file", "アップロードされたファイルを読めません").In("file").Wrap(err)
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, platform.MaxStatisticsFile+1))
	if err != nil {
		return nil, fault.New(fault.Invalid, "cannot read the uploaded file", "アップロードされたファイルを読めません").In("file").Wrap(err)
	}
	mt := hdr.Header.Get("Content-Type")
	if strings.HasSuffix(strings.ToLower(hdr.Filename), ".csv") {
		mt = "text/csv"
	}
	return &platform.StatisticsFile{Name: hdr.Filename, MediaType: mt, Content: b}, nil
}

func statsDate(v, field string) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	t, err := time.ParseInLocation("2006-01-02", v, platform.JST)
	if err != nil {
		return nil, fault.New(fault.Invalid, "dates are YYYY-MM-DD", "日付は YYYY-MM-DD で入力してください").In(field)
	}
	return &t, nil
}

func (s *Server) statsSave(w http.ResponseWriter, r *http.Request) error {
	if isMultipart(r) {
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			return fault.New(fault.Invalid, "cannot read the form", "フォームを読めません").Wrap(err)
		}
	}
	d := &platform.CatalogDataset{}
	if id := r.PathValue("id"); id != "" {
		old, err := s.catalog().StatisticsRelease(r.Context(), id)
		if err != nil {
			return err
		}
		d = old
		d.Version, _ = strconv.Atoi(r.FormValue("version"))
		if r.FormValue("drop_resources") == "1" {
			d.Resources = []platform.CatalogResource{}
		}
	}
	file, err := statsForm(r, d)
	if err == nil {
		err = s.catalog().SaveStatisticsRelease(r.Context(), d, file)
	}
	if err != nil {
		if c := fault.ErrorCode(err); c == fault.Invalid || c == fault.Conflict {
			return s.renderStats(w, r, http.StatusBadRequest, d, err)
		}
		return err
	}
	return redirect(w, r, "/statistics-releases/"+d.ID+"?notice=saved")
}

func (s *Server) statsMove(w http.ResponseWriter, r *http.Request) error {
	version, _ := strconv.Atoi(r.FormValue("version"))
	d, err := s.catalog().MoveStatisticsRelease(r.Context(), r.PathValue("id"), version, platform.PublishState(r.FormValue("to")))
	if err != nil {
		return err
	}
	return redirect(w, r, "/statistics-releases/"+d.ID+"?notice=saved")
}

// statsFile serves an uploaded file of a published release. Whether the
// release is published is read from the snapshot (published records only);
// the bytes come from the store.
func (s *Server) statsFile(w http.ResponseWriter, r *http.Request) error {
	ix, err := s.catalog().Index(r.Context())
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	notFound := fault.New(fault.NotFound, "file not found", "ファイルが見つかりません")
	d := publishedWith(ix, id)
	if d == nil {
		return notFound
	}
	f, err := s.deps.Store.StatisticsFile(r.Context(), id)
	if err != nil || f.DatasetID != d.ID {
		return notFound
	}
	h := w.Header()
	mt := f.MediaType
	if mt == "" || strings.HasPrefix(mt, "text/html") {
		mt = "application/octet-stream"
	}
	if strings.HasPrefix(mt, "text/") {
		mt += "; charset=utf-8"
	}
	h.Set("Content-Type", mt)
	h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.Name))
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cache-Control", "public, max-age=60")
	_, err = w.Write(f.Content)
	return err
}

// publishedWith returns the published statistics release that has the
// resource id, or nil.
func publishedWith(ix *platform.CatalogIndex, id string) *platform.CatalogDataset {
	all := ix.AllDatasets()
	for i := range all {
		if all[i].Kind != platform.DatasetStatistics {
			continue
		}
		for _, r := range all[i].Resources {
			if r.ID == id {
				return &all[i]
			}
		}
	}
	return nil
}
