package platform

import (
	"context"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// Procedure is the service of the proposal procedure (domain.md §2): calls,
// proposals, per-body cases from review to deletion, fees, contracts,
// intake, processing, delivery and joint commissions. Every method takes the
// actor from ctx, checks the transition against the state machine (role and
// body or business), and writes the change, the timeline event and the audit
// record in one Store.Atomic.
type Procedure struct {
	Store Store
	Vault Vault
	Clock Clock
	// Queue enqueues processing jobs (package jobs); nil runs nothing.
	Queue ProcessingQueue
	// Inspect reads an uploaded extract's header and counts its rows
	// (wired to dataio: CSV in UTF-8 or CP932, XLSX).
	Inspect func(name string, r io.Reader) (*ExtractInfo, error)
	// DownloadTTL is how long a download grant lives; default 7 days.
	DownloadTTL time.Duration
}

// ExtractInfo is what Inspect reports about an extract.
type ExtractInfo struct {
	Columns  []string
	Rows     int64
	Encoding string
}

// ProcessingQueue enqueues a processing job for a case; the job runs once
// even with several servers (package jobs, on the persistent queue).
type ProcessingQueue interface {
	EnqueueProcessing(ctx context.Context, caseID ID, actor Actor) (jobID string, err error)
}

func (p *Procedure) now() time.Time {
	if p.Clock != nil {
		return p.Clock().UTC()
	}
	return time.Now().UTC()
}

func idStr(id ID) string { return strconv.FormatInt(id, 10) }

// record writes a timeline event and its audit record.
func record(ctx context.Context, s Store, a Actor, e Event, now time.Time) error {
	e.At, e.ActorID, e.ActorLogin, e.Role = now, a.UserID, a.Login, a.Role
	if err := s.AddEvent(ctx, &e); err != nil {
		return err
	}
	kind, target := "proposal", idStr(e.ProposalID)
	if e.CaseID != 0 {
		kind, target = "case", idStr(e.CaseID)
	}
	detail := string(e.From) + "→" + string(e.To)
	if e.From == "" {
		detail = ""
	}
	if e.Note != "" {
		detail = (detail + " " + e.Note)
	}
	_, err := s.AppendAudit(ctx, AuditEntry{Actor: a, BodyID: e.BodyID, Action: "case." + string(e.Action),
		TargetKind: kind, TargetID: target, Detail: truncate(detail, 500)}, now)
	return err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	for len(string(r)) > n {
		r = r[:len(r)-1]
	}
	return string(r)
}

// precheck loads a visible case and checks, before work done outside the
// transaction (vault I/O), that the actor may make act from its state;
// caseStep checks again inside the transaction.
func (p *Procedure) precheck(ctx context.Context, caseID ID, act Action) (*Case, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	c, err := p.Case(ctx, caseID)
	if err != nil {
		return nil, err
	}
	tr, err := FindTransition(CaseTransitions, c.State, act)
	if err != nil {
		return nil, err
	}
	return c, tr.Allowed(a, c.BodyID, c.BusinessID)
}

// caseStep runs one transition of a case: load, check the transition and
// the actor, let fn check guards and fill in the record, set state and
// deadline, save, and write the event and the audit record.
func (p *Procedure) caseStep(ctx context.Context, id ID, act Action, note string, fn func(s Store, a Actor, c *Case, now time.Time) error) (*Case, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	var out *Case
	err = p.Store.Atomic(ctx, func(s Store) error {
		c, err := s.Case(ctx, id)
		if err != nil {
			return err
		}
		if !p.canSeeCase(a, c) {
			return fault.New(fault.NotFound, "case not found", "案件が見つかりません")
		}
		tr, err := FindTransition(CaseTransitions, c.State, act)
		if err != nil {
			return err
		}
		if err := tr.Allowed(a, c.BodyID, c.BusinessID); err != nil {
			return err
		}
		now := p.now()
		if fn != nil {
			if err := fn(s, a, c, now); err != nil {
				return err
			}
		}
		from := c.State
		c.State, c.UpdatedAt = tr.To, now
		dl, err := deadlinesOf(ctx, s, c.BodyID)
		if err != nil {
			return err
		}
		c.DueAt = dl.DueFor(tr.To, now)
		if err := s.UpdateCase(ctx, c); err != nil {
			return err
		}
		out = c
		return record(ctx, s, a, Event{ProposalID: c.ProposalID, CaseID: c.ID, BodyID: c.BodyID, Action: act, From: from, To: tr.To, Note: note}, now)
	})
	return out, err
}

// caseEdit records an act on a case that does not change its state (saving
// a review, signing, a certificate). allowed lists the states it may happen
// in; party and roles say who.
func (p *Procedure) caseEdit(ctx context.Context, id ID, act Action, note string, allowed []State, party Party, roles []Role,
	fn func(s Store, a Actor, c *Case, now time.Time) error) (*Case, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	var out *Case
	err = p.Store.Atomic(ctx, func(s Store) error {
		c, err := s.Case(ctx, id)
		if err != nil {
			return err
		}
		if !p.canSeeCase(a, c) {
			return fault.New(fault.NotFound, "case not found", "案件が見つかりません")
		}
		if !slices.Contains(allowed, c.State) {
			return fault.New(fault.Conflict, string(act)+" is not allowed in state "+string(c.State),
				"状態「"+c.State.JA()+"」ではこの操作はできません").In("state")
		}
		if err := (Transition{Party: party, Roles: roles}).Allowed(a, c.BodyID, c.BusinessID); err != nil {
			return err
		}
		now := p.now()
		if err := fn(s, a, c, now); err != nil {
			return err
		}
		c.UpdatedAt = now
		if err := s.UpdateCase(ctx, c); err != nil {
			return err
		}
		out = c
		return record(ctx, s, a, Event{ProposalID: c.ProposalID, CaseID: c.ID, BodyID: c.BodyID, Action: act, Note: note}, now)
	})
	return out, err
}

func deadlinesOf(ctx context.Context, s Store, body ID) (Deadlines, error) {
	d, err := s.Deadlines(ctx, body)
	if fault.ErrorCode(err) == fault.NotFound {
		return DefaultDeadlines(body), nil
	}
	if err != nil {
		return Deadlines{}, err
	}
	return *d, nil
}

// canSeeCase: body users see their body's cases, businesses their own,
// operator staff and auditors all.
func (p *Procedure) canSeeCase(a Actor, c *Case) bool {
	if a.Role == RoleBusiness {
		return a.BusinessID == c.BusinessID
	}
	return a.CanReadBody(c.BodyID)
}

// Case returns a case the actor may see (fault.NotFound otherwise).
func (p *Procedure) Case(ctx context.Context, id ID) (*Case, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	c, err := p.Store.Case(ctx, id)
	if err != nil {
		return nil, err
	}
	if !p.canSeeCase(a, c) {
		return nil, fault.New(fault.NotFound, "case not found", "案件が見つかりません")
	}
	return c, nil
}

// Cases lists the cases the actor may see, narrowed by f.
func (p *Procedure) Cases(ctx context.Context, f CaseFilter) ([]Case, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case a.Role == RoleBusiness:
		f.BusinessID = a.BusinessID
	case a.Role.BodyScoped():
		f.BodyID = a.BodyID
	case !a.Has(RoleWindowOfficer, RoleProcessor, RoleRiskAssessor, RoleAuditor, RoleAdmin):
		return nil, fault.New(fault.Forbidden, "not allowed", "この操作を行う権限がありません")
	}
	return p.Store.Cases(ctx, f)
}

// Timeline returns the events of a case: its proposal's events and its own.
func (p *Procedure) Timeline(ctx context.Context, caseID ID) ([]Event, error) {
	c, err := p.Case(ctx, caseID)
	if err != nil {
		return nil, err
	}
	all, err := p.Store.Events(ctx, c.ProposalID)
	if err != nil {
		return nil, err
	}
	var out []Event
	for _, e := range all {
		if e.CaseID == 0 || e.CaseID == c.ID {
			out = append(out, e)
		}
	}
	return out, nil
}

// Overdue lists the actor's visible cases whose state deadline has passed.
func (p *Procedure) Overdue(ctx context.Context) ([]Case, error) {
	now := p.now()
	cs, err := p.Cases(ctx, CaseFilter{DueBefore: &now})
	if err != nil {
		return nil, err
	}
	var out []Case
	for _, c := range cs {
		if c.Overdue(now) {
			out = append(out, c)
		}
	}
	return out, nil
}

// Deadlines returns a body's deadlines (the defaults until it sets its own).
func (p *Procedure) Deadlines(ctx context.Context, body ID) (Deadlines, error) {
	return deadlinesOf(ctx, p.Store, body)
}

// SetDeadlines stores a body's deadlines (its approver only).
func (p *Procedure) SetDeadlines(ctx context.Context, d Deadlines) error {
	a, err := ActorFrom(ctx)
	if err != nil {
		return err
	}
	if err := a.RequireBody(d.BodyID, RoleBodyApprover); err != nil {
		return err
	}
	for s, n := range d.Days {
		if !s.Valid() || n < 0 || n > 3650 {
			return fault.New(fault.Invalid, "deadline days must be 0–3650 for a known state", "期限日数は0〜3650日としてください").In(string(s))
		}
	}
	return p.Store.Atomic(ctx, func(s Store) error {
		if err := s.PutDeadlines(ctx, &d); err != nil {
			return err
		}
		if err := redue(ctx, s, d); err != nil {
			return err
		}
		_, err := s.AppendAudit(ctx, AuditEntry{Actor: a, BodyID: d.BodyID, Action: "deadlines.set", TargetKind: "body", TargetID: idStr(d.BodyID)}, p.now())
		return err
	})
}

// redue moves the deadline of the body's open cases to its new deadlines,
// counted from when each case entered its state.
func redue(ctx context.Context, s Store, d Deadlines) error {
	cs, err := s.Cases(ctx, CaseFilter{BodyID: d.BodyID})
	if err != nil {
		return err
	}
	for i := range cs {
		c := &cs[i]
		if c.State.Terminal() {
			continue
		}
		events, err := s.Events(ctx, c.ProposalID)
		if err != nil {
			return err
		}
		since := c.UpdatedAt
		for _, e := range events {
			if e.CaseID == c.ID && e.To == c.State {
				since = e.At
			}
		}
		due := d.DueFor(c.State, since)
		if (due == nil) == (c.DueAt == nil) && (due == nil || due.Equal(*c.DueAt)) {
			continue
		}
		c.DueAt = due
		if err := s.UpdateCase(ctx, c); err != nil {
			return err
		}
	}
	return nil
}
