package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

type loginData struct {
	Errors   []string
	Next     string
	Login    string
	DemoCode string
	Secret   string
	URL      string
}

// safeNext keeps redirects on this site: a local absolute path only.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") {
		return "/dashboard"
	}
	return next
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := platform.ActorFrom(r.Context()); err == nil {
		return redirect(w, r, "/dashboard")
	}
	return s.page(w, r, "login", loginData{Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	login := strings.TrimSpace(r.FormValue("login"))
	next := safeNext(r.FormValue("next"))
	u, err := s.auth.CheckLogin(ctx, login, r.FormValue("password"))
	if err != nil {
		if c := fault.ErrorCode(err); c != fault.Unauthorized && c != fault.TooMany {
			return err
		}
		return s.pageStatus(w, r, fault.HTTPStatus(err), "login",
			loginData{Errors: []string{safeMessage(err, lang(r))}, Next: next, Login: login})
	}
	// A new session on every login: a token planted before login is worthless.
	if st := state(ctx); st.token != "" {
		_ = s.auth.End(ctx, st.token)
	}
	officer := u.Role.Officer()
	token, sess, err := s.auth.Start(ctx, u, !officer)
	if err != nil {
		return err
	}
	setSessionCookie(w, r, token, sess.ExpiresAt.Sub(s.now()))
	if officer {
		return redirect(w, r, "/login/totp?next="+urlQuery(next))
	}
	s.audit(r, u.Actor(), "auth.login", "user", strconv.FormatInt(u.ID, 10), "")
	return redirect(w, r, next)
}

func (s *Server) totpForm(w http.ResponseWriter, r *http.Request) error {
	st := state(r.Context())
	next := safeNext(r.URL.Query().Get("next"))
	if st.session.TOTPPassed {
		return redirect(w, r, next)
	}
	if st.user.TOTPSecret == "" {
		return redirect(w, r, "/login/totp/enrol?next="+urlQuery(next))
	}
	return s.page(w, r, "login_totp", loginData{Next: next, DemoCode: s.demoCode(st.user.ID, st.user.TOTPSecret)})
}

func (s *Server) totp(w http.ResponseWriter, r *http.Request) error {
	st := state(r.Context())
	next := safeNext(r.FormValue("next"))
	if st.user.TOTPSecret == "" {
		return redirect(w, r, "/login/totp/enrol?next="+urlQuery(next))
	}
	return s.passTOTP(w, r, st.user, r.FormValue("code"), next, "login_totp", loginData{Next: next})
}

// passTOTP completes the login with the second factor, or shows page again.
func (s *Server) passTOTP(w http.ResponseWriter, r *http.Request, u *platform.User, code, next, page string, d loginData) error {
	st := state(r.Context())
	token, sess, err := s.auth.PassTOTP(r.Context(), st.token, u, code)
	if err != nil {
		if c := fault.ErrorCode(err); c != fault.Unauthorized && c != fault.TooMany {
			return err
		}
		d.Errors = []string{safeMessage(err, lang(r))}
		d.DemoCode = s.demoCode(u.ID, u.TOTPSecret)
		return s.pageStatus(w, r, fault.HTTPStatus(err), page, d)
	}
	setSessionCookie(w, r, token, sess.ExpiresAt.Sub(s.now()))
	s.audit(r, u.Actor(), "auth.login", "user", strconv.FormatInt(u.ID, 10), "totp")
	return redirect(w, r, next)
}

func (s *Server) enrolForm(w http.ResponseWriter, r *http.Request) error {
	st := state(r.Context())
	next := safeNext(r.URL.Query().Get("next"))
	if st.user.TOTPSecret != "" {
		return redirect(w, r, "/login/totp?next="+urlQuery(next))
	}
	key, err := auth.NewTOTP(st.user.Login)
	if err != nil {
		return err
	}
	return s.page(w, r, "totp_enrol", loginData{Next: next, Secret: key.Secret, URL: key.URL, DemoCode: s.demoCode(st.user.ID, key.Secret)})
}

// enrol stores the secret the user has proven to hold, then logs in. Only a
// user without a secret may enrol; changing a secret is an admin reset.
func (s *Server) enrol(w http.ResponseWriter, r *http.Request) error {
	st := state(r.Context())
	next := safeNext(r.FormValue("next"))
	if st.user.TOTPSecret != "" {
		return redirect(w, r, "/login/totp?next="+urlQuery(next))
	}
	secret := strings.TrimSpace(r.FormValue("secret"))
	d := loginData{Next: next, Secret: secret, URL: totpURL(st.user.Login, secret)}
	if len(secret) < 16 || !auth.CheckTOTP(secret, r.FormValue("code"), s.now()) {
		d.Errors = []string{T(r, "enrol.bad_code")}
		d.DemoCode = s.demoCode(st.user.ID, secret)
		return s.pageStatus(w, r, http.StatusBadRequest, "totp_enrol", d)
	}
	u := *st.user
	u.TOTPSecret = secret
	// Enrolment is part of authentication (like a login failure), so it
	// writes the store directly: Services.UpdateUser keeps secrets as they are.
	if err := s.deps.Store.UpdateUser(r.Context(), &u); err != nil {
		return err
	}
	s.audit(r, u.Actor(), "user.totp_enrol", "user", strconv.FormatInt(u.ID, 10), "")
	return s.passTOTP(w, r, &u, r.FormValue("code"), next, "totp_enrol", d)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	st := state(r.Context())
	if err := s.auth.End(r.Context(), st.token); err != nil {
		return err
	}
	clearCookie(w, r, sessionCookie)
	return redirect(w, r, "/login?notice=logged_out")
}

// demoCode returns a code for the user's secret in demo mode, else "".
func (s *Server) demoCode(u platform.ID, secret string) string {
	if !s.deps.Demo || secret == "" {
		return ""
	}
	c, err := s.auth.DemoCode(u, secret)
	if err != nil {
		return ""
	}
	return c
}

func totpURL(login, secret string) string {
	return "otpauth://totp/" + urlPath(auth.TOTPIssuer+":"+login) + "?issuer=" + urlQuery(auth.TOTPIssuer) +
		"&secret=" + urlQuery(secret) + "&algorithm=SHA1&digits=6&period=30"
}

// audit appends a record to the audit chain; a failure is logged, as the
// act it records has already happened.
func (s *Server) audit(r *http.Request, a platform.Actor, action, kind, id, detail string) {
	ctx := platform.WithActor(r.Context(), a)
	if err := s.deps.Services.Audit(ctx, a.BodyID, action, kind, id, detail); err != nil {
		s.log.Error("audit append failed", "action", action, "error", err)
	}
}
