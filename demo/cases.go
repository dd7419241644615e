package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tokumei/tokumei/dataio"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/standard"
	"github.com/tokumei/tokumei/vault"
)

// The procedure's demonstration data: calls of 札幌市長 and 福岡県知事, a
// fee table and deadlines, and one proposal or case in every state of the
// procedure (DESIGN.md), each driven there through platform.Procedure by the
// demo users, so that the timelines and the audit chain are real. The
// cancelled case comes last: it disqualifies the demo business.

func init() { Extend("procedure", seedProcedure) }

// demoCase is one seeded proposal: the state it is driven to, the body
// and file, and whether its use period lies in the past.
type demoCase struct {
	target platform.State
	body   string
	file   string
	past   bool
}

var demoCases = []demoCase{
	{platform.StateDraft, "札幌市長", "国民健康保険被保険者ファイル", false},
	{platform.StateSubmitted, "福岡県知事", "県営住宅入居者ファイル", false},
	{platform.StateFormalCheck, "札幌市長", "介護保険受給者ファイル", false},
	{platform.StateRejectedFormal, "札幌市長", "介護保険受給者ファイル", false},
	{platform.StateForked, "", "", false}, // to both bodies
	{platform.StateLGReview, "札幌市長", "国民健康保険被保険者ファイル", false},
	{platform.StateCorrectionRequested, "福岡県知事", "県営住宅入居者ファイル", false},
	{platform.StateOutOfPurposeDecision, "札幌市長", "介護保険受給者ファイル", false},
	{platform.StateConforming, "福岡県知事", "県営住宅入居者ファイル", false},
	{platform.StateNonConforming, "札幌市長", "国民健康保険被保険者ファイル", false},
	{platform.StateNotified, "福岡県知事", "県営住宅入居者ファイル", false},
	{platform.StateContractApplied, "札幌市長", "介護保険受給者ファイル", false},
	{platform.StateFeeInvoiced, "福岡県知事", "県営住宅入居者ファイル", false},
	{platform.StateFeePaid, "札幌市長", "国民健康保険被保険者ファイル", false},
	{platform.StateContracted, "福岡県知事", "県営住宅入居者ファイル", false},
	{platform.StateSourceRequested, "札幌市長", "介護保険受給者ファイル", false},
	{platform.StateSourceReceived, "福岡県知事", "県営住宅入居者ファイル", false},
	{platform.StateProcessing, "札幌市長", "国民健康保険被保険者ファイル", false},
	{platform.StateRiskCheck, "福岡県知事", "県営住宅入居者ファイル", false},
	{platform.StateLGAcceptance, "札幌市長", "介護保険受給者ファイル", false},
	{platform.StateRegisterUpdated, "福岡県知事", "県営住宅入居者ファイル", false},
	{platform.StateProvided, "札幌市長", "国民健康保険被保険者ファイル", false},
	{platform.StateInUse, "札幌市長", "介護保険受給者ファイル", false},
	{platform.StateChangeProposed, "福岡県知事", "県営住宅入居者ファイル", false},
	{platform.StateExpired, "札幌市長", "国民健康保険被保険者ファイル", true},
	{platform.StateDeletionConfirmed, "福岡県知事", "県営住宅入居者ファイル", true},
	{platform.StateArchived, "札幌市長", "介護保険受給者ファイル", true},
	{platform.StateWithdrawn, "福岡県知事", "県営住宅入居者ファイル", false},
	{platform.StateCancelled, "札幌市長", "国民健康保険被保険者ファイル", false},
}

// reviewers and approvers of the two demo bodies with users.
var bodyLogins = map[string][2]string{
	"札幌市長":  {"sapporo-reviewer", "sapporo-approver"},
	"福岡県知事": {"fukuoka-reviewer", "fukuoka-approver"},
}

type seeder struct {
	w   *World
	p   *platform.Procedure
	ctx context.Context
	now time.Time
}

func (s *seeder) as(login string) context.Context { return s.w.As(s.ctx, login) }

func seedProcedure(ctx context.Context, w *World) error {
	p := w.Services.Procedure()
	// The vault must write through the seeding transaction (SQLite allows
	// one writer).
	if v, ok := w.Services.Vault.(*vault.Vault); ok {
		if b, ok := w.Services.Store.(vault.Backend); ok {
			p.Vault = v.WithBackend(b)
		}
	}
	if p.Vault == nil {
		p.Vault = &memVault{m: map[string][]byte{}}
	}
	p.Queue = nil
	s := &seeder{w: w, p: p, ctx: ctx, now: w.Now}
	if err := s.calls(); err != nil {
		return err
	}
	var cases []platform.ID
	for _, dc := range demoCases {
		id, err := s.drive(dc)
		if err != nil {
			return fmt.Errorf("%s: %w", dc.target, err)
		}
		if dc.target == platform.StateInUse || dc.target == platform.StateChangeProposed {
			cases = append(cases, id)
		}
	}
	cm := &platform.Commission{Contractor: "一般社団法人 匿名加工センター（デモ）", Title: "国民健康保険・介護保険データの共同受託",
		BodyIDs: []platform.ID{w.Bodies["札幌市長"].ID, w.Bodies["福岡県知事"].ID}, CaseIDs: cases, SharedCost: 200000, SplitKey: "equal_rows",
		Terms: "環境構築及びリスク確認の共通経費を、半額は均等に、半額は元データの件数により按分する。", From: s.now, To: s.now.AddDate(1, 0, 0)}
	if err := p.CreateCommission(s.as("officer"), cm); err != nil {
		return err
	}
	return p.PublishCommission(s.as("officer"), cm.ID)
}

// calls publishes a 60-day call of each demo body, a fee table and deadlines.
func (s *seeder) calls() error {
	for body, logins := range bodyLogins {
		b := s.w.Bodies[body]
		var ids []platform.ID
		for key, e := range s.w.Entries {
			if strings.HasPrefix(key, body+"/") && e.ProposalInvited {
				ids = append(ids, e.ID)
			}
		}
		c := &platform.Call{BodyID: b.ID, Title: "令和8年度 行政機関等匿名加工情報に関する提案の募集（" + body + "）", FiscalYr: 2026,
			EntryIDs: ids, OpensAt: s.now.Add(-time.Hour), ClosesAt: s.now.AddDate(0, 0, 60), Office: "共同の提案受付窓口（作成組織）",
			Notice:       "個人情報の保護に関する法律第111条の規定により、行政機関等匿名加工情報をその用に供して行う事業に関する提案を募集します。",
			MaxUseMonths: 36}
		if err := s.p.CreateCall(s.as("officer"), c); err != nil {
			return err
		}
		if _, err := s.p.PublishCall(s.as(logins[1]), c.ID); err != nil {
			return err
		}
		ft := platform.DefaultFeeTable(b.ID, time.Date(2023, 4, 1, 0, 0, 0, 0, platform.JST))
		ft.Ordinance = body[:len(body)-len("長")] + "個人情報の保護に関する法律施行条例（手数料）"
		if strings.HasSuffix(body, "知事") {
			ft.Ordinance = "福岡県個人情報の保護に関する法律施行条例（手数料）"
		}
		if err := s.p.AddFeeTable(s.as(logins[1]), &ft); err != nil {
			return err
		}
		if err := s.otherCalls(b, ids, logins[1]); err != nil {
			return err
		}
		dl := platform.DefaultDeadlines(b.ID)
		dl.Days[platform.StateLGReview] = 45
		if err := s.p.SetDeadlines(s.as(logins[1]), dl); err != nil {
			return err
		}
	}
	return nil
}

// otherCalls adds a call in each other call state: next year's draft, a
// published call not yet open, and last year's closed call (recorded as
// history, its period being over).
func (s *seeder) otherCalls(b *platform.Body, ids []platform.ID, approver string) error {
	mk := func(title string, opens time.Time) *platform.Call {
		return &platform.Call{BodyID: b.ID, Title: title, EntryIDs: ids, OpensAt: opens, ClosesAt: opens.AddDate(0, 0, 45),
			Office: "共同の提案受付窓口（作成組織）", Notice: "提案を募集します。", MaxUseMonths: 36}
	}
	draft := mk("令和9年度 提案の募集（案）", s.now.AddDate(1, 0, 0))
	if err := s.p.CreateCall(s.as("officer"), draft); err != nil {
		return err
	}
	soon := mk("令和8年度 第2回 提案の募集", s.now.AddDate(0, 0, 90))
	if err := s.p.CreateCall(s.as("officer"), soon); err != nil {
		return err
	}
	if _, err := s.p.PublishCall(s.as(approver), soon.ID); err != nil {
		return err
	}
	past := mk("令和7年度 提案の募集（終了）", s.now.AddDate(-1, 0, 0))
	past.Published, past.PublishedAt, past.CreatedAt = true, &past.OpensAt, past.OpensAt
	return s.w.Services.Store.CreateCall(s.ctx, past)
}

func (s *seeder) proposal(dc demoCase) (*platform.Proposal, error) {
	from, to := s.now.AddDate(0, 2, 0), s.now.AddDate(2, 0, 0)
	if dc.past {
		from, to = s.now.AddDate(-1, -1, 0), s.now.AddDate(0, 0, -1)
	}
	pr := &platform.Proposal{Kind: platform.KindNew, Title: "地域の健康・生活データを用いたサービス開発（" + string(dc.target) + "）",
		Proposer:       platform.ProposerInfo{Name: s.w.Business.Name, Address: s.w.Business.Address, Representative: "代表取締役 匿名太郎", Corporate: s.w.Business.Corporate},
		JointProposers: []platform.ProposerInfo{{Name: "国立大学法人デモ大学", Address: "北海道札幌市北区"}},
		Contact:        "business@example.jp", Subjects: 5000, Purpose: "地域包括ケアの需要予測", Method: "統計的分析及び機械学習",
		Business: "自治体向け需要予測サービスの提供", UseFrom: from, UseTo: to,
		SafetyMeasures: "ISMS認証を取得した分析環境でのみ利用し、アクセス記録を保存する。複製は作成しない。",
		Contributes:    "地域の介護・医療資源の最適配置に資する新たなサービスの創出", UseLocation: "本社分析室",
		Pledge: platform.Pledge{NotApplicable: [6]bool{true, true, true, true, true, true}, SignedBy: "代表取締役 匿名太郎", SignedAt: s.now}}
	bodies := []string{dc.body}
	files := []string{dc.file}
	if dc.body == "" {
		bodies, files = []string{"札幌市長", "福岡県知事"}, []string{"国民健康保険被保険者ファイル", "県営住宅入居者ファイル"}
	}
	for i, b := range bodies {
		e := s.w.Entries[b+"/"+files[i]]
		items := platform.MatrixFromRegister(e)
		for j := range items {
			switch items[j].Type {
			case platform.ItemAddress:
				items[j].Granularity = platform.GranMunicipality
			case platform.ItemDate:
				items[j].Granularity = platform.GranMonth
			}
		}
		pr.Targets = append(pr.Targets, platform.Target{BodyID: e.BodyID, EntryID: e.ID, Items: items,
			Subset: platform.Subset{Kind: platform.SubsetAll}})
	}
	return pr, s.p.SaveProposal(s.as("business"), pr)
}

func findingsAll(fail int) []platform.Finding {
	var out []platform.Finding
	for _, c := range platform.Criteria {
		f := platform.Finding{Criterion: c.No, Met: true, Reason: "提案書及び添付資料により基準に適合すると認める。"}
		if c.No == fail {
			f.Met, f.Reason = false, "本人の数の算定根拠が示されておらず、加工の方法が第116条第1項の基準に適合することを確認できない。"
		}
		out = append(out, f)
	}
	return out
}

// drive creates a proposal and takes it (or its one case) to dc.target.
func (s *seeder) drive(dc demoCase) (platform.ID, error) {
	pr, err := s.proposal(dc)
	if err != nil || dc.target == platform.StateDraft {
		return pr.ID, err
	}
	p, biz, win := s.p, s.as("business"), s.as("officer")
	if _, err := p.Submit(biz, pr.ID); err != nil || dc.target == platform.StateSubmitted {
		return pr.ID, err
	}
	if _, err := p.StartCheck(win, pr.ID); err != nil || dc.target == platform.StateFormalCheck {
		return pr.ID, err
	}
	if dc.target == platform.StateRejectedFormal {
		_, err := p.RejectFormal(win, pr.ID, "誓約書の原本が添付されていないため")
		return pr.ID, err
	}
	if _, err := p.RequestProposalCorrection(win, pr.ID, "住所の粒度（市区町村）で足りる理由を示してください。"); err != nil {
		return 0, err
	}
	if _, err := p.ReplyProposalCorrection(biz, pr.ID, "需要予測は市区町村単位で行うため、それ以上の詳細は不要です。", nil); err != nil {
		return 0, err
	}
	cases, err := p.Fork(win, pr.ID)
	if err != nil || dc.target == platform.StateForked {
		return pr.ID, err
	}
	return s.driveCase(dc, cases[0].ID)
}

func (s *seeder) driveCase(dc demoCase, id platform.ID) (platform.ID, error) {
	p, biz, win := s.p, s.as("business"), s.as("officer")
	rev, appr := s.as(bodyLogins[dc.body][0]), s.as(bodyLogins[dc.body][1])
	t := dc.target
	steps := []struct {
		to platform.State
		do func() error
	}{
		{platform.StateLGReview, func() error { _, err := p.Route(win, id); return err }},
		{platform.StateWithdrawn, func() error { _, err := p.WithdrawCase(biz, id, "事業計画の見直しのため"); return err }},
		{platform.StateCorrectionRequested, func() error {
			_, err := p.RequestCaseCorrection(rev, id, "安全管理措置の具体的内容（アクセス権限の管理方法）を示してください。")
			return err
		}},
		{platform.StateNonConforming, func() error {
			if _, err := p.SaveReview(rev, id, findingsAll(3)); err != nil {
				return err
			}
			_, err := p.DecideNonConforming(appr, id)
			return err
		}},
		{platform.StateOutOfPurposeDecision, func() error {
			if _, err := p.SaveReview(rev, id, findingsAll(0)); err != nil {
				return err
			}
			if _, err := p.RecordCouncil(rev, id, platform.CouncilConsultation{Council: "個人情報保護審議会", Reference: "諮問第8号", AskedAt: s.now}); err != nil {
				return err
			}
			_, err := p.SubmitReview(rev, id)
			return err
		}},
		{platform.StateConforming, func() error {
			_, err := p.DecideConforming(appr, id, &platform.HandoverDecision{Decision: "conditional",
				LegalBasis: "法第109条第1項（法令に基づく利用）及び作成組織への委託", Conditions: "氏名及び被保険者番号は抽出しない"})
			return err
		}},
		{platform.StateNotified, func() error { _, err := p.Notify(appr, id, 10.5, 110000); return err }},
		{platform.StateContractApplied, func() error { _, err := p.ApplyContract(biz, id); return err }},
		{platform.StateFeeInvoiced, func() error { _, err := p.IssueInvoice(rev, id, 10.5, 110000, 30); return err }},
		{platform.StateFeePaid, func() error {
			c, err := p.Case(rev, id)
			if err != nil {
				return err
			}
			_, err = p.RecordPayment(rev, id, platform.Payment{Amount: c.Invoice.Fee.Total, Method: "納付書", Receipt: fmt.Sprintf("R8-%04d", id)})
			return err
		}},
		{platform.StateContracted, func() error {
			if _, err := p.SignContract(biz, id, "本社分析室（東京都千代田区）", []string{"匿名太郎", "分析花子"},
				[]platform.ID{s.w.Users["business"].ID}); err != nil {
				return err
			}
			_, err := p.ConcludeContract(appr, id)
			return err
		}},
		{platform.StateSourceRequested, func() error {
			_, err := p.RequestSource(win, id, "依頼した列のみを抽出してください。")
			return err
		}},
		{platform.StateSourceReceived, func() error {
			c, err := p.Case(rev, id)
			if err != nil {
				return err
			}
			_, err = p.UploadExtract(rev, id, "extract.csv", syntheticExtract(c, 1500))
			return err
		}},
		{platform.StateProcessing, func() error { _, err := p.StartProcessing(s.as("processor"), id); return err }},
		{platform.StateRiskCheck, func() error { return p.RunProcessing(s.as("processor"), id, demoEngine) }},
		{platform.StateLGAcceptance, func() error {
			_, err := p.ApproveRisk(s.as("risk"), id, "k=5 を満たし、特異な記述の残存がないことを確認した。")
			return err
		}},
		{platform.StateRegisterUpdated, func() error { _, err := p.AcceptOutput(appr, id, s.now.AddDate(1, 0, 0)); return err }},
		{platform.StateProvided, func() error { _, err := p.Deliver(win, id); return err }},
		{platform.StateInUse, func() error { _, err := p.StartUse(biz, id); return err }},
		{platform.StateChangeProposed, func() error {
			_, err := p.ProposeChange(biz, id, "需要予測に加え、施設配置計画の支援に利用する", "自治体からの要望による")
			return err
		}},
		{platform.StateCancelled, func() error {
			_, err := p.Cancel(appr, id, "breach", "契約に定める利用場所以外で利用したため（デモ）")
			return err
		}},
		{platform.StateExpired, func() error { _, err := p.Expire(win, id); return err }},
		{platform.StateDeletionConfirmed, func() error {
			if _, err := p.SubmitDeletionCertificate(biz, id, "提供を受けた情報及びその複製物を全て消去した。", "専用ツールによる上書き消去", nil); err != nil {
				return err
			}
			_, err := p.ConfirmDeletion(rev, id)
			return err
		}},
		{platform.StateArchived, func() error { _, err := p.Archive(win, id); return err }},
	}
	// Branches taken only when they are the target.
	branch := map[platform.State]bool{platform.StateWithdrawn: true, platform.StateCorrectionRequested: true,
		platform.StateNonConforming: true, platform.StateChangeProposed: true, platform.StateCancelled: true}
	for _, st := range steps {
		if branch[st.to] && st.to != t {
			continue
		}
		if (st.to == platform.StateExpired || st.to == platform.StateDeletionConfirmed || st.to == platform.StateArchived) && !dc.past {
			continue
		}
		if err := st.do(); err != nil {
			return id, fmt.Errorf("to %s: %w", st.to, err)
		}
		if st.to == t {
			return id, nil
		}
	}
	return id, fmt.Errorf("state %s not reached", t)
}

// syntheticExtract writes n synthetic records with the requested columns.
func syntheticExtract(c *platform.Case, n int) io.Reader {
	cols := platform.RequestedColumns(c)
	types := map[string]platform.ItemType{}
	for _, t := range c.Targets {
		for _, it := range t.Items {
			types[it.Item] = it.Type
		}
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(cols)
	wards := []string{"札幌市中央区", "札幌市北区", "札幌市東区", "札幌市白石区", "札幌市豊平区"}
	for i := range n {
		rec := make([]string, len(cols))
		for j, col := range cols {
			switch types[col] {
			case platform.ItemDate:
				rec[j] = fmt.Sprintf("%d-%02d-%02d", 1930+(i*7)%70, 1+i%12, 1+(i*3)%28)
			case platform.ItemAddress:
				rec[j] = wards[i%len(wards)]
			case platform.ItemNumber:
				rec[j] = fmt.Sprint(1 + (i*13)%90)
			case platform.ItemCode:
				rec[j] = fmt.Sprintf("区分%d", 1+i%4)
			case platform.ItemIDNumber:
				rec[j] = fmt.Sprintf("%08d", 10000000+i)
			default:
				rec[j] = "—"
			}
		}
		w.Write(rec)
	}
	w.Flush()
	return &b
}

// demoEngine cuts dates to year-month and keeps the other requested columns;
// the real engine runs in package jobs when a processor starts processing.
func demoEngine(_ context.Context, in *platform.ProcessingInput) (*platform.ProcessingOutput, error) {
	rd, err := dataio.NewReader(in.Extract, in.Name, dataio.Options{})
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	h := rd.Header()
	w.Write(h)
	var n int64
	cut := map[int]bool{}
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		for i := range rec {
			if len(rec[i]) == 10 && rec[i][4] == '-' && rec[i][7] == '-' {
				rec[i], cut[i] = rec[i][:7], true
			}
		}
		w.Write(rec)
		n++
	}
	w.Flush()
	return &platform.ProcessingOutput{Output: out.Bytes(), Rows: n, MinClass: 5, Record: demoRecord(in, h, cut, out.Bytes(), n),
		Summary: "生年月日等を年月に一般化、住所を市区町村に一般化（デモ）"}, nil
}

// demoRecord is the processing record of the demo engine, in the form of
// the processing standard (standard.Record). The demo runs no Rule 62
// checks, so the record lists none (the real engine's record has them).
func demoRecord(in *platform.ProcessingInput, header []string, cut map[int]bool, out []byte, n int64) []byte {
	sum := sha256.Sum256(out)
	rec := &standard.Record{RunID: "demo-" + fmt.Sprint(in.Case.ID), CaseID: fmt.Sprint(in.Case.ID), Body: in.Body.Name,
		Dataset: in.Entry.FileName + "（行政機関等匿名加工情報）", Operator: "processor", Engine: "tokumei demo engine (no Rule 62 checks)",
		Input:  standard.FileInfo{Name: in.Name, SHA256: in.Case.Extract.SHA256, Records: int(n), Columns: len(header)},
		Output: standard.FileInfo{Name: "output.csv", SHA256: hex.EncodeToString(sum[:]), Records: int(n), Columns: len(header)}}
	var actions []standard.ColumnAction
	for i, col := range header {
		if cut[i] {
			actions = append(actions, standard.ColumnAction{Item: standard.ItemDataSpecific, Column: col, Action: "generalize", DetailJA: "年月"})
			rec.Generalization = append(rec.Generalization, standard.Generalization{Column: col, Builder: "date", Level: 1, Description: "年月"})
		}
	}
	rec.SetActions(actions)
	var b bytes.Buffer
	rec.WriteJSON(&b)
	return b.Bytes()
}

// memVault keeps files in memory when the demo is seeded without a vault
// (tests of other packages); a server always has the encrypted vault.
type memVault struct{ m map[string][]byte }

func (v *memVault) Put(_ context.Context, name string, r io.Reader) (*platform.VaultObject, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	id := fmt.Sprintf("mem-%d", len(v.m)+1)
	v.m[id] = b
	return &platform.VaultObject{ID: id, Name: name, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(b))}, nil
}

func (v *memVault) Open(_ context.Context, id string) (io.ReadCloser, error) {
	b, ok := v.m[id]
	if !ok {
		return nil, fault.New(fault.NotFound, "no such file", "ファイルがありません")
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (v *memVault) Delete(_ context.Context, id string) error { delete(v.m, id); return nil }
