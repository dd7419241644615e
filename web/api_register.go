package web

import (
	"net/http"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/web/i18n"
)

func (s *Server) apiRegisterList(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bodyFor(r, false)
	if err != nil {
		return err
	}
	es, err := s.deps.Services.RegisterEntries(r.Context(), b.ID)
	if err != nil {
		return err
	}
	out := make([]apiRegisterEntry, 0, len(es))
	for i := range es {
		out = append(out, toAPIEntry(&es[i]))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiRegisterShow(w http.ResponseWriter, r *http.Request) error {
	_, e, err := s.entryFor(r, false)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toAPIEntry(e))
}

func (s *Server) apiRegisterHistory(w http.ResponseWriter, r *http.Request) error {
	_, e, err := s.entryFor(r, false)
	if err != nil {
		return err
	}
	h, err := s.deps.Services.RegisterHistory(r.Context(), e.ID)
	if err != nil {
		return err
	}
	out := make([]apiRegisterChange, 0, len(h))
	for i := range h {
		c := &h[i]
		out = append(out, apiRegisterChange{Version: c.Version, At: c.At, ActorID: c.ActorID, Reason: c.Reason,
			Entry: toAPIEntry(&c.Entry)})
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiRegisterCreate(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bodyFor(r, true)
	if err != nil {
		return err
	}
	var in apiRegisterEntry
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e, err := in.entry()
	if err != nil {
		return err
	}
	e.ID, e.BodyID, e.Version = 0, b.ID, 0
	if err := s.createEntry(r, &e); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toAPIEntry(&e))
}

// apiRegisterUpdate replaces an entry; "version" must be the version read,
// else 409 conflict.
func (s *Server) apiRegisterUpdate(w http.ResponseWriter, r *http.Request) error {
	b, old, err := s.entryFor(r, true)
	if err != nil {
		return err
	}
	var in apiRegisterUpdate
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e, err := in.entry()
	if err != nil {
		return err
	}
	e.ID, e.BodyID = old.ID, b.ID
	if e.Version == 0 {
		return fault.New(fault.Invalid, "version is required", "version を指定してください").In("version")
	}
	if err := s.updateEntry(r, &e, in.Reason); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toAPIEntry(&e))
}

// apiRegisterImport takes a multipart "file" (CSV or XLSX). All rows are
// stored, or none: 400 with every row error.
func (s *Server) apiRegisterImport(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bodyFor(r, true)
	if err != nil {
		return err
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return fault.New(fault.Invalid, "multipart part \"file\" is required", "ファイルを選択してください").In("file")
	}
	defer f.Close()
	es, errs := parseRegisterFile(f, hdr.Filename)
	res := apiImportResult{Errors: []apiImportError{}}
	if len(errs) == 0 {
		res.Created, res.Updated, err = s.importEntries(r, b.ID, es)
		if err == nil {
			return writeJSON(w, http.StatusOK, res)
		}
		if c := fault.ErrorCode(err); c != fault.Invalid && c != fault.Conflict {
			return err
		}
		errs = []importError{{Err: err}}
	}
	for _, ie := range errs {
		res.Errors = append(res.Errors, apiImportError{Line: lineOf(ie), Field: ie.Field,
			Message: ie.message(i18n.EN), MessageJA: ie.message(i18n.JA)})
	}
	return writeJSON(w, http.StatusBadRequest, res)
}

func lineOf(ie importError) int {
	var fe *fault.Error
	if ie.Line == 0 && asFault(ie.Err, &fe) {
		return fe.Line
	}
	return ie.Line
}
