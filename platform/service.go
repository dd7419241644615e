package platform

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// Services are the platform's use cases. Every method takes the actor from
// the context (ActorFrom), checks its role and body, validates, and writes
// inside Store.Atomic together with an audit record for every state change
// and every read of protected data (source files, processing-method
// information). Handlers (web, cli, jobs) call Services, never the Store
// directly, for anything that changes state or reads protected data.
//
// Pattern for a new area (file service_<area>.go):
//
//	func (s *Services) DoThing(ctx context.Context, …) error {
//		a, err := s.actor(ctx, RoleX, RoleY) // or ActorFrom + RequireBody
//		…validate…
//		return s.atomic(ctx, func(st Store) error {
//			…write via st…
//			return s.audit(ctx, st, a, bodyID, "area.thing", "kind", id, detail)
//		})
//	}
type Services struct {
	Store Store
	Vault Vault
	Now   Clock
	// Jobs enqueues background work (nil: work that needs it fails with
	// fault.Unavailable).
	Jobs JobQueue
}

// Job is a unit of background work; Kind names its worker. (Any value with
// a Kind method is a river.JobArgs, so package jobs runs these unchanged.)
type Job interface{ Kind() string }

// JobQueue is the persistent queue (implemented by package jobs).
type JobQueue interface {
	// Enqueue stores job; one worker on one server runs it, at least once
	// and normally exactly once.
	Enqueue(ctx context.Context, job Job) error
}

// SystemActor is the actor of operator commands run on the server itself
// (tokumei user create, demo seeding): an administrator with no account.
func SystemActor(login string) Actor {
	return Actor{UserID: -1, Login: login, Role: RoleAdmin}
}

func (s *Services) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// actor returns the context's actor if it holds one of roles (any role
// when none are given).
func (s *Services) actor(ctx context.Context, roles ...Role) (Actor, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return a, err
	}
	if len(roles) > 0 {
		return a, a.Require(roles...)
	}
	return a, nil
}

// atomic runs fn in one transaction.
func (s *Services) atomic(ctx context.Context, fn func(Store) error) error {
	return s.Store.Atomic(ctx, fn)
}

// audit appends one record through st (inside the caller's transaction).
func (s *Services) audit(ctx context.Context, st Store, a Actor, body ID, action, kind string, target any, detail string) error {
	_, err := st.AppendAudit(ctx, AuditEntry{Actor: a, BodyID: body, Action: action, TargetKind: kind,
		TargetID: fmt.Sprint(target), Detail: detail}, s.now())
	return err
}

// Audit records an act by the context's actor in its own transaction, for
// packages that act outside Services (e.g. login and logout in web).
func (s *Services) Audit(ctx context.Context, body ID, action, kind string, target any, detail string) error {
	a, err := ActorFrom(ctx)
	if err != nil {
		return err
	}
	return s.audit(ctx, s.Store, a, body, action, kind, target, detail)
}

// protectedRoles may handle source data and processing-method information
// of a body (body users only for their own body).
var protectedRoles = []Role{RoleBodyReviewer, RoleBodyApprover, RoleWindowOfficer, RoleProcessor, RoleRiskAssessor}

// PutProtected stores a protected file of body in the vault and records it.
// kind says what it is (e.g. "source", "output", "method").
func (s *Services) PutProtected(ctx context.Context, body ID, kind, name string, r io.Reader) (*VaultObject, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if err := a.RequireBody(body, protectedRoles...); err != nil {
		return nil, err
	}
	if s.Vault == nil {
		return nil, fault.New(fault.Unavailable, "the vault is not configured", "暗号化保管庫が設定されていません")
	}
	obj, err := s.Vault.Put(ctx, name, r)
	if err != nil {
		return nil, err
	}
	detail := fmt.Sprintf(`{"kind":%q,"size":%d,"sha256":%q}`, kind, obj.Size, obj.SHA256)
	if err := s.audit(ctx, s.Store, a, body, "vault.put", "vault_object", obj.ID, detail); err != nil {
		s.Vault.Delete(context.WithoutCancel(ctx), obj.ID)
		return nil, err
	}
	return obj, nil
}

// OpenProtected opens a protected file of body; the read is recorded
// before any byte is returned.
func (s *Services) OpenProtected(ctx context.Context, body ID, id, purpose string) (io.ReadCloser, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if err := a.RequireBody(body, protectedRoles...); err != nil {
		return nil, err
	}
	if s.Vault == nil {
		return nil, fault.New(fault.Unavailable, "the vault is not configured", "暗号化保管庫が設定されていません")
	}
	if err := s.audit(ctx, s.Store, a, body, "vault.read", "vault_object", id, fmt.Sprintf(`{"purpose":%q}`, purpose)); err != nil {
		return nil, err
	}
	return s.Vault.Open(ctx, id)
}

// DeleteProtected destroys a protected file (ciphertext and key) and records it.
func (s *Services) DeleteProtected(ctx context.Context, body ID, id, reason string) error {
	a, err := ActorFrom(ctx)
	if err != nil {
		return err
	}
	if err := a.RequireBody(body, append(protectedRoles, RoleAdmin)...); err != nil {
		return err
	}
	if s.Vault == nil {
		return fault.New(fault.Unavailable, "the vault is not configured", "暗号化保管庫が設定されていません")
	}
	if err := s.Vault.Delete(ctx, id); err != nil {
		return err
	}
	return s.audit(ctx, s.Store, a, body, "vault.delete", "vault_object", id, fmt.Sprintf(`{"reason":%q}`, reason))
}
