package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/tokumei/tokumei/platform"
)

// auditPage is how many records the audit view shows at once.
const auditPage = 100

// auditLog shows the latest audit records (or those before ?before=seq) and
// whether the whole chain verifies.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) error {
	all, err := s.deps.Store.AuditRecords(r.Context(), 1, 0)
	if err != nil {
		return err
	}
	verr := platform.VerifyChain(all)
	end := len(all)
	if b, err := strconv.Atoi(r.URL.Query().Get("before")); err == nil && b > 0 && b-1 < end {
		end = b - 1
	}
	start := max(0, end-auditPage)
	recs := slices.Clone(all[start:end])
	slices.Reverse(recs)
	d := struct {
		Records []platform.AuditRecord
		Total   int
		Intact  bool
		Problem string
		Before  int
	}{Records: recs, Total: len(all), Intact: verr == nil}
	if verr != nil {
		d.Problem = safeMessage(verr, lang(r))
	}
	if start > 0 {
		d.Before = start + 1
	}
	s.audit(r, actor(r), "audit.read", "audit", "", "")
	return s.page(w, r, "audit", d)
}
