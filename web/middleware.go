package web

import (
	"context"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/web/i18n"
)

// Cookie names.
const (
	sessionCookie = "tokumei_session"
	langCookie    = "tokumei_lang"
	preCSRFCookie = "tokumei_csrf" // double-submit token for forms before login
)

// Request body limits: forms, JSON and register files; multipart uploads
// (source extracts and outputs, streamed by their handlers).
const (
	maxBody   = 32 << 20
	maxUpload = 4 << 30
)

// middleware wraps h, outermost first: state, recover, logs and metrics,
// security headers, language, session, CSRF.
func (s *Server) middleware(h http.Handler) http.Handler {
	h = s.csrf(h)
	h = s.session(h)
	h = s.language(h)
	h = securityHeaders(h)
	h = s.observe(h)
	return s.recoverer(h)
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// recoverer installs the request state and turns a panic into a 500.
func (s *Server) recoverer(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &reqState{lang: i18n.JA}
		r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				s.fail(w, r, fault.Errorf(fault.Internal, "panic: %v", v))
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// observe writes one structured log line and the metrics of each request.
func (s *Server) observe(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		st := state(r.Context())
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		d := time.Since(start)
		route := st.route
		if route == "" {
			route = "unmatched"
		}
		s.metrics.observe(r.Method, route, sw.status, d)
		attrs := []any{"method", r.Method, "path", r.URL.Path, "route", route,
			"status", sw.status, "bytes", sw.bytes, "duration_ms", d.Milliseconds()}
		if st.user != nil {
			attrs = append(attrs, "user_id", st.user.ID)
		}
		s.log.Info("http", attrs...)
	})
}

// csp forbids every script: the UI works without JavaScript.
const csp = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'"

func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if secure(r) {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.ServeHTTP(w, r)
	})
}

// secure reports whether the client reached us over HTTPS.
func secure(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

// language picks the UI language: ?lang= (remembered in a cookie), then the
// cookie, then Japanese.
func (s *Server) language(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := state(r.Context())
		if q := r.URL.Query().Get("lang"); q != "" {
			st.lang = i18n.Parse(q)
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(st.lang), Path: "/",
				MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteLaxMode})
		} else if c, err := r.Cookie(langCookie); err == nil {
			st.lang = i18n.Parse(c.Value)
		}
		h.ServeHTTP(w, r)
	})
}

// session loads the session of the cookie and, once it has passed the
// second factor where one is needed, puts its user into the context as the
// actor.
func (s *Server) session(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		st := state(ctx)
		if u, ok, err := s.bearerUser(r); err != nil {
			s.fail(w, r, err)
			return
		} else if ok {
			st.bearer, st.user = true, u
			h.ServeHTTP(w, r.WithContext(platform.WithActor(ctx, u.Actor())))
			return
		}
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			h.ServeHTTP(w, r)
			return
		}
		sess, err := s.auth.Lookup(ctx, c.Value)
		if err != nil {
			if fault.ErrorCode(err) != fault.Unauthorized {
				s.fail(w, r, err)
				return
			}
			clearCookie(w, r, sessionCookie)
			h.ServeHTTP(w, r)
			return
		}
		u, err := s.deps.Store.User(ctx, sess.UserID)
		if err != nil || u.Disabled {
			_ = s.auth.End(ctx, c.Value)
			clearCookie(w, r, sessionCookie)
			h.ServeHTTP(w, r)
			return
		}
		st.session, st.token, st.user = sess, c.Value, u
		if sess.TOTPPassed || !u.Role.Officer() {
			ctx = platform.WithActor(ctx, u.Actor())
		}
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

var errBadToken = fault.New(fault.Unauthorized, "invalid or expired API token", "APIトークンが無効か、有効期限が切れています")

// bearerUser authenticates an API request by "Authorization: Bearer
// <token>" (a token from /account/token). ok is false when the request
// carries no bearer token; a bad token is an error, never a fallback to
// the cookie.
func (s *Server) bearerUser(r *http.Request) (*platform.User, bool, error) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || !strings.HasPrefix(r.URL.Path, "/api/") {
		return nil, false, nil
	}
	ctx := r.Context()
	sess, err := s.auth.Lookup(ctx, strings.TrimSpace(tok))
	if err != nil {
		if fault.ErrorCode(err) == fault.Unauthorized {
			return nil, false, errBadToken
		}
		return nil, false, err
	}
	u, err := s.deps.Store.User(ctx, sess.UserID)
	if err != nil || u.Disabled || !sess.TOTPPassed {
		return nil, false, errBadToken
	}
	return u, true, nil
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

var errCSRF = fault.New(fault.Forbidden, "the form has expired or came from another site; reload the page and try again",
	"フォームの有効期限が切れたか、別のサイトから送信されました。ページを再読み込みしてやり直してください")

// csrf checks every unsafe request: the form field "csrf" (or the header
// X-CSRF-Token) must equal the session's token; before login, the
// double-submit cookie's. Requests authenticated by a bearer token are not
// subject to CSRF.
func (s *Server) csrf(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !unsafeMethod(r.Method) || isCKANAction(r.URL.Path) {
			h.ServeHTTP(w, r)
			return
		}
		limit := int64(maxBody)
		if isMultipart(r) {
			limit = maxUpload
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		st := state(r.Context())
		if st.bearer {
			h.ServeHTTP(w, r)
			return
		}
		got := r.Header.Get("X-CSRF-Token")
		if got == "" && isMultipart(r) {
			// A streaming upload form carries the token in its action URL
			// (action="…?csrf={{.CSRF}}"), so the body is not parsed here
			// and no clear-text copy of the file reaches the disk.
			got = r.URL.Query().Get("csrf")
		}
		if got == "" && !strings.HasPrefix(r.URL.Path, "/api/") {
			got = formCSRF(r)
		}
		var want string
		if st.session != nil {
			want = st.session.CSRF
		} else if c, err := r.Cookie(preCSRFCookie); err == nil {
			want = c.Value
		}
		if !auth.Equal(want, got) {
			s.fail(w, r, errCSRF)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func isMultipart(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
}

// formCSRF reads the csrf field, parsing a multipart form when needed (a
// file part beyond 8 MiB then goes to a temporary file: forms that upload
// protected data put the token in the URL instead).
func formCSRF(r *http.Request) string {
	if isMultipart(r) {
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			return ""
		}
	}
	return r.FormValue("csrf")
}

func clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteLaxMode})
}

// setSessionCookie sets the session cookie for ttl (MaxAge, so the client's
// clock does not matter).
func setSessionCookie(w http.ResponseWriter, r *http.Request, token string, ttl time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", MaxAge: max(1, int(ttl.Seconds())),
		HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteLaxMode})
}

// preCSRF returns the double-submit token for forms shown before login,
// setting its cookie when absent.
func preCSRF(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(preCSRFCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	tok, err := auth.NewToken()
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: preCSRFCookie, Value: tok, Path: "/",
		HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteStrictMode})
	return tok
}
