package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

// This file holds the pages and API of anonymised information a body
// creates without a proposal (domain.md §2.5): listing it for art. 118
// proposals, and registering its file so that reuse contracts can be
// delivered.

// datasetRoutes declares the routes of body-created datasets. (Listing by
// JSON, POST /api/v1/bodies/{body}/datasets, is among the case routes.)
func (s *Server) datasetRoutes() []route {
	return []route{
		{Pattern: "GET /bodies/{body}/datasets", Handler: s.datasetList, Roles: bodyReaders},
		{Pattern: "GET /bodies/{body}/datasets/new", Handler: s.datasetNew, Roles: bodyUsers},
		{Pattern: "POST /bodies/{body}/datasets", Handler: s.datasetCreate, Roles: bodyUsers},
		{Pattern: "GET /bodies/{body}/datasets/{dataset}", Handler: s.datasetShow, Roles: bodyReaders},
		{Pattern: "POST /bodies/{body}/datasets/{dataset}/file", Handler: s.datasetUpload, Roles: bodyUsers},
		{Pattern: "GET /api/v1/bodies/{body}/datasets", Handler: s.apiDatasetList, Roles: bodyReaders,
			API: &apiOp{ID: "listBodyDatasets", Tag: "datasets", Response: apiBodyDataset{}, List: true,
				Summary: "Datasets the body created without a proposal (§2.5), with their file records"}},
		{Pattern: "GET /api/v1/bodies/{body}/datasets/{dataset}/file", Handler: s.apiDatasetFile, Roles: bodyReaders,
			API: &apiOp{ID: "getBodyDatasetFile", Tag: "datasets", Response: platform.DatasetFile{},
				Summary: "The file record (hash, counts, processing-record reference) of a body-created dataset"}},
		{Pattern: "POST /api/v1/bodies/{body}/datasets/{dataset}/file", Handler: s.datasetUpload, Roles: bodyUsers,
			API: &apiOp{ID: "uploadBodyDatasetFile", Tag: "datasets", Multipart: true, Response: platform.DatasetFile{}, Status: http.StatusCreated,
				Summary: "Upload the file of a body-created dataset (CSV UTF-8/CP932 or XLSX; parts record_ref, hours, outsourcing before file); its columns must be the dataset's items"}},
	}
}

// apiBodyDataset is a body-created dataset with its file record (null
// until uploaded).
type apiBodyDataset struct {
	Dataset platform.CatalogDataset `json:"dataset"`
	File    *platform.DatasetFile   `json:"file"`
}

type datasetListData struct {
	Body     *platform.Body
	Datasets []platform.CatalogDataset
	Files    map[string]*platform.DatasetFile
	CanNew   bool
}

// datasetBody returns the body of the path, or NotFound.
func (s *Server) datasetBody(r *http.Request) (*platform.Body, error) {
	id, err := pathID(r, "body")
	if err != nil {
		return nil, err
	}
	return s.deps.Store.Body(r.Context(), id)
}

func (s *Server) datasetList(w http.ResponseWriter, r *http.Request) error {
	b, err := s.datasetBody(r)
	if err != nil {
		return err
	}
	ds, files, err := s.proc().BodyDatasets(r.Context(), b.ID)
	if err != nil {
		return err
	}
	a := actor(r)
	return s.page(w, r, "dataset_list", datasetListData{b, ds, files, a.Role == platform.RoleBodyApprover && a.BodyID == b.ID})
}

func (s *Server) apiDatasetList(w http.ResponseWriter, r *http.Request) error {
	b, err := s.datasetBody(r)
	if err != nil {
		return err
	}
	ds, files, err := s.proc().BodyDatasets(r.Context(), b.ID)
	if err != nil {
		return err
	}
	out := make([]apiBodyDataset, 0, len(ds))
	for _, d := range ds {
		out = append(out, apiBodyDataset{d, files[d.ID]})
	}
	return writeJSON(w, http.StatusOK, out)
}

type datasetFormData struct {
	Body    *platform.Body
	Entries []platform.RegisterEntry
	Errors  []string
	Form    map[string]string
}

func (s *Server) datasetNew(w http.ResponseWriter, r *http.Request) error {
	return s.datasetForm(w, r, nil)
}

func (s *Server) datasetForm(w http.ResponseWriter, r *http.Request, errs []string) error {
	b, err := s.datasetBody(r)
	if err != nil {
		return err
	}
	if err := actor(r).RequireBody(b.ID, platform.RoleBodyApprover); err != nil {
		return err
	}
	es, err := s.deps.Store.RegisterEntries(r.Context(), b.ID)
	if err != nil {
		return err
	}
	form := map[string]string{}
	for _, k := range []string{"entry_id", "title", "subjects", "items", "methods_summary", "proposal_to"} {
		form[k] = r.FormValue(k)
	}
	status := http.StatusOK
	if errs != nil {
		status = http.StatusBadRequest
	}
	return s.pageStatus(w, r, status, "dataset_form", datasetFormData{b, es, errs, form})
}

func (s *Server) datasetCreate(w http.ResponseWriter, r *http.Request) error {
	b, err := s.datasetBody(r)
	if err != nil {
		return err
	}
	in, err := datasetFromForm(r)
	if err == nil {
		err = s.entryOfBody(r, in.EntryID, b.ID)
	}
	var d *platform.CatalogDataset
	if err == nil {
		d, err = s.proc().ListBodyDataset(r.Context(), in)
	}
	if fault.ErrorCode(err) == fault.Invalid {
		return s.datasetForm(w, r, []string{fault.Safe(err, lang(r) == "ja")})
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/bodies/"+strconv.FormatInt(b.ID, 10)+"/datasets/"+d.ID+"?notice=saved")
}

// entryOfBody refuses an entry of another body (as not found).
func (s *Server) entryOfBody(r *http.Request, entry, body platform.ID) error {
	e, err := s.deps.Store.RegisterEntry(r.Context(), entry)
	if err == nil && e.BodyID != body {
		err = fault.New(fault.NotFound, "register entry not found", "ファイル簿の記載が見つかりません")
	}
	if fault.ErrorCode(err) == fault.NotFound {
		return fault.New(fault.Invalid, "choose a file of the body's register", "実施機関のファイル簿から作成に用いたファイルを選択してください").In("entry_id")
	}
	return err
}

// datasetFromForm reads the listing form. Items are one per line, "name"
// or "name：granularity".
func datasetFromForm(r *http.Request) (platform.BodyDataset, error) {
	var in platform.BodyDataset
	if err := r.ParseForm(); err != nil {
		return in, fault.New(fault.Invalid, "bad form", "フォームが正しくありません")
	}
	f := func(k string) string { return strings.TrimSpace(r.FormValue(k)) }
	var err error
	if in.EntryID, err = strconv.ParseInt(f("entry_id"), 10, 64); err != nil {
		return in, fault.New(fault.Invalid, "choose the source file", "作成に用いたファイルを選択してください").In("entry_id")
	}
	in.Title, in.MethodsSummary = f("title"), f("methods_summary")
	if in.Subjects, err = strconv.ParseInt(strings.ReplaceAll(f("subjects"), ",", ""), 10, 64); err != nil || in.Subjects <= 0 {
		return in, fault.New(fault.Invalid, "subjects must be a positive number", "本人の数を1以上の数で入力してください").In("subjects")
	}
	for _, line := range strings.Split(f("items"), "\n") {
		name, gran, _ := strings.Cut(strings.ReplaceAll(strings.TrimSpace(line), "：", ":"), ":")
		if name = strings.TrimSpace(name); name != "" {
			in.Items = append(in.Items, platform.DatasetItem{Name: name, Granularity: strings.TrimSpace(gran)})
		}
	}
	if in.ProposalTo, err = time.ParseInLocation("2006-01-02", f("proposal_to"), platform.JST); err != nil {
		return in, fault.New(fault.Invalid, "proposal_to must be a date", "提案をすることができる期間の終期を YYYY-MM-DD で入力してください").In("proposal_to")
	}
	in.ProposalTo = in.ProposalTo.Add(24*time.Hour - time.Second)
	return in, nil
}

type datasetShowData struct {
	Body      *platform.Body
	Dataset   *platform.CatalogDataset
	File      *platform.DatasetFile
	CanUpload bool
	Errors    []string
}

// dataset returns the body-created dataset of the path; one of another
// body is not found.
func (s *Server) dataset(r *http.Request) (*platform.Body, *platform.CatalogDataset, *platform.DatasetFile, error) {
	b, err := s.datasetBody(r)
	if err != nil {
		return nil, nil, nil, err
	}
	d, f, err := s.proc().DatasetFileOf(r.Context(), r.PathValue("dataset"))
	if err != nil {
		return nil, nil, nil, err
	}
	if d.BodyID != b.ID {
		return nil, nil, nil, fault.New(fault.NotFound, "not found", "見つかりません")
	}
	return b, d, f, nil
}

func (s *Server) datasetShow(w http.ResponseWriter, r *http.Request) error {
	return s.datasetPage(w, r, http.StatusOK, nil)
}

func (s *Server) datasetPage(w http.ResponseWriter, r *http.Request, status int, errs []string) error {
	b, d, f, err := s.dataset(r)
	if err != nil {
		return err
	}
	a := actor(r)
	return s.pageStatus(w, r, status, "dataset_show", datasetShowData{b, d, f, a.Role.BodyScoped() && a.BodyID == b.ID, errs})
}

func (s *Server) apiDatasetFile(w http.ResponseWriter, r *http.Request) error {
	_, _, f, err := s.dataset(r)
	if err != nil {
		return err
	}
	if f == nil {
		return fault.New(fault.NotFound, "no file has been uploaded", "ファイルは登録されていません")
	}
	return writeJSON(w, http.StatusOK, f)
}

// datasetUpload streams the file part into the vault (as the intake does:
// nothing of it is buffered or spooled in clear); the text parts before it
// carry the processing record's reference and the creation work.
func (s *Server) datasetUpload(w http.ResponseWriter, r *http.Request) error {
	b, d, _, err := s.dataset(r)
	if err != nil {
		return err
	}
	fields, name, file, err := streamPartFields(r, "file")
	var f *platform.DatasetFile
	if err == nil {
		var meta platform.DatasetFileMeta
		if meta, err = datasetMeta(fields); err == nil {
			f, err = s.proc().UploadDatasetFile(r.Context(), d.ID, name, file, meta)
		}
	}
	if err != nil && !isAPI(r) && fault.ErrorCode(err) == fault.Invalid {
		return s.datasetPage(w, r, http.StatusBadRequest, []string{fault.Safe(err, lang(r) == "ja")})
	}
	if err != nil {
		return err
	}
	if isAPI(r) {
		return writeJSON(w, http.StatusCreated, f)
	}
	return redirect(w, r, "/bodies/"+strconv.FormatInt(b.ID, 10)+"/datasets/"+d.ID+"?notice=saved")
}

func datasetMeta(fields map[string]string) (platform.DatasetFileMeta, error) {
	m := platform.DatasetFileMeta{RecordRef: strings.TrimSpace(fields["record_ref"])}
	var err error
	if h := strings.TrimSpace(fields["hours"]); h != "" {
		if m.Hours, err = strconv.ParseFloat(h, 64); err != nil {
			return m, fault.New(fault.Invalid, "hours must be a number", "作成に要した時間を数で入力してください").In("hours")
		}
	}
	if o := strings.ReplaceAll(strings.TrimSpace(fields["outsourcing"]), ",", ""); o != "" {
		if m.Outsourcing, err = strconv.ParseInt(o, 10, 64); err != nil {
			return m, fault.New(fault.Invalid, "outsourcing cost must be a whole number of yen", "委託費用を円単位の数で入力してください").In("outsourcing")
		}
	}
	return m, nil
}

// streamPartFields is streamPart that also keeps the small text parts that
// come before the file part (at most 64 KiB each).
func streamPartFields(r *http.Request, field string) (map[string]string, string, io.Reader, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", nil, errNoFile.Wrap(err)
	}
	fields := map[string]string{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return fields, "", nil, errNoFile
		}
		if err != nil {
			return fields, "", nil, errNoFile.Wrap(err)
		}
		if p.FormName() == field && p.FileName() != "" {
			return fields, p.FileName(), p, nil
		}
		if p.FileName() == "" {
			b, _ := io.ReadAll(io.LimitReader(p, 64<<10))
			fields[p.FormName()] = string(b)
		}
		discard(p)
	}
}
