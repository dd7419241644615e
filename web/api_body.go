package web

import (
	"net/http"
	"strings"
)

func (s *Server) apiLGList(w http.ResponseWriter, r *http.Request) error {
	lgs, err := s.deps.Services.LocalGovernments(r.Context(), r.URL.Query().Get("pref"))
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
	lg, err := s.deps.Services.LocalGovernment(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toAPILG(lg))
}

func (s *Server) apiBodyList(w http.ResponseWriter, r *http.Request) error {
	bs, err := s.deps.Services.Bodies(r.Context(), r.URL.Query().Get("lg"))
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
	b, err := s.deps.Services.Body(r.Context(), id)
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
	b.ID = 0
	b.Name = strings.TrimSpace(b.Name)
	if err := s.deps.Services.CreateBody(r.Context(), &b); err != nil {
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
	b := in.body()
	b.ID = id
	if err := actor(r).RequireBody(id, bodyEditors...); err != nil {
		return err
	}
	if err := s.deps.Services.UpdateBody(r.Context(), &b); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toAPIBody(&b))
}
