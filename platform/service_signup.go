package platform

import (
	"context"
	"fmt"
	"strings"

	"github.com/tokumei/tokumei/fault"
)

// RegisterBusiness is a business's own sign-up (提案者の利用者登録): it
// creates the business and its first user (role business) together, or
// neither. No login is needed; u.PasswordHash must already be set. The
// audit record names the new user.
func (s *Services) RegisterBusiness(ctx context.Context, b *Business, u *User) error {
	b.Name, b.Address, b.Corporate = strings.TrimSpace(b.Name), strings.TrimSpace(b.Address), strings.TrimSpace(b.Corporate)
	if b.Name == "" {
		return fault.New(fault.Invalid, "name is required", "事業者名を入力してください").In("name")
	}
	if b.Corporate != "" && !corporateNumber(b.Corporate) {
		return fault.New(fault.Invalid, "the corporate number has 13 digits", "法人番号は13桁の数字で入力してください").In("corporate")
	}
	if u.PasswordHash == "" {
		return fault.New(fault.Invalid, "a password is required", "パスワードを設定してください").In("password")
	}
	u.Login, u.Role = strings.TrimSpace(u.Login), RoleBusiness
	u.BodyID, u.TOTPSecret, u.Disabled = 0, "", false
	now := s.now()
	b.CreatedAt, u.CreatedAt = now, now
	return s.atomic(ctx, func(st Store) error {
		if err := st.CreateBusiness(ctx, b); err != nil {
			return err
		}
		u.BusinessID = b.ID
		if err := u.Validate(); err != nil {
			return err
		}
		if err := st.CreateUser(ctx, u); err != nil {
			if fault.ErrorCode(err) == fault.Conflict {
				return fault.New(fault.Conflict, "this login is taken", "このログインIDは既に使われています").In("login")
			}
			return err
		}
		return s.audit(ctx, st, u.Actor(), 0, "business.register", "business", b.ID,
			fmt.Sprintf(`{"name":%q,"login":%q}`, b.Name, u.Login))
	})
}

// corporateNumber checks a 法人番号: 13 digits whose first is the check
// digit 9 − (Σ digit × weight mod 9), weights 1 and 2 alternating from the
// right.
func corporateNumber(s string) bool {
	if len(s) != 13 {
		return false
	}
	sum := 0
	for i := 1; i < 13; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		w := 1
		if (13-i)%2 == 0 {
			w = 2
		}
		sum += int(c-'0') * w
	}
	return s[0] >= '0' && s[0] <= '9' && int(s[0]-'0') == 9-sum%9
}
