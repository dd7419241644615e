package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

// This file stores the procedure's aggregates (calls, proposals, cases) as
// JSON documents with the columns that lists filter on.

func encodeDoc(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fault.Errorf(fault.Internal, "encode document").Wrap(err)
	}
	return string(b), nil
}

func decodeDoc(doc string, v any) error {
	if err := json.Unmarshal([]byte(doc), v); err != nil {
		return fault.Errorf(fault.Internal, "decode document").Wrap(err)
	}
	return nil
}

// queryDocs runs q, whose one column is a JSON document, and decodes each
// row into a T.
func queryDocs[T any](ctx context.Context, s *Store, q string, args ...any) ([]T, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var out []T
	return out, rowsScan(rows, func(r *sql.Rows) error {
		var doc string
		var v T
		if err := r.Scan(&doc); err != nil {
			return err
		}
		if err := decodeDoc(doc, &v); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
}

// CreateCall stores c and sets c.ID.
func (s *Store) CreateCall(ctx context.Context, c *platform.Call) error {
	c.CreatedAt = T(c.CreatedAt)
	return s.atomic(ctx, func(s *Store) error {
		id, err := s.insert(ctx, `INSERT INTO calls (body_id, published, opens_at, closes_at, doc, created_at) VALUES (?, ?, ?, ?, '{}', ?)`,
			c.BodyID, c.Published, T(c.OpensAt), T(c.ClosesAt), c.CreatedAt)
		if err != nil {
			return err
		}
		c.ID = id
		return s.UpdateCall(ctx, c)
	})
}

// Call returns one call.
func (s *Store) Call(ctx context.Context, id platform.ID) (*platform.Call, error) {
	var doc string
	if err := s.queryRow(ctx, "call", `SELECT doc FROM calls WHERE id = ?`, []any{id}, &doc); err != nil {
		return nil, err
	}
	var c platform.Call
	return &c, decodeDoc(doc, &c)
}

// Calls lists the calls of one body or of all, by opening date.
func (s *Store) Calls(ctx context.Context, bodyID platform.ID) ([]platform.Call, error) {
	return queryDocs[platform.Call](ctx, s, `SELECT doc FROM calls WHERE ? = 0 OR body_id = ? ORDER BY opens_at, id`, bodyID, bodyID)
}

// UpdateCall stores c.
func (s *Store) UpdateCall(ctx context.Context, c *platform.Call) error {
	doc, err := encodeDoc(c)
	if err != nil {
		return err
	}
	res, err := s.exec(ctx, `UPDATE calls SET published = ?, opens_at = ?, closes_at = ?, doc = ? WHERE id = ?`,
		c.Published, T(c.OpensAt), T(c.ClosesAt), doc, c.ID)
	return oneRow(res, err, "call")
}

func oneRow(res sql.Result, err error, what string) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fault.New(fault.NotFound, what+" not found", "見つかりません").In(what)
	}
	return nil
}

// CreateProposal stores p as version 1 and sets p.ID.
func (s *Store) CreateProposal(ctx context.Context, p *platform.Proposal) error {
	return s.atomic(ctx, func(s *Store) error {
		id, err := s.insert(ctx, `INSERT INTO proposals (business_id, state, version, doc, created_at, updated_at) VALUES (?, ?, 0, '{}', ?, ?)`,
			p.BusinessID, p.State, T(p.CreatedAt), T(p.UpdatedAt))
		if err != nil {
			return err
		}
		p.ID, p.Version = id, 0
		return s.UpdateProposal(ctx, p)
	})
}

// Proposal returns one proposal.
func (s *Store) Proposal(ctx context.Context, id platform.ID) (*platform.Proposal, error) {
	var doc string
	if err := s.queryRow(ctx, "proposal", `SELECT doc FROM proposals WHERE id = ?`, []any{id}, &doc); err != nil {
		return nil, err
	}
	var p platform.Proposal
	return &p, decodeDoc(doc, &p)
}

// Proposals lists proposals of one business or all, newest first.
func (s *Store) Proposals(ctx context.Context, businessID platform.ID) ([]platform.Proposal, error) {
	return queryDocs[platform.Proposal](ctx, s, `SELECT doc FROM proposals WHERE ? = 0 OR business_id = ? ORDER BY id DESC`, businessID, businessID)
}

// UpdateProposal stores p as the next version.
func (s *Store) UpdateProposal(ctx context.Context, p *platform.Proposal) error {
	old := p.Version
	p.Version++
	doc, err := encodeDoc(p)
	if err != nil {
		p.Version = old
		return err
	}
	res, err := s.exec(ctx, `UPDATE proposals SET state = ?, version = ?, doc = ?, updated_at = ? WHERE id = ? AND version = ?`,
		p.State, p.Version, doc, T(p.UpdatedAt), p.ID, old)
	if err := versioned(res, err, "proposal"); err != nil {
		p.Version = old
		return err
	}
	return nil
}

func versioned(res sql.Result, err error, what string) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fault.New(fault.Conflict, what+" was changed by someone else; reload and retry",
			"他の利用者が更新しました。再読み込みしてやり直してください").In("version")
	}
	return nil
}

// CreateCase stores c as version 1 and sets c.ID.
func (s *Store) CreateCase(ctx context.Context, c *platform.Case) error {
	return s.atomic(ctx, func(s *Store) error {
		id, err := s.insert(ctx, `INSERT INTO cases (proposal_id, body_id, business_id, state, version, doc, created_at, updated_at)
			VALUES (?, ?, ?, ?, 0, '{}', ?, ?)`, c.ProposalID, c.BodyID, c.BusinessID, c.State, T(c.CreatedAt), T(c.UpdatedAt))
		if err != nil {
			return err
		}
		c.ID, c.Version = id, 0
		return s.UpdateCase(ctx, c)
	})
}

// Case returns one case, with its processing job's progress.
func (s *Store) Case(ctx context.Context, id platform.ID) (*platform.Case, error) {
	var doc string
	var phase sql.NullString
	var pct sql.NullInt64
	var at sql.NullTime
	if err := s.queryRow(ctx, "case", `SELECT c.doc, p.phase, p.percent, p.updated_at FROM cases c
		LEFT JOIN case_job_progress p ON p.case_id = c.id WHERE c.id = ?`, []any{id}, &doc, &phase, &pct, &at); err != nil {
		return nil, err
	}
	var c platform.Case
	if err := decodeDoc(doc, &c); err != nil {
		return nil, err
	}
	c.Progress = nil
	if phase.Valid {
		c.Progress = &platform.JobProgress{Phase: platform.JobPhase(phase.String), Percent: int(pct.Int64), UpdatedAt: T(at.Time)}
	}
	return &c, nil
}

// SetJobProgress stores the progress of a case's processing job.
func (s *Store) SetJobProgress(ctx context.Context, caseID platform.ID, p platform.JobProgress) error {
	_, err := s.exec(ctx, `INSERT INTO case_job_progress (case_id, phase, percent, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (case_id) DO UPDATE SET phase = excluded.phase, percent = excluded.percent, updated_at = excluded.updated_at`,
		caseID, string(p.Phase), p.Percent, T(p.UpdatedAt))
	return err
}

// Cases lists the cases matching f, by id.
func (s *Store) Cases(ctx context.Context, f platform.CaseFilter) ([]platform.Case, error) {
	var where []string
	var args []any
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if f.BodyID != 0 {
		add("body_id = ?", f.BodyID)
	}
	if f.BusinessID != 0 {
		add("business_id = ?", f.BusinessID)
	}
	if f.ProposalID != 0 {
		add("proposal_id = ?", f.ProposalID)
	}
	if f.DatasetID != "" {
		add("dataset_id = ?", f.DatasetID)
	}
	if f.DueBefore != nil {
		add("due_at < ?", T(*f.DueBefore))
	}
	if f.UseToBefore != nil {
		add("use_to < ?", T(*f.UseToBefore))
	}
	if len(f.States) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?, ", len(f.States)), ", ")
		where = append(where, "state IN ("+ph+")")
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	q := `SELECT doc FROM cases`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return queryDocs[platform.Case](ctx, s, q+" ORDER BY id", args...)
}

// UpdateCase stores c as the next version.
func (s *Store) UpdateCase(ctx context.Context, c *platform.Case) error {
	old := c.Version
	c.Version++
	stored := *c
	stored.Progress = nil // kept in case_job_progress
	doc, err := encodeDoc(&stored)
	if err != nil {
		c.Version = old
		return err
	}
	var useTo *time.Time
	if !c.UseTo.IsZero() {
		useTo = &c.UseTo
	}
	res, err := s.exec(ctx, `UPDATE cases SET state = ?, dataset_id = ?, due_at = ?, use_to = ?, version = ?, doc = ?, updated_at = ?
		WHERE id = ? AND version = ?`, c.State, c.DatasetID, nullT(c.DueAt), nullT(useTo), c.Version, doc, T(c.UpdatedAt), c.ID, old)
	if err := versioned(res, err, "case"); err != nil {
		c.Version = old
		return err
	}
	return nil
}

// AddEvent appends e to the timeline and sets e.ID.
func (s *Store) AddEvent(ctx context.Context, e *platform.Event) error {
	e.At = T(e.At)
	id, err := s.insert(ctx, `INSERT INTO case_events (proposal_id, case_id, at, actor_id, actor_login, role, body_id, action, from_state, to_state, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ProposalID, e.CaseID, e.At, e.ActorID, e.ActorLogin, e.Role, e.BodyID,
		e.Action, e.From, e.To, e.Note)
	e.ID = id
	return err
}

// Events returns the timeline of a proposal and its cases.
func (s *Store) Events(ctx context.Context, proposalID platform.ID) ([]platform.Event, error) {
	rows, err := s.query(ctx, `SELECT id, proposal_id, case_id, at, actor_id, actor_login, role, body_id, action, from_state, to_state, note
		FROM case_events WHERE proposal_id = ? ORDER BY id`, proposalID)
	if err != nil {
		return nil, err
	}
	var out []platform.Event
	return out, rowsScan(rows, func(r *sql.Rows) error {
		var e platform.Event
		if err := r.Scan(&e.ID, &e.ProposalID, &e.CaseID, &e.At, &e.ActorID, &e.ActorLogin, &e.Role, &e.BodyID,
			&e.Action, &e.From, &e.To, &e.Note); err != nil {
			return err
		}
		e.At = e.At.UTC()
		out = append(out, e)
		return nil
	})
}

// CreateDownload stores a grant, replacing an earlier one for the same user.
func (s *Store) CreateDownload(ctx context.Context, d *platform.Download) error {
	return s.atomic(ctx, func(s *Store) error {
		if _, err := s.exec(ctx, `DELETE FROM case_downloads WHERE case_id = ? AND user_id = ?`, d.CaseID, d.UserID); err != nil {
			return err
		}
		_, err := s.exec(ctx, `INSERT INTO case_downloads (case_id, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)`,
			d.CaseID, d.UserID, T(d.ExpiresAt), T(d.CreatedAt))
		return err
	})
}

// Downloads lists the grants of a case.
func (s *Store) Downloads(ctx context.Context, caseID platform.ID) ([]platform.Download, error) {
	rows, err := s.query(ctx, `SELECT case_id, user_id, expires_at, used_at, created_at FROM case_downloads WHERE case_id = ? ORDER BY user_id`, caseID)
	if err != nil {
		return nil, err
	}
	var out []platform.Download
	return out, rowsScan(rows, func(r *sql.Rows) error {
		var d platform.Download
		var used sql.NullTime
		if err := r.Scan(&d.CaseID, &d.UserID, &d.ExpiresAt, &used, &d.CreatedAt); err != nil {
			return err
		}
		d.ExpiresAt, d.CreatedAt, d.UsedAt = d.ExpiresAt.UTC(), d.CreatedAt.UTC(), ptrT(used)
		out = append(out, d)
		return nil
	})
}

// UseDownload consumes the grant once, atomically across servers.
func (s *Store) UseDownload(ctx context.Context, caseID, userID platform.ID, now time.Time) (*platform.Download, error) {
	res, err := s.exec(ctx, `UPDATE case_downloads SET used_at = ? WHERE case_id = ? AND user_id = ? AND used_at IS NULL AND expires_at > ?`,
		T(now), caseID, userID, T(now))
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		ds, err := s.Downloads(ctx, caseID)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			if d.UserID == userID {
				return &d, nil
			}
		}
	}
	var used sql.NullTime
	var exp time.Time
	if err := s.queryRow(ctx, "download", `SELECT used_at, expires_at FROM case_downloads WHERE case_id = ? AND user_id = ?`,
		[]any{caseID, userID}, &used, &exp); err != nil {
		return nil, err
	}
	if used.Valid {
		return nil, fault.New(fault.Conflict, "this download has already been used", "このダウンロードは使用済みです")
	}
	return nil, fault.New(fault.Conflict, "this download has expired", "ダウンロードの有効期限が切れています")
}

// AddDisqualification records a disqualification.
func (s *Store) AddDisqualification(ctx context.Context, d *platform.Disqualification) error {
	_, err := s.insert(ctx, `INSERT INTO disqualifications (business_id, case_id, from_at, until_at, reason) VALUES (?, ?, ?, ?, ?)`,
		d.BusinessID, d.CaseID, T(d.From), T(d.Until), d.Reason)
	return err
}

// Disqualifications lists the disqualifications of a business (of every
// business when businessID is 0).
func (s *Store) Disqualifications(ctx context.Context, businessID platform.ID) ([]platform.Disqualification, error) {
	rows, err := s.query(ctx, `SELECT business_id, case_id, from_at, until_at, reason FROM disqualifications WHERE ? = 0 OR business_id = ? ORDER BY id`, businessID, businessID)
	if err != nil {
		return nil, err
	}
	var out []platform.Disqualification
	return out, rowsScan(rows, func(r *sql.Rows) error {
		var d platform.Disqualification
		if err := r.Scan(&d.BusinessID, &d.CaseID, &d.From, &d.Until, &d.Reason); err != nil {
			return err
		}
		d.From, d.Until = d.From.UTC(), d.Until.UTC()
		out = append(out, d)
		return nil
	})
}
