package web

import (
	"net/http"

	"github.com/tokumei/tokumei/auth"
)

type tokenData struct {
	Token string
	Days  int
}

func (s *Server) tokenForm(w http.ResponseWriter, r *http.Request) error {
	return s.page(w, r, "api_token", tokenData{Days: int(auth.APITokenTTL.Hours() / 24)})
}

// tokenCreate issues an API bearer token for the logged-in user and shows
// it once; only its hash is stored.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) error {
	u := state(r.Context()).user
	tok, _, err := s.auth.StartAPI(r.Context(), u)
	if err != nil {
		return err
	}
	s.audit(r, actor(r), "auth.api_token", "user", itoa(u.ID), "")
	return s.page(w, r, "api_token", tokenData{Token: tok, Days: int(auth.APITokenTTL.Hours() / 24)})
}
