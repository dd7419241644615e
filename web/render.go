package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/web/i18n"
)

//go:embed templates/*.html
var templateFS embed.FS

// parseTemplates parses every page once per language: the layout and the
// partials (files starting with "_") with the page file. The funcs are bound
// to the language, so templates simply say {{t "key"}}.
func parseTemplates() (map[i18n.Lang]map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	var common, pages []string
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" || strings.HasPrefix(base, "_") {
			common = append(common, n)
		} else {
			pages = append(pages, n)
		}
	}
	out := map[i18n.Lang]map[string]*template.Template{}
	for _, lang := range i18n.Langs {
		base, err := template.New("layout").Funcs(funcs(lang)).ParseFS(templateFS, common...)
		if err != nil {
			return nil, fault.Errorf(fault.Internal, "templates: %v", err).Wrap(err)
		}
		out[lang] = map[string]*template.Template{}
		for _, p := range pages {
			t, err := template.Must(base.Clone()).ParseFS(templateFS, p)
			if err != nil {
				return nil, fault.Errorf(fault.Internal, "templates: %v", err).Wrap(err)
			}
			out[lang][strings.TrimSuffix(path.Base(p), ".html")] = t
		}
	}
	return out, nil
}

// view is what every page template receives.
type view struct {
	Lang   i18n.Lang
	Actor  *platform.Actor
	User   *platform.User
	CSRF   string
	Path   string // the current path
	Switch string // the current page in the other language
	Demo   bool
	Notice string // a one-time message after a redirect (?notice=key)
	Data   any
}

// page renders the page name with status 200.
func (s *Server) page(w http.ResponseWriter, r *http.Request, name string, data any) error {
	return s.pageStatus(w, r, http.StatusOK, name, data)
}

// pageStatus renders the page name with data inside the layout.
func (s *Server) pageStatus(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	st := state(r.Context())
	t, ok := s.pages[st.lang][name]
	if !ok {
		return fault.Errorf(fault.Internal, "no template %q", name)
	}
	v := view{Lang: st.lang, User: st.user, Path: r.URL.Path, Switch: switchURL(r, st.lang), Demo: s.deps.Demo, Data: data}
	if a, err := platform.ActorFrom(r.Context()); err == nil {
		v.Actor = &a
	}
	if st.session != nil {
		v.CSRF = st.session.CSRF
	} else {
		v.CSRF = preCSRF(w, r)
	}
	if k := r.URL.Query().Get("notice"); k != "" && i18n.Has("notice."+k) {
		v.Notice = i18n.T(st.lang, "notice."+k)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fault.Errorf(fault.Internal, "render %s", name).Wrap(err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// switchURL returns the current page (GET) in the other language, keeping
// its query but not one-time notices.
func switchURL(r *http.Request, cur i18n.Lang) string {
	q := url.Values{}
	if r.Method == http.MethodGet {
		q = r.URL.Query()
	}
	q.Del("notice")
	q.Set("lang", string(i18n.EN))
	if cur == i18n.EN {
		q.Set("lang", string(i18n.JA))
	}
	p := r.URL.Path
	if r.Method != http.MethodGet {
		p = ""
	}
	return p + "?" + q.Encode()
}

// redirect sends the browser to url with 303 See Other (after a POST).
func redirect(w http.ResponseWriter, r *http.Request, url string) error {
	http.Redirect(w, r, url, http.StatusSeeOther)
	return nil
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fault.Errorf(fault.Internal, "encode JSON").Wrap(err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = w.Write(append(b, '\n'))
	return err
}

// lang returns the UI language of r.
func lang(r *http.Request) i18n.Lang { return state(r.Context()).lang }

// T translates key for the language of r.
func T(r *http.Request, key string, args ...any) string { return i18n.T(lang(r), key, args...) }
