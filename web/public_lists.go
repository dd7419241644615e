package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/web/i18n"
)

// The lists of the portal. Column headers of the CSV follow the
// 自治体標準オープンデータセット: 全国地方公共団体コード, ID, 地方公共団体名 first;
// dates as YYYY-MM-DD (西暦, JST); flags as 0/1; several values joined by ";".

func (s *Server) publicLists() []publicList {
	return []publicList{
		{path: "/portal/files", key: "public.files", filters: true, build: buildFiles},
		{path: "/portal/bodies/{body}/register", key: "public.register", build: buildRegister},
		{path: "/portal/calls", key: "public.calls", build: buildCalls},
		{path: "/datasets", key: "public.datasets", build: datasetsOf(platform.DatasetAnonymized)},
		{path: "/portal/statistics", key: "public.statistics", build: datasetsOf(platform.DatasetStatistics)},
		{path: "/portal/usage-cases", key: "public.usage", build: buildUsageCases},
		{path: "/portal/commissions", key: "public.commissions", build: buildCommissions},
	}
}

func ymd(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.In(platform.JST).Format("2006-01-02")
}

func flag(b bool) cell {
	if b {
		return cell{Text: "1", Msg: "value.yes"}
	}
	return cell{Text: "0", Msg: "value.no"}
}

func txt(s string) cell { return cell{Text: s} }

// codeCell is a code value shown in HTML as the catalogue text prefix+code
// (the code itself when the catalogue has none).
func codeCell(prefix, code string) cell {
	if code == "" || !i18n.Has(prefix+code) {
		return cell{Text: code}
	}
	return cell{Text: code, Msg: prefix + code}
}

func num64(n int64) cell { return cell{Text: strconv.FormatInt(n, 10)} }

// paginate returns the rows of page (all when page is 0).
func paginate(n, page int) (lo, hi int) {
	if page == 0 {
		return 0, n
	}
	lo = min((page-1)*pageSize, n)
	return lo, min(lo+pageSize, n)
}

var fileCols = []col{
	c("lg_code"), c("id"),
	c("lg_name"), c("pref"),
	c("body"), c("file_name"),
	c("purpose"), c("items"), c("subjects"),
	c("special_care"),
	c("proposal_invited"), c("proposal_office"),
	c("updated"),
}

func fileRow(f *platform.CatalogFile) []cell {
	items := make([]string, len(f.Items))
	for i, it := range f.Items {
		items[i] = it.Name
	}
	return []cell{txt(f.LGCode), txt(strconv.FormatInt(f.ID, 10)), txt(f.LGName), txt(f.Pref),
		{Text: f.BodyName, Href: "/portal/bodies/" + strconv.FormatInt(f.BodyID, 10) + "/register"},
		txt(f.FileName), txt(f.Purpose), txt(strings.Join(items, ";")), num64(f.Subjects), flag(f.SpecialCare),
		flag(f.ProposalInvited), txt(f.ProposalOffice), txt(ymd(&f.UpdatedAt))}
}

func buildFiles(ix *platform.CatalogIndex, r *http.Request, page int) (table, error) {
	q, err := fileQuery(r)
	if err != nil {
		return table{}, err
	}
	if page > 0 {
		q.Offset, q.Limit = (page-1)*pageSize, pageSize
	}
	res := ix.Files(q)
	t := table{Cols: fileCols, Total: res.Total}
	for _, f := range res.Files {
		t.Rows = append(t.Rows, fileRow(f))
	}
	return t, nil
}

var registerCols = append(append([]col{}, fileCols[:len(fileCols)-1]...),
	c("unit"), c("subject_scope"),
	c("collection_method"), c("regular_recipients"),
	c("disclosure_office"),
	c("special_procedures"),
	c("kind", "file_kind"), c("anon_summary"),
	c("anon_office"),
	c("anon_proposal_from"), c("anon_proposal_to"),
	c("remarks"), c("version"), c("updated"))

func buildRegister(ix *platform.CatalogIndex, r *http.Request, page int) (table, error) {
	id, err := strconv.ParseInt(r.PathValue("body"), 10, 64)
	if _, ok := ix.OrgOf(id); err != nil || !ok {
		return table{}, fault.New(fault.NotFound, "body not found", "実施機関が見つかりません")
	}
	res := ix.Files(platform.FileQuery{Body: id})
	t := table{Cols: registerCols, Total: len(res.Files)}
	lo, hi := paginate(len(res.Files), page)
	for _, f := range res.Files[lo:hi] {
		row := fileRow(f)
		row = append(row[:len(row)-1], txt(f.Unit), txt(f.SubjectScope), txt(f.CollectionMethod), txt(f.RegularRecipients),
			txt(f.DisclosureOffice), txt(f.SpecialProcedures), codeCell("value.file_kind.", string(f.Kind)), txt(f.AnonSummary), txt(f.AnonOffice),
			txt(ymd(f.AnonProposalFrom)), txt(ymd(f.AnonProposalTo)), txt(f.Remarks), txt(strconv.Itoa(f.Version)),
			txt(ymd(&f.UpdatedAt)))
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

var callCols = []col{
	c("lg_code"), c("id"),
	c("lg_name"), c("body"), c("title"),
	c("opens"), c("closes"), c("status"),
	c("files", "target_files"), c("office", "proposal_office"),
	c("notice_url"),
}

func buildCalls(ix *platform.CatalogIndex, r *http.Request, page int) (table, error) {
	calls := ix.Calls()
	now := time.Now()
	t := table{Cols: callCols, Total: len(calls)}
	lo, hi := paginate(len(calls), page)
	for _, c := range calls[lo:hi] {
		var lgName, body string
		if o, ok := ix.OrgOf(c.BodyID); ok {
			lgName, body = o.LGName, o.Name
		}
		status := "closed"
		switch {
		case now.Before(c.Opens):
			status = "upcoming"
		case now.Before(c.Closes):
			status = "open"
		}
		closes := c.Closes.Add(-time.Nanosecond) // shown as the last day of the period
		t.Rows = append(t.Rows, []cell{txt(c.LGCode), txt(strconv.FormatInt(c.ID, 10)), txt(lgName), txt(body),
			txt(c.Title), txt(ymd(&c.Opens)), txt(ymd(&closes)), {Text: status, Msg: "value.call." + status},
			txt(strconv.Itoa(len(c.FileIDs))), txt(c.Office), {Text: c.NoticeURL, Href: c.NoticeURL}})
	}
	return t, nil
}

var datasetCols = []col{
	c("lg_code"), c("id"),
	c("lg_name"), c("body"),
	c("title", "name"), c("kind"), c("subjects"),
	c("items", "items_granularity"), c("proposal_from"),
	c("proposal_to"), c("proposal_office"),
	c("contracts"), c("license"), c("modified"),
}

func datasetsOf(kind platform.DatasetKind) func(*platform.CatalogIndex, *http.Request, int) (table, error) {
	return func(ix *platform.CatalogIndex, r *http.Request, page int) (table, error) {
		q := platform.DatasetQuery{Q: r.URL.Query().Get("q"), Sort: "metadata_modified desc", Rows: 1 << 30,
			Filters: []platform.DatasetFilter{{Field: "kind", Values: []string{string(kind)}}}}
		if lg := r.URL.Query().Get("lg"); lg != "" {
			q.Filters = append(q.Filters, platform.DatasetFilter{Field: "lg_code", Values: []string{lg}})
		}
		if page > 0 {
			q.Start, q.Rows = (page-1)*pageSize, pageSize
		}
		res := ix.Datasets(q)
		t := table{Cols: datasetCols, Total: res.Count}
		for _, d := range res.Datasets {
			t.Rows = append(t.Rows, datasetRow(ix, d))
		}
		return t, nil
	}
}

func datasetRow(ix *platform.CatalogIndex, d *platform.CatalogDataset) []cell {
	var lgName, body string
	if o, ok := ix.OrgOf(d.BodyID); ok {
		lgName, body = o.LGName, o.Name
	}
	items := make([]string, len(d.Items))
	for i, it := range d.Items {
		items[i] = it.Name
		if it.Granularity != "" {
			items[i] += "（" + it.Granularity + "）"
		}
	}
	lic := d.LicenseID
	if l, ok := platform.LicenseByID(d.LicenseID); ok {
		lic = l.TitleJA
	}
	return []cell{txt(d.LGCode), txt(d.Name), txt(lgName), txt(body), {Text: d.Title, Href: "/datasets/" + d.Name},
		codeCell("value.dataset_kind.", string(d.Kind)), num64(d.Subjects), txt(strings.Join(items, ";")), txt(ymd(d.ProposalFrom)),
		txt(ymd(d.ProposalTo)), txt(d.ProposalOffice), txt(strconv.Itoa(d.Contracts)), txt(lic), txt(ymd(&d.ModifiedAt))}
}

var usageCols = []col{
	c("lg_code", "lg_codes"), c("id"), c("title", "name"),
	c("organisation"), c("summary"), c("datasets", "datasets_used"),
	c("url"), c("published"),
}

func buildUsageCases(ix *platform.CatalogIndex, r *http.Request, page int) (table, error) {
	cases := ix.UsageCases()
	t := table{Cols: usageCols, Total: len(cases)}
	lo, hi := paginate(len(cases), page)
	for _, u := range cases[lo:hi] {
		t.Rows = append(t.Rows, []cell{txt(strings.Join(u.LGCodes, ";")), txt(strconv.FormatInt(u.ID, 10)), txt(u.Title),
			txt(u.Organisation), txt(u.Summary), txt(strings.Join(u.DatasetIDs, ";")), {Text: u.URL, Href: u.URL},
			txt(ymd(u.PublishedAt))})
	}
	return t, nil
}

var commissionCols = []col{
	c("lg_code", "lg_codes"), c("id"), c("title"),
	c("contractor"), c("bodies", "commissioning_bodies"),
	c("from"), c("to"), c("terms"),
	c("split"),
}

// splitText describes how a commission's shared cost is split, in lang, e.g.
// "200,000円（均等）：札幌市長 100,000円；福岡県知事 100,000円"; CSV and JSON
// keep the Japanese.
func splitText(ix *platform.CatalogIndex, c platform.CatalogCommission, lang i18n.Lang) string {
	var parts []string
	for _, b := range c.BodyIDs {
		if o, ok := ix.OrgOf(b); ok {
			parts = append(parts, o.LGName+" "+o.Name+" "+platform.FormatYen(c.Shares[b]))
		}
	}
	return i18n.T(lang, "split.summary", platform.FormatYen(c.SharedCost), i18n.T(lang, "split."+c.SplitKey),
		strings.Join(parts, i18n.T(lang, "split.sep")))
}

func buildCommissions(ix *platform.CatalogIndex, r *http.Request, page int) (table, error) {
	cs := ix.Commissions()
	t := table{Cols: commissionCols, Total: len(cs)}
	lo, hi := paginate(len(cs), page)
	for _, c := range cs[lo:hi] {
		var codes, bodies []string
		for _, b := range c.BodyIDs {
			if o, ok := ix.OrgOf(b); ok {
				codes, bodies = append(codes, o.LGCode), append(bodies, o.LGName+" "+o.Name)
			}
		}
		t.Rows = append(t.Rows, []cell{txt(strings.Join(codes, ";")), txt(strconv.FormatInt(c.ID, 10)), txt(c.Title),
			txt(c.Contractor), txt(strings.Join(bodies, ";")), txt(ymd(&c.From)), txt(ymd(&c.To)), txt(c.Terms),
			{Text: splitText(ix, c, i18n.JA), ByLang: func(l i18n.Lang) string { return splitText(ix, c, l) }}})
	}
	return t, nil
}

// colTitle returns the header of c in lang.
func colTitle(c col, lang i18n.Lang) string {
	return i18n.T(lang, c.Msg)
}
