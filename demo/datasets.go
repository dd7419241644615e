package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/vault"
)

// Anonymised information 札幌市長 created without a proposal (domain.md
// §2.5): listed for art. 118 proposals, with its file registered (synthetic
// rows), so that the body's page "作成した情報" and the catalogue show one.

func init() { Extend("created datasets", seedCreatedDatasets) }

func seedCreatedDatasets(ctx context.Context, w *World) error {
	e := w.Entries["札幌市長/介護保険受給者ファイル"]
	if e == nil {
		return nil // a demo without this file (tests of other packages)
	}
	p := w.Services.Procedure()
	if v, ok := w.Services.Vault.(*vault.Vault); ok { // write through the seeding transaction
		if b, ok := w.Services.Store.(vault.Backend); ok {
			p.Vault = v.WithBackend(b)
		}
	}
	if p.Vault == nil {
		p.Vault = &memVault{m: map[string][]byte{}}
	}
	const rows = 1500
	d, err := p.ListBodyDataset(w.As(ctx, "sapporo-approver"), platform.BodyDataset{EntryID: e.ID,
		Title: "札幌市 介護保険 年齢階級・要介護度別データ（実施機関作成・デモ）", Subjects: rows,
		Items: []platform.DatasetItem{{Name: "年齢階級", Granularity: "5歳階級"}, {Name: "性別"}, {Name: "居住区", Granularity: "区"},
			{Name: "要介護度"}},
		MethodsSummary: "氏名・被保険者番号を削除し、年齢を5歳階級に、住所を区に一般化。少数の組合せは上位の区分に統合。",
		ProposalTo:     w.Now.AddDate(1, 0, 0)})
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("年齢階級,性別,居住区,要介護度\n")
	wards := []string{"中央区", "北区", "東区", "白石区", "豊平区", "南区", "西区", "厚別区", "手稲区", "清田区"}
	levels := []string{"要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5"}
	for i := range rows {
		lo := 65 + 5*(i%6)
		fmt.Fprintf(&b, "%d〜%d歳,%s,%s,%s\n", lo, lo+4, []string{"男", "女"}[i%2], wards[i%len(wards)], levels[i%len(levels)])
	}
	_, err = p.UploadDatasetFile(w.As(ctx, "sapporo-reviewer"), d.ID, "介護保険_年齢階級別.csv", strings.NewReader(b.String()),
		platform.DatasetFileMeta{RecordRef: "札幌市-作成記録-デモ-001（保健福祉局保管）", Hours: 6, Outsourcing: 50000})
	return err
}
