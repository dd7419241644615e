// Package ckan serves the public catalogue as CKAN does, so that existing
// open-data clients and harvesters (ckanapi, ckanr, the CKAN-to-CKAN and
// DCAT harvesters, data.go.jp style tools) read it unchanged: the Action API
// at /api/3/action/{name} (and the unversioned /api/action/{name}) with
// CKAN's {"help","success","result"} envelope and error semantics
// (ecosystem.md §A1), and DCAT JSON-LD at /catalog.jsonld and
// /dataset/{id}.jsonld.
//
// It is read-only and reads only platform.CatalogIndex, the snapshot of
// published records, so nothing unpublished or protected can reach it.
// It imports platform, fault and the standard library.
package ckan

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/tokumei/tokumei/platform"
)

// Indexer returns the current catalogue snapshot (platform.Catalog does).
type Indexer interface {
	Index(ctx context.Context) (*platform.CatalogIndex, error)
}

// API is the CKAN-compatible catalogue API.
type API struct {
	Catalog Indexer
	// BaseURL is the portal's absolute URL without a trailing slash, used
	// in help links, resource URLs and DCAT ids; when empty it is derived
	// from the request.
	BaseURL   string
	SiteTitle string
}

// pkgJSON returns the encoded package dict of d, computed once per
// snapshot and base URL (a dataset dict is the bulk of every search answer).
func (a *API) pkgJSON(r *request, d *platform.CatalogDataset) json.RawMessage {
	return pkgJSON(r.ix, r.base, d)
}

func pkgJSON(ix *platform.CatalogIndex, base string, d *platform.CatalogDataset) json.RawMessage {
	v := ix.MemoStable(pkgKey(base, d.ID), func() (any, int, bool) {
		b, err := json.Marshal(packageDict(ix, base, d))
		return json.RawMessage(b), len(b) + 64, err == nil
	})
	b, _ := v.(json.RawMessage)
	return b
}

// Carry gives a new snapshot the encoded dataset dicts of the old one for
// base, for every dataset whose version, modification time and publisher
// are unchanged, so that searches on the new snapshot do not encode 10⁴
// dicts again under load. The others are encoded when first asked.
func Carry(old, ix *platform.CatalogIndex, base string) {
	if !ix.SharesFiles(old) {
		return
	}
	all := ix.AllDatasets()
	for i := range all {
		d := &all[i]
		od, ok := old.Dataset(d.ID)
		if !ok || od.Version != d.Version || !od.ModifiedAt.Equal(d.ModifiedAt) {
			continue
		}
		key := pkgKey(base, d.ID)
		if v, ok := old.Peek(key); ok {
			ix.MemoStable(key, func() (any, int, bool) { b := v.(json.RawMessage); return b, len(b) + 64, true })
		}
	}
}

func pkgKey(base, id string) string { return "ckan-pkg\x00" + base + "\x00" + id }

// Register mounts the API and DCAT endpoints on mux.
func (a *API) Register(mux *http.ServeMux) {
	mux.HandleFunc("/api/3/action/{action}", a.serveAction)
	mux.HandleFunc("/api/action/{action}", a.serveAction)
	mux.HandleFunc("/api/3", a.serveVersion)
	mux.HandleFunc("GET /catalog.jsonld", a.serveCatalog)
	mux.HandleFunc("GET /dataset/{file}", a.serveDatasetLD)
}

// ckanError is the error object of a failed action.
type ckanError struct {
	status int
	body   map[string]any
}

func notFound(msg string) *ckanError {
	return &ckanError{http.StatusNotFound, map[string]any{"__type": "Not Found Error", "message": msg}}
}

func validation(field, msg string) *ckanError {
	return &ckanError{http.StatusConflict, map[string]any{"__type": "Validation Error", field: []string{msg}}}
}

func badRequest(msg string) *ckanError {
	return &ckanError{http.StatusBadRequest, map[string]any{"__type": "Bad Request", "message": msg}}
}

func forbidden(msg string) *ckanError {
	return &ckanError{http.StatusForbidden, map[string]any{"__type": "Authorization Error", "message": msg}}
}

type handler func(a *API, r *request) (any, *ckanError)

var actions = map[string]handler{
	"package_list":                        (*API).packageList,
	"package_show":                        (*API).packageShow,
	"package_search":                      (*API).packageSearch,
	"current_package_list_with_resources": (*API).currentPackages,
	"organization_list":                   (*API).organizationList,
	"organization_show":                   (*API).organizationShow,
	"group_list":                          (*API).groupList,
	"group_show":                          (*API).groupShow,
	"tag_list":                            (*API).tagList,
	"license_list":                        (*API).licenseList,
	"resource_show":                       (*API).resourceShow,
	"status_show":                         (*API).statusShow,
	"help_show":                           (*API).helpShow,
}

// writeActions are refused with an Authorization Error, as CKAN does for
// an anonymous caller.
var writeActions = []string{"package_create", "package_update", "package_patch", "package_delete",
	"resource_create", "resource_update", "resource_delete", "organization_create", "group_create",
	"datastore_create", "datastore_upsert", "user_list", "user_show"}

// request is one action call with its parameters (query string or JSON body).
type request struct {
	ctx    context.Context
	ix     *platform.CatalogIndex
	params map[string][]string
	base   string
}

func (r *request) get(k string) string {
	if v := r.params[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (a *API) serveAction(w http.ResponseWriter, hr *http.Request) {
	name := hr.PathValue("action")
	base := a.base(hr)
	help := base + "/api/3/action/help_show?name=" + name
	if hr.Method != http.MethodGet && hr.Method != http.MethodPost {
		writeEnvelope(w, hr, help, nil, badRequest("Bad request - use GET or POST"))
		return
	}
	h, ok := actions[name]
	if !ok {
		for _, wa := range writeActions {
			if wa == name {
				writeEnvelope(w, hr, help, nil, forbidden("Access denied: this catalogue is read-only"))
				return
			}
		}
		writeEnvelope(w, hr, help, nil, badRequest("Bad request - Action name not known: "+name))
		return
	}
	params, cerr := readParams(hr)
	if cerr != nil {
		writeEnvelope(w, hr, help, nil, cerr)
		return
	}
	ix, err := a.Catalog.Index(hr.Context())
	if err != nil {
		writeEnvelope(w, hr, help, nil, &ckanError{http.StatusServiceUnavailable,
			map[string]any{"__type": "Internal Server Error", "message": "catalogue temporarily unavailable"}})
		return
	}
	result, cerr := h(a, &request{ctx: hr.Context(), ix: ix, params: params, base: base})
	writeEnvelope(w, hr, help, result, cerr)
}

func (a *API) serveVersion(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	io.WriteString(w, `{"version": 3}`)
}

// readParams merges query parameters and a JSON (or form) body. JSON lists
// become repeated values; other JSON values are re-encoded as CKAN does.
func readParams(r *http.Request) (map[string][]string, *ckanError) {
	params := map[string][]string{}
	for k, v := range r.URL.Query() {
		params[k] = v
	}
	if r.Method != http.MethodPost {
		return params, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return nil, badRequest("Bad request - cannot read the body")
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return params, nil
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, badRequest("Bad request - JSON Error: could not decode the request body")
	}
	for k, v := range m {
		switch x := v.(type) {
		case string:
			params[k] = []string{x}
		case []any:
			if k == "facet.field" {
				b, _ := json.Marshal(x)
				params[k] = []string{string(b)}
				continue
			}
			for _, e := range x {
				if s, ok := e.(string); ok {
					params[k] = append(params[k], s)
				} else {
					b, _ := json.Marshal(e)
					params[k] = append(params[k], string(b))
				}
			}
		default:
			b, _ := json.Marshal(x)
			params[k] = []string{string(b)}
		}
	}
	return params, nil
}

// encoded is a result already encoded as compact JSON; it is written as is
// (json.Marshal would re-scan it).
type encoded []byte

func writeEnvelope(w http.ResponseWriter, r *http.Request, help string, result any, cerr *ckanError) {
	status := http.StatusOK
	hb, _ := json.Marshal(help)
	buf := make([]byte, 0, 4096)
	buf = append(buf, `{"help":`...)
	buf = append(buf, hb...)
	if cerr != nil {
		status = cerr.status
		eb, _ := json.Marshal(cerr.body)
		buf = append(buf, `,"success":false,"error":`...)
		buf = append(buf, eb...)
	} else {
		buf = append(buf, `,"success":true,"result":`...)
		switch v := result.(type) {
		case encoded:
			buf = append(buf, v...)
		case json.RawMessage:
			buf = append(buf, v...)
		default:
			rb, err := json.Marshal(v)
			if err != nil {
				http.Error(w, `{"success": false}`, http.StatusInternalServerError)
				return
			}
			buf = append(buf, rb...)
		}
	}
	buf = append(buf, '}')
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if cb := r.URL.Query().Get("callback"); cb != "" && r.Method == http.MethodGet && validCallback(cb) {
		w.Header().Set("Content-Type", "application/javascript;charset=utf-8")
		w.WriteHeader(http.StatusOK) // JSONP callers cannot read a status
		io.WriteString(w, cb+"(")
		w.Write(buf)
		io.WriteString(w, ");")
		return
	}
	w.WriteHeader(status)
	w.Write(buf)
}

func validCallback(s string) bool {
	for _, c := range s {
		if !(c == '_' || c == '.' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return len(s) <= 64
}

func (a *API) base(r *http.Request) string {
	if a.BaseURL != "" {
		return strings.TrimSuffix(a.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
