package platform

import (
	"context"
	"io"
	"time"
)

// Store is the platform's persistence. It is composed of one interface per
// aggregate, so each part of the domain adds its own; the sqlstore package
// implements all of them on SQLite and PostgreSQL. Not-found is reported as a
// fault.NotFound error, a uniqueness violation as fault.Conflict.
type Store interface {
	// Atomic runs fn with a Store bound to one transaction: everything fn
	// writes, audit records included, is committed together or not at all.
	Atomic(ctx context.Context, fn func(Store) error) error

	LocalGovernmentStore
	BodyStore
	UserStore
	SessionStore
	RegisterStore
	AuditStore
	CatalogStore
	CallStore
	ProposalStore
	CaseStore
	FeeStore
	CommissionStore
	DatasetFileStore
}

// LocalGovernmentStore keeps local governments and the state of the scheme.
type LocalGovernmentStore interface {
	// UpsertLocalGovernments inserts or updates by code.
	UpsertLocalGovernments(ctx context.Context, lgs []LocalGovernment) error
	LocalGovernment(ctx context.Context, code string) (*LocalGovernment, error)
	// LocalGovernments lists all, or those of one prefecture when prefCode != "".
	LocalGovernments(ctx context.Context, prefCode string) ([]LocalGovernment, error)
	UpdateSchemeStatus(ctx context.Context, lg *LocalGovernment) error
}

// BodyStore keeps executive bodies.
type BodyStore interface {
	CreateBody(ctx context.Context, b *Body) error
	Body(ctx context.Context, id ID) (*Body, error)
	// Bodies lists bodies, of one local government when lgCode != "".
	Bodies(ctx context.Context, lgCode string) ([]Body, error)
	UpdateBody(ctx context.Context, b *Body) error
}

// UserStore keeps accounts and businesses.
type UserStore interface {
	CreateUser(ctx context.Context, u *User) error
	User(ctx context.Context, id ID) (*User, error)
	UserByLogin(ctx context.Context, login string) (*User, error)
	Users(ctx context.Context) ([]User, error)
	UpdateUser(ctx context.Context, u *User) error
	CreateBusiness(ctx context.Context, b *Business) error
	Business(ctx context.Context, id ID) (*Business, error)
	// LoginFailures counts failures for login since t; RecordLoginFailure adds one.
	LoginFailures(ctx context.Context, login string, since time.Time) (int, error)
	RecordLoginFailure(ctx context.Context, login string, at time.Time) error
}

// SessionStore keeps login sessions.
type SessionStore interface {
	CreateSession(ctx context.Context, s *Session) error
	Session(ctx context.Context, tokenHash string) (*Session, error)
	UpdateSession(ctx context.Context, s *Session) error
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) error
}

// RegisterStore keeps the file registers and their history.
type RegisterStore interface {
	// CreateRegisterEntry stores e as version 1 with its first history row.
	CreateRegisterEntry(ctx context.Context, e *RegisterEntry, actor ID) error
	RegisterEntry(ctx context.Context, id ID) (*RegisterEntry, error)
	// RegisterEntries lists the entries of one body (bodyID > 0) or of all bodies.
	RegisterEntries(ctx context.Context, bodyID ID) ([]RegisterEntry, error)
	// UpdateRegisterEntry stores e as a new version and appends its history;
	// it fails with fault.Conflict when e.Version is not the stored version.
	UpdateRegisterEntry(ctx context.Context, e *RegisterEntry, actor ID, reason string) error
	RegisterHistory(ctx context.Context, id ID) ([]RegisterChange, error)
}

// AuditStore keeps the audit chain. Append takes a lock so that concurrent
// writers (several servers on one PostgreSQL database) form one chain.
type AuditStore interface {
	AppendAudit(ctx context.Context, e AuditEntry, at time.Time) (*AuditRecord, error)
	// AuditRecords returns records with from <= Seq < to (to == 0: to the end), in Seq order.
	AuditRecords(ctx context.Context, from, to int64) ([]AuditRecord, error)
}

// Vault stores files encrypted: source extracts, outputs, attachments.
type Vault interface {
	// Put encrypts r under a fresh per-file key and returns the object with
	// its SHA-256 (of the clear text) and size. Streaming: memory stays small.
	Put(ctx context.Context, name string, r io.Reader) (*VaultObject, error)
	// Open decrypts the object; reading fails if the ciphertext was altered.
	Open(ctx context.Context, id string) (io.ReadCloser, error)
	// Delete removes the ciphertext and its wrapped key irrecoverably.
	Delete(ctx context.Context, id string) error
}

// VaultObject describes a stored encrypted file.
type VaultObject struct {
	ID        string
	Name      string
	SHA256    string
	Size      int64
	CreatedAt time.Time
	DeletedAt *time.Time
}
