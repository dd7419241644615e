package sqlstore

import (
	"context"
	"database/sql"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

// This file shows the pattern for an aggregate: a column list, one scan
// function, and methods on *Store that use s.insert, s.queryRow, s.query and
// s.exec (which rebind placeholders and translate errors).

const bodyColumns = `id, lg_code, kind, name, unit, address, email, created_at`

func scanBody(r interface{ Scan(...any) error }, b *platform.Body) error {
	return r.Scan(&b.ID, &b.LGCode, &b.Kind, &b.Name, &b.Unit, &b.Address, &b.Email, &b.CreatedAt)
}

// CreateBody stores b and sets b.ID.
func (s *Store) CreateBody(ctx context.Context, b *platform.Body) error {
	b.CreatedAt = T(b.CreatedAt)
	id, err := s.insert(ctx, `INSERT INTO bodies (lg_code, kind, name, unit, address, email, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, b.LGCode, b.Kind, b.Name, b.Unit, b.Address, b.Email, b.CreatedAt)
	if err != nil {
		return err
	}
	b.ID = id
	return nil
}

// Body returns one body.
func (s *Store) Body(ctx context.Context, id platform.ID) (*platform.Body, error) {
	var b platform.Body
	err := s.queryRow(ctx, "body", `SELECT `+bodyColumns+` FROM bodies WHERE id = ?`, []any{id},
		&b.ID, &b.LGCode, &b.Kind, &b.Name, &b.Unit, &b.Address, &b.Email, &b.CreatedAt)
	if err != nil {
		return nil, err
	}
	b.CreatedAt = b.CreatedAt.UTC()
	return &b, nil
}

// Bodies lists bodies, of one local government when lgCode != "".
func (s *Store) Bodies(ctx context.Context, lgCode string) ([]platform.Body, error) {
	rows, err := s.query(ctx, `SELECT `+bodyColumns+` FROM bodies WHERE ? = '' OR lg_code = ? ORDER BY lg_code, id`, lgCode, lgCode)
	if err != nil {
		return nil, err
	}
	var out []platform.Body
	err = rowsScan(rows, func(r *sql.Rows) error {
		var b platform.Body
		if err := scanBody(r, &b); err != nil {
			return err
		}
		b.CreatedAt = b.CreatedAt.UTC()
		out = append(out, b)
		return nil
	})
	return out, s.db.translate(err)
}

// UpdateBody stores the editable fields of b.
func (s *Store) UpdateBody(ctx context.Context, b *platform.Body) error {
	res, err := s.exec(ctx, `UPDATE bodies SET kind = ?, name = ?, unit = ?, address = ?, email = ? WHERE id = ?`,
		b.Kind, b.Name, b.Unit, b.Address, b.Email, b.ID)
	return mustAffect(res, err, "body")
}

// mustAffect turns "no row changed" into fault.NotFound naming what.
func mustAffect(res sql.Result, err error, what string) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fault.New(fault.NotFound, what+" not found", "見つかりません").In(what)
	}
	return nil
}
