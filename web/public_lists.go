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
		return cell{Text: "1"}
	}
	return cell{Text: "0"}
}

func txt(s string) cell { return cell{Text: s} }

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
	{"lg_code", "全国地方公共団体コード", "Local government code"}, {"id", "ID", "ID"},
	{"lg_name", "地方公共団体名", "Local government"}, {"pref", "都道府県名", "Prefecture"},
	{"body", "実施機関", "Executive body"}, {"file_name", "個人情報ファイルの名称", "File"},
	{"purpose", "利用目的", "Purpose"}, {"items", "記録項目", "Record items"}, {"subjects", "本人の数", "Subjects"},
	{"special_care", "要配慮個人情報", "Special-care information"},
	{"proposal_invited", "提案募集の対象", "Proposals invited"}, {"proposal_office", "提案を受ける組織", "Office receiving proposals"},
	{"updated", "更新日", "Updated"},
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
	col{"unit", "担当組織", "Unit in charge"}, col{"subject_scope", "記録範囲", "Scope of subjects"},
	col{"collection_method", "収集方法", "Collection method"}, col{"regular_recipients", "経常的提供先", "Regular recipients"},
	col{"disclosure_office", "開示請求等を受理する組織", "Office for disclosure requests"},
	col{"special_procedures", "訂正及び利用停止に関する他の法令の特別の手続", "Special procedures"},
	col{"kind", "ファイルの種別", "Kind"}, col{"anon_summary", "行政機関等匿名加工情報の概要", "Anonymised information outline"},
	col{"anon_office", "匿名加工情報の提案を受ける組織", "Office for the created information"},
	col{"anon_proposal_from", "提案期間（開始）", "Proposal period from"}, col{"anon_proposal_to", "提案期間（終了）", "Proposal period to"},
	col{"remarks", "備考", "Remarks"}, col{"version", "版", "Version"}, col{"updated", "更新日", "Updated"})

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
			txt(f.DisclosureOffice), txt(f.SpecialProcedures), txt(string(f.Kind)), txt(f.AnonSummary), txt(f.AnonOffice),
			txt(ymd(f.AnonProposalFrom)), txt(ymd(f.AnonProposalTo)), txt(f.Remarks), txt(strconv.Itoa(f.Version)),
			txt(ymd(&f.UpdatedAt)))
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

var callCols = []col{
	{"lg_code", "全国地方公共団体コード", "Local government code"}, {"id", "ID", "ID"},
	{"lg_name", "地方公共団体名", "Local government"}, {"body", "実施機関", "Executive body"}, {"title", "件名", "Title"},
	{"opens", "募集開始日", "Opens"}, {"closes", "募集終了日", "Closes"}, {"status", "状況", "Status"},
	{"files", "対象ファイル数", "Target files"}, {"office", "提案を受ける組織", "Receiving office"},
	{"notice_url", "公示URL", "Notice URL"},
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
			txt(c.Title), txt(ymd(&c.Opens)), txt(ymd(&closes)), {Text: status, Href: ""},
			txt(strconv.Itoa(len(c.FileIDs))), txt(c.Office), {Text: c.NoticeURL, Href: c.NoticeURL}})
	}
	return t, nil
}

var datasetCols = []col{
	{"lg_code", "全国地方公共団体コード", "Local government code"}, {"id", "ID", "ID"},
	{"lg_name", "地方公共団体名", "Local government"}, {"body", "実施機関", "Executive body"},
	{"title", "名称", "Title"}, {"kind", "種別", "Kind"}, {"subjects", "本人の数", "Subjects"},
	{"items", "項目及び粒度", "Items and granularity"}, {"proposal_from", "提案期間（開始）", "Proposal period from"},
	{"proposal_to", "提案期間（終了）", "Proposal period to"}, {"proposal_office", "提案を受ける組織", "Receiving office"},
	{"contracts", "契約締結数", "Contracts concluded"}, {"license", "利用条件", "Licence"}, {"modified", "更新日", "Modified"},
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
		txt(string(d.Kind)), num64(d.Subjects), txt(strings.Join(items, ";")), txt(ymd(d.ProposalFrom)),
		txt(ymd(d.ProposalTo)), txt(d.ProposalOffice), txt(strconv.Itoa(d.Contracts)), txt(lic), txt(ymd(&d.ModifiedAt))}
}

var usageCols = []col{
	{"lg_code", "全国地方公共団体コード", "Local government codes"}, {"id", "ID", "ID"}, {"title", "名称", "Title"},
	{"organisation", "活用者", "User"}, {"summary", "概要", "Summary"}, {"datasets", "利用したデータセット", "Datasets used"},
	{"url", "URL", "URL"}, {"published", "公開日", "Published"},
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
	{"lg_code", "全国地方公共団体コード", "Local government codes"}, {"id", "ID", "ID"}, {"title", "件名", "Title"},
	{"contractor", "受託者", "Contractor"}, {"bodies", "委託した実施機関", "Commissioning bodies"},
	{"from", "期間（開始）", "From"}, {"to", "期間（終了）", "To"}, {"terms", "委託の概要", "Terms"},
	{"split", "共通経費の按分", "Split of the shared cost"},
}

// splitJA describes how a commission's shared cost is split, e.g.
// "200,000円（均等）：札幌市長 100,000円；福岡県知事 100,000円".
func splitJA(ix *platform.CatalogIndex, c platform.CatalogCommission) string {
	key := map[string]string{platform.SplitEqual: "均等", platform.SplitEqualRows: "半額均等・半額件数比",
		platform.SplitPercent: "割合", platform.SplitAmount: "金額"}[c.SplitKey]
	var parts []string
	for _, b := range c.BodyIDs {
		if o, ok := ix.OrgOf(b); ok {
			parts = append(parts, o.LGName+" "+o.Name+" "+platform.FormatYen(c.Shares[b]))
		}
	}
	return platform.FormatYen(c.SharedCost) + "（" + key + "）：" + strings.Join(parts, "；")
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
			txt(c.Contractor), txt(strings.Join(bodies, ";")), txt(ymd(&c.From)), txt(ymd(&c.To)), txt(c.Terms), txt(splitJA(ix, c))})
	}
	return t, nil
}

// colTitle returns the header of c in lang.
func colTitle(c col, lang i18n.Lang) string {
	if lang == i18n.EN {
		return c.EN
	}
	return c.JA
}
