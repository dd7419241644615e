package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

// auditPage is how many records the audit view shows at once.
const auditPage = 50

// auditLog verifies the whole chain and shows a page of records, newest
// first (those before ?before=seq when given).
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	n, _, verr := s.deps.Services.VerifyAudit(ctx)
	if verr != nil && fault.ErrorCode(verr) != fault.Conflict {
		return verr
	}
	end := n + 1 // exclusive
	if b, err := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64); err == nil && b > 0 && b < end {
		end = b
	}
	start := max(1, end-auditPage)
	recs, err := s.deps.Services.AuditRecords(ctx, start, end)
	if err != nil {
		return err
	}
	slices.Reverse(recs)
	d := struct {
		Records []platform.AuditRecord
		Total   int64
		Intact  bool
		Problem string
		Before  int64
	}{Records: recs, Total: n, Intact: verr == nil}
	if verr != nil {
		d.Problem = safeMessage(verr, lang(r))
	}
	if start > 1 {
		d.Before = start
	}
	return s.page(w, r, "audit", d)
}
