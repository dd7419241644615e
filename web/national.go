package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/web/i18n"
)

// The national view: every local government (47 prefectures and 1,741
// municipalities; designated-city wards are not local governments) with the
// state of the scheme, its ordinance and open data, and the counts of
// eligible files, calls, proposals and provisions — as a table, as an
// accessible SVG tile grid of Japan by prefecture, and as CSV/JSON.

// tileGrid places each prefecture on a 13 × 13 grid shaped like Japan.
var tileGrid = map[string][2]int{
	"01": {12, 0}, "02": {12, 1}, "05": {11, 2}, "03": {12, 2}, "06": {11, 3}, "04": {12, 3},
	"17": {8, 4}, "16": {9, 4}, "15": {10, 4}, "07": {11, 4},
	"18": {7, 5}, "21": {8, 5}, "20": {9, 5}, "10": {10, 5}, "09": {11, 5},
	"32": {2, 6}, "31": {3, 6}, "28": {4, 6}, "26": {5, 6}, "25": {6, 6}, "23": {7, 6}, "19": {9, 6}, "11": {10, 6}, "08": {11, 6},
	"35": {1, 7}, "34": {2, 7}, "33": {3, 7}, "27": {4, 7}, "29": {5, 7}, "24": {6, 7}, "22": {8, 7}, "14": {9, 7}, "13": {10, 7}, "12": {11, 7},
	"40": {0, 8}, "44": {1, 8}, "38": {2, 8}, "37": {3, 8}, "36": {4, 8}, "30": {5, 8},
	"41": {0, 9}, "43": {1, 9}, "45": {2, 9}, "39": {3, 9},
	"42": {0, 10}, "46": {1, 10},
	"47": {0, 12},
}

var nationalCols = []col{
	c("lg_code"), c("lg_name"),
	c("pref"), c("kind", "lg_kind"),
	c("scheme_mandatory"), c("scheme_adopted"),
	c("ordinance_status"), c("open_data_status"),
	c("bodies"), c("files"), c("eligible_files"),
	c("calls"), c("open_calls"), c("proposals"),
	c("provisions"), c("datasets"),
}

func nationalTable(ix *platform.CatalogIndex, pref string) table {
	t := table{Cols: nationalCols}
	for _, r := range ix.National() {
		if pref != "" && r.PrefCode != pref {
			continue
		}
		t.Rows = append(t.Rows, []cell{txt(r.Code), txt(r.Name), txt(r.Pref), txt(r.Kind), flag(r.SchemeMandatory),
			flag(r.SchemeMandatory || r.SchemeAdopted), txt(r.OrdinanceStatus), txt(r.OpenDataStatus),
			txt(strconv.Itoa(r.Bodies)), txt(strconv.Itoa(r.Files)), txt(strconv.Itoa(r.EligibleFiles)),
			txt(strconv.Itoa(r.Calls)), txt(strconv.Itoa(r.OpenCalls)), txt(strconv.Itoa(r.Proposals)),
			txt(strconv.Itoa(r.Provisions)), txt(strconv.Itoa(r.Datasets))})
	}
	t.Total = len(t.Rows)
	return t
}

// nationalView is what national.html receives.
type nationalView struct {
	Map       template.HTML
	Prefs     []platform.PrefSummary
	Rows      []platform.NationalRow
	Pref      string
	Counts    map[string]int // prefectures, municipalities, mandatory, adopted …
	PrefNames []platform.LocalGovernment
}

func (s *Server) national(w http.ResponseWriter, r *http.Request) error {
	ix, err := s.catalog().Index(r.Context())
	if err != nil {
		return err
	}
	pref := r.URL.Query().Get("pref")
	v := nationalView{Map: template.HTML(tileSVG(ix, lang(r))), Prefs: ix.PrefSummaries(), Pref: pref,
		Counts: map[string]int{}, PrefNames: ix.Prefectures()}
	for _, row := range ix.National() {
		if row.Kind == "prefecture" {
			v.Counts["prefectures"]++
		} else {
			v.Counts["municipalities"]++
		}
		if row.SchemeMandatory {
			v.Counts["mandatory"]++
		}
		if row.SchemeMandatory || row.SchemeAdopted {
			v.Counts["adopted"]++
		}
		if pref == "" || row.PrefCode == pref {
			v.Rows = append(v.Rows, row)
		}
	}
	return s.page(w, r, "national", v)
}

func (s *Server) nationalData(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ix, err := s.catalog().Index(r.Context())
		if err != nil {
			return err
		}
		return writeTable(w, nationalTable(ix, r.URL.Query().Get("pref")), format, "national."+format)
	}
}

func (s *Server) nationalSVG(w http.ResponseWriter, r *http.Request) error {
	ix, err := s.catalog().Index(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml; charset=utf-8")
	_, err = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + tileSVG(ix, lang(r))))
	return err
}

// adoptionShade returns the fill for the share of local governments of a
// prefecture that run the scheme, in four steps (with a text legend).
func adoptionShade(p platform.PrefSummary) (string, int) {
	share := 0
	if p.LGs > 0 {
		share = 100 * p.Adopted / p.LGs
	}
	switch {
	case share >= 75:
		return "#08519c", share
	case share >= 50:
		return "#3182bd", share
	case share >= 25:
		return "#6baed6", share
	}
	return "#c6dbef", share
}

// tileSVG draws the tile grid: one linked, labelled tile per prefecture,
// with a title and description for assistive technology; the table on the
// page is its text alternative.
func tileSVG(ix *platform.CatalogIndex, lang i18n.Lang) string {
	const size, gap = 44, 4
	var b strings.Builder
	title, desc := i18n.T(lang, "national.map_title"), i18n.T(lang, "national.map_desc")
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-labelledby="map-title map-desc" class="tilemap">`,
		13*(size+gap), 13*(size+gap)+40)
	fmt.Fprintf(&b, `<title id="map-title">%s</title><desc id="map-desc">%s</desc>`, template.HTMLEscapeString(title), template.HTMLEscapeString(desc))
	for _, p := range ix.PrefSummaries() {
		pos, ok := tileGrid[p.PrefCode]
		if !ok {
			continue
		}
		fill, share := adoptionShade(p)
		label := i18n.T(lang, "national.tile_label", p.Pref, p.LGs, p.Adopted, share, p.EligibleFiles, p.Calls, p.Proposals, p.Provisions)
		x, y := pos[0]*(size+gap), pos[1]*(size+gap)
		text := "#000"
		if share >= 50 {
			text = "#fff"
		}
		name := []rune(p.Pref)
		short := string(name[:min(len(name), 2)])
		if len(name) > 3 {
			short = string(name[:3])
		}
		fmt.Fprintf(&b, `<a href="/national?pref=%s" aria-label="%s"><title>%s</title>`+
			`<rect x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="#fff"/>`+
			`<text x="%d" y="%d" font-size="11" text-anchor="middle" fill="%s" aria-hidden="true">%s</text></a>`,
			p.PrefCode, template.HTMLEscapeString(label), template.HTMLEscapeString(label), x, y, size, size, fill,
			x+size/2, y+size/2+4, text, template.HTMLEscapeString(short))
	}
	ly := 13*(size+gap) + 10
	for i, step := range []struct {
		fill string
		key  string
	}{{"#c6dbef", "national.legend_0"}, {"#6baed6", "national.legend_25"}, {"#3182bd", "national.legend_50"}, {"#08519c", "national.legend_75"}} {
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="14" height="14" fill="%s"/><text x="%d" y="%d" font-size="11">%s</text>`,
			i*150, ly, step.fill, i*150+18, ly+12, template.HTMLEscapeString(i18n.T(lang, step.key)))
	}
	b.WriteString(`</svg>`)
	return b.String()
}
