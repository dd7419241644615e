package web

import (
	"net/http"
	"strings"

	"github.com/tokumei/tokumei/platform"
)

func (s *Server) apiLGList(w http.ResponseWriter, r *http.Request) error {
	lgs, err := s.deps.Store.LocalGovernments(r.Context(), r.URL.Query().Get("pref"))
	if err != nil {
		return err
	}
	out := make([]apiLocalGovernment, 0, len(lgs))
	for i := range lgs {
		out = append(out, toAPILG(&lgs[i]))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiLGShow(w http.ResponseWriter, r *http.Request) error {
	lg, err := s.deps.Store.LocalGovernment(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toAPILG(lg))
}

func (s *Server) apiBodyList(w http.ResponseWriter, r *http.Request) error {
	bs, err := s.deps.Store.Bodies(r.Context(), r.URL.Query().Get("lg"))
	if err != nil {
		return err
	}
	out := []apiBody{}
	for i := range bs {
		out = append(out, toAPIBody(&bs[i]))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiBodyShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "body")
	if err != nil {
		return err
	}
	b, err := s.deps.Store.Body(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toAPIBody(b))
}

func (s *Server) apiBodyCreate(w http.ResponseWriter, r *http.Request) error {
	var in apiBody
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	b := in.body()
	b.ID, b.CreatedAt = 0, s.now()
	b.Name = strings.TrimSpace(b.Name)
	if err := b.Validate(); err != nil {
		return err
	}
	if _, err := s.deps.Store.LocalGovernment(r.Context(), b.LGCode); err != nil {
		return err
	}
	a := actor(r)
	err := s.deps.Store.Atomic(r.Context(), func(st platform.Store) error {
		if err := st.CreateBody(r.Context(), &b); err != nil {
			return err
		}
		_, err := st.AppendAudit(r.Context(), platform.AuditEntry{Actor: a, BodyID: b.ID, Action: "body.create",
			TargetKind: "body", TargetID: itoa(b.ID), Detail: b.Name}, s.now())
		return err
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toAPIBody(&b))
}

func (s *Server) apiBodyUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "body")
	if err != nil {
		return err
	}
	var in apiBody
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	old, err := s.deps.Store.Body(r.Context(), id)
	if err != nil {
		return err
	}
	b := in.body()
	b.ID, b.CreatedAt, b.LGCode = id, old.CreatedAt, old.LGCode
	if err := b.Validate(); err != nil {
		return err
	}
	a := actor(r)
	err = s.deps.Store.Atomic(r.Context(), func(st platform.Store) error {
		if err := st.UpdateBody(r.Context(), &b); err != nil {
			return err
		}
		_, err := st.AppendAudit(r.Context(), platform.AuditEntry{Actor: a, BodyID: b.ID, Action: "body.update",
			TargetKind: "body", TargetID: itoa(b.ID), Detail: b.Name}, s.now())
		return err
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toAPIBody(&b))
}
