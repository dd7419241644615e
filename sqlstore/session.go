package sqlstore

import (
	"context"
	"time"

	"github.com/tokumei/tokumei/platform"
)

// CreateSession stores a login session.
func (s *Store) CreateSession(ctx context.Context, ss *platform.Session) error {
	ss.CreatedAt, ss.ExpiresAt = T(ss.CreatedAt), T(ss.ExpiresAt)
	_, err := s.exec(ctx, `INSERT INTO sessions (token_hash, user_id, csrf, totp_passed, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, ss.TokenHash, ss.UserID, ss.CSRF, ss.TOTPPassed, ss.CreatedAt, ss.ExpiresAt)
	return err
}

// Session returns the session with that token hash (expired ones too; the
// caller checks ExpiresAt).
func (s *Store) Session(ctx context.Context, tokenHash string) (*platform.Session, error) {
	var ss platform.Session
	err := s.queryRow(ctx, "session", `SELECT token_hash, user_id, csrf, totp_passed, created_at, expires_at
		FROM sessions WHERE token_hash = ?`, []any{tokenHash},
		&ss.TokenHash, &ss.UserID, &ss.CSRF, &ss.TOTPPassed, &ss.CreatedAt, &ss.ExpiresAt)
	if err != nil {
		return nil, err
	}
	ss.CreatedAt, ss.ExpiresAt = ss.CreatedAt.UTC(), ss.ExpiresAt.UTC()
	return &ss, nil
}

// UpdateSession stores CSRF, TOTPPassed and ExpiresAt.
func (s *Store) UpdateSession(ctx context.Context, ss *platform.Session) error {
	ss.ExpiresAt = T(ss.ExpiresAt)
	res, err := s.exec(ctx, `UPDATE sessions SET csrf = ?, totp_passed = ?, expires_at = ? WHERE token_hash = ?`,
		ss.CSRF, ss.TOTPPassed, ss.ExpiresAt, ss.TokenHash)
	return mustAffect(res, err, "session")
}

// DeleteSession removes a session (logout); a missing one is not an error.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return err
}

// DeleteExpiredSessions removes sessions that expired before now.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) error {
	_, err := s.exec(ctx, `DELETE FROM sessions WHERE expires_at < ?`, T(now))
	return err
}
