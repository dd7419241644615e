package web

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tokumei/tokumei/ckan"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/web/i18n"
)

// The public portal (no login): the common window's catalogue of files,
// each body's register, calls, created datasets (art. 117), statistics,
// usage cases, commission records, the guide, the national view, feeds,
// and the CKAN API and DCAT (package ckan). Every page reads the catalogue
// snapshot (platform.CatalogIndex), which holds only published records.
// Every list is also served as CSV (UTF-8 with BOM, 全国地方公共団体コード
// first, as in 自治体標準オープンデータセット) and JSON, at the same path
// with .csv or .json.

// catalog returns the server's catalogue service (its in-memory index).
func (s *Server) catalog() *platform.Catalog { return s.portal().cat }

// isCKANAction reports whether path is a (read-only) CKAN action, which
// clients POST without a CSRF token.
func isCKANAction(path string) bool {
	return strings.HasPrefix(path, "/api/3/action/") || strings.HasPrefix(path, "/api/action/")
}

// publicRoutes declares the portal's routes.
func (s *Server) publicRoutes() []route {
	api := &ckan.API{Catalog: s.catalog()}
	mux := http.NewServeMux()
	api.Register(mux)
	ck := adapt(mux)
	rs := []route{
		{Pattern: "GET /portal", Handler: s.portalHome, Public: true},
		{Pattern: "GET /portal/guide", Handler: s.portalGuide, Public: true},
		{Pattern: "GET /datasets/{name}", Handler: s.portalDataset, Public: true},
		{Pattern: "GET /datasets/{name}/items.csv", Handler: s.portalDatasetItems, Public: true},
		{Pattern: "GET /national", Handler: s.national, Public: true},
		{Pattern: "GET /national.csv", Handler: s.nationalData("csv"), Public: true},
		{Pattern: "GET /national.json", Handler: s.nationalData("json"), Public: true},
		{Pattern: "GET /national/map.svg", Handler: s.nationalSVG, Public: true},
		{Pattern: "GET /sitemap.xml", Handler: s.sitemap, Public: true},
		{Pattern: "GET /feed.atom", Handler: s.atomFeed, Public: true},
		{Pattern: "GET /api/3/action/{action}", Handler: ck, Public: true},
		{Pattern: "POST /api/3/action/{action}", Handler: ck, Public: true},
		{Pattern: "GET /api/action/{action}", Handler: ck, Public: true},
		{Pattern: "POST /api/action/{action}", Handler: ck, Public: true},
		{Pattern: "GET /api/3", Handler: ck, Public: true},
		{Pattern: "GET /catalog.jsonld", Handler: ck, Public: true},
		{Pattern: "GET /dataset/{file}", Handler: ck, Public: true},
	}
	for _, l := range s.publicLists() {
		rs = append(rs,
			route{Pattern: "GET " + l.path, Handler: s.listPage(l), Public: true},
			route{Pattern: "GET " + l.path + ".csv", Handler: s.listData(l, "csv"), Public: true},
			route{Pattern: "GET " + l.path + ".json", Handler: s.listData(l, "json"), Public: true})
	}
	for i, rt := range rs {
		if rt.method() == http.MethodGet {
			rs[i].Handler = s.cached(rt.Pattern, rt.Handler)
		}
	}
	rs = append(rs, s.usageEditRoutes()...)
	return rs
}

// col is a column of a public list: the JSON key, and the catalogue key of
// its header (columns.json; the CSV always takes the Japanese header).
type col struct{ Key, Msg string }

// c returns the column key whose header is "col."+key, or "col."+msg.
func c(key string, msg ...string) col {
	if len(msg) > 0 {
		return col{key, "col." + msg[0]}
	}
	return col{key, "col." + key}
}

// cell is one value, with a link in HTML. A code value (a flag, a status,
// a kind) keeps its code in CSV and JSON and shows the catalogue text Msg in
// HTML; a composed value (Text in standard Japanese for CSV) is shown in
// HTML as ByLang renders it in the page's language.
type cell struct {
	Text, Href, Msg string
	ByLang          func(i18n.Lang) string
}

// table is a public list ready for HTML, CSV or JSON.
type table struct {
	Cols  []col
	Rows  [][]cell
	Total int // hits before paging
}

// publicList is one list of the portal.
type publicList struct {
	path    string
	key     string // i18n key prefix
	filters bool   // show the catalogue filters
	build   func(ix *platform.CatalogIndex, r *http.Request, page int) (table, error)
}

const pageSize = 50

func pageOf(r *http.Request) int {
	p, _ := strconv.Atoi(r.URL.Query().Get("page"))
	return max(p, 1)
}

// listView is what public_list.html receives.
type listView struct {
	Key       string
	Path      string
	Table     table
	Headers   []string
	Body      template.HTML // the table rows, rendered in Go (fast for long lists)
	Page      int
	Pages     int
	Query     string // the query string without page, for links
	Filters   *fileFilters
	Heading   string
	Paged     bool
	PrevQuery string
	NextQuery string
}

func (s *Server) listPage(l publicList) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ix, err := s.catalog().Index(r.Context())
		if err != nil {
			return err
		}
		page := pageOf(r)
		t, err := l.build(ix, r, page)
		if err != nil {
			return err
		}
		v := listView{Key: l.key, Path: r.URL.Path, Table: t, Page: page, Paged: t.Total > pageSize}
		for _, c := range t.Cols {
			v.Headers = append(v.Headers, colTitle(c, lang(r)))
		}
		v.Body = rowsHTML(t.Rows, lang(r))
		v.Pages = max(1, (t.Total+pageSize-1)/pageSize)
		q := r.URL.Query()
		q.Del("page")
		q.Del("lang")
		v.Query = q.Encode()
		if page > 1 {
			q.Set("page", strconv.Itoa(page-1))
			v.PrevQuery = q.Encode()
		}
		if page < v.Pages {
			q.Set("page", strconv.Itoa(page+1))
			v.NextQuery = q.Encode()
		}
		if l.filters {
			v.Filters = newFileFilters(ix, r)
		}
		if b := r.PathValue("body"); b != "" {
			id, _ := strconv.ParseInt(b, 10, 64)
			if o, ok := ix.OrgOf(id); ok {
				v.Heading = o.LGName + " " + o.Name
			}
		}
		return s.page(w, r, "public_list", v)
	}
}

func (s *Server) listData(l publicList, format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ix, err := s.catalog().Index(r.Context())
		if err != nil {
			return err
		}
		t, err := l.build(ix, r, 0) // page 0: every row
		if err != nil {
			return err
		}
		name := strings.ReplaceAll(strings.Trim(r.URL.Path, "/"), "/", "_")
		return writeTable(w, t, format, name)
	}
}

// writeTable writes t as CSV (UTF-8 with BOM, CRLF, Japanese headers) or
// as a JSON array of objects keyed by the column keys.
func writeTable(w http.ResponseWriter, t table, format, name string) error {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cache-Control", "public, max-age=60")
	bw := bufio.NewWriterSize(w, 64<<10)
	if format == "csv" {
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
		bw.WriteString("\ufeff")
		cw := csv.NewWriter(bw)
		cw.UseCRLF = true
		head := make([]string, len(t.Cols))
		for i, c := range t.Cols {
			head[i] = colTitle(c, i18n.JA)
		}
		cw.Write(head)
		rec := make([]string, len(t.Cols))
		for _, row := range t.Rows {
			for i, c := range row {
				rec[i] = c.Text
			}
			cw.Write(rec)
		}
		cw.Flush()
		return bw.Flush()
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	out := make([]map[string]string, len(t.Rows))
	for i, row := range t.Rows {
		m := make(map[string]string, len(t.Cols))
		for j, c := range row {
			m[t.Cols[j].Key] = c.Text
		}
		out[i] = m
	}
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fault.Errorf(fault.Internal, "encode JSON").Wrap(err)
	}
	return bw.Flush()
}

// rowsHTML renders table rows; the second column (the ID) heads its row.
func rowsHTML(rows [][]cell, lang i18n.Lang) template.HTML {
	var b strings.Builder
	for _, row := range rows {
		b.WriteString("<tr>")
		for i, c := range row {
			tag := "td"
			if i == 1 {
				tag = `th scope="row"`
			}
			b.WriteString("<" + tag + ">")
			if c.Msg != "" {
				c.Text = i18n.T(lang, c.Msg)
			}
			if c.ByLang != nil {
				c.Text = c.ByLang(lang)
			}
			if c.Href != "" && (strings.HasPrefix(c.Href, "/") || strings.HasPrefix(c.Href, "https://") || strings.HasPrefix(c.Href, "http://")) {
				b.WriteString(`<a href="` + html.EscapeString(c.Href) + `">` + html.EscapeString(c.Text) + "</a>")
			} else {
				b.WriteString(html.EscapeString(c.Text))
			}
			b.WriteString("</" + tag[:2] + ">")
		}
		b.WriteString("</tr>\n")
	}
	return template.HTML(b.String())
}

// fileFilters is the state of the catalogue filter form.
type fileFilters struct {
	Q, Pref, LG, Body, Item, SpecialCare string
	Invited                              bool
	Prefs                                []platform.LocalGovernment
	Items                                []string
	Orgs                                 []platform.Org // bodies of the chosen local government
	PrefOptions, ItemOptions             template.HTML  // rendered in Go
}

func newFileFilters(ix *platform.CatalogIndex, r *http.Request) *fileFilters {
	q := r.URL.Query()
	f := &fileFilters{Q: q.Get("q"), Pref: q.Get("pref"), LG: q.Get("lg"), Body: q.Get("body"), Item: q.Get("item"),
		SpecialCare: q.Get("special_care"), Invited: q.Get("invited") == "1", Prefs: ix.Prefectures(), Items: ix.TopItems()}
	if len(f.Items) > 100 {
		f.Items = f.Items[:100]
	}
	var b strings.Builder
	for _, p := range f.Prefs {
		sel := ""
		if p.PrefCode == f.Pref {
			sel = " selected"
		}
		b.WriteString(`<option value="` + p.PrefCode + `"` + sel + ">" + html.EscapeString(p.Name) + "</option>")
	}
	f.PrefOptions = template.HTML(b.String())
	b.Reset()
	for _, it := range f.Items {
		b.WriteString(`<option value="` + html.EscapeString(it) + `">`)
	}
	f.ItemOptions = template.HTML(b.String())
	if f.LG != "" {
		for _, o := range ix.Orgs() {
			if o.LGCode == f.LG {
				f.Orgs = append(f.Orgs, o)
			}
		}
	}
	return f
}

// fileQuery reads the catalogue filters from the request.
func fileQuery(r *http.Request) (platform.FileQuery, error) {
	q := r.URL.Query()
	fq := platform.FileQuery{Q: q.Get("q"), Pref: q.Get("pref"), LG: q.Get("lg"), Item: q.Get("item"),
		SpecialCare: q.Get("special_care"), Invited: q.Get("invited") == "1"}
	if b := q.Get("body"); b != "" {
		id, err := strconv.ParseInt(b, 10, 64)
		if err != nil {
			return fq, fault.New(fault.Invalid, "body must be a number", "実施機関の指定が正しくありません").In("body")
		}
		fq.Body = id
	}
	if fq.SpecialCare != "" && fq.SpecialCare != "yes" && fq.SpecialCare != "no" {
		return fq, fault.New(fault.Invalid, "special_care must be yes or no", "要配慮個人情報の指定が正しくありません").In("special_care")
	}
	return fq, nil
}

// absBase returns the absolute URL of this server as seen by the client.
func absBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func qs(v url.Values) string {
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}
