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
	us, err := s.deps.Store.Users(r.Context())
	if err != nil {
		return userFormData{}, err
	}
	bs, err := s.deps.Store.Bodies(r.Context(), "")
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
	u := platform.User{Login: v("login"), Name: v("name"), Email: v("email"), Role: platform.Role(v("role")),
		CreatedAt: s.now()}
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
		a := actor(r)
		err = s.deps.Store.Atomic(r.Context(), func(st platform.Store) error {
			if err := st.CreateUser(r.Context(), &u); err != nil {
				return err
			}
			_, err := st.AppendAudit(r.Context(), platform.AuditEntry{Actor: a, BodyID: u.BodyID,
				Action: "user.create", TargetKind: "user", TargetID: strconv.FormatInt(u.ID, 10),
				Detail: u.Login + " " + string(u.Role)}, s.now())
			return err
		})
	}
	if err != nil {
		if c := fault.ErrorCode(err); c != fault.Invalid && c != fault.Conflict {
			return err
		}
		d.Errors = []string{safeMessage(err, lang(r))}
		return s.pageStatus(w, r, fault.HTTPStatus(err), "user_list", d)
	}
	return redirect(w, r, "/admin/users?notice=user_created")
}
