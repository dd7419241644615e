package platform

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// AuditRecord is one link of the append-only, hash-chained audit log: a
// state change or a read of protected data.
type AuditRecord struct {
	Seq        int64 // 1, 2, 3 … without gaps
	At         time.Time
	ActorID    ID
	ActorLogin string
	BodyID     ID     // the body the act concerns or is attributed to, 0 if none
	Action     string // e.g. "register.update", "vault.read", "case.transition"
	TargetKind string // e.g. "register_entry", "case", "vault_object"
	TargetID   string
	Detail     string // short JSON or text; never source data
	PrevHash   string
	Hash       string
}

// ChainHash computes the hash of r from its fields and PrevHash.
func (r *AuditRecord) ChainHash() string {
	h := sha256.New()
	fields := []string{
		strconv.FormatInt(r.Seq, 10), r.At.UTC().Format(time.RFC3339Nano),
		strconv.FormatInt(r.ActorID, 10), r.ActorLogin, strconv.FormatInt(r.BodyID, 10),
		r.Action, r.TargetKind, r.TargetID, r.Detail, r.PrevHash,
	}
	for _, f := range fields {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Seal sets PrevHash and Seq from prev (nil for the first record) and Hash.
func (r *AuditRecord) Seal(prev *AuditRecord) {
	if prev == nil {
		r.Seq, r.PrevHash = 1, ""
	} else {
		r.Seq, r.PrevHash = prev.Seq+1, prev.Hash
	}
	r.Hash = r.ChainHash()
}

// VerifyChain checks records given in Seq order from the first: sequence
// without gaps, each PrevHash equal to the previous Hash, each Hash recomputed.
// The error names the first bad record.
func VerifyChain(records []AuditRecord) error {
	var prevHash string
	for i := range records {
		r := &records[i]
		bad := func(why string) error {
			return fault.Errorf(fault.Conflict, "audit record %d (%s %s %s): %s", r.Seq, r.Action, r.TargetKind, r.TargetID, why)
		}
		if r.Seq != int64(i+1) {
			return bad(fmt.Sprintf("sequence %d found where %d expected (removed or reordered)", r.Seq, i+1))
		}
		if r.PrevHash != prevHash {
			return bad("previous-hash link broken (a record before it was altered, removed or reordered)")
		}
		if r.ChainHash() != r.Hash {
			return bad("content does not match its hash (altered)")
		}
		prevHash = r.Hash
	}
	return nil
}

// AuditEntry is what a service asks to record; the store seals it.
type AuditEntry struct {
	Actor      Actor
	BodyID     ID
	Action     string
	TargetKind string
	TargetID   string
	Detail     string
}

// Summary returns a one-line description of the record for listings.
func (r *AuditRecord) Summary() string {
	return strings.TrimSpace(fmt.Sprintf("%s %s:%s %s", r.Action, r.TargetKind, r.TargetID, r.Detail))
}
