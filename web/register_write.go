package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

func asFault(err error, fe **fault.Error) bool { return errors.As(err, fe) }

// createEntry stores a new register entry of e.BodyID through the services.
func (s *Server) createEntry(r *http.Request, e *platform.RegisterEntry) error {
	if err := actor(r).RequireBody(e.BodyID, registerWriters...); err != nil {
		return err
	}
	return s.deps.Services.CreateRegisterEntry(r.Context(), e)
}

// updateEntry stores e as a new version (e.Version must be the version read).
func (s *Server) updateEntry(r *http.Request, e *platform.RegisterEntry, reason string) error {
	if err := actor(r).RequireBody(e.BodyID, registerWriters...); err != nil {
		return err
	}
	return s.deps.Services.UpdateRegisterEntry(r.Context(), e, reason)
}

// importEntries stores all entries — new ones, and new versions of those
// with the ID of an entry of the same body — in one transaction: all or
// nothing. Each entry gets its audit record from the services.
func (s *Server) importEntries(r *http.Request, body platform.ID, es []platform.RegisterEntry) (created, updated int, err error) {
	if err := actor(r).RequireBody(body, registerWriters...); err != nil {
		return 0, 0, err
	}
	ctx := r.Context()
	err = s.deps.Store.Atomic(ctx, func(st platform.Store) error {
		created, updated = 0, 0
		tx := *s.deps.Services
		tx.Store = st
		for i := range es {
			e := &es[i]
			e.BodyID = body
			if e.ID == 0 {
				if err := tx.CreateRegisterEntry(ctx, e); err != nil {
					return err
				}
				created++
				continue
			}
			old, err := tx.RegisterEntry(ctx, e.ID)
			if err != nil || old.BodyID != body {
				id := strconv.FormatInt(e.ID, 10)
				return fault.New(fault.Invalid, "entry "+id+" is not in this register",
					"ID "+id+" はこの実施機関のファイル簿にありません").In("id")
			}
			e.Version, e.Published = old.Version, old.Published
			if err := tx.UpdateRegisterEntry(ctx, e, "import"); err != nil {
				return err
			}
			updated++
		}
		return nil
	})
	return created, updated, err
}
