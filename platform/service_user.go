package platform

import (
	"context"
	"fmt"
	"strings"

	"github.com/tokumei/tokumei/fault"
)

// CreateUser creates an account (administrators). u.PasswordHash must
// already hold the argon2id hash (package auth); the clear password never
// reaches the platform.
func (s *Services) CreateUser(ctx context.Context, u *User) error {
	a, err := s.actor(ctx, RoleAdmin)
	if err != nil {
		return err
	}
	u.Login = strings.TrimSpace(u.Login)
	if err := u.Validate(); err != nil {
		return err
	}
	if u.PasswordHash == "" {
		return fault.New(fault.Invalid, "a password is required", "パスワードを設定してください").In("password")
	}
	u.CreatedAt = s.now()
	return s.atomic(ctx, func(st Store) error {
		if u.BodyID != 0 {
			if _, err := st.Body(ctx, u.BodyID); err != nil {
				return err
			}
		}
		if err := st.CreateUser(ctx, u); err != nil {
			if fault.ErrorCode(err) == fault.Conflict {
				return fault.New(fault.Conflict, "this login is taken", "このログインIDは既に使われています").In("login")
			}
			return err
		}
		return s.audit(ctx, st, a, u.BodyID, "user.create", "user", u.ID, fmt.Sprintf(`{"login":%q,"role":%q}`, u.Login, u.Role))
	})
}

// Users lists accounts (administrators and auditors), secrets cleared.
func (s *Services) Users(ctx context.Context) ([]User, error) {
	if _, err := s.actor(ctx, RoleAdmin, RoleAuditor); err != nil {
		return nil, err
	}
	us, err := s.Store.Users(ctx)
	for i := range us {
		us[i].PasswordHash, us[i].TOTPSecret = "", ""
	}
	return us, err
}

// UpdateUser changes name, email, role, organisation and the disabled flag
// (administrators). Password and TOTP secret are kept.
func (s *Services) UpdateUser(ctx context.Context, u *User) error {
	a, err := s.actor(ctx, RoleAdmin)
	if err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	return s.atomic(ctx, func(st Store) error {
		cur, err := st.User(ctx, u.ID)
		if err != nil {
			return err
		}
		u.PasswordHash, u.TOTPSecret, u.CreatedAt = cur.PasswordHash, cur.TOTPSecret, cur.CreatedAt
		if err := st.UpdateUser(ctx, u); err != nil {
			return err
		}
		return s.audit(ctx, st, a, u.BodyID, "user.update", "user", u.ID,
			fmt.Sprintf(`{"role":%q,"disabled":%t}`, u.Role, u.Disabled))
	})
}

// SetPassword stores a new password hash for the actor's own account, or
// for any account when the actor is an administrator.
func (s *Services) SetPassword(ctx context.Context, userID ID, hash string) error {
	a, err := ActorFrom(ctx)
	if err != nil {
		return err
	}
	if a.UserID != userID {
		if err := a.Require(RoleAdmin); err != nil {
			return err
		}
	}
	return s.atomic(ctx, func(st Store) error {
		u, err := st.User(ctx, userID)
		if err != nil {
			return err
		}
		u.PasswordHash = hash
		if err := st.UpdateUser(ctx, u); err != nil {
			return err
		}
		return s.audit(ctx, st, a, u.BodyID, "user.password", "user", u.ID, "")
	})
}

// CreateBusiness registers a proposer organisation (administrators and
// window officers).
func (s *Services) CreateBusiness(ctx context.Context, b *Business) error {
	a, err := s.actor(ctx, RoleAdmin, RoleWindowOfficer)
	if err != nil {
		return err
	}
	if strings.TrimSpace(b.Name) == "" {
		return fault.New(fault.Invalid, "name is required", "事業者名を入力してください").In("name")
	}
	b.CreatedAt = s.now()
	return s.atomic(ctx, func(st Store) error {
		if err := st.CreateBusiness(ctx, b); err != nil {
			return err
		}
		return s.audit(ctx, st, a, 0, "business.create", "business", b.ID, fmt.Sprintf(`{"name":%q}`, b.Name))
	})
}
