package sqlstore

import (
	"context"

	"github.com/tokumei/tokumei/platform"
)

// CreateFeeTable stores f and sets f.ID.
func (s *Store) CreateFeeTable(ctx context.Context, f *platform.FeeTable) error {
	return s.atomic(ctx, func(s *Store) error {
		id, err := s.insert(ctx, `INSERT INTO fee_tables (body_id, effective_from, doc) VALUES (?, ?, '{}')`, f.BodyID, T(f.EffectiveFrom))
		if err != nil {
			return err
		}
		f.ID = id
		doc, err := encodeDoc(f)
		if err != nil {
			return err
		}
		_, err = s.exec(ctx, `UPDATE fee_tables SET doc = ? WHERE id = ?`, doc, id)
		return err
	})
}

// FeeTables lists a body's fee tables, oldest first.
func (s *Store) FeeTables(ctx context.Context, bodyID platform.ID) ([]platform.FeeTable, error) {
	return queryDocs[platform.FeeTable](ctx, s, `SELECT doc FROM fee_tables WHERE body_id = ? ORDER BY effective_from, id`, bodyID)
}

// PutDeadlines stores a body's deadlines.
func (s *Store) PutDeadlines(ctx context.Context, d *platform.Deadlines) error {
	doc, err := encodeDoc(d)
	if err != nil {
		return err
	}
	return s.atomic(ctx, func(s *Store) error {
		if _, err := s.exec(ctx, `DELETE FROM body_deadlines WHERE body_id = ?`, d.BodyID); err != nil {
			return err
		}
		_, err := s.exec(ctx, `INSERT INTO body_deadlines (body_id, doc) VALUES (?, ?)`, d.BodyID, doc)
		return err
	})
}

// Deadlines returns a body's deadlines.
func (s *Store) Deadlines(ctx context.Context, bodyID platform.ID) (*platform.Deadlines, error) {
	var doc string
	if err := s.queryRow(ctx, "deadlines", `SELECT doc FROM body_deadlines WHERE body_id = ?`, []any{bodyID}, &doc); err != nil {
		return nil, err
	}
	var d platform.Deadlines
	return &d, decodeDoc(doc, &d)
}

// CreateCommission stores c and sets c.ID.
func (s *Store) CreateCommission(ctx context.Context, c *platform.Commission) error {
	return s.atomic(ctx, func(s *Store) error {
		id, err := s.insert(ctx, `INSERT INTO commissions (published, doc, created_at) VALUES (?, '{}', ?)`, c.Published, T(c.CreatedAt))
		if err != nil {
			return err
		}
		c.ID = id
		return s.UpdateCommission(ctx, c)
	})
}

// Commission returns one commission.
func (s *Store) Commission(ctx context.Context, id platform.ID) (*platform.Commission, error) {
	var doc string
	if err := s.queryRow(ctx, "commission", `SELECT doc FROM commissions WHERE id = ?`, []any{id}, &doc); err != nil {
		return nil, err
	}
	var c platform.Commission
	return &c, decodeDoc(doc, &c)
}

// Commissions lists commissions, only published ones when publishedOnly.
func (s *Store) Commissions(ctx context.Context, publishedOnly bool) ([]platform.Commission, error) {
	return queryDocs[platform.Commission](ctx, s, `SELECT doc FROM commissions WHERE ? = FALSE OR published = TRUE ORDER BY id`, publishedOnly)
}

// UpdateCommission stores c.
func (s *Store) UpdateCommission(ctx context.Context, c *platform.Commission) error {
	doc, err := encodeDoc(c)
	if err != nil {
		return err
	}
	res, err := s.exec(ctx, `UPDATE commissions SET published = ?, doc = ? WHERE id = ?`, c.Published, doc, c.ID)
	return oneRow(res, err, "commission")
}
