package platform_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/tokumei/tokumei/dataio"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

// createdRows is the content of a body-created dataset file.
func createdRows(n int) [][]string {
	rows := [][]string{{"生年月日", "住所", "性別"}}
	for i := range n {
		rows = append(rows, []string{"1970-0" + string(rune('1'+i%9)), "北海道札幌市中央区", []string{"男", "女"}[i%2]})
	}
	return rows
}

// createdFile encodes rows as CSV (UTF-8 or CP932) or XLSX.
func createdFile(t *testing.T, format string, rows [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	o := dataio.WriteOptions{Format: "csv"}
	switch format {
	case "cp932":
		o.Encoding = "cp932"
	case "xlsx":
		o.Format = "xlsx"
	}
	w, err := dataio.NewWriter(&buf, o)
	ok(t, err)
	for _, r := range rows {
		ok(t, w.Write(r))
	}
	ok(t, w.Commit())
	return buf.Bytes()
}

func (w *world) listCreated() *platform.CatalogDataset {
	in := platform.BodyDataset{EntryID: w.entry[0].ID, Title: "健診データ（実施機関作成・令和8年度）", Subjects: 40,
		Items:      []platform.DatasetItem{{Name: "生年月日", Granularity: "年月"}, {Name: "住所", Granularity: "市区町村"}, {Name: "性別"}},
		ProposalTo: w.now.AddDate(1, 0, 0), MethodsSummary: "生年月日を年月に、住所を市区町村に一般化"}
	return mustV[*platform.CatalogDataset](w.t)(w.p.ListBodyDataset(w.appr[0], in))
}

// liveVaultObjects counts the vault objects not deleted.
func liveVaultObjects(t *testing.T, db *sqlstore.DB) int {
	var n int
	ok(t, db.SQL().QueryRow(`SELECT COUNT(*) FROM vault_objects WHERE deleted_at IS NULL`).Scan(&n))
	return n
}

// §2.5: the file of a body-created dataset is uploaded only by the officers
// of its body, must have the dataset's items, and records hash and counts.
func TestUploadDatasetFile(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		d := w.listCreated()
		meta := platform.DatasetFileMeta{RecordRef: "札幌市-作成記録-2026-001", Hours: 2.5, Outsourcing: 30000}
		good := createdFile(t, "csv", createdRows(40))
		upload := func(ctx context.Context, data []byte, m platform.DatasetFileMeta) error {
			_, err := w.p.UploadDatasetFile(ctx, d.ID, "created.csv", bytes.NewReader(data), m)
			return err
		}
		before := liveVaultObjects(t, db)
		refusals := []struct {
			name string
			ctx  context.Context
			data []byte
			meta platform.DatasetFileMeta
			code fault.Code
		}{
			{"other body's reviewer", w.rev[2], good, meta, fault.Forbidden},
			{"other body's approver", w.appr[1], good, meta, fault.Forbidden},
			{"window officer", w.window, good, meta, fault.Forbidden},
			{"processor", w.proc, good, meta, fault.Forbidden},
			{"business", w.biz, good, meta, fault.Forbidden},
			{"no record reference", w.rev[0], good, platform.DatasetFileMeta{Hours: 1}, fault.Invalid},
			{"negative hours", w.rev[0], good, platform.DatasetFileMeta{RecordRef: "x", Hours: -1}, fault.Invalid},
			{"missing column", w.rev[0], createdFile(t, "csv", [][]string{{"生年月日", "性別"}, {"1970-01", "男"}}), meta, fault.Invalid},
			{"extra column", w.rev[0], createdFile(t, "csv", [][]string{{"生年月日", "住所", "性別", "氏名"}, {"1970-01", "札幌市", "男", "山田"}}), meta, fault.Invalid},
			{"not a table", w.rev[0], []byte{0, 1, 2, 0xff}, meta, fault.Invalid},
		}
		for _, tc := range refusals {
			t.Run(tc.name, func(t *testing.T) { refused(t, tc.code, upload(tc.ctx, tc.data, tc.meta)) })
		}
		if after := liveVaultObjects(t, db); after != before {
			t.Errorf("refused uploads left %d vault objects", after-before)
		}
		if _, err := w.p.UploadDatasetFile(w.rev[0], "no-such-dataset", "x.csv", bytes.NewReader(good), meta); fault.ErrorCode(err) != fault.NotFound {
			t.Errorf("upload to an unknown dataset: %v", err)
		}

		for _, format := range []string{"csv", "cp932", "xlsx"} {
			t.Run(format, func(t *testing.T) {
				data := createdFile(t, format, createdRows(40))
				name := "created." + map[string]string{"csv": "csv", "cp932": "csv", "xlsx": "xlsx"}[format]
				f := mustV[*platform.DatasetFile](t)(w.p.UploadDatasetFile(w.appr[0], d.ID, name, bytes.NewReader(data), meta))
				sum := sha256.Sum256(data)
				if f.SHA256 != hex.EncodeToString(sum[:]) || f.Size != int64(len(data)) || f.Rows != 40 ||
					strings.Join(f.Columns, ",") != "生年月日,住所,性別" || f.RecordRef != meta.RecordRef {
					t.Errorf("recorded %+v", f)
				}
				_, got := mustV2(t)(w.p.DatasetFileOf(w.rev[0], d.ID))
				if got.SHA256 != f.SHA256 {
					t.Errorf("stored %s, want %s", got.SHA256, f.SHA256)
				}
			})
		}
		if after := liveVaultObjects(t, db); after != before+1 {
			t.Errorf("%d live vault objects after three uploads replacing each other, want %d", after, before+1)
		}
		if _, _, err := w.p.DatasetFileOf(w.rev[2], d.ID); fault.ErrorCode(err) != fault.NotFound {
			t.Errorf("another body read the file record: %v", err)
		}
		ds, files := mustV2l(t)(w.p.BodyDatasets(w.rev[0], w.bodies[0].ID))
		if len(ds) != 1 || files[d.ID] == nil {
			t.Errorf("body datasets %d, file %v", len(ds), files[d.ID])
		}
		if _, _, err := w.p.BodyDatasets(w.rev[2], w.bodies[0].ID); fault.ErrorCode(err) != fault.Forbidden {
			t.Errorf("another body listed the datasets: %v", err)
		}
		wantAudit(t, db, "dataset.list", "dataset.file.upload", "vault.delete")
	})
}

// §2.5 then §2.4: a business proposes to use a body-created dataset; review
// (criteria 1, 4–7), contract and the art. 118 fee, delivery; the recipient
// downloads exactly the file the body uploaded (here CP932, byte for byte).
func TestBodyDatasetReuse(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		p := w.p
		d := w.listCreated()
		id := w.reuseApplied(d)

		// The body registers the file before invoicing: the fee is the
		// amount of a creation of 2.5 hours (3 started hours) with 30,000 yen
		// outsourcing under the default table: 21,000 + 3,950 × 3 + 30,000.
		data := createdFile(t, "cp932", createdRows(40))
		mustV[*platform.DatasetFile](t)(p.UploadDatasetFile(w.rev[0], d.ID, "作成データ.csv", bytes.NewReader(data),
			platform.DatasetFileMeta{RecordRef: "札幌市-作成記録-2026-001", Hours: 2.5, Outsourcing: 30000}))
		c := mustV[*platform.Case](t)(p.IssueInvoice(w.rev[0], id, 0, 0, 30))
		if c.Invoice.Fee.Basis != platform.FeeReuse || c.Invoice.Fee.Total != 62850 {
			t.Fatalf("reuse fee %+v, want 62,850 yen on the reuse basis", c.Invoice.Fee)
		}
		mustV[*platform.Case](t)(p.RecordPayment(w.rev[0], id, platform.Payment{Amount: 62850, Receipt: "R-9"}))
		_, staff := w.user("biz2-staff", platform.RoleBusiness, 0, w.biz2ID)
		mustV[*platform.Case](t)(p.SignContract(w.biz2, id, "本社", []string{"佐藤"}, []platform.ID{staff.ID}))
		mustV[*platform.Case](t)(p.ConcludeContract(w.appr[0], id))
		refused(t, fault.Conflict, func() error { _, err := p.RequestSource(w.window, id, ""); return err }())
		refused(t, fault.NotFound, func() error { _, err := p.Deliver(w.appr[2], id); return err }())  // another body does not see the case
		refused(t, fault.Forbidden, func() error { _, err := p.Deliver(w.appr[0], id); return err }()) // the window delivers
		c = mustV[*platform.Case](t)(p.Deliver(w.window, id))
		sum := sha256.Sum256(data)
		if c.State != platform.StateProvided || c.Provision.OutputHash != hex.EncodeToString(sum[:]) {
			t.Fatalf("delivered in %s with hash %s", c.State, c.Provision.OutputHash)
		}
		staffCtx := platform.WithActor(context.Background(), staff.Actor())
		if _, _, err := p.Download(w.biz, id); fault.ErrorCode(err) != fault.Forbidden {
			t.Fatalf("another business downloaded: %v", err)
		}
		rc, name := must2(t)(p.Download(staffCtx, id))
		got, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(got, data) || !strings.HasSuffix(name, ".csv") {
			t.Fatalf("downloaded %s, %d bytes (%.20q), want the uploaded %d bytes", name, len(got), got, len(data))
		}
		if s, _ := japanese.ShiftJIS.NewDecoder().String(string(got[:12])); !strings.HasPrefix(s, "生年月日") {
			t.Errorf("downloaded file does not start with the CP932 header: %q", s)
		}
		if c := mustV[*platform.Case](t)(p.Case(w.appr[0], id)); c.State != platform.StateInUse {
			t.Errorf("after the download the case is %s, want IN_USE", c.State)
		}
		// Delivered: the file can no longer be replaced.
		_, err := p.UploadDatasetFile(w.rev[0], d.ID, "x.csv", bytes.NewReader(createdFile(t, "csv", createdRows(5))),
			platform.DatasetFileMeta{RecordRef: "x"})
		refused(t, fault.Conflict, err)
		wantAudit(t, db, "dataset.list", "dataset.file.upload", "vault.read")
	})
}

// Without the file, a reuse case of a body-created dataset is invoiced
// from the work stated at the invoice and cannot be delivered.
func TestBodyDatasetDeliverNeedsFile(t *testing.T) {
	db := sqlstoretest.SQLite(t)
	w := newWorld(t, db)
	d := w.listCreated()
	if _, f := mustV2(t)(w.p.DatasetFileOf(w.appr[0], d.ID)); f != nil {
		t.Fatalf("a file before any upload: %+v", f)
	}
	id := w.reuseApplied(d)
	c := mustV[*platform.Case](t)(w.p.IssueInvoice(w.rev[0], id, 1, 0, 30))
	mustV[*platform.Case](t)(w.p.RecordPayment(w.rev[0], id, platform.Payment{Amount: c.Invoice.Fee.Total, Receipt: "R-1"}))
	_, staff := w.user("biz2-staff", platform.RoleBusiness, 0, w.biz2ID)
	mustV[*platform.Case](t)(w.p.SignContract(w.biz2, id, "本社", []string{"佐藤"}, []platform.ID{staff.ID}))
	mustV[*platform.Case](t)(w.p.ConcludeContract(w.appr[0], id))
	refused(t, fault.Conflict, func() error { _, err := w.p.Deliver(w.window, id); return err }())
}

// reuseApplied runs a reuse proposal of the second business for dataset d
// to CONTRACT_APPLIED and returns the case.
func (w *world) reuseApplied(d *platform.CatalogDataset) platform.ID {
	t, p := w.t, w.p
	ru := &platform.Proposal{Kind: platform.KindReuse, Title: "実施機関が作成した情報の利用",
		Proposer: platform.ProposerInfo{Name: "合同会社サンプル", Address: "東京都港区"}, Purpose: "研究", Method: "集計",
		Business: "調査報告", SafetyMeasures: "施錠管理", Contributes: "地域の健康施策への貢献",
		UseFrom: w.now.AddDate(0, 1, 0), UseTo: w.now.AddDate(1, 0, 0),
		Targets: []platform.Target{{BodyID: w.bodies[0].ID, EntryID: w.entry[0].ID, DatasetID: d.ID}},
		Pledge:  platform.Pledge{NotApplicable: [6]bool{true, true, true, true, true, true}, SignedBy: "代表", SignedAt: w.now}}
	ok(t, p.SaveProposal(w.biz2, ru))
	mustV[*platform.Proposal](t)(p.Submit(w.biz2, ru.ID))
	mustV[*platform.Proposal](t)(p.StartCheck(w.window, ru.ID))
	id := mustV[[]platform.Case](t)(p.Fork(w.window, ru.ID))[0].ID
	mustV[*platform.Case](t)(p.Route(w.window, id))
	var five []platform.Finding
	for _, c := range platform.CriteriaFor(platform.KindReuse) {
		five = append(five, platform.Finding{Criterion: c.No, Met: true, Reason: "適合"})
	}
	mustV[*platform.Case](t)(p.SaveReview(w.rev[0], id, five))
	mustV[*platform.Case](t)(p.SubmitReview(w.rev[0], id))
	mustV[*platform.Case](t)(p.DecideConforming(w.appr[0], id, nil))
	mustV[*platform.Case](t)(p.Notify(w.appr[0], id, 0, 0))
	mustV[*platform.Case](t)(p.ApplyContract(w.biz2, id))
	return id
}

func mustV2(t *testing.T) func(*platform.CatalogDataset, *platform.DatasetFile, error) (*platform.CatalogDataset, *platform.DatasetFile) {
	return func(d *platform.CatalogDataset, f *platform.DatasetFile, err error) (*platform.CatalogDataset, *platform.DatasetFile) {
		t.Helper()
		ok(t, err)
		return d, f
	}
}

func mustV2l(t *testing.T) func([]platform.CatalogDataset, map[string]*platform.DatasetFile, error) ([]platform.CatalogDataset, map[string]*platform.DatasetFile) {
	return func(d []platform.CatalogDataset, f map[string]*platform.DatasetFile, err error) ([]platform.CatalogDataset, map[string]*platform.DatasetFile) {
		t.Helper()
		ok(t, err)
		return d, f
	}
}

// wantAudit checks that the audit chain holds the actions and verifies.
func wantAudit(t *testing.T, db *sqlstore.DB, actions ...string) {
	t.Helper()
	recs, err := db.AuditRecords(context.Background(), 0, 0)
	ok(t, err)
	seen := map[string]bool{}
	for _, r := range recs {
		seen[r.Action] = true
	}
	for _, a := range actions {
		if !seen[a] {
			t.Errorf("audit chain lacks %s", a)
		}
	}
	if _, _, err := platform.VerifyAuditStore(context.Background(), db); err != nil {
		t.Errorf("audit chain: %v", err)
	}
}
