package ckan

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/platform"
)

// DCAT-AP JSON-LD (the ckanext-dcat base mapping: title→dct:title,
// notes→dct:description, tags→dcat:keyword, organization→dct:publisher,
// metadata_created/modified→dct:issued/modified, resources→
// dcat:distribution).

var ldContext = map[string]string{
	"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
	"foaf": "http://xmlns.com/foaf/0.1/", "vcard": "http://www.w3.org/2006/vcard/ns#",
	"xsd": "http://www.w3.org/2001/XMLSchema#", "hydra": "http://www.w3.org/ns/hydra/core#",
}

// CatalogPageSize is the number of datasets per /catalog.jsonld page, as in ckanext-dcat.
const CatalogPageSize = 100

func lit(v, lang string) map[string]string { return map[string]string{"@value": v, "@language": lang} }

func typed(v, typ string) map[string]string { return map[string]string{"@value": v, "@type": typ} }

func ref(id string) map[string]string { return map[string]string{"@id": id} }

// datasetLD returns the DCAT node of one dataset.
func datasetLD(ix *platform.CatalogIndex, base string, d *platform.CatalogDataset) map[string]any {
	n := map[string]any{
		"@id": base + "/dataset/" + d.ID, "@type": "dcat:Dataset", "dct:identifier": d.ID,
		"dct:title":        []any{lit(d.Title, "ja")},
		"dct:description":  lit(firstNonEmpty(d.Notes, d.Title), "ja"),
		"dcat:keyword":     d.Tags,
		"dct:issued":       typed(d.CreatedAt.UTC().Format(time.RFC3339), "xsd:dateTime"),
		"dct:modified":     typed(d.ModifiedAt.UTC().Format(time.RFC3339), "xsd:dateTime"),
		"dct:spatial":      ref(base + "/lg/" + d.LGCode),
		"dcat:landingPage": ref(base + "/datasets/" + d.Name),
	}
	if d.TitleEN != "" {
		n["dct:title"] = []any{lit(d.Title, "ja"), lit(d.TitleEN, "en")}
	}
	if d.PeriodFrom != nil || d.PeriodTo != nil {
		pt := map[string]any{"@type": "dct:PeriodOfTime"}
		if d.PeriodFrom != nil {
			pt["dcat:startDate"] = typed(d.PeriodFrom.In(platform.JST).Format("2006-01-02"), "xsd:date")
		}
		if d.PeriodTo != nil {
			pt["dcat:endDate"] = typed(d.PeriodTo.In(platform.JST).Format("2006-01-02"), "xsd:date")
		}
		n["dct:temporal"] = pt
	}
	access := "PUBLIC"
	if d.Kind == platform.DatasetAnonymized {
		access = "RESTRICTED" // provided only under a usage contract (art. 119)
	}
	n["dct:accessRights"] = ref("http://publications.europa.eu/resource/authority/access-right/" + access)
	if o, ok := ix.OrgOf(d.BodyID); ok {
		n["dct:publisher"] = map[string]any{"@id": base + "/organization/" + o.Slug, "@type": "foaf:Agent", "foaf:name": o.Name}
		cp := map[string]any{"@type": "vcard:Organization", "vcard:fn": strings.TrimSpace(o.Name + " " + o.Unit)}
		if o.Email != "" {
			cp["vcard:hasEmail"] = ref("mailto:" + o.Email)
		}
		n["dcat:contactPoint"] = cp
	}
	lic, _ := platform.LicenseByID(d.LicenseID)
	var dists []any
	for i := range d.Resources {
		r := resourceDict(base, d, i)
		dist := map[string]any{"@id": base + "/dataset/" + d.ID + "/resource/" + r.ID, "@type": "dcat:Distribution",
			"dct:title": r.Name, "dcat:accessURL": ref(r.URL), "dcat:downloadURL": ref(r.URL), "dct:format": r.Format,
			"dct:issued":   typed(d.Resources[i].CreatedAt.UTC().Format(time.RFC3339), "xsd:dateTime"),
			"dct:modified": typed(d.Resources[i].ModifiedAt.UTC().Format(time.RFC3339), "xsd:dateTime")}
		if r.Mimetype != nil {
			dist["dcat:mediaType"] = ref("https://www.iana.org/assignments/media-types/" + *r.Mimetype)
		}
		if r.Size != nil {
			dist["dcat:byteSize"] = typed(strconv.FormatInt(*r.Size, 10), "xsd:nonNegativeInteger")
		}
		if lic.URL != "" {
			dist["dct:license"] = ref(lic.URL)
		}
		if r.Description != "" {
			dist["dct:description"] = r.Description
		}
		dists = append(dists, dist)
	}
	if dists != nil {
		n["dcat:distribution"] = dists
	}
	return n
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func writeLD(w http.ResponseWriter, v any, status int) {
	w.Header().Set("Content-Type", "application/ld+json;charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// serveCatalog serves /catalog.jsonld?page=N&modified_since=…&q=…&fq=….
func (a *API) serveCatalog(w http.ResponseWriter, hr *http.Request) {
	ix, err := a.Catalog.Index(hr.Context())
	if err != nil {
		writeLD(w, map[string]string{"error": "catalogue temporarily unavailable"}, http.StatusServiceUnavailable)
		return
	}
	base := a.base(hr)
	page, _ := strconv.Atoi(hr.URL.Query().Get("page"))
	page = max(page, 1)
	q := platform.DatasetQuery{Sort: "metadata_modified desc", Rows: CatalogPageSize, Start: (page - 1) * CatalogPageSize}
	text, filters, perr := parseQuery(hr.URL.Query().Get("q"), false)
	_, fq, ferr := parseQuery(hr.URL.Query().Get("fq"), true)
	if perr != "" || ferr != "" {
		writeLD(w, map[string]string{"error": perr + ferr}, http.StatusBadRequest)
		return
	}
	q.Q, q.Filters = text, append(filters, fq...)
	if ms := hr.URL.Query().Get("modified_since"); ms != "" {
		t, terr := parseTime(ms)
		if terr != "" || t == nil {
			writeLD(w, map[string]string{"error": "bad modified_since"}, http.StatusBadRequest)
			return
		}
		q.Filters = append(q.Filters, platform.DatasetFilter{Field: "metadata_modified", From: t})
	}
	res := ix.Datasets(q)
	title := firstNonEmpty(a.SiteTitle, "Tokumei 匿名加工情報 共同提案窓口")
	var ds []any
	for _, d := range res.Datasets {
		ds = append(ds, datasetLD(ix, base, d))
	}
	if ds == nil {
		ds = []any{}
	}
	cat := map[string]any{"@id": base + "/catalog", "@type": "dcat:Catalog", "dct:title": lit(title, "ja"),
		"dct:description": lit("地方公共団体の行政機関等匿名加工情報・統計情報のカタログ", "ja"),
		"dct:publisher":   map[string]any{"@type": "foaf:Agent", "foaf:name": title},
		"foaf:homepage":   ref(base + "/"), "dct:language": ref("http://id.loc.gov/vocabulary/iso639-1/ja"),
		"dcat:dataset": ds}
	last := max(1, (res.Count+CatalogPageSize-1)/CatalogPageSize)
	pageURL := func(p int) string {
		v := hr.URL.Query()
		v.Set("page", strconv.Itoa(p))
		return base + "/catalog.jsonld?" + v.Encode()
	}
	paging := map[string]any{"@id": pageURL(page), "@type": "hydra:PartialCollectionView",
		"hydra:totalItems": res.Count, "hydra:itemsPerPage": CatalogPageSize,
		"hydra:first": pageURL(1), "hydra:last": pageURL(last)}
	if page < last {
		paging["hydra:next"] = pageURL(page + 1)
	}
	if page > 1 {
		paging["hydra:previous"] = pageURL(page - 1)
	}
	writeLD(w, map[string]any{"@context": ldContext, "@graph": []any{cat, paging}}, http.StatusOK)
}

// serveDatasetLD serves /dataset/{id or name}.jsonld.
func (a *API) serveDatasetLD(w http.ResponseWriter, hr *http.Request) {
	key, ok := strings.CutSuffix(hr.PathValue("file"), ".jsonld")
	if !ok {
		http.NotFound(w, hr)
		return
	}
	ix, err := a.Catalog.Index(hr.Context())
	if err != nil {
		writeLD(w, map[string]string{"error": "catalogue temporarily unavailable"}, http.StatusServiceUnavailable)
		return
	}
	d, ok := ix.Dataset(key)
	if !ok {
		writeLD(w, map[string]string{"error": "dataset not found"}, http.StatusNotFound)
		return
	}
	n := datasetLD(ix, a.base(hr), d)
	n["@context"] = ldContext
	writeLD(w, n, http.StatusOK)
}
