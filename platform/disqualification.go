package platform

import (
	"context"
	"strings"
	"time"
	"unicode"

	"github.com/tokumei/tokumei/fault"
)

// disqualifiedParties refuses a proposal one of whose parties (the proposer
// or a joint proposer) was a party to a contract cancelled under art. 120
// less than two years ago (art. 113(v)). The parties of the cancelled
// contract are those recorded on its proposal; a party matches by corporate
// number when both have one, else by name.
func disqualifiedParties(ctx context.Context, s Store, pr *Proposal, now time.Time) error {
	ds, err := s.Disqualifications(ctx, 0)
	if err != nil {
		return err
	}
	parties := append([]ProposerInfo{pr.Proposer}, pr.JointProposers...)
	for _, d := range ds {
		if !now.Before(d.Until) {
			continue
		}
		c, err := s.Case(ctx, d.CaseID)
		if err != nil {
			return err
		}
		old, err := s.Proposal(ctx, c.ProposalID)
		if err != nil {
			return err
		}
		for _, o := range append([]ProposerInfo{old.Proposer}, old.JointProposers...) {
			for i, p := range parties {
				if !sameParty(p, o) {
					continue
				}
				field := "proposer"
				if i > 0 {
					field = "joint_proposers"
				}
				return fault.New(fault.Forbidden, p.Name+" is disqualified until "+d.Until.In(JST).Format("2006-01-02")+" (contract cancelled under art. 120)",
					p.Name+"は第120条による契約解除から2年を経過していないため提案できません（"+FormatDateJA(d.Until)+"まで）").In(field)
			}
		}
	}
	return nil
}

// sameParty reports whether a and b name the same person or corporation:
// by corporate number when both have one, else by name ignoring spaces.
func sameParty(a, b ProposerInfo) bool {
	if ca, cb := squeeze(a.Corporate), squeeze(b.Corporate); ca != "" && cb != "" {
		return ca == cb
	}
	na, nb := squeeze(a.Name), squeeze(b.Name)
	return na != "" && na == nb
}

func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
