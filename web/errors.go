package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/web/i18n"
)

// apiError is the body of every JSON error response.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code      fault.Code `json:"code"`
	Message   string     `json:"message"`
	MessageJA string     `json:"message_ja,omitempty"`
	Field     string     `json:"field,omitempty"`
	Line      int        `json:"line,omitempty"`
}

// fail is the one error renderer: it logs internal errors with their
// cause, and shows only the safe message — Japanese on Japanese pages (a
// generic Japanese text for the code when the error has none), JSON on the
// API.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := fault.HTTPStatus(err)
	code := fault.ErrorCode(err)
	if code == fault.Internal || code == fault.Unavailable {
		s.log.Error("request failed", "path", r.URL.Path, "code", code, "error", err)
	}
	if isAPI(r) {
		body := apiErrorBody{Code: code, Message: fault.Safe(err, false)}
		var fe *fault.Error
		if errors.As(err, &fe) && code != fault.Internal {
			body.Field, body.Line = fe.Field, fe.Line
			if fe.MessageJA != "" {
				body.MessageJA = fault.Safe(err, true)
			}
		}
		_ = writeJSON(w, status, apiError{body})
		return
	}
	st := state(r.Context())
	if _, aerr := platform.ActorFrom(r.Context()); code == fault.Unauthorized && aerr != nil && r.Method == http.MethodGet {
		to := "/login"
		if st.user != nil { // password done, second factor pending
			to = "/login/totp"
		}
		http.Redirect(w, r, to+"?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	data := struct {
		Status  int
		Message string
	}{status, safeMessage(err, st.lang)}
	if rerr := s.pageStatus(w, r, status, "error", data); rerr != nil {
		s.log.Error("render error page", "error", rerr)
		http.Error(w, data.Message, status)
	}
}

// safeMessage returns the message of err fit for a page in lang. On a
// Japanese page it is never English: errors without a Japanese text get the
// catalogue's text for their code.
func safeMessage(err error, lang i18n.Lang) string {
	if lang == i18n.EN {
		return fault.Safe(err, false)
	}
	var fe *fault.Error
	if errors.As(err, &fe) && fe.MessageJA != "" && fe.Code != fault.Internal {
		c := *fe
		c.Message, c.Field, c.File = fe.MessageJA, "", fe.File
		if fe.Field != "" && i18n.Has("field."+fe.Field) {
			return i18n.T(i18n.JA, "field."+fe.Field) + ": " + c.Error()
		}
		return c.Error()
	}
	return i18n.T(i18n.JA, "error."+string(fault.ErrorCode(err)))
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	state(r.Context()).route = "unmatched"
	s.fail(w, r, fault.New(fault.NotFound, "page not found", "ページが見つかりません"))
}
