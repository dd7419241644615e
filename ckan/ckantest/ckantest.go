// Package ckantest seeds a store with catalogue data for tests and
// benchmarks of the public portal: published records, and unpublished or
// protected ones that carry marker strings, so tests can scan every public
// response for the markers. It imports platform, jp and fault.
package ckantest

import (
	"context"
	"fmt"
	"time"

	"github.com/tokumei/tokumei/jp"
	"github.com/tokumei/tokumei/platform"
)

// Secret markers: each is stored only in a place that must never be public.
const (
	MarkUnpublishedFile   = "SECRET-UNPUBLISHED-FILE-7f3a"
	MarkDraftDataset      = "SECRET-DRAFT-DATASET-91c2"
	MarkWithdrawnDataset  = "SECRET-WITHDRAWN-DATASET-44d0"
	MarkDraftUsageCase    = "SECRET-DRAFT-USAGE-CASE-0b7e"
	MarkReviewUsageCase   = "SECRET-REVIEW-USAGE-CASE-c5a9"
	MarkReviewNote        = "SECRET-REVIEW-NOTE-2e61"
	MarkProposerBusiness  = "SECRET-PROPOSER-NAME-a8f4"
	MarkProposerCorporate = "9999999999999"
	MarkProposalMethod    = "SECRET-PROCESSING-METHOD-d31f"
	MarkDraftCall         = "SECRET-DRAFT-CALL-5e0c"
	MarkDraftCommission   = "SECRET-DRAFT-COMMISSION-77b1"
)

// Markers lists every marker.
func Markers() []string {
	return []string{MarkUnpublishedFile, MarkDraftDataset, MarkWithdrawnDataset, MarkDraftUsageCase,
		MarkReviewUsageCase, MarkReviewNote, MarkProposerBusiness, MarkProposerCorporate, MarkProposalMethod,
		MarkDraftCall, MarkDraftCommission}
}

// Seeded describes what Seed stored.
type Seeded struct {
	Published []platform.CatalogDataset // published datasets
	Bodies    []platform.Body
	Files     int // published register entries
	Eligible  int // of which proposals are invited
	Entries   []platform.RegisterEntry
	Business  platform.Business
}

// Base is the fixed time of the seed.
var Base = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)

// LocalGovernments returns the shipped list as platform values (scheme
// mandatory for prefectures and designated cities).
func LocalGovernments() []platform.LocalGovernment {
	var out []platform.LocalGovernment
	for _, lg := range jp.LocalGovernments() {
		out = append(out, platform.LocalGovernment{Code: lg.Code, Name: lg.Name, Kana: lg.Kana, PrefCode: lg.PrefCode,
			Pref: lg.Pref, Kind: string(lg.Kind), SchemeMandatory: jp.SchemeMandatory(lg)})
	}
	return out
}

// Seed stores the full local-government list, two bodies each in three
// local governments, published and unpublished files, nDatasets published
// datasets (modified times with deliberate ties), draft and withdrawn
// datasets, and usage cases in every state; secrets carry the markers.
func Seed(ctx context.Context, s platform.Store, nDatasets int) (*Seeded, error) {
	if err := s.UpsertLocalGovernments(ctx, LocalGovernments()); err != nil {
		return nil, err
	}
	out := &Seeded{}
	for _, lg := range []string{"011002", "130001", "271004"} {
		for _, k := range []platform.BodyKind{platform.BodyMayor, platform.BodyBoardEducation} {
			name := map[platform.BodyKind]string{platform.BodyMayor: "長", platform.BodyBoardEducation: "教育委員会"}[k]
			if k == platform.BodyMayor && lg == "130001" {
				k, name = platform.BodyGovernor, "知事"
			}
			b := platform.Body{LGCode: lg, Kind: k, Name: lg + name, Unit: "情報公開課", Email: "open@example.jp", CreatedAt: Base}
			if err := s.CreateBody(ctx, &b); err != nil {
				return nil, err
			}
			out.Bodies = append(out.Bodies, b)
		}
	}
	if err := seedFiles(ctx, s, out); err != nil {
		return nil, err
	}
	if err := seedDatasets(ctx, s, out, nDatasets); err != nil {
		return nil, err
	}
	if err := seedSecrets(ctx, s, out); err != nil {
		return nil, err
	}
	return out, nil
}

func seedFiles(ctx context.Context, s platform.Store, out *Seeded) error {
	for i, b := range out.Bodies {
		for j := range 4 {
			e := platform.RegisterEntry{BodyID: b.ID, FileName: fmt.Sprintf("国民健康保険被保険者ファイル%d-%d", i, j),
				Unit: "保険年金課", Purpose: "国民健康保険の資格管理及び給付", Kind: platform.FileComputer,
				Items: []platform.RecordItem{{Name: "氏名", Type: platform.ItemName}, {Name: "生年月日", Type: platform.ItemDate},
					{Name: "病名", Type: platform.ItemText, SpecialCare: j%2 == 0}},
				SpecialCare: j%2 == 0, Subjects: 10000 + int64(j), ProposalInvited: j != 3, ProposalOffice: "情報公開課",
				Published: true, UpdatedAt: Base}
			if err := s.CreateRegisterEntry(ctx, &e, 1); err != nil {
				return err
			}
			out.Entries = append(out.Entries, e)
			out.Files++
			if e.ProposalInvited {
				out.Eligible++
			}
		}
	}
	hidden := platform.RegisterEntry{BodyID: out.Bodies[0].ID, FileName: "未公開ファイル " + MarkUnpublishedFile,
		Purpose: MarkUnpublishedFile, Kind: platform.FileComputer, Items: []platform.RecordItem{{Name: MarkUnpublishedFile}},
		ProposalInvited: true, ProposalOffice: MarkUnpublishedFile, Published: false, UpdatedAt: Base}
	return s.CreateRegisterEntry(ctx, &hidden, 1)
}

func seedDatasets(ctx context.Context, s platform.Store, out *Seeded, n int) error {
	tags := [][]string{{"医療", "国民健康保険"}, {"人口", "統計"}, {"教育"}, {"介護", "高齢者"}}
	for i := range n {
		b := out.Bodies[i%len(out.Bodies)]
		mod := Base.Add(time.Duration(i/3) * time.Hour) // three datasets share each modified time
		from, to := Base, Base.AddDate(1, 0, 0)
		d := platform.CatalogDataset{ID: platform.StableUUID("seed", fmt.Sprint(i)), Name: fmt.Sprintf("ds-%04d", i),
			Title: fmt.Sprintf("匿名加工情報 %d 号（%s）", i, tags[i%4][0]), TitleEN: fmt.Sprintf("Dataset %d", i),
			Notes: "年齢を5歳階級に一般化した匿名加工情報", LGCode: b.LGCode, BodyID: b.ID, Subjects: 5000 + int64(i),
			Items: []platform.DatasetItem{{Name: "年齢", Granularity: "5歳階級"}, {Name: "性別"}}, Tags: tags[i%4],
			MethodsSummary: "生年月日を年齢5歳階級に一般化", ProposalOffice: "情報公開課", State: platform.PublishPublished,
			CreatedAt: Base, ModifiedAt: mod, PublishedAt: &mod}
		if i%5 == 4 {
			d.Kind, d.LicenseID = platform.DatasetStatistics, "cc-by-4.0"
			d.Resources = []platform.CatalogResource{{ID: platform.StableUUID("res", fmt.Sprint(i)), Name: "集計表.csv",
				URL: fmt.Sprintf("/files/stat-%d.csv", i), Format: "CSV", Size: 1234, CreatedAt: Base, ModifiedAt: mod}}
		} else {
			d.Kind, d.LicenseID, d.ProposalFrom, d.ProposalTo = platform.DatasetAnonymized, "contract", &from, &to
			d.Resources = []platform.CatalogResource{{ID: platform.StableUUID("res", fmt.Sprint(i)), Name: "項目一覧",
				URL: fmt.Sprintf("/datasets/ds-%04d/items.csv", i), Format: "CSV", CreatedAt: Base, ModifiedAt: mod}}
		}
		if err := s.PutCatalogDataset(ctx, &d); err != nil {
			return err
		}
		out.Published = append(out.Published, d)
	}
	return nil
}

func seedSecrets(ctx context.Context, s platform.Store, out *Seeded) error {
	b := out.Bodies[0]
	for _, x := range []struct {
		mark  string
		state platform.PublishState
	}{{MarkDraftDataset, platform.PublishDraft}, {MarkWithdrawnDataset, platform.PublishWithdrawn}} {
		d := platform.CatalogDataset{ID: platform.StableUUID("secret", x.mark), Name: "secret-" + string(x.state),
			Kind: platform.DatasetAnonymized, Title: x.mark, Notes: x.mark, LGCode: b.LGCode, BodyID: b.ID,
			Tags: []string{x.mark}, LicenseID: "contract", MethodsSummary: x.mark, State: x.state, CreatedAt: Base,
			ModifiedAt: Base, Resources: []platform.CatalogResource{{ID: x.mark, Name: x.mark, URL: "/" + x.mark, Format: "CSV"}}}
		if err := s.PutCatalogDataset(ctx, &d); err != nil {
			return err
		}
	}
	for _, x := range []struct {
		mark  string
		state platform.PublishState
	}{{MarkDraftUsageCase, platform.PublishDraft}, {MarkReviewUsageCase, platform.PublishReview}} {
		u := platform.UsageCase{Title: x.mark, Summary: x.mark, Organisation: x.mark, State: x.state, SubmittedBy: 42,
			ReviewNote: MarkReviewNote, CreatedAt: Base, UpdatedAt: Base}
		if err := s.CreateUsageCase(ctx, &u); err != nil {
			return err
		}
	}
	pub := Base.Add(time.Hour)
	u := platform.UsageCase{Title: "地域医療計画への活用", Summary: "国民健康保険の匿名加工情報で受診動向を分析",
		Organisation: "株式会社サンプル分析", State: platform.PublishPublished, SubmittedBy: 42, ReviewNote: MarkReviewNote,
		LGCodes: []string{"011002"}, CreatedAt: Base, UpdatedAt: pub, PublishedAt: &pub}
	if err := s.CreateUsageCase(ctx, &u); err != nil {
		return err
	}
	out.Business = platform.Business{Name: MarkProposerBusiness, Corporate: MarkProposerCorporate, CreatedAt: Base}
	if err := s.CreateBusiness(ctx, &out.Business); err != nil {
		return err
	}
	return seedProcedure(ctx, s, out)
}

// seedProcedure stores a published and a draft call, a published and a
// draft commission, and a proposal whose case reached PROVIDED; the
// proposal's identities and processing method carry markers.
func seedProcedure(ctx context.Context, s platform.Store, out *Seeded) error {
	b, e := out.Bodies[0], out.Entries[0]
	for _, c := range []platform.Call{
		{BodyID: b.ID, Title: "令和8年度 行政機関等匿名加工情報に関する提案募集", Published: true},
		{BodyID: b.ID, Title: MarkDraftCall, Notice: MarkDraftCall, Office: MarkDraftCall},
	} {
		c.FiscalYr, c.EntryIDs, c.OpensAt, c.ClosesAt, c.MaxUseMonths = 2026, []platform.ID{e.ID}, Base, Base.AddDate(0, 0, 45), 12
		if c.Office == "" {
			c.Office, c.Notice = "情報公開課", "提案を募集します。"
		}
		if c.Published {
			c.PublishedAt = &Base
		}
		c.CreatedAt = Base
		if err := s.CreateCall(ctx, &c); err != nil {
			return err
		}
	}
	for _, c := range []platform.Commission{
		{Contractor: "一般社団法人 匿名加工センター", Title: "令和8年度 匿名加工情報作成業務の共同委託", Published: true},
		{Contractor: MarkDraftCommission, Title: MarkDraftCommission, Terms: MarkDraftCommission},
	} {
		c.BodyIDs, c.From, c.To, c.SplitKey = []platform.ID{b.ID, out.Bodies[1].ID}, Base, Base.AddDate(1, 0, 0), "equal"
		if c.Terms == "" {
			c.Terms = "作成業務の共同委託"
		}
		if err := s.CreateCommission(ctx, &c); err != nil {
			return err
		}
	}
	p := platform.Proposal{BusinessID: out.Business.ID, CreatedBy: 42, State: "SUBMITTED", Title: MarkProposerBusiness,
		Proposer: platform.ProposerInfo{Name: MarkProposerBusiness, Address: MarkProposerBusiness, Corporate: MarkProposerCorporate},
		Purpose:  MarkProposalMethod, Method: MarkProposalMethod, SafetyMeasures: MarkProposalMethod,
		Targets: []platform.Target{{BodyID: b.ID, EntryID: e.ID, FileName: e.FileName}}, Subjects: 1000}
	if err := s.CreateProposal(ctx, &p); err != nil {
		return err
	}
	c := platform.Case{ProposalID: p.ID, BodyID: b.ID, BusinessID: out.Business.ID, State: "PROVIDED", Title: MarkProposerBusiness,
		Targets: p.Targets, Subjects: 1000, Processing: &platform.ProcessingRun{JobID: MarkProposalMethod,
			OutputVault: MarkProposalMethod, RecordVault: MarkProposalMethod, RiskNote: MarkProposalMethod, StartedAt: Base}}
	return s.CreateCase(ctx, &c)
}

// Bulk stores a benchmark-sized catalogue: nLG local governments (the real
// list, then synthetic codes), one body each, filesPerLG published files per
// body (half open to proposals, a third with special-care items), and
// nDatasets published datasets spread over the bodies. It writes in
// transactions of a few thousand rows.
func Bulk(ctx context.Context, s platform.Store, nLG, filesPerLG, nDatasets int) error {
	lgs := LocalGovernments()
	for i := len(lgs); i < nLG; i++ {
		code := fmt.Sprintf("99%03d%d", i-len(lgs), 0)
		lgs = append(lgs, platform.LocalGovernment{Code: code, Name: fmt.Sprintf("試験村%d", i), PrefCode: "99", Pref: "試験県", Kind: "village"})
	}
	lgs = lgs[:nLG]
	if err := s.UpsertLocalGovernments(ctx, lgs); err != nil {
		return err
	}
	bodies := make([]platform.Body, nLG)
	err := s.Atomic(ctx, func(s platform.Store) error {
		for i, lg := range lgs {
			bodies[i] = platform.Body{LGCode: lg.Code, Kind: platform.BodyMayor, Name: lg.Name + "長", Unit: "総務課", CreatedAt: Base}
			if err := s.CreateBody(ctx, &bodies[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	files := []string{"住民基本台帳", "国民健康保険被保険者", "介護保険被保険者", "児童手当受給者", "固定資産課税台帳",
		"学齢簿", "予防接種台帳", "生活保護受給者", "市民税課税台帳", "後期高齢者医療被保険者"}
	items := []string{"氏名", "生年月日", "性別", "住所", "世帯番号", "所得額", "病名", "要介護度", "学校名", "接種日"}
	const batch = 100
	for lo := 0; lo < len(bodies); lo += batch {
		err := s.Atomic(ctx, func(s platform.Store) error {
			for _, b := range bodies[lo:min(lo+batch, len(bodies))] {
				for j := range filesPerLG {
					its := []platform.RecordItem{{Name: items[j%10]}, {Name: items[(j+3)%10]}, {Name: items[(j+7)%10], SpecialCare: j%3 == 0}}
					e := platform.RegisterEntry{BodyID: b.ID, FileName: fmt.Sprintf("%sファイル%d", files[j%10], j), Unit: "担当課",
						Purpose: files[j%10] + "に関する事務", Items: its, Subjects: int64(1000 + j*37), SpecialCare: j%3 == 0,
						Kind: platform.FileComputer, ProposalInvited: j%2 == 0, ProposalOffice: "総務課", Published: true, UpdatedAt: Base}
					if err := s.CreateRegisterEntry(ctx, &e, 1); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	tags := []string{"医療", "介護", "人口", "教育", "福祉", "税", "子育て", "健康"}
	for lo := 0; lo < nDatasets; lo += 2000 {
		err := s.Atomic(ctx, func(s platform.Store) error {
			for i := lo; i < min(lo+2000, nDatasets); i++ {
				b := bodies[(i*7)%len(bodies)]
				mod := Base.Add(time.Duration(i) * time.Minute)
				from, to := Base, Base.AddDate(1, 0, 0)
				d := platform.CatalogDataset{ID: StableID("bulk", i), Name: fmt.Sprintf("bulk-%05d", i), Kind: platform.DatasetAnonymized,
					Title: fmt.Sprintf("%s匿名加工情報 第%d号", files[i%10], i), Notes: files[i%10] + "ファイルから作成した匿名加工情報",
					LGCode: b.LGCode, BodyID: b.ID, Subjects: int64(2000 + i), Items: []platform.DatasetItem{{Name: "年齢", Granularity: "5歳階級"}, {Name: "性別"}},
					Tags: []string{tags[i%8], tags[(i/8)%8]}, LicenseID: "contract", ProposalOffice: "総務課", ProposalFrom: &from, ProposalTo: &to,
					State: platform.PublishPublished, CreatedAt: Base, ModifiedAt: mod, PublishedAt: &mod,
					Resources: []platform.CatalogResource{{ID: StableID("bulkres", i), Name: "項目一覧", URL: fmt.Sprintf("/datasets/bulk-%05d/items.csv", i), Format: "CSV", CreatedAt: Base, ModifiedAt: mod}}}
				if i%5 == 0 {
					d.Kind, d.LicenseID, d.ProposalFrom, d.ProposalTo = platform.DatasetStatistics, "cc-by-4.0", nil, nil
				}
				if err := s.PutCatalogDataset(ctx, &d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// StableID is a deterministic dataset or resource id for generated data.
func StableID(kind string, i int) string { return platform.StableUUID(kind, fmt.Sprint(i)) }
