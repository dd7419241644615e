package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

func asFault(err error, fe **fault.Error) bool { return errors.As(err, fe) }

// createEntry validates and stores a new register entry of e.BodyID with
// its audit record, in one transaction.
func (s *Server) createEntry(r *http.Request, e *platform.RegisterEntry) error {
	a := actor(r)
	if err := a.RequireBody(e.BodyID, registerWriters...); err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	e.UpdatedAt = s.now()
	return s.deps.Store.Atomic(r.Context(), func(st platform.Store) error {
		if err := st.CreateRegisterEntry(r.Context(), e, a.UserID); err != nil {
			return err
		}
		_, err := st.AppendAudit(r.Context(), platform.AuditEntry{Actor: a, BodyID: e.BodyID,
			Action: "register.create", TargetKind: "register_entry", TargetID: strconv.FormatInt(e.ID, 10),
			Detail: e.FileName}, s.now())
		return err
	})
}

// updateEntry stores e as a new version (e.Version must be the version
// read) with its audit record.
func (s *Server) updateEntry(r *http.Request, e *platform.RegisterEntry, reason string) error {
	a := actor(r)
	if err := a.RequireBody(e.BodyID, registerWriters...); err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	e.UpdatedAt = s.now()
	return s.deps.Store.Atomic(r.Context(), func(st platform.Store) error {
		old, err := st.RegisterEntry(r.Context(), e.ID)
		if err != nil {
			return err
		}
		if old.BodyID != e.BodyID {
			return fault.New(fault.NotFound, "register entry not found", "ファイル簿の記載が見つかりません")
		}
		if err := st.UpdateRegisterEntry(r.Context(), e, a.UserID, reason); err != nil {
			return err
		}
		_, err = st.AppendAudit(r.Context(), platform.AuditEntry{Actor: a, BodyID: e.BodyID,
			Action: "register.update", TargetKind: "register_entry", TargetID: strconv.FormatInt(e.ID, 10),
			Detail: reason}, s.now())
		return err
	})
}

// importEntries stores all entries (new ones, and updates of those with an
// ID of the same body) in one transaction: all or nothing.
func (s *Server) importEntries(r *http.Request, body platform.ID, es []platform.RegisterEntry) (created, updated int, err error) {
	a := actor(r)
	if err := a.RequireBody(body, registerWriters...); err != nil {
		return 0, 0, err
	}
	err = s.deps.Store.Atomic(r.Context(), func(st platform.Store) error {
		created, updated = 0, 0
		for i := range es {
			e := &es[i]
			e.BodyID, e.UpdatedAt = body, s.now()
			if e.ID == 0 {
				if err := st.CreateRegisterEntry(r.Context(), e, a.UserID); err != nil {
					return err
				}
				created++
				continue
			}
			old, err := st.RegisterEntry(r.Context(), e.ID)
			if err != nil || old.BodyID != body {
				return fault.New(fault.Invalid, "entry "+strconv.FormatInt(e.ID, 10)+" is not in this register",
					"ID "+strconv.FormatInt(e.ID, 10)+" はこの実施機関のファイル簿にありません").In("id")
			}
			e.Version, e.Published = old.Version, old.Published
			if err := st.UpdateRegisterEntry(r.Context(), e, a.UserID, "import"); err != nil {
				return err
			}
			updated++
		}
		_, err := st.AppendAudit(r.Context(), platform.AuditEntry{Actor: a, BodyID: body,
			Action: "register.import", TargetKind: "register", TargetID: strconv.FormatInt(body, 10),
			Detail: strconv.Itoa(created) + " created, " + strconv.Itoa(updated) + " updated"}, s.now())
		return err
	})
	return created, updated, err
}
