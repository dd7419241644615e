package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

const auditColumns = `seq, at, actor_id, actor_login, body_id, action, target_kind, target_id, detail, prev_hash, hash`

// AppendAudit seals e onto the end of the chain. Writers are serialised:
// on SQLite by the write transaction (BEGIN IMMEDIATE), on PostgreSQL by a
// transaction-scoped advisory lock, so servers sharing one database build one
// chain. Inside Atomic the record commits or rolls back with the change it
// records.
func (s *Store) AppendAudit(ctx context.Context, e platform.AuditEntry, at time.Time) (*platform.AuditRecord, error) {
	var rec *platform.AuditRecord
	err := s.atomic(ctx, func(s *Store) error {
		if s.db.dialect == Postgres {
			if _, err := s.exec(ctx, `SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))`, lockAudit); err != nil {
				return err
			}
		}
		var prev platform.AuditRecord
		if err := s.queryRow(ctx, "audit_head", `SELECT seq, hash FROM audit_head WHERE id = 1`, nil, &prev.Seq, &prev.Hash); err != nil {
			return err
		}
		rec = &platform.AuditRecord{At: T(at), ActorID: e.Actor.UserID, ActorLogin: e.Actor.Login, BodyID: e.BodyID,
			Action: e.Action, TargetKind: e.TargetKind, TargetID: e.TargetID, Detail: e.Detail}
		if prev.Seq == 0 {
			rec.Seal(nil)
		} else {
			rec.Seal(&prev)
		}
		if _, err := s.exec(ctx, `INSERT INTO audit_records (`+auditColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			rec.Seq, rec.At, rec.ActorID, rec.ActorLogin, rec.BodyID, rec.Action, rec.TargetKind, rec.TargetID,
			rec.Detail, rec.PrevHash, rec.Hash); err != nil {
			return err
		}
		_, err := s.exec(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, rec.Seq, rec.Hash)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// AuditRecords returns records with from <= Seq < to (to == 0: to the end).
func (s *Store) AuditRecords(ctx context.Context, from, to int64) ([]platform.AuditRecord, error) {
	rows, err := s.query(ctx, `SELECT `+auditColumns+` FROM audit_records WHERE seq >= ? AND (? = 0 OR seq < ?) ORDER BY seq`,
		from, to, to)
	if err != nil {
		return nil, err
	}
	var out []platform.AuditRecord
	err = rowsScan(rows, func(r *sql.Rows) error {
		var a platform.AuditRecord
		if err := r.Scan(&a.Seq, &a.At, &a.ActorID, &a.ActorLogin, &a.BodyID, &a.Action, &a.TargetKind,
			&a.TargetID, &a.Detail, &a.PrevHash, &a.Hash); err != nil {
			return err
		}
		a.At = a.At.UTC()
		out = append(out, a)
		return nil
	})
	return out, s.db.translate(err)
}

// VerifyAudit checks the whole chain with platform.VerifyAuditStore, then
// that every stored record belongs to it and that it ends at the recorded
// head (so removing the last records is detected too). It returns the
// number of records and the last hash; the error names the bad record.
func (s *Store) VerifyAudit(ctx context.Context) (int64, string, error) {
	var head platform.AuditRecord
	if err := s.queryRow(ctx, "audit_head", `SELECT seq, hash FROM audit_head WHERE id = 1`, nil, &head.Seq, &head.Hash); err != nil {
		return 0, "", err
	}
	n, last, err := platform.VerifyAuditStore(ctx, s)
	if err != nil {
		return n, "", err
	}
	var total int64
	if err := s.queryRow(ctx, "audit_records", `SELECT COUNT(*) FROM audit_records`, nil, &total); err != nil {
		return n, "", err
	}
	if total != n {
		return n, "", fault.Errorf(fault.Conflict, "audit chain: %d records stored but the chain from record 1 has %d (records after record %d were removed or renumbered)", total, n, n)
	}
	if head.Seq != n || head.Hash != last {
		return n, "", fault.Errorf(fault.Conflict, "audit chain: the head says record %d but the chain ends at record %d (the last records were removed, or the head altered)", head.Seq, n)
	}
	return n, last, nil
}
