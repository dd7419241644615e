package platform

import (
	"context"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// RequestCaseCorrection: the body asks the proposer to explain or correct
// (e.g. an unclear processing method, PPC Q&A 6-1-7).
func (p *Procedure) RequestCaseCorrection(ctx context.Context, caseID ID, request string) (*Case, error) {
	if request == "" {
		return nil, fault.New(fault.Invalid, "the request text is required", "補正・説明を求める内容を入力してください").In("request")
	}
	return p.caseStep(ctx, caseID, ActRequestCorrection, request, func(s Store, a Actor, c *Case, now time.Time) error {
		c.Corrections = append(c.Corrections, Correction{RequestedAt: now, RequestedBy: a.UserID, BodyID: c.BodyID, Request: request})
		return nil
	})
}

// ReplyCaseCorrection: the proposer answers the body's request.
func (p *Procedure) ReplyCaseCorrection(ctx context.Context, caseID ID, reply string) (*Case, error) {
	if reply == "" {
		return nil, fault.New(fault.Invalid, "the reply text is required", "回答を入力してください").In("reply")
	}
	return p.caseStep(ctx, caseID, ActReplyCorrection, reply, func(s Store, a Actor, c *Case, now time.Time) error {
		if n := len(c.Corrections); n > 0 {
			c.Corrections[n-1].Reply, c.Corrections[n-1].RepliedAt = reply, &now
		}
		return nil
	})
}

// SuggestedFindings computes the findings that follow from the record
// (criteria 1, 2, 5) for the reviewer to confirm.
func (p *Procedure) SuggestedFindings(ctx context.Context, caseID ID) ([]Finding, error) {
	c, err := p.Case(ctx, caseID)
	if err != nil {
		return nil, err
	}
	pr, err := p.Store.Proposal(ctx, c.ProposalID)
	if err != nil {
		return nil, err
	}
	subjects, months, err := p.limits(ctx, p.Store, c)
	if err != nil {
		return nil, err
	}
	until, err := Disqualified(ctx, p.Store, c.BusinessID, p.now())
	if err != nil {
		return nil, err
	}
	return SuggestFindings(pr, subjects, months, until), nil
}

// limits returns the file's subjects and the call's maximum use months.
func (p *Procedure) limits(ctx context.Context, s Store, c *Case) (int64, int, error) {
	var subjects int64
	months := 0
	for _, t := range c.Targets {
		e, err := s.RegisterEntry(ctx, t.EntryID)
		if err != nil {
			return 0, 0, err
		}
		if subjects == 0 || e.Subjects < subjects {
			subjects = e.Subjects
		}
		if t.CallID != 0 {
			call, err := s.Call(ctx, t.CallID)
			if err != nil {
				return 0, 0, err
			}
			months = call.MaxUseMonths
		}
	}
	return subjects, months, nil
}

// SaveReview stores the reviewer's criterion-by-criterion findings.
func (p *Procedure) SaveReview(ctx context.Context, caseID ID, findings []Finding) (*Case, error) {
	return p.caseEdit(ctx, caseID, "review.save", "", []State{StateLGReview}, PartyBody, bodyAny,
		func(s Store, a Actor, c *Case, now time.Time) error {
			for i, f := range findings {
				if f.Criterion < 1 || f.Criterion > len(Criteria) {
					return fault.New(fault.Invalid, "criterion must be 1–7", "審査基準の番号は1〜7です").In("findings").At("", i+1, 0)
				}
			}
			c.Review = &Review{Findings: findings, ReviewerID: a.UserID, SubmittedAt: now}
			return nil
		})
}

// checkReview: complete, and criterion 1 cannot be met while the proposer
// is disqualified; criterion 2 cannot be met below 1,000 subjects.
func (p *Procedure) checkReview(ctx context.Context, s Store, c *Case, now time.Time) error {
	if c.Review == nil {
		return fault.New(fault.Conflict, "no review has been recorded", "審査結果が記録されていません").In("findings")
	}
	if err := c.Review.Complete(c.Kind); err != nil {
		return err
	}
	until, err := Disqualified(ctx, s, c.BusinessID, now)
	if err != nil {
		return err
	}
	if f := c.Review.Finding(1); until != nil && f.Met {
		return fault.New(fault.Invalid, "criterion 1 cannot be met: the proposer is disqualified", "提案者は欠格事由に該当するため基準第1号に適合しません").In("findings").At("", 1, 0)
	}
	if f := c.Review.Finding(2); f != nil && f.Met && c.Kind != KindReuse && c.Subjects < MinSubjects {
		return fault.New(fault.Invalid, "criterion 2 cannot be met below 1,000 subjects", "本人の数が1,000人未満のため基準第2号に適合しません").In("findings").At("", 2, 0)
	}
	return nil
}

// SubmitReview closes the review with every criterion met and passes the
// case to the decision on handing over the source data.
func (p *Procedure) SubmitReview(ctx context.Context, caseID ID) (*Case, error) {
	return p.caseStep(ctx, caseID, ActSubmitReview, "", func(s Store, a Actor, c *Case, now time.Time) error {
		if err := p.checkReview(ctx, s, c, now); err != nil {
			return err
		}
		if !c.Review.Conforming() {
			return fault.New(fault.Conflict, "a criterion is not met: decide non-conforming", "基準に適合しない項目があります。不適合の決定をしてください").In("findings")
		}
		return nil
	})
}

// RecordCouncil records a consultation of the privacy council.
func (p *Procedure) RecordCouncil(ctx context.Context, caseID ID, cc CouncilConsultation) (*Case, error) {
	if cc.Council == "" || cc.AskedAt.IsZero() {
		return nil, fault.New(fault.Invalid, "council and date are required", "審議会名と諮問日を入力してください").In("council")
	}
	return p.caseEdit(ctx, caseID, "council.record", cc.Council+" "+cc.Reference,
		[]State{StateLGReview, StateOutOfPurposeDecision, StateConforming}, PartyBody, bodyAny,
		func(s Store, a Actor, c *Case, now time.Time) error {
			c.Council = &cc
			return nil
		})
}

// DecideConforming: the approver decides that the case conforms, with the
// decision on handing the source data to the processor (not needed when an
// already-created dataset is reused).
func (p *Procedure) DecideConforming(ctx context.Context, caseID ID, h *HandoverDecision) (*Case, error) {
	return p.caseStep(ctx, caseID, ActDecideConforming, "", func(s Store, a Actor, c *Case, now time.Time) error {
		if err := p.checkReview(ctx, s, c, now); err != nil {
			return err
		}
		if !c.Review.Conforming() {
			return fault.New(fault.Conflict, "a criterion is not met", "基準に適合しない項目があります").In("findings")
		}
		if c.Kind == KindReuse {
			return nil
		}
		if h == nil {
			return fault.New(fault.Invalid, "the decision on handing over the source data is required", "元データの取扱い（目的外提供・委託）の判断を入力してください").In("decision")
		}
		if err := h.Validate(); err != nil {
			return err
		}
		h.DecidedBy, h.DecidedAt = a.UserID, now
		c.Handover = h
		return nil
	})
}

// DecideNonConforming: the approver decides that a criterion fails.
func (p *Procedure) DecideNonConforming(ctx context.Context, caseID ID) (*Case, error) {
	return p.caseStep(ctx, caseID, ActDecideNonConform, "", func(s Store, a Actor, c *Case, now time.Time) error {
		if err := p.checkReview(ctx, s, c, now); err != nil {
			return err
		}
		if c.Review.Conforming() {
			return fault.New(fault.Conflict, "every criterion is met", "全ての基準に適合しています").In("findings")
		}
		return nil
	})
}

// Notify issues the review-result notice. For a conforming case the fee
// estimate uses the body's fee table with hours and outsourcing cost.
func (p *Procedure) Notify(ctx context.Context, caseID ID, estHours float64, estOutsourcing int64) (*Case, error) {
	return p.caseStep(ctx, caseID, ActNotify, "", func(s Store, a Actor, c *Case, now time.Time) error {
		body, err := s.Body(ctx, c.BodyID)
		if err != nil {
			return err
		}
		pr, err := s.Proposal(ctx, c.ProposalID)
		if err != nil {
			return err
		}
		n := &Notice{Number: body.LGCode + "-" + idStr(c.ID), BodyName: body.Name, Addressee: pr.Proposer.Name,
			Title: c.Title, Findings: c.Review.Findings, Inquiry: body.Unit + " " + body.Email, IssuedAt: now, IssuedBy: a.UserID}
		if c.State == StateConforming {
			n.Result = NoticeConforming
			dl, err := deadlinesOf(ctx, s, c.BodyID)
			if err != nil {
				return err
			}
			n.ApplyBy = dl.DueFor(StateNotified, now)
			fee, err := p.fee(ctx, s, c, estHours, estOutsourcing, now)
			if err != nil {
				return err
			}
			n.FeeEstimate = fee.Total
		} else {
			n.Result = NoticeNonConforming
		}
		c.Notice = n
		return nil
	})
}
