package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/tokumei/tokumei/vault"
)

// The vault backend (vault.Backend): encrypted segments in vault_segments,
// metadata and wrapped keys in vault_objects.

var _ vault.Backend = (*Store)(nil)

// CreateVaultObject stores the metadata and wrapped key of a new object.
func (s *Store) CreateVaultObject(ctx context.Context, o *vault.Object) error {
	_, err := s.exec(ctx, `INSERT INTO vault_objects (id, name, wrapped_key, created_at) VALUES (?, ?, ?, ?)`,
		o.ID, o.Name, o.WrappedKey, T(o.CreatedAt))
	return err
}

// PutVaultSegment stores ciphertext segment n.
func (s *Store) PutVaultSegment(ctx context.Context, id string, n int64, data []byte) error {
	_, err := s.exec(ctx, `INSERT INTO vault_segments (object_id, n, data) VALUES (?, ?, ?)`, id, n, data)
	return err
}

// CompleteVaultObject marks an object fully written.
func (s *Store) CompleteVaultObject(ctx context.Context, id, sha string, size, segments int64) error {
	res, err := s.exec(ctx, `UPDATE vault_objects SET sha256 = ?, size = ?, segments = ?, complete = ? WHERE id = ?`,
		sha, size, segments, true, id)
	return mustAffect(res, err, "vault_object")
}

// VaultObject returns an object's metadata and wrapped key.
func (s *Store) VaultObject(ctx context.Context, id string) (*vault.Object, error) {
	var o vault.Object
	var del sql.NullTime
	err := s.queryRow(ctx, "vault_object", `SELECT id, name, wrapped_key, sha256, size, segments, complete, created_at, deleted_at
		FROM vault_objects WHERE id = ?`, []any{id},
		&o.ID, &o.Name, &o.WrappedKey, &o.SHA256, &o.Size, &o.Segments, &o.Complete, &o.CreatedAt, &del)
	if err != nil {
		return nil, err
	}
	o.CreatedAt, o.DeletedAt = o.CreatedAt.UTC(), ptrT(del)
	return &o, nil
}

// VaultSegment returns ciphertext segment n.
func (s *Store) VaultSegment(ctx context.Context, id string, n int64) ([]byte, error) {
	var data []byte
	err := s.queryRow(ctx, "vault_segment", `SELECT data FROM vault_segments WHERE object_id = ? AND n = ?`, []any{id, n}, &data)
	return data, err
}

// DeleteVaultObject removes the segments and the wrapped key in one
// transaction, keeping the metadata with the deletion time.
func (s *Store) DeleteVaultObject(ctx context.Context, id string, at time.Time) error {
	return s.atomic(ctx, func(s *Store) error {
		if _, err := s.exec(ctx, `DELETE FROM vault_segments WHERE object_id = ?`, id); err != nil {
			return err
		}
		res, err := s.exec(ctx, `UPDATE vault_objects SET wrapped_key = NULL, deleted_at = ? WHERE id = ? AND deleted_at IS NULL`, T(at), id)
		return mustAffect(res, err, "vault_object")
	})
}
