package platform

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/tokumei/tokumei/fault"
)

func (p *Procedure) canSeeProposal(a Actor, pr *Proposal) bool {
	switch {
	case a.Role == RoleBusiness:
		return a.BusinessID == pr.BusinessID
	case a.Role.BodyScoped():
		return pr.State != StateDraft && containsID(pr.BodyIDs(), a.BodyID)
	}
	return a.CanReadBody(0)
}

// Proposal returns a proposal the actor may see.
func (p *Procedure) Proposal(ctx context.Context, id ID) (*Proposal, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	pr, err := p.Store.Proposal(ctx, id)
	if err != nil {
		return nil, err
	}
	if !p.canSeeProposal(a, pr) {
		return nil, fault.New(fault.NotFound, "proposal not found", "提案が見つかりません")
	}
	return pr, nil
}

// Proposals lists the proposals the actor may see.
func (p *Procedure) Proposals(ctx context.Context) ([]Proposal, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	all, err := p.Store.Proposals(ctx, a.BusinessID)
	if err != nil {
		return nil, err
	}
	var out []Proposal
	for _, pr := range all {
		if p.canSeeProposal(a, &pr) {
			out = append(out, pr)
		}
	}
	return out, nil
}

// SaveProposal creates (ID == 0) or updates a draft of the actor's business.
func (p *Procedure) SaveProposal(ctx context.Context, pr *Proposal) error {
	a, err := ActorFrom(ctx)
	if err != nil {
		return err
	}
	if err := a.Require(RoleBusiness); err != nil {
		return err
	}
	now := p.now()
	return p.Store.Atomic(ctx, func(s Store) error {
		if pr.ID != 0 {
			old, err := s.Proposal(ctx, pr.ID)
			if err != nil {
				return err
			}
			if old.BusinessID != a.BusinessID {
				return fault.New(fault.NotFound, "proposal not found", "提案が見つかりません")
			}
			if old.State != StateDraft {
				return fault.New(fault.Conflict, "only a draft can be edited", "作成中の提案のみ編集できます").In("state")
			}
			pr.Attachments, pr.CreatedAt, pr.CreatedBy, pr.Corrections = old.Attachments, old.CreatedAt, old.CreatedBy, old.Corrections
		}
		if pr.Kind == "" {
			pr.Kind = KindNew
		}
		pr.BusinessID, pr.State, pr.UpdatedAt = a.BusinessID, StateDraft, now
		if err := p.fillTargets(ctx, s, pr); err != nil {
			return err
		}
		if pr.ID == 0 {
			pr.CreatedBy, pr.CreatedAt = a.UserID, now
			if err := s.CreateProposal(ctx, pr); err != nil {
				return err
			}
			return record(ctx, s, a, Event{ProposalID: pr.ID, Action: "create", To: StateDraft}, now)
		}
		if err := s.UpdateProposal(ctx, pr); err != nil {
			return err
		}
		return record(ctx, s, a, Event{ProposalID: pr.ID, Action: "edit"}, now)
	})
}

// fillTargets copies file names from the register and gives each target
// without items the default matrix; it checks the matrix against the register.
func (p *Procedure) fillTargets(ctx context.Context, s Store, pr *Proposal) error {
	for i := range pr.Targets {
		t := &pr.Targets[i]
		e, err := s.RegisterEntry(ctx, t.EntryID)
		if err != nil {
			return err
		}
		if e.BodyID != t.BodyID {
			return fault.New(fault.Invalid, "the file is not the target body's", "対象ファイルが対象の実施機関のものではありません").In("targets").At("", i+1, 0)
		}
		t.FileName = e.FileName
		if len(t.Items) == 0 {
			t.Items = MatrixFromRegister(e)
		}
		if err := ValidateMatrix(t.Items, e); err != nil {
			return err
		}
	}
	return nil
}

// AddAttachment stores a file of a draft proposal encrypted in the vault
// and records its hash.
func (p *Procedure) AddAttachment(ctx context.Context, proposalID ID, name string, r io.Reader) (*Attachment, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	pr, err := p.Proposal(ctx, proposalID)
	if err != nil {
		return nil, err
	}
	if pr.BusinessID != a.BusinessID || pr.State != StateDraft {
		return nil, fault.New(fault.Conflict, "attachments are added to the proposer's draft", "添付は提案者が作成中の提案に行います")
	}
	obj, err := p.Vault.Put(ctx, "proposal-"+idStr(proposalID)+"-"+name, r)
	if err != nil {
		return nil, err
	}
	now := p.now()
	att := Attachment{Name: name, VaultID: obj.ID, SHA256: obj.SHA256, Size: obj.Size, AddedAt: now}
	err = p.Store.Atomic(ctx, func(s Store) error {
		pr, err := s.Proposal(ctx, proposalID)
		if err != nil {
			return err
		}
		pr.Attachments = append(pr.Attachments, att)
		pr.UpdatedAt = now
		if err := s.UpdateProposal(ctx, pr); err != nil {
			return err
		}
		return record(ctx, s, a, Event{ProposalID: pr.ID, Action: "attach", Note: name + " sha256:" + obj.SHA256}, now)
	})
	if err != nil {
		p.Vault.Delete(ctx, obj.ID)
		return nil, err
	}
	return &att, nil
}

// proposalStep runs one transition of a proposal.
func (p *Procedure) proposalStep(ctx context.Context, id ID, act Action, note string, fn func(s Store, a Actor, pr *Proposal, now time.Time) error) (*Proposal, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	var out *Proposal
	err = p.Store.Atomic(ctx, func(s Store) error {
		pr, err := s.Proposal(ctx, id)
		if err != nil {
			return err
		}
		if !p.canSeeProposal(a, pr) {
			return fault.New(fault.NotFound, "proposal not found", "提案が見つかりません")
		}
		tr, err := FindTransition(ProposalTransitions, pr.State, act)
		if err != nil {
			return err
		}
		if err := tr.Allowed(a, 0, pr.BusinessID); err != nil {
			return err
		}
		now := p.now()
		if fn != nil {
			if err := fn(s, a, pr, now); err != nil {
				return err
			}
		}
		from := pr.State
		pr.State, pr.UpdatedAt = tr.To, now
		if err := s.UpdateProposal(ctx, pr); err != nil {
			return err
		}
		out = pr
		return record(ctx, s, a, Event{ProposalID: pr.ID, Action: act, From: from, To: tr.To, Note: note}, now)
	})
	return out, err
}

// Disqualified returns the end of a running disqualification of business
// at now (art. 113(v): two years after a cancellation), or nil.
func Disqualified(ctx context.Context, s Store, business ID, now time.Time) (*time.Time, error) {
	ds, err := s.Disqualifications(ctx, business)
	if err != nil {
		return nil, err
	}
	var until *time.Time
	for _, d := range ds {
		if now.Before(d.Until) && (until == nil || d.Until.After(*until)) {
			u := d.Until
			until = &u
		}
	}
	return until, nil
}

// Submit submits a draft within the open calls (new creation) or the
// datasets' proposal periods (reuse). A business under a running
// disqualification cannot submit.
func (p *Procedure) Submit(ctx context.Context, id ID) (*Proposal, error) {
	return p.proposalStep(ctx, id, ActSubmit, "", func(s Store, a Actor, pr *Proposal, now time.Time) error {
		if err := pr.Validate(); err != nil {
			return err
		}
		if err := p.fillTargets(ctx, s, pr); err != nil {
			return err
		}
		if until, err := Disqualified(ctx, s, pr.BusinessID, now); err != nil {
			return err
		} else if until != nil {
			return fault.New(fault.Forbidden, "the proposer is disqualified until "+until.In(JST).Format("2006-01-02")+" (contract cancelled under art. 120)",
				"第120条による契約解除から2年を経過していないため提案できません（"+FormatDateJA(*until)+"まで）").In("proposer")
		}
		if err := disqualifiedParties(ctx, s, pr, now); err != nil {
			return err
		}
		for i := range pr.Targets {
			if err := p.checkWindow(ctx, s, pr, &pr.Targets[i], now); err != nil {
				return atRow(err, i+1)
			}
		}
		pr.SubmittedAt = &now
		return nil
	})
}

// checkWindow: a new-creation target needs an open call of its body
// covering the file; a reuse target a listed dataset open for proposals.
func (p *Procedure) checkWindow(ctx context.Context, s Store, pr *Proposal, t *Target, now time.Time) error {
	if pr.Kind == KindReuse {
		d, err := s.CatalogDataset(ctx, t.DatasetID)
		if err != nil {
			return err
		}
		if d.BodyID != t.BodyID || !d.ProposalOpen(now) {
			return fault.New(fault.Conflict, "the dataset is not open for proposals now", "この行政機関等匿名加工情報は現在提案を受け付けていません").In("targets")
		}
		return nil
	}
	calls, err := s.Calls(ctx, t.BodyID)
	if err != nil {
		return err
	}
	for _, c := range calls {
		if (t.CallID == 0 || t.CallID == c.ID) && c.Open(now, t.EntryID) {
			t.CallID = c.ID
			return nil
		}
	}
	return fault.New(fault.Conflict, "no call for proposals is open for this file", "このファイルについて募集期間中の提案募集がありません").In("targets")
}

// StartCheck starts the window's completeness check.
// It records the checklist (who, when, each item); a failing checklist
// sends the proposal back to the proposer with a correction request.
func (p *Procedure) StartCheck(ctx context.Context, id ID) (*Proposal, error) {
	pr, err := p.proposalStep(ctx, id, ActStartCheck, "", func(s Store, a Actor, pr *Proposal, now time.Time) error {
		pr.Checklist = p.completeness(ctx, s, a, pr, now)
		return nil
	})
	if err != nil || pr.Checklist.Complete {
		return pr, err
	}
	return p.RequestProposalCorrection(ctx, id, pr.Checklist.failures())
}

// RequestProposalCorrection asks the proposer to correct or explain.
func (p *Procedure) RequestProposalCorrection(ctx context.Context, id ID, request string) (*Proposal, error) {
	if request == "" {
		return nil, fault.New(fault.Invalid, "the request text is required", "補正・説明を求める内容を入力してください").In("request")
	}
	return p.proposalStep(ctx, id, ActRequestCorrection, request, func(s Store, a Actor, pr *Proposal, now time.Time) error {
		pr.Corrections = append(pr.Corrections, Correction{RequestedAt: now, RequestedBy: a.UserID, Request: request})
		return nil
	})
}

// ReplyProposalCorrection answers the open request; changes lets the
// proposer amend the proposal with the reply (nil: text only).
func (p *Procedure) ReplyProposalCorrection(ctx context.Context, id ID, reply string, changes func(*Proposal)) (*Proposal, error) {
	if reply == "" {
		return nil, fault.New(fault.Invalid, "the reply text is required", "回答を入力してください").In("reply")
	}
	return p.proposalStep(ctx, id, ActReplyCorrection, reply, func(s Store, a Actor, pr *Proposal, now time.Time) error {
		if n := len(pr.Corrections); n > 0 {
			pr.Corrections[n-1].Reply, pr.Corrections[n-1].RepliedAt = reply, &now
		}
		if changes != nil {
			changes(pr)
			if err := pr.Validate(); err != nil {
				return err
			}
			return p.fillTargets(ctx, s, pr)
		}
		return nil
	})
}

// RejectFormal refuses a proposal on its face (outside period, incomplete).
func (p *Procedure) RejectFormal(ctx context.Context, id ID, reason string) (*Proposal, error) {
	if reason == "" {
		return nil, fault.New(fault.Invalid, "the reason is required", "理由を入力してください").In("reason")
	}
	return p.proposalStep(ctx, id, ActRejectFormal, reason, nil)
}

// WithdrawProposal withdraws a proposal before it forks.
func (p *Procedure) WithdrawProposal(ctx context.Context, id ID, reason string) (*Proposal, error) {
	return p.proposalStep(ctx, id, ActWithdraw, reason, nil)
}

// Fork accepts the proposal after the completeness check and creates one
// case per target body (state FORKED), to be routed to each body.
func (p *Procedure) Fork(ctx context.Context, id ID) ([]Case, error) {
	var cases []Case
	_, err := p.proposalStep(ctx, id, ActFork, "", func(s Store, a Actor, pr *Proposal, now time.Time) error {
		cl := p.completeness(ctx, s, a, pr, now)
		if !cl.Complete || len(pr.Targets) == 0 {
			return fault.New(fault.Conflict, "the proposal is incomplete: request a correction", cl.failures())
		}
		pr.Checklist = cl
		for _, b := range pr.BodyIDs() {
			ts := pr.TargetsOf(b)
			c := Case{ProposalID: pr.ID, BodyID: b, BusinessID: pr.BusinessID, Kind: pr.Kind, State: StateForked,
				Title: pr.Title, Targets: ts, Subjects: pr.Subjects, UseFrom: pr.UseFrom, UseTo: pr.UseTo,
				CreatedAt: now, UpdatedAt: now}
			if pr.Kind == KindReuse {
				c.DatasetID = ts[0].DatasetID
			}
			if err := s.CreateCase(ctx, &c); err != nil {
				return err
			}
			if err := record(ctx, s, a, Event{ProposalID: pr.ID, CaseID: c.ID, BodyID: b, Action: ActFork, To: StateForked}, now); err != nil {
				return err
			}
			cases = append(cases, c)
		}
		return nil
	})
	return cases, err
}

// Route sends a forked case to its body for review.
func (p *Procedure) Route(ctx context.Context, caseID ID) (*Case, error) {
	return p.caseStep(ctx, caseID, ActRoute, "", nil)
}

// atRow locates a fault at row n of a list; other errors pass unchanged.
func atRow(err error, n int) error {
	var fe *fault.Error
	if errors.As(err, &fe) {
		return fe.At(fe.File, n, fe.Column)
	}
	return err
}
