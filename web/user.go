package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

type userFormData struct {
	Users  []platform.User
	Bodies []platform.Body
	Roles  []platform.Role
	Form   platform.User
	Errors []string
}

func (s *Server) userData(r *http.Request) (userFormData, error) {
	us, err := s.deps.Services.Users(r.Context())
	if err != nil {
		return userFormData{}, err
	}
	bs, err := s.deps.Services.Bodies(r.Context(), "")
	if err != nil {
		return userFormData{}, err
	}
	return userFormData{Users: us, Bodies: bs, Roles: platform.AllRoles}, nil
}

func (s *Server) users(w http.ResponseWriter, r *http.Request) error {
	d, err := s.userData(r)
	if err != nil {
		return err
	}
	d.Form.Role = platform.RoleBodyReviewer
	return s.page(w, r, "user_list", d)
}

// userCreate creates an account with an initial password; officers enrol
// their second factor at first login.
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.userData(r)
	if err != nil {
		return err
	}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	u := platform.User{Login: v("login"), Name: v("name"), Email: v("email"), Role: platform.Role(v("role"))}
	u.BodyID, _ = strconv.ParseInt(v("body_id"), 10, 64)
	u.BusinessID, _ = strconv.ParseInt(v("business_id"), 10, 64)
	if !u.Role.BodyScoped() {
		u.BodyID = 0
	}
	d.Form = u
	err = u.Validate()
	if err == nil {
		err = auth.CheckPasswordPolicy(r.PostFormValue("password"))
	}
	if err == nil {
		u.PasswordHash, err = auth.HashPassword(r.PostFormValue("password"))
	}
	if err == nil {
		err = s.deps.Services.CreateUser(r.Context(), &u)
	}
	if err != nil {
		if c := fault.ErrorCode(err); c != fault.Invalid && c != fault.Conflict && c != fault.NotFound {
			return err
		}
		d.Errors = []string{safeMessage(err, lang(r))}
		return s.pageStatus(w, r, fault.HTTPStatus(err), "user_list", d)
	}
	return redirect(w, r, "/admin/users?notice=user_created")
}
