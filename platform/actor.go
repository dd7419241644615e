package platform

import (
	"context"
	"slices"

	"github.com/tokumei/tokumei/fault"
)

// Role is what a user may do. Append only: roles are stored by name.
type Role string

// The platform roles (domain.md §1.2).
const (
	RoleBusiness      Role = "business"       // 提案者・契約者
	RoleWindowOfficer Role = "window_officer" // 共同の提案受付窓口 (creation-organisation staff)
	RoleBodyReviewer  Role = "body_reviewer"  // 実施機関の審査担当
	RoleBodyApprover  Role = "body_approver"  // 実施機関の決裁者
	RoleProcessor     Role = "processor"      // 加工担当
	RoleRiskAssessor  Role = "risk_assessor"  // 第二者によるリスク確認
	RoleAuditor       Role = "auditor"        // 監査 (read-only)
	RoleAdmin         Role = "admin"          // システム管理者
)

// AllRoles lists every role, in display order.
var AllRoles = []Role{RoleBusiness, RoleWindowOfficer, RoleBodyReviewer, RoleBodyApprover,
	RoleProcessor, RoleRiskAssessor, RoleAuditor, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(AllRoles, r) }

// BodyScoped reports whether users with this role belong to one body and
// see only that body's data.
func (r Role) BodyScoped() bool { return r == RoleBodyReviewer || r == RoleBodyApprover }

// Officer reports whether the role must use a second factor (TOTP).
func (r Role) Officer() bool { return r != RoleBusiness }

// Actor is the authenticated user on whose behalf a service call runs.
type Actor struct {
	UserID     ID
	Login      string
	Role       Role
	BodyID     ID // the body of a body-scoped user, else 0
	BusinessID ID // the business organisation of a business user, else 0
}

type actorKey struct{}

// WithActor returns a context carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of ctx, or an Unauthorized fault.
func ActorFrom(ctx context.Context) (Actor, error) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	if !ok || a.UserID == 0 {
		return Actor{}, fault.New(fault.Unauthorized, "login required", "ログインが必要です")
	}
	return a, nil
}

// Has reports whether the actor holds one of the roles.
func (a Actor) Has(roles ...Role) bool { return slices.Contains(roles, a.Role) }

// Require returns a Forbidden fault unless the actor holds one of roles.
func (a Actor) Require(roles ...Role) error {
	if a.Has(roles...) {
		return nil
	}
	return fault.New(fault.Forbidden, "your role does not allow this action", "この操作を行う権限がありません")
}

// CanReadBody reports whether the actor may read the non-public data of body.
// Body users read only their own body; operator staff and auditors read all.
func (a Actor) CanReadBody(body ID) bool {
	if a.Role.BodyScoped() {
		return a.BodyID == body
	}
	return a.Has(RoleWindowOfficer, RoleProcessor, RoleRiskAssessor, RoleAuditor, RoleAdmin)
}

// RequireBody returns a Forbidden fault unless the actor is a user of body
// holding one of roles (admins pass for administration of bodies).
func (a Actor) RequireBody(body ID, roles ...Role) error {
	if a.Role.BodyScoped() && a.BodyID != body {
		return fault.New(fault.Forbidden, "this belongs to another body", "他の実施機関のデータは操作できません")
	}
	return a.Require(roles...)
}
