package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/web/i18n"
)

// handlerFunc is a handler that returns its error to the one renderer.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// route is one entry of the route table.
type route struct {
	Pattern string // Go 1.22 pattern with method, e.g. "GET /bodies/{body}/register"
	Handler handlerFunc
	// Public routes need no login. Otherwise a live session (or bearer
	// token) is required and, when Roles is not empty, one of Roles.
	Public bool
	Roles  []platform.Role
	// Pending routes are reachable with a session that has passed the
	// password but not yet the second factor (the TOTP pages).
	Pending bool
	API     *apiOp // the OpenAPI description of a JSON route
}

func (rt route) method() string { m, _, _ := strings.Cut(rt.Pattern, " "); return m }
func (rt route) path() string   { _, p, _ := strings.Cut(rt.Pattern, " "); return p }

// wrap applies the access rule of rt and routes errors to the renderer.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := state(r.Context())
		st.route = rt.Pattern
		if err := s.allow(rt, r); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := rt.Handler(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

func (s *Server) allow(rt route, r *http.Request) error {
	if rt.Public {
		return nil
	}
	st := state(r.Context())
	if rt.Pending && st.session != nil && st.user != nil {
		return nil
	}
	a, err := platform.ActorFrom(r.Context())
	if err != nil {
		return err
	}
	if len(rt.Roles) > 0 {
		return a.Require(rt.Roles...)
	}
	return nil
}

// actor returns the actor of r; routes that are not public always have one.
func actor(r *http.Request) platform.Actor {
	a, _ := platform.ActorFrom(r.Context())
	return a
}

// reqState is the per-request state the middleware fills in. One pointer in
// the context, so that outer middleware (logs, metrics) sees what inner
// layers learnt.
type reqState struct {
	lang    i18n.Lang
	route   string
	session *platform.Session
	token   string // the session cookie token
	user    *platform.User
	bearer  bool // authenticated by API bearer token: no CSRF check
	status  int
}

type stateKey struct{}

func state(ctx context.Context) *reqState {
	if st, ok := ctx.Value(stateKey{}).(*reqState); ok {
		return st
	}
	return &reqState{}
}

// pathID returns the numeric path value name, or a NotFound fault.
func pathID(r *http.Request, name string) (platform.ID, error) {
	v := r.PathValue(name)
	var id platform.ID
	for _, c := range v {
		if c < '0' || c > '9' || id > 1e15 {
			return 0, fault.New(fault.NotFound, "not found", "見つかりません")
		}
		id = id*10 + platform.ID(c-'0')
	}
	if id == 0 {
		return 0, fault.New(fault.NotFound, "not found", "見つかりません")
	}
	return id, nil
}
