package platform

import (
	"context"

	"github.com/tokumei/tokumei/fault"
)

// AuditRecords returns records from <= Seq < to (to == 0: to the end) to
// auditors and administrators.
func (s *Services) AuditRecords(ctx context.Context, from, to int64) ([]AuditRecord, error) {
	if _, err := s.actor(ctx, RoleAuditor, RoleAdmin); err != nil {
		return nil, err
	}
	return s.Store.AuditRecords(ctx, from, to)
}

// VerifyAudit checks the whole chain (auditors and administrators) and
// returns the number of records and the last hash.
func (s *Services) VerifyAudit(ctx context.Context) (int64, string, error) {
	if _, err := s.actor(ctx, RoleAuditor, RoleAdmin); err != nil {
		return 0, "", err
	}
	return VerifyAuditStore(ctx, s.Store)
}

// VerifyAuditStore reads the chain in pages and applies the rules of
// VerifyChain across page boundaries. The error names the first bad record.
// (Stores may add checks, e.g. against a recorded head.)
func VerifyAuditStore(ctx context.Context, st AuditStore) (int64, string, error) {
	const page = 5000
	var prev *AuditRecord
	var n int64
	for from := int64(1); ; from += page {
		recs, err := st.AuditRecords(ctx, from, from+page)
		if err != nil {
			return n, "", err
		}
		if err := verifyAfter(prev, recs); err != nil {
			return n, "", err
		}
		n += int64(len(recs))
		if len(recs) > 0 {
			prev = &recs[len(recs)-1]
		}
		if len(recs) < page {
			break
		}
	}
	if prev == nil {
		return 0, "", nil
	}
	return n, prev.Hash, nil
}

// verifyAfter checks recs as the continuation of the chain after prev (nil:
// recs start the chain).
func verifyAfter(prev *AuditRecord, recs []AuditRecord) error {
	var seq int64
	var hash string
	if prev != nil {
		seq, hash = prev.Seq, prev.Hash
	}
	for i := range recs {
		r := &recs[i]
		bad := func(why string) error {
			return fault.Errorf(fault.Conflict, "audit record %d (%s %s %s): %s", r.Seq, r.Action, r.TargetKind, r.TargetID, why)
		}
		if r.Seq != seq+1 {
			return bad("sequence out of order: a record before it was removed or the records were reordered")
		}
		if r.PrevHash != hash {
			return bad("previous-hash link broken (a record before it was altered, removed or reordered)")
		}
		if r.ChainHash() != r.Hash {
			return bad("content does not match its hash (altered)")
		}
		seq, hash = r.Seq, r.Hash
	}
	return nil
}
