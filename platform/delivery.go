package platform

import (
	"time"

	"github.com/tokumei/tokumei/standard"
)

// ProcessingRun is one run of the engine for a case, with its results and
// the second-person check (domain.md §3.6). The processing record itself is
// kept in the vault (it holds processing-method information).
type ProcessingRun struct {
	JobID        string     `json:"job_id"`
	StartedBy    ID         `json:"started_by"`
	StartedAt    time.Time  `json:"started_at"`
	FinishedAt   *time.Time `json:"finished_at,omitempty"`
	OutputVault  string     `json:"output_vault,omitempty"`
	OutputSHA256 string     `json:"output_sha256,omitempty"`
	OutputRows   int64      `json:"output_rows,omitempty"`
	RecordVault  string     `json:"record_vault,omitempty"` // processing record JSON
	RecordSHA256 string     `json:"record_sha256,omitempty"`
	Summary      string     `json:"summary,omitempty"` // public-safe summary of methods
	MinClass     int64      `json:"min_class,omitempty"`
	Suppressed   int64      `json:"suppressed,omitempty"`
	Error        string     `json:"error,omitempty"`
	ChecksFailed []string   `json:"checks_failed,omitempty"` // Rule 62 items failed
	RiskBy       ID         `json:"risk_by,omitempty"`
	RiskAt       *time.Time `json:"risk_at,omitempty"`
	RiskNote     string     `json:"risk_note,omitempty"`
	// Overrides release failed Rule 62 items, approved by the risk assessor.
	Overrides  []standard.Override `json:"overrides,omitempty"`
	AcceptedBy ID                  `json:"accepted_by,omitempty"`
	AcceptedAt *time.Time          `json:"accepted_at,omitempty"`
}

// Provision is the provision record (提供記録, domain.md §3.7).
type Provision struct {
	DatasetID   string    `json:"dataset_id"` // catalogue dataset
	OutputHash  string    `json:"output_hash"`
	Contract    string    `json:"contract"`
	Recipients  []ID      `json:"recipients"` // named recipient users
	Method      string    `json:"method"`
	Statement   string    `json:"statement"` // 明示: it is anonymised information
	DeliveredAt time.Time `json:"delivered_at"`
	DeliveredBy ID        `json:"delivered_by"`
	ExpiresAt   time.Time `json:"expires_at"`
	DeleteBy    time.Time `json:"delete_by"`
}

// ProvisionStatement is the statement given with every delivery.
const ProvisionStatement = "この情報は個人情報の保護に関する法律に基づく行政機関等匿名加工情報であり、作成に用いられた個人情報に係る本人を識別するために他の情報と照合してはならない。"

// Download is a single-use, time-limited download grant for one named
// recipient user of a case.
type Download struct {
	CaseID    ID         `json:"case_id"`
	UserID    ID         `json:"user_id"`
	ExpiresAt time.Time  `json:"expires_at"`
	UsedAt    *time.Time `json:"used_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

// ChangeProposal is a contractor's proposal to change its business
// (art. 118(1) second sentence) and the body's decision.
type ChangeProposal struct {
	Purpose    string     `json:"purpose"`
	Reason     string     `json:"reason"`
	ProposedAt time.Time  `json:"proposed_at"`
	Approved   *bool      `json:"approved,omitempty"`
	Decision   string     `json:"decision,omitempty"`
	DecidedAt  *time.Time `json:"decided_at,omitempty"`
	Fee        int64      `json:"fee,omitempty"`
	// Review is the body's review of the changed business against the
	// criteria (art. 118(1): the change goes through review again).
	Review *Review `json:"review,omitempty"`
}

// Cancellation is the cancellation of a contract under art. 120.
type Cancellation struct {
	Ground string    `json:"ground"` // fraud, disqualified, breach
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
	By     ID        `json:"by"`
}

// DisqualificationYears is how long a cancellation disqualifies (art. 113(v)).
const DisqualificationYears = 2

// Disqualification records that a business may not propose until Until.
type Disqualification struct {
	BusinessID ID        `json:"business_id"`
	CaseID     ID        `json:"case_id"`
	From       time.Time `json:"from"`
	Until      time.Time `json:"until"`
	Reason     string    `json:"reason"`
}

// DeletionCertificate is the contractor's report of deletion (消去報告書).
type DeletionCertificate struct {
	Statement   string    `json:"statement"`
	Method      string    `json:"method"`
	VaultID     string    `json:"vault_id,omitempty"`
	SHA256      string    `json:"sha256,omitempty"`
	SubmittedAt time.Time `json:"submitted_at"`
	SubmittedBy ID        `json:"submitted_by"`
	ConfirmedBy ID        `json:"confirmed_by,omitempty"`
}

// JobProgress is how far the processing job of a case has got: its phase
// and a percentage, written by the job now and then (jobs throttles the
// writes) and shown on the case page.
type JobProgress struct {
	Phase     JobPhase  `json:"phase" doc:"queued, reading, profiling, pseudonymising, encoding, searching, writing, checking, storing, done or failed"`
	Percent   int       `json:"percent" doc:"0–100"`
	UpdatedAt time.Time `json:"updated_at"`
}

// JobPhase names a phase of the processing job.
type JobPhase string

// The phases of the processing job, in order.
const (
	PhaseQueued     JobPhase = "queued"
	PhaseReading    JobPhase = "reading"        // decrypting and reading the extract
	PhaseProfiling  JobPhase = "profiling"      // detecting identifiers and hierarchies
	PhasePseudonyms JobPhase = "pseudonymising" // 仮ID and shuffling
	PhaseEncoding   JobPhase = "encoding"       // the engine reads the data and builds the hierarchies
	PhaseSearching  JobPhase = "searching"      // the engine's lattice search
	PhaseWriting    JobPhase = "writing"        // the engine writes the output
	PhaseChecking   JobPhase = "checking"       // the five Rule 62 checks and the record
	PhaseStoring    JobPhase = "storing"        // output and record into the vault
	PhaseDone       JobPhase = "done"
	PhaseFailed     JobPhase = "failed"
)

// Status is "pending" until the change is decided, then "approved" or
// "refused".
func (c ChangeProposal) Status() string {
	switch {
	case c.Approved == nil:
		return "pending"
	case *c.Approved:
		return "approved"
	}
	return "refused"
}
