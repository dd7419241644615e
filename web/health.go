package web

import (
	"context"
	"net/http"
	"time"
)

// healthz answers 200 when the store answers, 503 otherwise.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	status, body := http.StatusOK, map[string]string{"status": "ok"}
	if _, err := s.deps.Store.Bodies(ctx, "000000"); err != nil {
		s.log.Error("healthz: store", "error", err)
		status, body = http.StatusServiceUnavailable, map[string]string{"status": "unavailable"}
	}
	return writeJSON(w, status, body)
}

// adapt turns a plain handler into a route handler.
func adapt(h http.Handler) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error { h.ServeHTTP(w, r); return nil }
}
