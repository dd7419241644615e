package platform

import (
	"context"
	"fmt"

	"github.com/tokumei/tokumei/fault"
)

// CreateBody registers an executive body (実施機関) of a local government.
// Administrators and window officers only.
func (s *Services) CreateBody(ctx context.Context, b *Body) error {
	a, err := s.actor(ctx, RoleAdmin, RoleWindowOfficer)
	if err != nil {
		return err
	}
	if err := b.Validate(); err != nil {
		return err
	}
	b.CreatedAt = s.now()
	return s.atomic(ctx, func(st Store) error {
		if _, err := st.LocalGovernment(ctx, b.LGCode); err != nil {
			if fault.ErrorCode(err) == fault.NotFound {
				return fault.New(fault.Invalid, "unknown local-government code", "団体コードが見つかりません").In("lg_code")
			}
			return err
		}
		if err := st.CreateBody(ctx, b); err != nil {
			return err
		}
		return s.audit(ctx, st, a, b.ID, "body.create", "body", b.ID, fmt.Sprintf(`{"name":%q,"lg_code":%q}`, b.Name, b.LGCode))
	})
}

// Body returns a body. Bodies are public (they are named in registers).
func (s *Services) Body(ctx context.Context, id ID) (*Body, error) {
	return s.Store.Body(ctx, id)
}

// Bodies lists bodies, of one local government when lgCode != "".
func (s *Services) Bodies(ctx context.Context, lgCode string) ([]Body, error) {
	return s.Store.Bodies(ctx, lgCode)
}

// UpdateBody changes a body's name, unit and contacts: administrators,
// window officers, or the body's own approver.
func (s *Services) UpdateBody(ctx context.Context, b *Body) error {
	a, err := ActorFrom(ctx)
	if err != nil {
		return err
	}
	if err := a.RequireBody(b.ID, RoleAdmin, RoleWindowOfficer, RoleBodyApprover); err != nil {
		return err
	}
	if err := b.Validate(); err != nil {
		return err
	}
	return s.atomic(ctx, func(st Store) error {
		cur, err := st.Body(ctx, b.ID)
		if err != nil {
			return err
		}
		b.LGCode, b.CreatedAt = cur.LGCode, cur.CreatedAt // a body never moves
		if err := st.UpdateBody(ctx, b); err != nil {
			return err
		}
		return s.audit(ctx, st, a, b.ID, "body.update", "body", b.ID, fmt.Sprintf(`{"name":%q}`, b.Name))
	})
}
