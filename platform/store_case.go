package platform

import (
	"context"
	"time"
)

// CallStore keeps calls for proposals.
type CallStore interface {
	CreateCall(ctx context.Context, c *Call) error
	Call(ctx context.Context, id ID) (*Call, error)
	// Calls lists the calls of one body (bodyID > 0) or of all bodies.
	Calls(ctx context.Context, bodyID ID) ([]Call, error)
	UpdateCall(ctx context.Context, c *Call) error
}

// ProposalStore keeps proposals.
type ProposalStore interface {
	CreateProposal(ctx context.Context, p *Proposal) error
	Proposal(ctx context.Context, id ID) (*Proposal, error)
	// Proposals lists the proposals of one business (businessID > 0) or all.
	Proposals(ctx context.Context, businessID ID) ([]Proposal, error)
	// UpdateProposal stores p as the next version; fault.Conflict when
	// p.Version is not the stored version. It increments p.Version.
	UpdateProposal(ctx context.Context, p *Proposal) error
}

// CaseFilter selects cases; zero fields match everything.
type CaseFilter struct {
	BodyID      ID
	BusinessID  ID
	ProposalID  ID
	DatasetID   string
	States      []State
	DueBefore   *time.Time // cases whose deadline is before this time
	UseToBefore *time.Time // cases whose use period ends before this time
}

// CaseStore keeps per-body cases, their timeline, download grants and
// disqualifications.
type CaseStore interface {
	CreateCase(ctx context.Context, c *Case) error
	Case(ctx context.Context, id ID) (*Case, error)
	Cases(ctx context.Context, f CaseFilter) ([]Case, error)
	// UpdateCase stores c as the next version; fault.Conflict when
	// c.Version is not the stored version. It increments c.Version.
	UpdateCase(ctx context.Context, c *Case) error
	AddEvent(ctx context.Context, e *Event) error
	// Events returns the events of a proposal and all its cases, oldest first.
	Events(ctx context.Context, proposalID ID) ([]Event, error)
	CreateDownload(ctx context.Context, d *Download) error
	Downloads(ctx context.Context, caseID ID) ([]Download, error)
	// UseDownload marks the grant of user for case used at now, once:
	// fault.NotFound without a grant, fault.Conflict when used or expired.
	UseDownload(ctx context.Context, caseID, userID ID, now time.Time) (*Download, error)
	AddDisqualification(ctx context.Context, d *Disqualification) error
	Disqualifications(ctx context.Context, businessID ID) ([]Disqualification, error) // businessID 0: all
	// SetJobProgress stores the progress of the case's processing job,
	// replacing the previous value; Case returns it in Case.Progress.
	SetJobProgress(ctx context.Context, caseID ID, p JobProgress) error
}

// FeeStore keeps fee tables and per-body deadlines.
type FeeStore interface {
	CreateFeeTable(ctx context.Context, f *FeeTable) error
	// FeeTables lists the tables of one body, oldest first.
	FeeTables(ctx context.Context, bodyID ID) ([]FeeTable, error)
	PutDeadlines(ctx context.Context, d *Deadlines) error
	// Deadlines returns the body's deadlines, fault.NotFound when unset.
	Deadlines(ctx context.Context, bodyID ID) (*Deadlines, error)
}

// CommissionStore keeps joint commissions.
type CommissionStore interface {
	CreateCommission(ctx context.Context, c *Commission) error
	Commission(ctx context.Context, id ID) (*Commission, error)
	// Commissions lists all, or only published ones when publishedOnly.
	Commissions(ctx context.Context, publishedOnly bool) ([]Commission, error)
	UpdateCommission(ctx context.Context, c *Commission) error
}
