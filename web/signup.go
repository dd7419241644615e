package web

import (
	"net/http"
	"strings"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

// signupData fills the business sign-up form (事業者の利用者登録).
type signupData struct {
	Errors                            []string
	Name, Address, Corporate, Contact string
	Login, Email                      string
}

func (s *Server) signupForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := platform.ActorFrom(r.Context()); err == nil {
		return redirect(w, r, "/dashboard")
	}
	return s.page(w, r, "signup", signupData{})
}

// signup registers a business and its first user, then sends them to log in.
func (s *Server) signup(w http.ResponseWriter, r *http.Request) error {
	d := signupData{
		Name: r.FormValue("name"), Address: r.FormValue("address"), Corporate: strings.TrimSpace(r.FormValue("corporate")),
		Contact: r.FormValue("contact"), Login: strings.TrimSpace(r.FormValue("login")), Email: strings.TrimSpace(r.FormValue("email")),
	}
	err := s.registerBusiness(r, d, r.FormValue("password"), r.FormValue("password2"))
	if err == nil {
		return redirect(w, r, "/login?notice=registered")
	}
	switch fault.ErrorCode(err) {
	case fault.Invalid, fault.Conflict:
		d.Errors = []string{safeMessage(err, lang(r))}
		return s.pageStatus(w, r, fault.HTTPStatus(err), "signup", d)
	}
	return err
}

func (s *Server) registerBusiness(r *http.Request, d signupData, pw, pw2 string) error {
	if pw != pw2 {
		return fault.New(fault.Invalid, "the two passwords differ", "確認用のパスワードが一致しません").In("password2")
	}
	if err := auth.CheckPasswordPolicy(pw); err != nil {
		return err
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	b := &platform.Business{Name: d.Name, Address: d.Address, Corporate: d.Corporate}
	u := &platform.User{Login: d.Login, Name: d.Contact, Email: d.Email, PasswordHash: hash}
	return s.deps.Services.RegisterBusiness(r.Context(), b, u)
}
