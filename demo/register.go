package demo

import (
	"context"
	"time"

	"github.com/tokumei/tokumei/platform"
)

func items(spec ...string) []platform.RecordItem {
	var out []platform.RecordItem
	for i := 0; i+1 < len(spec); i += 2 {
		out = append(out, platform.RecordItem{Name: spec[i], Type: platform.ItemType(spec[i+1])})
	}
	return out
}

// demoEntries are the register entries seeded, by body name.
func demoEntries(w *World) map[string][]platform.RegisterEntry {
	from := time.Date(2026, 4, 1, 0, 0, 0, 0, platform.JST)
	to := time.Date(2026, 6, 30, 0, 0, 0, 0, platform.JST)
	return map[string][]platform.RegisterEntry{
		"札幌市長": {
			{FileName: "国民健康保険被保険者ファイル", Unit: "保健福祉局保険医療部保険企画課", Purpose: "国民健康保険の資格管理及び保険給付のため",
				Items:        items("氏名", "name", "生年月日", "date", "性別", "code", "住所", "address", "被保険者番号", "id_number", "資格取得日", "date", "所得区分", "code"),
				SubjectScope: "札幌市国民健康保険の被保険者", Subjects: 380000, CollectionMethod: "本人からの届出、住民基本台帳",
				RegularRecipients: "北海道国民健康保険団体連合会", DisclosureOffice: "札幌市総務局行政部行政情報課（札幌市中央区北1条西2丁目）",
				Kind: platform.FileComputer, ProposalInvited: true, ProposalOffice: "札幌市総務局行政部行政情報課（札幌市中央区北1条西2丁目）",
				AnonProposalFrom: &from, AnonProposalTo: &to, Published: true},
			{FileName: "介護保険受給者ファイル", Unit: "保健福祉局高齢保健福祉部介護保険課", Purpose: "介護保険の要介護認定及び給付のため",
				Items:        items("氏名", "name", "生年月日", "date", "性別", "code", "住所", "address", "要介護度", "code", "認定日", "date", "サービス種類", "code"),
				SubjectScope: "要介護・要支援認定を受けた者", Subjects: 120000, CollectionMethod: "本人からの申請", SpecialCare: true,
				DisclosureOffice: "札幌市総務局行政部行政情報課（札幌市中央区北1条西2丁目）", Kind: platform.FileComputer,
				ProposalInvited: true, ProposalOffice: "札幌市総務局行政部行政情報課（札幌市中央区北1条西2丁目）", Published: true},
			{FileName: "市民相談記録ファイル", Unit: "市民文化局市民生活部", Purpose: "市民相談への対応のため",
				Items:        items("氏名", "name", "連絡先", "text", "相談内容", "text"),
				SubjectScope: "市民相談を行った者", Subjects: 15000, CollectionMethod: "本人からの相談", Kind: platform.FileManual,
				DisclosureOffice: "札幌市総務局行政部行政情報課", Published: true},
		},
		"札幌市教育委員会": {
			{FileName: "児童生徒健康診断ファイル", Unit: "学校教育部", Purpose: "学校保健安全法に基づく健康診断の実施及び事後措置のため",
				Items:        items("氏名", "name", "学校名", "code", "学年", "number", "身長", "number", "体重", "number"),
				SubjectScope: "市立小中学校の児童生徒", Subjects: 140000, CollectionMethod: "健康診断の結果", SpecialCare: true,
				Kind: platform.FileComputer, ProposalInvited: true, ProposalOffice: "札幌市教育委員会総務部総務課", Published: true},
		},
		"福岡県知事": {
			{FileName: "県営住宅入居者ファイル", Unit: "建築都市部県営住宅課", Purpose: "県営住宅の入居者管理のため",
				Items:        items("氏名", "name", "生年月日", "date", "世帯人数", "number", "収入月額", "number", "住宅名", "code"),
				SubjectScope: "県営住宅の入居者及び同居者", Subjects: 70000, CollectionMethod: "本人からの申込み",
				Kind: platform.FileComputer, ProposalInvited: true, ProposalOffice: "福岡県総務部行政経営企画課（福岡市博多区東公園7-7）", Published: true},
			{FileName: "旅券発給申請ファイル", Unit: "人づくり・県民生活部", Purpose: "旅券の発給のため",
				Items:        items("氏名", "name", "生年月日", "date", "本籍", "address", "旅券番号", "id_number"),
				SubjectScope: "旅券の発給を申請した者", Subjects: 200000, CollectionMethod: "本人からの申請",
				Kind: platform.FileComputer, Remarks: "法令の定めにより提案の募集の対象外", Published: true},
		},
		"北海道教育委員会": {
			{FileName: "教職員人事記録ファイル", Unit: "教職員局教職員課", Purpose: "教職員の人事管理のため",
				Items: items("氏名", "name", "生年月日", "date", "職名", "code", "勤務校", "code"), SubjectScope: "道立学校等の教職員",
				Subjects: 30000, CollectionMethod: "本人からの届出", Kind: platform.FileComputer},
		},
	}
}

func seedRegisters(ctx context.Context, w *World) error {
	byBody := demoEntries(w)
	for _, name := range []string{"札幌市長", "札幌市教育委員会", "福岡県知事", "北海道教育委員会"} {
		b := w.Bodies[name]
		for _, e := range byBody[name] {
			e.BodyID = b.ID
			if err := w.Services.CreateRegisterEntry(w.As(ctx, ""), &e); err != nil {
				return err
			}
			w.Entries[name+"/"+e.FileName] = &e
		}
	}
	return nil
}
