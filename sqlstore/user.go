package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/tokumei/tokumei/platform"
)

const userColumns = `id, login, name, email, role, body_id, business_id, password_hash, totp_secret, disabled, created_at`

func scanUser(r interface{ Scan(...any) error }, u *platform.User) error {
	var body, biz sql.NullInt64
	err := r.Scan(&u.ID, &u.Login, &u.Name, &u.Email, &u.Role, &body, &biz, &u.PasswordHash, &u.TOTPSecret, &u.Disabled, &u.CreatedAt)
	u.BodyID, u.BusinessID, u.CreatedAt = body.Int64, biz.Int64, u.CreatedAt.UTC()
	return err
}

func nullID(id platform.ID) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// CreateUser stores u and sets u.ID; a taken login is fault.Conflict.
func (s *Store) CreateUser(ctx context.Context, u *platform.User) error {
	u.CreatedAt = T(u.CreatedAt)
	id, err := s.insert(ctx, `INSERT INTO users (login, name, email, role, body_id, business_id, password_hash, totp_secret, disabled, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.Login, u.Name, u.Email, u.Role, nullID(u.BodyID), nullID(u.BusinessID),
		u.PasswordHash, u.TOTPSecret, u.Disabled, u.CreatedAt)
	if err != nil {
		return err
	}
	u.ID = id
	return nil
}

func (s *Store) userWhere(ctx context.Context, where string, arg any) (*platform.User, error) {
	rows, err := s.query(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, arg)
	if err != nil {
		return nil, err
	}
	var u *platform.User
	err = rowsScan(rows, func(r *sql.Rows) error {
		u = &platform.User{}
		return scanUser(r, u)
	})
	if err == nil && u == nil {
		err = sql.ErrNoRows
	}
	if err != nil {
		return nil, s.notFound(err, "user")
	}
	return u, nil
}

// User returns one user.
func (s *Store) User(ctx context.Context, id platform.ID) (*platform.User, error) {
	return s.userWhere(ctx, "id = ?", id)
}

// UserByLogin returns the user with that login.
func (s *Store) UserByLogin(ctx context.Context, login string) (*platform.User, error) {
	return s.userWhere(ctx, "login = ?", login)
}

// Users lists all users by login.
func (s *Store) Users(ctx context.Context) ([]platform.User, error) {
	rows, err := s.query(ctx, `SELECT `+userColumns+` FROM users ORDER BY login`)
	if err != nil {
		return nil, err
	}
	var out []platform.User
	err = rowsScan(rows, func(r *sql.Rows) error {
		var u platform.User
		if err := scanUser(r, &u); err != nil {
			return err
		}
		out = append(out, u)
		return nil
	})
	return out, s.db.translate(err)
}

// UpdateUser stores every field of u but ID and CreatedAt.
func (s *Store) UpdateUser(ctx context.Context, u *platform.User) error {
	res, err := s.exec(ctx, `UPDATE users SET login = ?, name = ?, email = ?, role = ?, body_id = ?, business_id = ?,
		password_hash = ?, totp_secret = ?, disabled = ? WHERE id = ?`, u.Login, u.Name, u.Email, u.Role,
		nullID(u.BodyID), nullID(u.BusinessID), u.PasswordHash, u.TOTPSecret, u.Disabled, u.ID)
	return mustAffect(res, err, "user")
}

// CreateBusiness stores b and sets b.ID.
func (s *Store) CreateBusiness(ctx context.Context, b *platform.Business) error {
	b.CreatedAt = T(b.CreatedAt)
	id, err := s.insert(ctx, `INSERT INTO businesses (name, address, corporate, created_at) VALUES (?, ?, ?, ?)`,
		b.Name, b.Address, b.Corporate, b.CreatedAt)
	if err != nil {
		return err
	}
	b.ID = id
	return nil
}

// Business returns one business.
func (s *Store) Business(ctx context.Context, id platform.ID) (*platform.Business, error) {
	var b platform.Business
	err := s.queryRow(ctx, "business", `SELECT id, name, address, corporate, created_at FROM businesses WHERE id = ?`,
		[]any{id}, &b.ID, &b.Name, &b.Address, &b.Corporate, &b.CreatedAt)
	if err != nil {
		return nil, err
	}
	b.CreatedAt = b.CreatedAt.UTC()
	return &b, nil
}

// LoginFailures counts failures for login since t.
func (s *Store) LoginFailures(ctx context.Context, login string, since time.Time) (int, error) {
	var n int
	err := s.queryRow(ctx, "login_failures", `SELECT COUNT(*) FROM login_failures WHERE login = ? AND at >= ?`,
		[]any{login, T(since)}, &n)
	return n, err
}

// RecordLoginFailure adds one failure for login at t.
func (s *Store) RecordLoginFailure(ctx context.Context, login string, at time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO login_failures (login, at) VALUES (?, ?)`, login, T(at))
	return err
}
