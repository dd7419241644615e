package platform_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"github.com/tokumei/tokumei/dataio"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
	"github.com/tokumei/tokumei/vault"
)

// world is the fixture of the procedure tests: two local governments,
// three bodies (札幌市長, 札幌市教育委員会, 千代田区長) each with a file
// inviting proposals, their officers, the operator's staff and two
// businesses.
type world struct {
	t                         *testing.T
	db                        *sqlstore.DB
	svc                       *platform.Services
	p                         *platform.Procedure
	now                       time.Time
	bodies                    [3]*platform.Body
	entry                     [3]*platform.RegisterEntry
	rev                       [3]context.Context // body reviewers
	appr                      [3]context.Context // body approvers
	window, proc, risk, admin context.Context
	biz, biz2                 context.Context
	bizUser                   *platform.User
	bizID, biz2ID             platform.ID
}

func (w *world) clock() time.Time { return w.now }

func (w *world) user(login string, role platform.Role, body, business platform.ID) (context.Context, *platform.User) {
	u := &platform.User{Login: login, Name: login, Role: role, BodyID: body, BusinessID: business, CreatedAt: w.now}
	if err := w.db.CreateUser(context.Background(), u); err != nil {
		w.t.Fatal(err)
	}
	return platform.WithActor(context.Background(), u.Actor()), u
}

func newWorld(t *testing.T, db *sqlstore.DB) *world {
	t.Helper()
	w := &world{t: t, db: db, now: time.Date(2026, 5, 1, 9, 0, 0, 0, platform.JST)}
	v, err := vault.New(db, bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	w.svc = &platform.Services{Store: db, Vault: v, Now: w.clock}
	w.p = w.svc.Procedure()
	w.admin = platform.WithActor(context.Background(), platform.SystemActor("test"))
	ok(t, w.svc.ImportLocalGovernments(w.admin, []platform.LocalGovernment{
		{Code: "011002", Name: "札幌市", PrefCode: "01", Pref: "北海道", Kind: "designated-city"},
		{Code: "131016", Name: "千代田区", PrefCode: "13", Pref: "東京都", Kind: "special-ward"}}))
	specs := []struct {
		lg   string
		kind platform.BodyKind
		name string
	}{{"011002", platform.BodyMayor, "札幌市長"}, {"011002", platform.BodyBoardEducation, "札幌市教育委員会"}, {"131016", platform.BodyMayor, "千代田区長"}}
	for i, s := range specs {
		b := &platform.Body{LGCode: s.lg, Kind: s.kind, Name: s.name, Unit: "個人情報保護担当", Email: "x@example.jp"}
		ok(t, w.svc.CreateBody(w.admin, b))
		w.bodies[i] = b
		w.rev[i], _ = w.user("rev"+idS(b.ID), platform.RoleBodyReviewer, b.ID, 0)
		w.appr[i], _ = w.user("appr"+idS(b.ID), platform.RoleBodyApprover, b.ID, 0)
		e := &platform.RegisterEntry{BodyID: b.ID, FileName: s.name + " 健康診査ファイル", Purpose: "健康診査の実施", Kind: platform.FileComputer,
			Items: []platform.RecordItem{{Name: "氏名", Type: platform.ItemName}, {Name: "生年月日", Type: platform.ItemDate},
				{Name: "住所", Type: platform.ItemAddress}, {Name: "性別", Type: platform.ItemCode}, {Name: "宛名番号", Type: platform.ItemIDNumber}},
			Subjects: 50000, ProposalInvited: true, ProposalOffice: "共同の提案受付窓口（東京都千代田区）", Published: true}
		ok(t, w.svc.CreateRegisterEntry(w.appr[i], e))
		w.entry[i] = e
	}
	w.window, _ = w.user("window", platform.RoleWindowOfficer, 0, 0)
	w.proc, _ = w.user("proc", platform.RoleProcessor, 0, 0)
	w.risk, _ = w.user("risk", platform.RoleRiskAssessor, 0, 0)
	for i, name := range []string{"株式会社ヘルスデータ", "合同会社サンプル"} {
		b := &platform.Business{Name: name, Address: "東京都港区", CreatedAt: w.now}
		ok(t, db.CreateBusiness(context.Background(), b))
		if i == 0 {
			w.bizID = b.ID
			w.biz, w.bizUser = w.user("biz", platform.RoleBusiness, 0, b.ID)
		} else {
			w.biz2ID = b.ID
			w.biz2, _ = w.user("biz2", platform.RoleBusiness, 0, b.ID)
		}
	}
	return w
}

func idS(id platform.ID) string { return string(rune('0'+id%10)) + string(rune('a'+id/10%26)) }

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%v", err)
	}
}

func mustV[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%v", err)
		}
		return v
	}
}

func refused(t *testing.T, code fault.Code, err error) {
	t.Helper()
	if got := fault.ErrorCode(err); got != code {
		t.Fatalf("got %q (%v), want %q", got, err, code)
	}
}

// openCalls creates and publishes a 40-day call per body.
func (w *world) openCalls() {
	for i, b := range w.bodies {
		c := &platform.Call{BodyID: b.ID, Title: "令和8年度 行政機関等匿名加工情報の提案募集", FiscalYr: 2026,
			EntryIDs: []platform.ID{w.entry[i].ID}, OpensAt: w.now.Add(time.Hour), ClosesAt: w.now.AddDate(0, 0, 40),
			Office: "共同の提案受付窓口", Notice: "個人情報の保護に関する法律第111条の規定により提案を募集します。", MaxUseMonths: 24}
		ok(w.t, w.p.CreateCall(w.window, c))
		if _, err := w.p.PublishCall(w.rev[i], c.ID); fault.ErrorCode(err) != fault.Forbidden {
			w.t.Fatalf("reviewer published a call: %v", err)
		}
		mustV[*platform.Call](w.t)(w.p.PublishCall(w.appr[i], c.ID))
	}
	w.now = w.now.Add(2 * time.Hour)
}

func (w *world) proposal(ctx context.Context, bodies ...int) *platform.Proposal {
	pr := &platform.Proposal{Kind: platform.KindNew, Title: "健診結果を用いた健康増進サービスの開発",
		Proposer:       platform.ProposerInfo{Name: "株式会社ヘルスデータ", Address: "東京都港区", Representative: "代表取締役 山田太郎", Corporate: "1234567890123"},
		JointProposers: []platform.ProposerInfo{{Name: "国立某大学", Address: "京都府京都市"}},
		Subjects:       5000, Purpose: "健康増進サービスの開発", Method: "統計的分析", Business: "健康アプリの提供",
		UseFrom: w.now.AddDate(0, 2, 0), UseTo: w.now.AddDate(1, 2, 0), SafetyMeasures: "ISMS認証取得環境で利用し、アクセスを記録する",
		Contributes: "新たな健康サービスの創出",
		Pledge:      platform.Pledge{NotApplicable: [6]bool{true, true, true, true, true, true}, SignedBy: "山田太郎", SignedAt: w.now}}
	for _, i := range bodies {
		items := platform.MatrixFromRegister(w.entry[i])
		for j := range items {
			if items[j].Item == "住所" {
				items[j].Granularity = platform.GranMunicipality
			}
		}
		pr.Targets = append(pr.Targets, platform.Target{BodyID: w.bodies[i].ID, EntryID: w.entry[i].ID, Items: items,
			Subset: platform.Subset{Kind: platform.SubsetSample, SampleRate: 0.5}})
	}
	ok(w.t, w.p.SaveProposal(ctx, pr))
	return pr
}

func findings(fail int) []platform.Finding {
	var out []platform.Finding
	for _, c := range platform.Criteria {
		out = append(out, platform.Finding{Criterion: c.No, Met: c.No != fail, Reason: "審査の結果"})
	}
	return out
}

// extract returns a source extract with the requested columns.
func extract(rows int, cp932 bool) io.Reader {
	var b strings.Builder
	b.WriteString("生年月日,住所,性別\n")
	for i := range rows {
		b.WriteString("1980-0" + string(rune('1'+i%9)) + "-15,札幌市中央区北1条,")
		b.WriteString([]string{"男", "女"}[i%2] + "\n")
	}
	if !cp932 {
		return strings.NewReader(b.String())
	}
	s, _ := japanese.ShiftJIS.NewEncoder().String(b.String())
	return strings.NewReader(s)
}

// stubEngine generalises 生年月日 to year-month (the real engine is wired by
// package jobs and tested there).
func stubEngine(_ context.Context, in *platform.ProcessingInput) (*platform.ProcessingOutput, error) {
	rd, err := dataio.NewReader(in.Extract, in.Name, dataio.Options{})
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	cw := csv.NewWriter(&out)
	cw.Write(rd.Header())
	var n int64
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		rec[0] = rec[0][:7]
		cw.Write(rec)
		n++
	}
	cw.Flush()
	return &platform.ProcessingOutput{Output: out.Bytes(), Rows: n, Record: []byte(`{"generalised":{"生年月日":"month"}}`),
		Summary: "生年月日を年月に一般化", MinClass: 5}, nil
}

func TestProcedureEndToEnd(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		p := w.p
		w.openCalls()

		// B1–B4: one proposal to three bodies of two local governments.
		pr := w.proposal(w.biz, 0, 1, 2)
		refused(t, fault.Conflict, func() error { _, err := p.StartCheck(w.window, pr.ID); return err }())
		mustV[*platform.Attachment](t)(p.AddAttachment(w.biz, pr.ID, "誓約書.pdf", strings.NewReader("%PDF pledge")))
		if _, err := p.Submit(w.biz2, pr.ID); fault.ErrorCode(err) != fault.NotFound {
			t.Fatalf("another business submitted: %v", err)
		}
		pr = mustV[*platform.Proposal](t)(p.Submit(w.biz, pr.ID))
		if pr.Attachments[0].SHA256 == "" || pr.Targets[0].CallID == 0 {
			t.Fatalf("attachment hash or call not recorded: %+v", pr)
		}
		mustV[*platform.Proposal](t)(p.StartCheck(w.window, pr.ID))
		// The completeness check is recorded item by item, with who and when.
		cl := mustV[*platform.Proposal](t)(db.Proposal(context.Background(), pr.ID)).Checklist
		if cl == nil || !cl.Complete || len(cl.Items) != len(platform.ChecklistKeys) || cl.Login != "window" || !cl.CheckedAt.Equal(w.now) {
			t.Fatalf("checklist %+v", cl)
		}
		mustV[*platform.Proposal](t)(p.RequestProposalCorrection(w.window, pr.ID, "加工方法（住所の粒度）を明確にしてください"))
		mustV[*platform.Proposal](t)(p.ReplyProposalCorrection(w.biz, pr.ID, "住所は市区町村までとします", nil))
		cases := mustV[[]platform.Case](t)(p.Fork(w.window, pr.ID))
		if len(cases) != 3 {
			t.Fatalf("forked into %d cases, want 3", len(cases))
		}
		id := [3]platform.ID{cases[0].ID, cases[1].ID, cases[2].ID}
		for i := range id {
			mustV[*platform.Case](t)(p.Route(w.window, id[i]))
		}
		// The body of another case sees nothing of this one.
		if _, err := p.Case(w.rev[2], id[0]); fault.ErrorCode(err) != fault.NotFound {
			t.Fatalf("another body read the case: %v", err)
		}

		// Joint commission: one contractor processes for bodies 0 and 1.
		cm := &platform.Commission{Contractor: "一般社団法人 匿名加工センター", Title: "健診データ共同受託", BodyIDs: []platform.ID{w.bodies[0].ID, w.bodies[1].ID},
			CaseIDs: []platform.ID{id[0], id[1]}, SharedCost: 100000, SplitKey: "equal", Terms: "共通経費を均等に按分", From: w.now, To: w.now.AddDate(1, 0, 0)}
		ok(t, p.CreateCommission(w.window, cm))
		ok(t, p.PublishCommission(w.window, cm.ID))
		pub := mustV[[]platform.PublicCommission](t)(p.PublishedCommissions(context.Background()))
		if len(pub) != 1 || len(pub[0].Bodies) != 2 || pub[0].Shares[w.bodies[0].ID] != 50000 {
			t.Fatalf("published commission %+v", pub)
		}

		// C1: a correction asked by body 0, review of all three.
		mustV[*platform.Case](t)(p.RequestCaseCorrection(w.rev[0], id[0], "安全管理措置の詳細を示してください"))
		mustV[*platform.Case](t)(p.ReplyCaseCorrection(w.biz, id[0], "別紙のとおり"))
		sug := mustV[[]platform.Finding](t)(p.SuggestedFindings(w.rev[0], id[0]))
		if len(sug) != 3 || !sug[0].Met || !sug[1].Met || !sug[2].Met {
			t.Fatalf("suggested findings %+v", sug)
		}
		for i := range 3 {
			fail := 0
			if i == 2 {
				fail = 6
			}
			mustV[*platform.Case](t)(p.SaveReview(w.rev[i], id[i], findings(fail)))
		}
		refused(t, fault.Conflict, func() error { _, err := p.SubmitReview(w.rev[2], id[2]); return err }())
		mustV[*platform.Case](t)(p.DecideNonConforming(w.appr[2], id[2]))
		c2 := mustV[*platform.Case](t)(p.Notify(w.appr[2], id[2], 0, 0))
		if c2.Notice.Result != platform.NoticeNonConforming || !strings.Contains(strings.Join(c2.Notice.Paragraphs(), ""), "基準第6号") {
			t.Fatalf("non-conforming notice %+v", c2.Notice)
		}
		mustV[*platform.Case](t)(p.Archive(w.window, id[2]))

		for i := range 2 {
			mustV[*platform.Case](t)(p.SubmitReview(w.rev[i], id[i]))
			mustV[*platform.Case](t)(p.RecordCouncil(w.rev[i], id[i], platform.CouncilConsultation{Council: "個人情報保護審議会", Reference: "諮問第1号", AskedAt: w.now}))
			if k := mustV[*platform.Case](t)(db.Case(context.Background(), id[i])).Council; k == nil || k.Council != "個人情報保護審議会" || k.Reference != "諮問第1号" || !k.AskedAt.Equal(w.now) {
				t.Fatalf("council consultation read back as %+v", k)
			}
			refused(t, fault.Invalid, func() error { _, err := p.DecideConforming(w.appr[i], id[i], nil); return err }())
			mustV[*platform.Case](t)(p.DecideConforming(w.appr[i], id[i], &platform.HandoverDecision{Decision: "conditional",
				LegalBasis: "法第109条第1項（法令に基づく利用）及び委託", Conditions: "氏名・宛名番号は抽出しない"}))
			c := mustV[*platform.Case](t)(p.Notify(w.appr[i], id[i], 10.5, 60000))
			// 21,000 + 3,950 × 11 + 60,000 + 50,000 (commission share)
			if c.Notice.FeeEstimate != 174450 {
				t.Fatalf("fee estimate %d, want 174450", c.Notice.FeeEstimate)
			}
			mustV[*platform.Case](t)(p.ApplyContract(w.biz, id[i]))
			c = mustV[*platform.Case](t)(p.IssueInvoice(w.rev[i], id[i], 10.5, 60000, 30))
			refused(t, fault.Invalid, func() error {
				_, err := p.RecordPayment(w.rev[i], id[i], platform.Payment{Amount: 1000, Receipt: "R1"})
				return err
			}())
			mustV[*platform.Case](t)(p.RecordPayment(w.rev[i], id[i], platform.Payment{Amount: c.Invoice.Fee.Total, Method: "納付書", Receipt: "R-001"}))
			refused(t, fault.Conflict, func() error { _, err := p.ConcludeContract(w.appr[i], id[i]); return err }())
			mustV[*platform.Case](t)(p.SignContract(w.biz, id[i], "本社分析室", []string{"山田太郎"}, []platform.ID{w.bizUser.ID}))
			c = mustV[*platform.Case](t)(p.ConcludeContract(w.appr[i], id[i]))
			if len(c.Contract.Clauses) < 10 || !strings.Contains(c.Contract.Clauses[4].Text, "識別") {
				t.Fatalf("contract clauses %+v", c.Contract.Clauses)
			}
			mustV[*platform.Case](t)(p.RequestSource(w.window, id[i], "必要最小限の列"))
			if _, err := p.UploadExtract(w.rev[i], id[i], "extract.csv", strings.NewReader("生年月日,住所,性別,氏名\n1980-01-01,札幌市,男,山田\n")); fault.ErrorCode(err) != fault.Invalid {
				t.Fatalf("extract with an unrequested column accepted: %v", err)
			}
			c = mustV[*platform.Case](t)(p.UploadExtract(w.rev[i], id[i], "extract.csv", extract(1200, i == 0)))
			if c.Extract.Rows != 1200 || len(c.Extract.SHA256) != 64 {
				t.Fatalf("extract %+v", c.Extract)
			}
			if i == 0 && !strings.Contains(strings.ToLower(c.Extract.Encoding), "932") && !strings.Contains(strings.ToLower(c.Extract.Encoding), "shift") {
				t.Errorf("CP932 extract read as %q", c.Extract.Encoding)
			}
			if i == 1 {
				// A run whose output fails a Rule 62 check cannot be approved.
				mustV[*platform.Case](t)(p.StartProcessing(w.proc, id[i]))
				failing := func(ctx context.Context, in *platform.ProcessingInput) (*platform.ProcessingOutput, error) {
					out, err := stubEngine(ctx, in)
					if out != nil {
						out.ChecksFailed = []string{"第4号：特異な記述"}
					}
					return out, err
				}
				ok(t, p.RunProcessing(w.proc, id[i], failing))
				refused(t, fault.Conflict, func() error { _, err := p.ApproveRisk(w.risk, id[i], "確認"); return err }())
				mustV[*platform.Case](t)(p.RejectRisk(w.risk, id[i], "第4号の検査に不合格のため再加工"))
			}
			if i == 0 {
				// An engine error sends the case back; the timeline note is the Japanese message.
				mustV[*platform.Case](t)(p.StartProcessing(w.proc, id[i]))
				broken := func(context.Context, *platform.ProcessingInput) (*platform.ProcessingOutput, error) {
					return nil, fault.New(fault.Invalid, "column missing", "列が足りません")
				}
				if err := p.RunProcessing(w.proc, id[i], broken); err == nil {
					t.Fatal("failed run reported no error")
				}
				tl := mustV[[]platform.Event](t)(p.Timeline(w.window, id[i]))
				if last := tl[len(tl)-1]; last.Action != platform.ActFailProcessing || !strings.Contains(last.Note, "列が足りません") || strings.Contains(last.Note, "column missing") {
					t.Fatalf("failure event %+v", last)
				}
			}
			mustV[*platform.Case](t)(p.StartProcessing(w.proc, id[i]))
			ok(t, p.RunProcessing(w.proc, id[i], stubEngine))
			if err := p.RunProcessing(w.proc, id[i], stubEngine); fault.ErrorCode(err) != fault.Conflict {
				t.Fatalf("second run of the same job stored: %v", err)
			}
			refused(t, fault.Forbidden, func() error { _, err := p.ApproveRisk(w.proc, id[i], "ok"); return err }())
			recRC := mustV[io.ReadCloser](t)(p.OpenCaseFile(w.risk, id[i], "record"))
			recBytes, _ := io.ReadAll(recRC)
			recRC.Close()
			if !strings.Contains(string(recBytes), "generalised") {
				t.Fatalf("risk assessor read record %q", recBytes)
			}
			refused(t, fault.Forbidden, func() error { _, err := p.OpenCaseFile(w.biz, id[i], "output"); return err }())
			refused(t, fault.NotFound, func() error { _, err := p.OpenCaseFile(w.rev[2], id[i], "output"); return err }())
			mustV[*platform.Case](t)(p.ApproveRisk(w.risk, id[i], "k=5 を確認、特異な記述なし"))
			c = mustV[*platform.Case](t)(p.AcceptOutput(w.appr[i], id[i], w.now.AddDate(1, 0, 0)))
			e := mustV[*platform.RegisterEntry](t)(db.RegisterEntry(context.Background(), w.entry[i].ID))
			if !strings.Contains(e.AnonSummary, "1,200人") || e.AnonProposalTo == nil {
				t.Fatalf("register not updated with art. 117 items: %+v", e)
			}
			ds := mustV[*platform.CatalogDataset](t)(db.CatalogDataset(context.Background(), c.DatasetID))
			if k := mustV[*platform.Case](t)(db.Case(context.Background(), id[i])).Contract; k.DatasetID != ds.ID || k.DatasetVersion != ds.Version || ds.Version < 1 {
				t.Fatalf("contract identifies dataset %q v%d, want %q v%d", k.DatasetID, k.DatasetVersion, ds.ID, ds.Version)
			}
			if !ds.ProposalOpen(w.now) {
				t.Fatal("created dataset not open for reuse proposals")
			}
			mustV[*platform.Case](t)(p.Deliver(w.window, id[i]))
			if _, _, err := p.Download(w.biz2, id[i]); fault.ErrorCode(err) != fault.Forbidden {
				t.Fatalf("non-recipient downloaded: %v", err)
			}
			rc, _ := must2(t)(p.Download(w.biz, id[i]))
			data, _ := io.ReadAll(rc)
			rc.Close()
			if !bytes.HasPrefix(data, []byte("生年月日,住所,性別\n1980-01,")) {
				t.Fatalf("downloaded %q", data[:40])
			}
			if _, _, err := p.Download(w.biz, id[i]); fault.ErrorCode(err) != fault.Conflict {
				t.Fatalf("second download allowed: %v", err)
			}
		}
		// Art. 118: another business proposes to use the dataset body 0 created.
		c0 := mustV[*platform.Case](t)(p.Case(w.appr[0], id[0]))
		ru := &platform.Proposal{Kind: platform.KindReuse, Title: "作成済み情報の利用",
			Proposer: platform.ProposerInfo{Name: "合同会社サンプル", Address: "東京都港区"}, Purpose: "研究", Method: "集計",
			Business: "調査報告", SafetyMeasures: "施錠管理", UseFrom: w.now.AddDate(0, 1, 0), UseTo: w.now.AddDate(1, 0, 0),
			Targets: []platform.Target{{BodyID: w.bodies[0].ID, EntryID: w.entry[0].ID, DatasetID: c0.DatasetID}},
			Pledge:  platform.Pledge{NotApplicable: [6]bool{true, true, true, true, true, true}, SignedBy: "代表", SignedAt: w.now}}
		ok(t, p.SaveProposal(w.biz2, ru))
		mustV[*platform.Proposal](t)(p.Submit(w.biz2, ru.ID))
		mustV[*platform.Proposal](t)(p.StartCheck(w.window, ru.ID))
		rc0 := mustV[[]platform.Case](t)(p.Fork(w.window, ru.ID))[0].ID
		mustV[*platform.Case](t)(p.Route(w.window, rc0))
		var five []platform.Finding
		for _, c := range platform.CriteriaFor(platform.KindReuse) {
			five = append(five, platform.Finding{Criterion: c.No, Met: true, Reason: "適合"})
		}
		mustV[*platform.Case](t)(p.SaveReview(w.rev[0], rc0, five))
		mustV[*platform.Case](t)(p.SubmitReview(w.rev[0], rc0))
		mustV[*platform.Case](t)(p.DecideConforming(w.appr[0], rc0, nil))
		mustV[*platform.Case](t)(p.Notify(w.appr[0], rc0, 0, 0))
		mustV[*platform.Case](t)(p.ApplyContract(w.biz2, rc0))
		rcase := mustV[*platform.Case](t)(p.IssueInvoice(w.rev[0], rc0, 0, 0, 30))
		if rcase.Invoice.Fee.Basis != platform.FeeReuse || rcase.Invoice.Fee.Total != c0.Invoice.Fee.Total {
			t.Fatalf("reuse fee %+v, want the original %d", rcase.Invoice.Fee, c0.Invoice.Fee.Total)
		}
		mustV[*platform.Case](t)(p.RecordPayment(w.rev[0], rc0, platform.Payment{Amount: rcase.Invoice.Fee.Total, Receipt: "R-2"}))
		refused(t, fault.Invalid, func() error {
			_, err := p.SignContract(w.biz2, rc0, "本社", []string{"佐藤"}, []platform.ID{w.bizUser.ID})
			return err
		}())
		_, biz2User := w.user("biz2-staff", platform.RoleBusiness, 0, w.biz2ID)
		mustV[*platform.Case](t)(p.SignContract(w.biz2, rc0, "本社", []string{"佐藤"}, []platform.ID{biz2User.ID}))
		if k := mustV[*platform.Case](t)(p.ConcludeContract(w.appr[0], rc0)).Contract; k.DatasetID != c0.DatasetID || k.DatasetVersion < 1 ||
			!strings.Contains(k.Clauses[0].Text, "データセットID "+c0.DatasetID+"、第") {
			t.Fatalf("reuse contract dataset %q v%d: %s", k.DatasetID, k.DatasetVersion, k.Clauses[0].Text)
		}
		if ds := mustV[*platform.CatalogDataset](t)(db.CatalogDataset(context.Background(), c0.DatasetID)); ds.Contracts != 2 {
			t.Errorf("dataset shows %d contracts, want 2", ds.Contracts)
		}
		refused(t, fault.Conflict, func() error { _, err := p.RequestSource(w.window, rc0, ""); return err }())
		mustV[*platform.Case](t)(p.Deliver(w.window, rc0))
		rc, _ := must2(t)(p.Download(platform.WithActor(context.Background(), biz2User.Actor()), rc0))
		reused, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.HasPrefix(reused, []byte("生年月日,住所,性別\n1980-01,")) {
			t.Fatalf("reuse delivered %q", reused[:30])
		}

		// Body 0: change of business, then expiry; body 1: cancellation.
		mustV[*platform.Case](t)(p.ProposeChange(w.biz, id[0], "健康増進サービスの海外展開", "事業拡大"))
		// The change goes through review again before the approver decides.
		refused(t, fault.Conflict, func() error {
			_, err := p.DecideChange(w.appr[0], id[0], true, "目的の範囲内と認める")
			return err
		}())
		refused(t, fault.Forbidden, func() error { _, err := p.ReviewChange(w.biz, id[0], findings(0)); return err }())
		mustV[*platform.Case](t)(p.ReviewChange(w.rev[0], id[0], findings(5)))
		refused(t, fault.Conflict, func() error {
			_, err := p.DecideChange(w.appr[0], id[0], true, "目的の範囲内と認める")
			return err
		}())
		mustV[*platform.Case](t)(p.ReviewChange(w.rev[0], id[0], findings(0)))
		c := mustV[*platform.Case](t)(p.DecideChange(w.appr[0], id[0], true, "目的の範囲内と認める"))
		if r := c.Changes[0].Review; r == nil || !r.Conforming() || len(r.Findings) != len(platform.Criteria) {
			t.Fatalf("change review %+v", r)
		}
		if c.Changes[0].Fee != platform.DefaultFeeChangeOnly || c.State != platform.StateInUse {
			t.Fatalf("change %+v in %s", c.Changes, c.State)
		}
		refused(t, fault.Conflict, func() error { _, err := p.Expire(w.window, id[0]); return err }())
		mustV[*platform.Case](t)(p.Cancel(w.appr[1], id[1], "breach", "利用場所以外での利用"))

		// A later proposal of the cancelled contractor is refused for 2 years.
		later := w.proposal(w.biz, 2)
		refused(t, fault.Forbidden, func() error { _, err := p.Submit(w.biz, later.ID); return err }())
		mustV[*platform.Proposal](t)(p.WithdrawProposal(w.biz, later.ID, "取下げ"))
		// Another business is refused too while a party of the cancelled
		// contract (by corporate number, or by name) is among its proposers.
		other := w.proposal(w.biz2, 2)
		refused(t, fault.Forbidden, func() error { _, err := p.Submit(w.biz2, other.ID); return err }())
		other.Proposer = platform.ProposerInfo{Name: "合同会社サンプル", Address: "東京都港区", Representative: "代表社員 佐藤花子", Corporate: "9876543210987"}
		other.JointProposers = []platform.ProposerInfo{{Name: "国立 某大学", Address: "京都府京都市"}}
		ok(t, p.SaveProposal(w.biz2, other))
		if _, err := p.Submit(w.biz2, other.ID); fault.ErrorCode(err) != fault.Forbidden || !strings.Contains(fault.Safe(err, true), "某大学") {
			t.Fatalf("joint proposer of a cancelled contract not refused: %v", err)
		}
		other.JointProposers = []platform.ProposerInfo{{Name: "私立別大学", Address: "大阪府大阪市"}}
		ok(t, p.SaveProposal(w.biz2, other))
		mustV[*platform.Proposal](t)(p.Submit(w.biz2, other.ID))
		// Disqualified after submission: the checklist fails and asks for a correction.
		ok(t, db.AddDisqualification(context.Background(), &platform.Disqualification{BusinessID: w.biz2ID, CaseID: id[1], From: w.now, Until: w.now.AddDate(0, 1, 0), Reason: "試験"}))
		o := mustV[*platform.Proposal](t)(p.StartCheck(w.window, other.ID))
		if o.State != platform.StateCorrectionRequested || o.Checklist == nil || o.Checklist.Complete || len(o.Corrections) != 1 ||
			!strings.Contains(o.Corrections[0].Request, "第120条") {
			t.Fatalf("failing checklist: %s %+v %+v", o.State, o.Checklist, o.Corrections)
		}
		for _, it := range o.Checklist.Items {
			if it.OK == (it.Key == "not_disqualified") {
				t.Errorf("checklist item %+v", it)
			}
		}
		mustV[*platform.Proposal](t)(p.RejectFormal(w.window, other.ID, "添付書類の不足"))

		w.now = w.now.AddDate(1, 3, 0)
		mustV[*platform.Case](t)(p.Expire(w.window, id[0]))
		for i := range 2 {
			refused(t, fault.Conflict, func() error { _, err := p.ConfirmDeletion(w.rev[i], id[i]); return err }())
			mustV[*platform.Case](t)(p.SubmitDeletionCertificate(w.biz, id[i], "全ての複製物を消去した", "専用ツールによる上書き消去", nil))
			mustV[*platform.Case](t)(p.ConfirmDeletion(w.rev[i], id[i]))
			before := mustV[*platform.Case](t)(p.Case(w.window, id[i]))
			c = mustV[*platform.Case](t)(p.Archive(w.window, id[i]))
			if c.SourceDeletedAt == nil {
				t.Fatal("source deletion not recorded")
			}
			if _, err := w.svc.Vault.Open(context.Background(), before.Extract.VaultID); err == nil {
				t.Fatal("source extract still in the vault after archiving")
			}
		}

		// Every state of the procedure was reached, in the timeline.
		reached := map[platform.State]bool{}
		for _, prID := range []platform.ID{pr.ID, later.ID, other.ID, ru.ID} {
			for _, e := range mustV[[]platform.Event](t)(db.Events(context.Background(), prID)) {
				reached[e.To] = true
				if e.From != "" {
					reached[e.From] = true
				}
			}
		}
		for _, s := range platform.AllStates {
			if !strings.HasPrefix(string(s), "CALL_") && !reached[s] {
				t.Errorf("state %s never reached", s)
			}
		}
		tl := mustV[[]platform.Event](t)(p.Timeline(w.appr[0], id[0]))
		if len(tl) < 25 || tl[0].Action != "create" {
			t.Errorf("timeline of case has %d events, first %v", len(tl), tl[0].Action)
		}
		// The audit chain holds every step and the source deletion, and verifies.
		recs := mustV[[]platform.AuditRecord](t)(db.AuditRecords(context.Background(), 1, 0))
		ok(t, platform.VerifyChain(recs))
		if !slices.ContainsFunc(recs, func(r platform.AuditRecord) bool { return r.Action == "vault.delete" }) ||
			!slices.ContainsFunc(recs, func(r platform.AuditRecord) bool { return r.Action == "case.decide_conforming" }) {
			t.Error("audit chain lacks the decision or the source deletion")
		}
	})
}

func must2(t *testing.T) func(io.ReadCloser, string, error) (io.ReadCloser, string) {
	return func(rc io.ReadCloser, name string, err error) (io.ReadCloser, string) {
		t.Helper()
		if err != nil {
			t.Fatalf("%v", err)
		}
		return rc, name
	}
}
