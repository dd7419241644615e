package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

type userEditData struct {
	User    platform.User
	Bodies  []platform.Body
	Roles   []platform.Role
	HasTOTP bool
	Errors  []string
}

func (s *Server) userFor(r *http.Request) (*platform.User, error) {
	id, err := pathID(r, "user")
	if err != nil {
		return nil, err
	}
	return s.deps.Store.User(r.Context(), id)
}

func (s *Server) userEditData(r *http.Request, u *platform.User) (userEditData, error) {
	bs, err := s.deps.Services.Bodies(r.Context(), "")
	if err != nil {
		return userEditData{}, err
	}
	d := userEditData{User: *u, Bodies: bs, Roles: platform.AllRoles, HasTOTP: u.TOTPSecret != ""}
	d.User.PasswordHash, d.User.TOTPSecret = "", ""
	return d, nil
}

func (s *Server) userEdit(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userFor(r)
	if err != nil {
		return err
	}
	d, err := s.userEditData(r, u)
	if err != nil {
		return err
	}
	return s.page(w, r, "user_edit", d)
}

// userUpdate changes name, email, role, body and the disabled flag. A
// disabled user's sessions stop working at their next request.
func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.userFor(r)
	if err != nil {
		return err
	}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	u := *cur
	u.Name, u.Email, u.Role = v("name"), v("email"), platform.Role(v("role"))
	u.BodyID, _ = strconv.ParseInt(v("body_id"), 10, 64)
	if !u.Role.BodyScoped() {
		u.BodyID = 0
	}
	u.Disabled = v("disabled") == "1"
	if u.ID == actor(r).UserID && (u.Disabled || u.Role != platform.RoleAdmin) {
		err = fault.New(fault.Invalid, "you cannot disable or demote yourself", "自分自身を停止したり、管理者以外の役割に変更したりはできません").In("role")
	} else {
		err = s.deps.Services.UpdateUser(r.Context(), &u)
	}
	return s.userResult(w, r, &u, err, "user_saved")
}

// userPassword sets a new initial password chosen by the administrator.
func (s *Server) userPassword(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userFor(r)
	if err != nil {
		return err
	}
	pw := r.PostFormValue("password")
	err = auth.CheckPasswordPolicy(pw)
	if err == nil {
		var hash string
		if hash, err = auth.HashPassword(pw); err == nil {
			err = s.deps.Services.SetPassword(r.Context(), u.ID, hash)
		}
	}
	return s.userResult(w, r, u, err, "password_set")
}

// userTOTPReset clears a user's TOTP secret (a lost phone): the user sets
// up a new one at the next login. Like enrolment it is part of
// authentication and writes the store directly, with its audit record in
// the same transaction.
func (s *Server) userTOTPReset(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userFor(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	err = s.deps.Store.Atomic(ctx, func(st platform.Store) error {
		cur, err := st.User(ctx, u.ID)
		if err != nil {
			return err
		}
		cur.TOTPSecret = ""
		if err := st.UpdateUser(ctx, cur); err != nil {
			return err
		}
		tx := *s.deps.Services
		tx.Store = st
		return tx.Audit(ctx, cur.BodyID, "user.totp_reset", "user", cur.ID, "")
	})
	return s.userResult(w, r, u, err, "totp_reset")
}

// userResult redirects after a change, or shows the form with the error.
func (s *Server) userResult(w http.ResponseWriter, r *http.Request, u *platform.User, err error, notice string) error {
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/admin/users/%d?notice=%s", u.ID, notice))
	}
	if c := fault.ErrorCode(err); c != fault.Invalid && c != fault.Conflict && c != fault.NotFound {
		return err
	}
	cur, gerr := s.userFor(r)
	if gerr != nil {
		return gerr
	}
	d, derr := s.userEditData(r, cur)
	if derr != nil {
		return derr
	}
	d.Errors = []string{safeMessage(err, lang(r))}
	return s.pageStatus(w, r, fault.HTTPStatus(err), "user_edit", d)
}
