package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

const registerColumns = `id, body_id, file_name, unit, purpose, items, subject_scope, subjects, collection_method,
	special_care, regular_recipients, disclosure_office, special_procedures, kind, proposal_invited,
	proposal_office, anon_summary, anon_office, anon_proposal_from, anon_proposal_to, remarks, published,
	version, updated_at`

func scanRegister(r interface{ Scan(...any) error }, e *platform.RegisterEntry) error {
	var items string
	var from, to sql.NullTime
	err := r.Scan(&e.ID, &e.BodyID, &e.FileName, &e.Unit, &e.Purpose, &items, &e.SubjectScope, &e.Subjects,
		&e.CollectionMethod, &e.SpecialCare, &e.RegularRecipients, &e.DisclosureOffice, &e.SpecialProcedures,
		&e.Kind, &e.ProposalInvited, &e.ProposalOffice, &e.AnonSummary, &e.AnonOffice, &from, &to, &e.Remarks,
		&e.Published, &e.Version, &e.UpdatedAt)
	if err != nil {
		return err
	}
	e.AnonProposalFrom, e.AnonProposalTo, e.UpdatedAt = ptrT(from), ptrT(to), e.UpdatedAt.UTC()
	return json.Unmarshal([]byte(items), &e.Items)
}

func registerValues(e *platform.RegisterEntry) ([]any, error) {
	items, err := json.Marshal(e.Items)
	if err != nil {
		return nil, err
	}
	return []any{e.BodyID, e.FileName, e.Unit, e.Purpose, string(items), e.SubjectScope, e.Subjects,
		e.CollectionMethod, e.SpecialCare, e.RegularRecipients, e.DisclosureOffice, e.SpecialProcedures,
		e.Kind, e.ProposalInvited, e.ProposalOffice, e.AnonSummary, e.AnonOffice, nullT(e.AnonProposalFrom),
		nullT(e.AnonProposalTo), e.Remarks, e.Published, e.Version, T(e.UpdatedAt)}, nil
}

// CreateRegisterEntry stores e as version 1 with its first history row.
// A second file of the same name in one body is fault.Conflict.
func (s *Store) CreateRegisterEntry(ctx context.Context, e *platform.RegisterEntry, actor platform.ID) error {
	return s.atomic(ctx, func(s *Store) error {
		e.Version, e.UpdatedAt = 1, T(e.UpdatedAt)
		vals, err := registerValues(e)
		if err != nil {
			return err
		}
		id, err := s.insert(ctx, `INSERT INTO register_entries (`+registerColumns[4:]+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, vals...)
		if err != nil {
			return err
		}
		e.ID = id
		return s.appendRegisterHistory(ctx, e, actor, "created")
	})
}

func (s *Store) appendRegisterHistory(ctx context.Context, e *platform.RegisterEntry, actor platform.ID, reason string) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, `INSERT INTO register_history (entry_id, version, at, actor_id, entry, reason)
		VALUES (?, ?, ?, ?, ?, ?)`, e.ID, e.Version, e.UpdatedAt, actor, string(b), reason)
	return err
}

// RegisterEntry returns one entry.
func (s *Store) RegisterEntry(ctx context.Context, id platform.ID) (*platform.RegisterEntry, error) {
	rows, err := s.query(ctx, `SELECT `+registerColumns+` FROM register_entries WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	es, err := scanRegisters(rows)
	if err == nil && len(es) == 0 {
		err = sql.ErrNoRows
	}
	if err != nil {
		return nil, s.notFound(err, "register_entry")
	}
	return &es[0], nil
}

func scanRegisters(rows *sql.Rows) ([]platform.RegisterEntry, error) {
	var out []platform.RegisterEntry
	err := rowsScan(rows, func(r *sql.Rows) error {
		var e platform.RegisterEntry
		if err := scanRegister(r, &e); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// RegisterEntries lists the entries of one body (bodyID > 0) or of all.
func (s *Store) RegisterEntries(ctx context.Context, bodyID platform.ID) ([]platform.RegisterEntry, error) {
	rows, err := s.query(ctx, `SELECT `+registerColumns+` FROM register_entries
		WHERE ? = 0 OR body_id = ? ORDER BY body_id, id`, bodyID, bodyID)
	if err != nil {
		return nil, err
	}
	es, err := scanRegisters(rows)
	return es, s.db.translate(err)
}

// UpdateRegisterEntry stores e as version e.Version+1 and appends history;
// fault.Conflict when e.Version is not the stored version. The body of an
// entry never changes.
func (s *Store) UpdateRegisterEntry(ctx context.Context, e *platform.RegisterEntry, actor platform.ID, reason string) error {
	return s.atomic(ctx, func(s *Store) error {
		cur, err := s.RegisterEntry(ctx, e.ID)
		if err != nil {
			return err
		}
		if cur.Version != e.Version {
			return fault.New(fault.Conflict, "the entry was changed by someone else; reload it",
				"他の利用者が先に更新しました。再読み込みしてください").In("version")
		}
		next := *e
		next.BodyID, next.Version, next.UpdatedAt = cur.BodyID, cur.Version+1, T(e.UpdatedAt)
		vals, err := registerValues(&next)
		if err != nil {
			return err
		}
		res, err := s.exec(ctx, `UPDATE register_entries SET body_id = ?, file_name = ?, unit = ?, purpose = ?,
			items = ?, subject_scope = ?, subjects = ?, collection_method = ?, special_care = ?,
			regular_recipients = ?, disclosure_office = ?, special_procedures = ?, kind = ?, proposal_invited = ?,
			proposal_office = ?, anon_summary = ?, anon_office = ?, anon_proposal_from = ?, anon_proposal_to = ?,
			remarks = ?, published = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			append(vals, e.ID, cur.Version)...)
		if err := mustAffect(res, err, "register_entry"); err != nil {
			return err
		}
		*e = next
		return s.appendRegisterHistory(ctx, e, actor, reason)
	})
}

// RegisterHistory returns every version of an entry, oldest first.
func (s *Store) RegisterHistory(ctx context.Context, id platform.ID) ([]platform.RegisterChange, error) {
	rows, err := s.query(ctx, `SELECT entry_id, version, at, actor_id, entry, reason FROM register_history
		WHERE entry_id = ? ORDER BY version`, id)
	if err != nil {
		return nil, err
	}
	var out []platform.RegisterChange
	err = rowsScan(rows, func(r *sql.Rows) error {
		var c platform.RegisterChange
		var entry string
		if err := r.Scan(&c.EntryID, &c.Version, &c.At, &c.ActorID, &entry, &c.Reason); err != nil {
			return err
		}
		c.At = c.At.UTC()
		out = append(out, c)
		return json.Unmarshal([]byte(entry), &out[len(out)-1].Entry)
	})
	return out, s.db.translate(err)
}
