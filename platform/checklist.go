package platform

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// Checklist is the result of the window's completeness check (domain.md
// §2 B3): one line per item, who checked and when. A proposal forks only
// after a complete checklist; a failing one leads to a correction request.
type Checklist struct {
	Items     []CheckItem `json:"items"`
	Complete  bool        `json:"complete"`
	CheckedAt time.Time   `json:"checked_at"`
	CheckedBy ID          `json:"checked_by"`
	Login     string      `json:"checked_by_login"`
}

// CheckItem is one line of the checklist; Key names it (message
// "checklist.<key>"), Note says what failed, in Japanese.
type CheckItem struct {
	Key  string `json:"key"`
	OK   bool   `json:"ok"`
	Note string `json:"note,omitempty"`
}

// The checklist items, in order.
var ChecklistKeys = []string{"statutory_items", "pledge", "attachments", "call_open", "targets_eligible", "not_disqualified"}

// completeness checks pr as the window at now.
func (p *Procedure) completeness(ctx context.Context, s Store, a Actor, pr *Proposal, now time.Time) *Checklist {
	cl := &Checklist{CheckedAt: now, CheckedBy: a.UserID, Login: a.Login}
	add := func(key string, err error) {
		it := CheckItem{Key: key, OK: err == nil}
		if err != nil {
			it.Note = fault.Safe(err, true)
		}
		cl.Items = append(cl.Items, it)
	}
	add("statutory_items", pr.Validate())
	var err error
	if !pr.Pledge.Complete() {
		err = fault.New(fault.Invalid, "the pledge does not cover the 6 grounds", "誓約書が6つの欠格事由のすべてを誓約していません")
	}
	add("pledge", err)
	err = nil
	for _, at := range pr.Attachments {
		if len(at.SHA256) != 64 || at.VaultID == "" {
			err = fault.New(fault.Invalid, "attachment not stored: "+at.Name, "添付書類が保管されていません："+at.Name)
		}
	}
	add("attachments", err)
	c := *pr
	c.Targets = slices.Clone(pr.Targets)
	err = nil
	if pr.SubmittedAt == nil {
		err = fault.New(fault.Invalid, "not submitted", "提出されていません")
	}
	for i := range c.Targets {
		if err == nil {
			err = p.checkWindow(ctx, s, &c, &c.Targets[i], *pr.SubmittedAt)
		}
	}
	add("call_open", err)
	err = p.fillTargets(ctx, s, &c)
	for _, t := range c.Targets {
		if e, gerr := s.RegisterEntry(ctx, t.EntryID); err == nil && pr.Kind == KindNew && gerr == nil && !e.ProposalInvited {
			err = fault.New(fault.Invalid, "the file does not invite proposals", t.FileName+"は提案の募集の対象ではありません")
		}
	}
	add("targets_eligible", err)
	err = disqualifiedParties(ctx, s, pr, now)
	if err == nil {
		var until *time.Time
		if until, err = Disqualified(ctx, s, pr.BusinessID, now); err == nil && until != nil {
			err = fault.New(fault.Forbidden, "the proposer is disqualified", "提案者は第120条による契約解除から2年を経過していません")
		}
	}
	add("not_disqualified", err)
	cl.Complete = !slices.ContainsFunc(cl.Items, func(it CheckItem) bool { return !it.OK })
	return cl
}

// failures lists the failing items for a correction request.
func (cl *Checklist) failures() string {
	var b strings.Builder
	b.WriteString("完備性の確認で次の点に不備があります。補正してください。")
	for _, it := range cl.Items {
		if !it.OK {
			b.WriteString("\n・" + it.Note)
		}
	}
	return b.String()
}
