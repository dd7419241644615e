package platform

import (
	"context"
	"fmt"

	"github.com/tokumei/tokumei/fault"
)

// registerWriters may change a body's file register (body users only their
// own body's).
var registerWriters = []Role{RoleBodyReviewer, RoleBodyApprover, RoleAdmin}

// CreateRegisterEntry adds a file to the register of e.BodyID.
func (s *Services) CreateRegisterEntry(ctx context.Context, e *RegisterEntry) error {
	a, err := ActorFrom(ctx)
	if err != nil {
		return err
	}
	if err := a.RequireBody(e.BodyID, registerWriters...); err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	e.UpdatedAt = s.now()
	return s.atomic(ctx, func(st Store) error {
		if _, err := st.Body(ctx, e.BodyID); err != nil {
			return err
		}
		if err := st.CreateRegisterEntry(ctx, e, a.UserID); err != nil {
			return err
		}
		return s.audit(ctx, st, a, e.BodyID, "register.create", "register_entry", e.ID, fmt.Sprintf(`{"file_name":%q}`, e.FileName))
	})
}

// RegisterEntry returns an entry to a user who may read its body's data.
// Others get fault.NotFound, so they learn nothing of other bodies' files
// (published entries are read through PublicRegister).
func (s *Services) RegisterEntry(ctx context.Context, id ID) (*RegisterEntry, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	e, err := s.Store.RegisterEntry(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.CanReadBody(e.BodyID) {
		return nil, fault.New(fault.NotFound, "register entry not found", "個人情報ファイル簿が見つかりません").In("register_entry")
	}
	return e, nil
}

// RegisterEntries lists the register of one body (bodyID > 0), or all
// registers for operator staff and auditors (bodyID == 0).
func (s *Services) RegisterEntries(ctx context.Context, bodyID ID) ([]RegisterEntry, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if bodyID == 0 && a.Role.BodyScoped() {
		bodyID = a.BodyID
	}
	if !a.CanReadBody(bodyID) {
		return nil, fault.New(fault.Forbidden, "this register belongs to another body", "他の実施機関の個人情報ファイル簿は閲覧できません")
	}
	return s.Store.RegisterEntries(ctx, bodyID)
}

// PublicRegister lists the published entries of a body (no login needed):
// the register as published under APPI art. 75.
func (s *Services) PublicRegister(ctx context.Context, bodyID ID) ([]RegisterEntry, error) {
	all, err := s.Store.RegisterEntries(ctx, bodyID)
	if err != nil {
		return nil, err
	}
	var out []RegisterEntry
	for _, e := range all {
		if e.Published {
			out = append(out, e)
		}
	}
	return out, nil
}

// UpdateRegisterEntry stores a new version of an entry; e.Version must be
// the version the user edited (fault.Conflict otherwise). The body is that
// of the stored entry: an entry cannot be moved to another body.
func (s *Services) UpdateRegisterEntry(ctx context.Context, e *RegisterEntry, reason string) error {
	a, err := ActorFrom(ctx)
	if err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	return s.atomic(ctx, func(st Store) error {
		cur, err := st.RegisterEntry(ctx, e.ID)
		if err != nil {
			return err
		}
		if !a.CanReadBody(cur.BodyID) && a.Role.BodyScoped() {
			return fault.New(fault.NotFound, "register entry not found", "個人情報ファイル簿が見つかりません").In("register_entry")
		}
		if err := a.RequireBody(cur.BodyID, registerWriters...); err != nil {
			return err
		}
		if e.BodyID != 0 && e.BodyID != cur.BodyID {
			return fault.New(fault.Invalid, "an entry cannot move to another body", "他の実施機関へ移すことはできません").In("body_id")
		}
		e.BodyID, e.UpdatedAt = cur.BodyID, s.now()
		if err := st.UpdateRegisterEntry(ctx, e, a.UserID, reason); err != nil {
			return err
		}
		return s.audit(ctx, st, a, e.BodyID, "register.update", "register_entry", e.ID,
			fmt.Sprintf(`{"version":%d,"reason":%q}`, e.Version, reason))
	})
}

// RegisterHistory returns the versions of an entry to those who may read it.
func (s *Services) RegisterHistory(ctx context.Context, id ID) ([]RegisterChange, error) {
	if _, err := s.RegisterEntry(ctx, id); err != nil {
		return nil, err
	}
	return s.Store.RegisterHistory(ctx, id)
}
