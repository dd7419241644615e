// Package web is Tokumei's HTTP surface: the server-rendered UI (Japanese
// first, English second, usable without JavaScript), the JSON API under
// /api/v1 with its OpenAPI document, /healthz and /metrics.
//
// DESIGN.md calls this package "http"; it is named web so that it does not
// shadow net/http in every file that uses both.
//
// Layout (after miniflux): every route is declared in routes.go with a Go
// 1.22 method pattern, its access rule and, for the API, its OpenAPI
// description; handlers live in one file per noun (body.go, register.go,
// login.go …; api_*.go for JSON). Templates are parsed once per language from
// embed.FS (templates/layout.html wraps every page); texts come from the
// catalogues in web/i18n. Handlers return errors; one renderer (errors.go)
// maps them through fault.HTTPStatus and fault.Safe.
//
// Forms post a hidden field "csrf" ({{template "_csrf" .CSRF}}); a form
// that uploads protected data (a source extract) puts the token in its
// action URL instead (action="…?csrf={{.CSRF}}") and its handler streams
// the body with r.MultipartReader, so no clear-text copy reaches the disk.
//
// To add a page: write templates/<name>.html defining "title" and
// "content", a handler `func (s *Server) x(w http.ResponseWriter, r *http.Request) error`
// that calls s.page(w, r, "<name>", data), one line in routes.go, and the
// texts in web/i18n/messages/<area>.json.
//
// Every change of state and every read of non-public data goes through
// platform.Services (which checks role and body and writes the audit chain);
// the handlers check role and body as well, before touching anything. Only
// authentication (sessions, login failures, TOTP enrolment) uses the Store
// directly, as package auth does.
//
// It imports platform, auth, dataio, fault, web/i18n and the standard library
// (plus prometheus client_golang); never a store or driver package.
package web

import (
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/web/i18n"
)

// Deps is what the web server needs; cli wires it.
type Deps struct {
	Services *platform.Services
	Store    platform.Store
	Logger   *slog.Logger
	Now      func() time.Time
	Demo     bool // show the demo banner and demo TOTP hints
}

// Server serves the UI and the API.
type Server struct {
	deps    Deps
	log     *slog.Logger
	now     func() time.Time
	auth    *auth.Auth
	pages   map[i18n.Lang]map[string]*template.Template
	handler http.Handler
	metrics *metrics
	routes  []route
}

// New builds the server: parses templates and registers routes.
func New(d Deps) (*Server, error) {
	if d.Store == nil || d.Services == nil {
		return nil, fault.Errorf(fault.Internal, "web: Store and Services are required")
	}
	s := &Server{deps: d, log: d.Logger, now: d.Now}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.auth = &auth.Auth{Store: d.Store, Now: s.now}
	var err error
	if s.pages, err = parseTemplates(); err != nil {
		return nil, err
	}
	s.metrics = newMetrics(prometheus.NewRegistry())
	s.routes = s.routeTable()
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.Pattern, s.wrap(rt))
	}
	mux.HandleFunc("/", s.notFound)
	s.handler = s.middleware(mux)
	return s, nil
}

// Handler returns the root handler with all middleware.
func (s *Server) Handler() http.Handler { return s.handler }
