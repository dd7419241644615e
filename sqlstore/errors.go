package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/tokumei/tokumei/fault"
)

// translate maps a driver error to a fault error: the one place where
// driver error codes are read. Faults and nil pass through.
func (db *DB) translate(err error) error {
	if err == nil {
		return nil
	}
	var fe *fault.Error
	if errors.As(err, &fe) {
		return err
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fault.New(fault.NotFound, "not found", "見つかりません").Wrap(err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fault.New(fault.Unavailable, "the request was cancelled", "処理が中断されました").Wrap(err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return fault.New(fault.Conflict, "already exists", "既に登録されています").Wrap(err)
		case "23503":
			return fault.New(fault.Invalid, "refers to a record that does not exist", "参照先が存在しません").Wrap(err)
		case "40001", "40P01":
			return fault.New(fault.Conflict, "concurrent update, try again", "同時に更新されました。もう一度お試しください").Wrap(err)
		}
		return fault.Errorf(fault.Internal, "database error").Wrap(err)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fault.New(fault.Conflict, "already exists", "既に登録されています").Wrap(err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fault.New(fault.Invalid, "refers to a record that does not exist", "参照先が存在しません").Wrap(err)
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return fault.New(fault.Unavailable, "database busy, try again", "データベースが混み合っています").Wrap(err)
		}
	}
	return fault.Errorf(fault.Internal, "database error").Wrap(err)
}

// sqliteBusy tells whether err is SQLite's "database is locked".
func sqliteBusy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	c := se.Code() & 0xff // the primary code of an extended one
	return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
}

// notFound translates err, naming what when it is a missing row.
func (s *Store) notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fault.New(fault.NotFound, what+" not found", "見つかりません").In(what)
	}
	return s.db.translate(err)
}
