package sqlstore

import (
	"context"

	"github.com/tokumei/tokumei/platform"
)

// PutDatasetFile inserts or replaces the file of f.DatasetID.
func (s *Store) PutDatasetFile(ctx context.Context, f *platform.DatasetFile) error {
	doc, err := encodeDoc(f)
	if err != nil {
		return err
	}
	return s.atomic(ctx, func(s *Store) error {
		if _, err := s.exec(ctx, `DELETE FROM dataset_files WHERE dataset_id = ?`, f.DatasetID); err != nil {
			return err
		}
		_, err := s.exec(ctx, `INSERT INTO dataset_files (dataset_id, body_id, vault_id, doc, uploaded_at) VALUES (?, ?, ?, ?, ?)`,
			f.DatasetID, f.BodyID, f.VaultID, doc, T(f.UploadedAt))
		return err
	})
}

// DatasetFile returns the file of a dataset.
func (s *Store) DatasetFile(ctx context.Context, datasetID string) (*platform.DatasetFile, error) {
	var doc string
	if err := s.queryRow(ctx, "dataset file", `SELECT doc FROM dataset_files WHERE dataset_id = ?`, []any{datasetID}, &doc); err != nil {
		return nil, err
	}
	var f platform.DatasetFile
	return &f, decodeDoc(doc, &f)
}
