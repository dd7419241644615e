package platform

import (
	"context"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// BodyDataset is anonymised information a body created outside the proposal
// procedure (domain.md §2.5), listed so that art. 118 proposals may follow.
type BodyDataset struct {
	EntryID        ID            `json:"entry_id"` // the source file
	Title          string        `json:"title"`
	Subjects       int64         `json:"subjects"`
	Items          []DatasetItem `json:"items"`
	MethodsSummary string        `json:"methods_summary"`
	ProposalTo     time.Time     `json:"proposal_to"`
}

// ListBodyDataset records a body-created dataset: the art. 117 items in the
// file register and a catalogue entry open for proposals until ProposalTo.
// The body's approver only.
func (p *Procedure) ListBodyDataset(ctx context.Context, in BodyDataset) (*CatalogDataset, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Title) == "" || len(in.Items) == 0 || in.Subjects <= 0 {
		return nil, fault.New(fault.Invalid, "title, items and subjects are required", "名称、項目及び本人の数を入力してください").In("title")
	}
	now := p.now()
	if !in.ProposalTo.After(now) {
		return nil, fault.New(fault.Invalid, "the proposal period must end in the future", "提案をすることができる期間の終期は将来の日付としてください").In("proposal_to")
	}
	var out *CatalogDataset
	err = p.Store.Atomic(ctx, func(s Store) error {
		e, err := s.RegisterEntry(ctx, in.EntryID)
		if err != nil {
			return err
		}
		if !a.Role.BodyScoped() || a.BodyID != e.BodyID || a.Role != RoleBodyApprover {
			return fault.New(fault.Forbidden, "only the body's approver lists its datasets", "作成した情報の掲載は当該実施機関の決裁者が行います")
		}
		b, err := s.Body(ctx, e.BodyID)
		if err != nil {
			return err
		}
		to := in.ProposalTo
		office := e.ProposalOffice
		if office == "" {
			office = b.Name + " " + b.Unit
		}
		d := &CatalogDataset{ID: StableUUID("body-dataset", idStr(e.ID), in.Title), Name: "anon-" + b.LGCode + "-e" + idStr(e.ID) + "-" + now.Format("20060102150405"),
			Kind: DatasetAnonymized, Title: in.Title, Notes: in.MethodsSummary, LGCode: b.LGCode, BodyID: b.ID, FileID: e.ID,
			Subjects: in.Subjects, Items: in.Items, MethodsSummary: in.MethodsSummary, ProposalOffice: office,
			ProposalFrom: &now, ProposalTo: &to, LicenseID: "contract", State: PublishPublished, CreatedAt: now, ModifiedAt: now, PublishedAt: &now}
		if err := s.PutCatalogDataset(ctx, d); err != nil {
			return err
		}
		e.AnonSummary, e.AnonOffice, e.AnonProposalFrom, e.AnonProposalTo = summarize(d), office, &now, &to
		if err := s.UpdateRegisterEntry(ctx, e, a.UserID, "第117条：実施機関が作成した行政機関等匿名加工情報の記載"); err != nil {
			return err
		}
		out = d
		_, err = s.AppendAudit(ctx, AuditEntry{Actor: a, BodyID: b.ID, Action: "dataset.list", TargetKind: "catalog_dataset", TargetID: d.ID, Detail: in.Title}, now)
		return err
	})
	return out, err
}

// bodyDataset returns dataset id if it is anonymised information a body
// created without a proposal: listed by ListBodyDataset, not the output of
// a case (a case's output is delivered from the case).
func bodyDataset(ctx context.Context, s Store, id string) (*CatalogDataset, error) {
	d, err := s.CatalogDataset(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.Kind != DatasetAnonymized {
		return nil, fault.New(fault.NotFound, "not a created dataset", "作成した行政機関等匿名加工情報が見つかりません")
	}
	cs, err := s.Cases(ctx, CaseFilter{DatasetID: d.ID})
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.Kind == KindNew {
			return nil, fault.New(fault.Conflict, "this dataset was created in case "+idStr(c.ID)+"; its file is the case's output",
				"この情報は案件"+idStr(c.ID)+"で作成されたもので、案件の加工結果が提供されます")
		}
	}
	return d, nil
}

// BodyDatasets lists the datasets body created without a proposal, with
// their files when uploaded (nil otherwise). Users of the body, operator
// staff and auditors.
func (p *Procedure) BodyDatasets(ctx context.Context, body ID) ([]CatalogDataset, map[string]*DatasetFile, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, nil, err
	}
	if !a.CanReadBody(body) {
		return nil, nil, fault.New(fault.Forbidden, "this belongs to another body", "他の実施機関のデータは閲覧できません")
	}
	all, err := p.Store.CatalogDatasets(ctx, true)
	if err != nil {
		return nil, nil, err
	}
	var out []CatalogDataset
	files := map[string]*DatasetFile{}
	for _, d := range all {
		if d.BodyID != body || d.Kind != DatasetAnonymized {
			continue
		}
		if _, err := bodyDataset(ctx, p.Store, d.ID); err != nil {
			if fault.ErrorCode(err) == fault.Conflict {
				continue
			}
			return nil, nil, err
		}
		out = append(out, d)
		f, err := p.Store.DatasetFile(ctx, d.ID)
		if err != nil && fault.ErrorCode(err) != fault.NotFound {
			return nil, nil, err
		}
		files[d.ID] = f
	}
	return out, files, nil
}

// DatasetFileOf returns the file record of a body-created dataset (not its
// content) to the users of its body, operator staff and auditors.
func (p *Procedure) DatasetFileOf(ctx context.Context, datasetID string) (*CatalogDataset, *DatasetFile, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, nil, err
	}
	d, err := bodyDataset(ctx, p.Store, datasetID)
	if err != nil {
		return nil, nil, err
	}
	if !a.CanReadBody(d.BodyID) {
		return nil, nil, fault.New(fault.NotFound, "not found", "見つかりません")
	}
	f, err := p.Store.DatasetFile(ctx, d.ID)
	if err != nil && fault.ErrorCode(err) != fault.NotFound {
		return nil, nil, err
	}
	return d, f, nil
}

// canUploadDatasetFile: the reviewer or approver of the dataset's body.
func canUploadDatasetFile(a Actor, d *CatalogDataset) error {
	if !a.Role.BodyScoped() {
		return fault.New(fault.Forbidden, "only the body's officers register the file of data it created",
			"作成した情報のファイルは当該実施機関の職員が登録します")
	}
	if a.BodyID != d.BodyID {
		return fault.New(fault.Forbidden, "this belongs to another body", "他の実施機関のデータは操作できません")
	}
	return nil
}

// UploadDatasetFile: the body registers the file of anonymised information it
// created without a proposal (§2.5), so that reuse contracts (art. 118) can
// be delivered. The file (CSV in UTF-8 or CP932, or XLSX) is streamed into
// the vault; its columns must be the dataset's items; its hash and counts,
// the processing record's reference and the creation work are recorded.
// It may be replaced until it has been delivered once. A refused file is
// deleted again.
func (p *Procedure) UploadDatasetFile(ctx context.Context, datasetID, name string, r io.Reader, meta DatasetFileMeta) (*DatasetFile, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	d, err := bodyDataset(ctx, p.Store, datasetID)
	if err != nil {
		return nil, err
	}
	if err := canUploadDatasetFile(a, d); err != nil {
		return nil, err
	}
	if err := meta.validate(); err != nil {
		return nil, err
	}
	if p.Inspect == nil || p.Vault == nil {
		return nil, fault.New(fault.Unavailable, "the vault is not configured", "暗号化保管庫が設定されていません")
	}
	obj, err := p.Vault.Put(ctx, "dataset-"+d.ID+"-"+name, r)
	if err != nil {
		return nil, err
	}
	f, old, err := p.storeDatasetFile(ctx, a, d, obj, name, meta)
	if err != nil {
		p.Vault.Delete(context.WithoutCancel(ctx), obj.ID)
		return nil, err
	}
	if old != "" && p.Vault.Delete(ctx, old) == nil {
		p.Store.AppendAudit(ctx, AuditEntry{Actor: a, BodyID: d.BodyID, Action: "vault.delete", TargetKind: "vault_object",
			TargetID: old, Detail: "replaced file of dataset " + d.ID}, p.now())
	}
	return f, nil
}

func (m DatasetFileMeta) validate() error {
	if strings.TrimSpace(m.RecordRef) == "" {
		return fault.New(fault.Invalid, "the processing record's reference is required", "作成の記録の番号又は所在を入力してください").In("record_ref")
	}
	if m.Hours < 0 || m.Outsourcing < 0 || math.IsNaN(m.Hours) {
		return fault.New(fault.Invalid, "hours and outsourcing cost must not be negative", "作成に要した時間及び委託費用は0以上としてください").In("hours")
	}
	return nil
}

// storeDatasetFile inspects the stored object and records it; it returns
// the vault id of a replaced file.
func (p *Procedure) storeDatasetFile(ctx context.Context, a Actor, d *CatalogDataset, obj *VaultObject, name string, meta DatasetFileMeta) (*DatasetFile, string, error) {
	info, err := p.inspectVault(ctx, obj.ID, name)
	if err != nil {
		return nil, "", fault.New(fault.Invalid, "the file cannot be read: "+fault.Safe(err, false),
			"ファイルを読み取れません（CSV（UTF-8又はShift_JIS）又はXLSXとしてください）："+fault.Safe(err, true)).In("file")
	}
	if err := datasetColumns(info.Columns, d.Items); err != nil {
		return nil, "", err
	}
	now := p.now()
	f := &DatasetFile{DatasetID: d.ID, BodyID: d.BodyID, VaultID: obj.ID, Name: name, SHA256: obj.SHA256, Size: obj.Size,
		Encoding: info.Encoding, Rows: info.Rows, Columns: info.Columns, RecordRef: strings.TrimSpace(meta.RecordRef),
		Hours: meta.Hours, Outsourcing: meta.Outsourcing, UploadedAt: now, UploadedBy: a.UserID}
	var old string
	err = p.Store.Atomic(ctx, func(s Store) error {
		prev, err := s.DatasetFile(ctx, d.ID)
		if err != nil && fault.ErrorCode(err) != fault.NotFound {
			return err
		}
		if prev != nil {
			if err := notDelivered(ctx, s, d.ID); err != nil {
				return err
			}
			old = prev.VaultID
		}
		if err := s.PutDatasetFile(ctx, f); err != nil {
			return err
		}
		_, err = s.AppendAudit(ctx, AuditEntry{Actor: a, BodyID: d.BodyID, Action: "dataset.file.upload", TargetKind: "catalog_dataset",
			TargetID: d.ID, Detail: name + " sha256:" + obj.SHA256 + " rows:" + strconv.FormatInt(info.Rows, 10) + " record:" + f.RecordRef}, now)
		return err
	})
	return f, old, err
}

// notDelivered refuses to replace a file some contractor has received.
func notDelivered(ctx context.Context, s Store, dataset string) error {
	cs, err := s.Cases(ctx, CaseFilter{DatasetID: dataset})
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.Provision != nil {
			return fault.New(fault.Conflict, "the file has been delivered (case "+idStr(c.ID)+") and cannot be replaced",
				"このファイルは提供済み（案件"+idStr(c.ID)+"）のため差し替えられません")
		}
	}
	return nil
}

// datasetColumns checks that the file has exactly the dataset's items.
func datasetColumns(have []string, items []DatasetItem) error {
	set := map[string]bool{}
	for _, h := range have {
		set[strings.TrimSpace(h)] = true
	}
	for _, it := range items {
		if !set[it.Name] {
			return fault.New(fault.Invalid, "column "+it.Name+" is missing from the file", "ファイルに項目「"+it.Name+"」の列がありません").In("file")
		}
		delete(set, it.Name)
	}
	for h := range set {
		return fault.New(fault.Invalid, "column "+h+" is not an item of the dataset", "列「"+h+"」は掲載した項目にありません").In("file")
	}
	return nil
}
