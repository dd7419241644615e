package platform

import (
	"time"
)

// Case is one proposal as handled by one body (案件): review, decision,
// contract, fee, intake, processing, delivery, use and end. It is stored as
// one document; the state and the dates used in lists are also columns.
type Case struct {
	ID         ID           `json:"id"`
	ProposalID ID           `json:"proposal_id"`
	BodyID     ID           `json:"body_id"`
	BusinessID ID           `json:"business_id"`
	Kind       ProposalKind `json:"kind"`
	State      State        `json:"state"`
	Title      string       `json:"title"`
	Targets    []Target     `json:"targets"` // this body's files
	Subjects   int64        `json:"subjects"`

	Corrections  []Correction         `json:"corrections,omitempty"`
	Review       *Review              `json:"review,omitempty"`
	Handover     *HandoverDecision    `json:"handover,omitempty"`
	Council      *CouncilConsultation `json:"council,omitempty"`
	Notice       *Notice              `json:"notice,omitempty"`
	AppliedAt    *time.Time           `json:"applied_at,omitempty"`
	Invoice      *Invoice             `json:"invoice,omitempty"`
	Payment      *Payment             `json:"payment,omitempty"`
	Contract     *Contract            `json:"contract,omitempty"`
	Source       *SourceRequest       `json:"source_request,omitempty"`
	Extract      *Extract             `json:"extract,omitempty"`
	Processing   *ProcessingRun       `json:"processing,omitempty"`
	DatasetID    string               `json:"dataset_id,omitempty"` // catalogue dataset created or reused
	Provision    *Provision           `json:"provision,omitempty"`
	Changes      []ChangeProposal     `json:"changes,omitempty"`
	Cancel       *Cancellation        `json:"cancellation,omitempty"`
	Deletion     *DeletionCertificate `json:"deletion,omitempty"`
	CommissionID ID                   `json:"commission_id,omitempty"`
	// SourceDeletedAt is when the source extract was deleted from the vault.
	SourceDeletedAt *time.Time `json:"source_deleted_at,omitempty"`
	// Progress is the processing job's progress, kept apart from the case
	// document (the store fills it when it reads one case; UpdateCase does
	// not write it).
	Progress *JobProgress `json:"progress,omitempty"`

	UseFrom   time.Time  `json:"use_from"`
	UseTo     time.Time  `json:"use_to"`
	DueAt     *time.Time `json:"due_at,omitempty"` // deadline of the current state
	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// Overdue reports whether the current state's deadline has passed at now.
func (c *Case) Overdue(now time.Time) bool {
	return c.DueAt != nil && now.After(*c.DueAt) && !c.State.Terminal()
}

// Event is one line of a case's (or proposal's) timeline: a transition or a
// recorded act. Every event is also written to the audit chain.
type Event struct {
	ID         ID        `json:"id"`
	ProposalID ID        `json:"proposal_id"`
	CaseID     ID        `json:"case_id,omitempty"` // 0 for proposal-level events
	At         time.Time `json:"at"`
	ActorID    ID        `json:"actor_id"`
	ActorLogin string    `json:"actor_login"`
	Role       Role      `json:"role"`
	BodyID     ID        `json:"body_id,omitempty"`
	Action     Action    `json:"action"`
	From       State     `json:"from,omitempty"`
	To         State     `json:"to,omitempty"`
	Note       string    `json:"note,omitempty"`
}

// Deadlines are a body's time limits per state, in days (0: none). The law
// sets none for review, notice, application or payment (domain.md §9 item 6),
// so each body configures its own.
type Deadlines struct {
	BodyID ID            `json:"body_id"`
	Days   map[State]int `json:"days"`
	// ReminderDays: how many days before the end of the use period the
	// contractor is reminded.
	ReminderDays int `json:"reminder_days"`
}

// DefaultDeadlines are used until a body sets its own.
func DefaultDeadlines(body ID) Deadlines {
	return Deadlines{BodyID: body, ReminderDays: 30, Days: map[State]int{
		StateFormalCheck: 7, StateLGReview: 60, StateCorrectionRequested: 14, StateOutOfPurposeDecision: 14,
		StateConforming: 7, StateNonConforming: 7, StateNotified: 30, StateContractApplied: 14,
		StateFeeInvoiced: 30, StateFeePaid: 14, StateContracted: 7, StateSourceRequested: 30,
		StateSourceReceived: 7, StateRiskCheck: 7, StateLGAcceptance: 14, StateRegisterUpdated: 7,
		StateProvided: 14, StateCancelled: 30, StateExpired: 30, StateDeletionConfirmed: 30,
	}}
}

// DueFor returns the deadline for entering s at t, or nil.
func (d Deadlines) DueFor(s State, t time.Time) *time.Time {
	n := d.Days[s]
	if n <= 0 {
		return nil
	}
	due := t.AddDate(0, 0, n)
	return &due
}

// PublicCommission is the published view of a commission record.
type PublicCommission struct {
	ID         ID           `json:"id"`
	Contractor string       `json:"contractor"`
	Title      string       `json:"title"`
	Bodies     []string     `json:"bodies"`
	SharedCost int64        `json:"shared_cost"`
	SplitKey   string       `json:"split_key"`
	Shares     map[ID]int64 `json:"shares"`
	Terms      string       `json:"terms"`
	From       time.Time    `json:"from"`
	To         time.Time    `json:"to"`
}
