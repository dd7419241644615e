package platform

import (
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// Business is a proposer organisation (提案者: a corporation or individual).
type Business struct {
	ID        ID
	Name      string
	Address   string
	Corporate string // 法人番号, when a corporation
	CreatedAt time.Time
}

// User is an account. It belongs to one organisation: a body (BodyID), a
// business (BusinessID), or the operator (both zero).
type User struct {
	ID           ID
	Login        string
	Name         string
	Email        string
	Role         Role
	BodyID       ID
	BusinessID   ID
	PasswordHash string // argon2id, PHC string format
	TOTPSecret   string // base32; empty until enrolled; sealed at rest
	Disabled     bool
	CreatedAt    time.Time
}

// Actor returns the actor a session of u acts as.
func (u *User) Actor() Actor {
	return Actor{UserID: u.ID, Login: u.Login, Role: u.Role, BodyID: u.BodyID, BusinessID: u.BusinessID}
}

// Validate checks the fields a user supplies.
func (u *User) Validate() error {
	if strings.TrimSpace(u.Login) == "" {
		return fault.New(fault.Invalid, "login is required", "ログインIDを入力してください").In("login")
	}
	if !u.Role.Valid() {
		return fault.New(fault.Invalid, "unknown role", "役割が正しくありません").In("role")
	}
	if u.Role.BodyScoped() && u.BodyID == 0 {
		return fault.New(fault.Invalid, "a body user needs a body", "実施機関を選択してください").In("body_id")
	}
	if u.Role == RoleBusiness && u.BusinessID == 0 {
		return fault.New(fault.Invalid, "a business user needs a business", "事業者を選択してください").In("business_id")
	}
	return nil
}

// Session is a login session, stored in the database.
type Session struct {
	TokenHash  string // SHA-256 of the cookie token; the token itself is never stored
	UserID     ID
	CSRF       string
	TOTPPassed bool
	CreatedAt  time.Time
	ExpiresAt  time.Time
}
