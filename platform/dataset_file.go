package platform

import (
	"context"
	"time"
)

// DatasetFile is the file of anonymised information a body created without
// a proposal (domain.md §2.5): the dataset it belongs to, the encrypted
// object in the vault with its hash and counts, the reference of its
// processing record (作成の記録, kept by the body), and the work its
// creation took, from which the fee of a reuse contract is computed
// (art. 118 with art. 119: the amount a contract under art. 115 would pay).
// It is protected: it never appears in a public response.
type DatasetFile struct {
	DatasetID   string    `json:"dataset_id"`
	BodyID      ID        `json:"body_id"`
	VaultID     string    `json:"vault_id"`
	Name        string    `json:"name"` // the uploaded file name
	SHA256      string    `json:"sha256"`
	Size        int64     `json:"size"`
	Encoding    string    `json:"encoding"`
	Rows        int64     `json:"rows"`
	Columns     []string  `json:"columns"`
	RecordRef   string    `json:"record_ref"`  // 作成の記録の番号・所在
	Hours       float64   `json:"hours"`       // 作成に要した時間
	Outsourcing int64     `json:"outsourcing"` // 委託を受けた者に支払った額
	UploadedAt  time.Time `json:"uploaded_at"`
	UploadedBy  ID        `json:"uploaded_by"`
}

// DatasetFileStore keeps the files of body-created datasets, one per dataset.
type DatasetFileStore interface {
	// PutDatasetFile inserts or replaces the file of f.DatasetID.
	PutDatasetFile(ctx context.Context, f *DatasetFile) error
	// DatasetFile returns the file of a dataset, or a fault.NotFound error.
	DatasetFile(ctx context.Context, datasetID string) (*DatasetFile, error)
}

// DatasetFileMeta is what the body states with the file it uploads.
type DatasetFileMeta struct {
	RecordRef   string  `json:"record_ref"`
	Hours       float64 `json:"hours"`
	Outsourcing int64   `json:"outsourcing"`
}
