package web

import (
	"net/http"

	"github.com/tokumei/tokumei/platform"
)

// bodies lists the bodies the actor may read, grouped by local government.
func (s *Server) bodies(w http.ResponseWriter, r *http.Request) error {
	all, err := s.deps.Services.Bodies(r.Context(), r.URL.Query().Get("lg"))
	if err != nil {
		return err
	}
	a := actor(r)
	var list []platform.Body
	for _, b := range all {
		if a.CanReadBody(b.ID) {
			list = append(list, b)
		}
	}
	return s.page(w, r, "body_list", struct {
		Bodies []platform.Body
		LG     string
	}{list, r.URL.Query().Get("lg")})
}
