package platform

import (
	"context"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// Statistics releases (統計情報の公表): a catalogue dataset of kind
// statistics, edited by the creation organisation's window officers (any
// body) and by a body's approvers (their own body) — reviewers of the body
// may prepare drafts — and published under an open licence. A release is a
// draft until it is published; it can be withdrawn (and published again).
// Only published releases reach the portal, CKAN and DCAT (the catalogue
// snapshot holds published datasets only).

// StatisticsFile is a file uploaded for a statistics release (e.g. the CSV
// written by `tokumei tabulate`). It is public once its release is.
type StatisticsFile struct {
	ID        string // UUID
	DatasetID string
	Name      string
	MediaType string
	Content   []byte
	CreatedAt time.Time
}

// MaxStatisticsFile is the largest file a release may carry (bytes).
const MaxStatisticsFile = 20 << 20

// statsEditors may prepare releases; statsPublishers may publish them.
var (
	statsEditors    = []Role{RoleWindowOfficer, RoleAdmin, RoleBodyApprover, RoleBodyReviewer}
	statsPublishers = []Role{RoleWindowOfficer, RoleAdmin, RoleBodyApprover}
)

// statsMoves lists the transitions of a release.
var statsMoves = map[PublishState][]PublishState{
	PublishDraft:     {PublishPublished},
	PublishPublished: {PublishWithdrawn},
	PublishWithdrawn: {PublishPublished, PublishDraft},
}

// CanMoveStatisticsRelease reports whether a release may go from one state to another.
func CanMoveStatisticsRelease(from, to PublishState) bool {
	for _, s := range statsMoves[from] {
		if s == to {
			return true
		}
	}
	return false
}

// StatisticsPublisher reports whether the actor may publish releases of body.
func StatisticsPublisher(a Actor, body ID) bool {
	return a.RequireBody(body, statsPublishers...) == nil
}

// StatisticsReleases lists the releases the actor may edit, in any state.
func (c *Catalog) StatisticsReleases(ctx context.Context) ([]CatalogDataset, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if err := a.Require(statsEditors...); err != nil {
		return nil, err
	}
	all, err := c.Store.CatalogDatasets(ctx, true)
	if err != nil {
		return nil, err
	}
	var out []CatalogDataset
	for _, d := range all {
		if d.Kind == DatasetStatistics && a.RequireBody(d.BodyID, statsEditors...) == nil {
			out = append(out, d)
		}
	}
	return out, nil
}

// StatisticsRelease returns one release the actor may edit.
func (c *Catalog) StatisticsRelease(ctx context.Context, idOrName string) (*CatalogDataset, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	d, err := c.Store.CatalogDataset(ctx, idOrName)
	if err != nil {
		return nil, err
	}
	if d.Kind != DatasetStatistics {
		return nil, fault.New(fault.NotFound, "statistics release not found", "統計情報が見つかりません")
	}
	if err := a.RequireBody(d.BodyID, statsEditors...); err != nil {
		return nil, err
	}
	return d, nil
}

// SaveStatisticsRelease creates a release (as a draft) or updates the
// editable fields of one (d.ID set; d.Version must be the stored version).
// The state changes only through MoveStatisticsRelease. A file, when
// given, is stored and added to the release's resources.
func (c *Catalog) SaveStatisticsRelease(ctx context.Context, d *CatalogDataset, file *StatisticsFile) error {
	a, err := ActorFrom(ctx)
	if err != nil {
		return err
	}
	if err := a.RequireBody(d.BodyID, statsEditors...); err != nil {
		return err
	}
	now := c.now().UTC()
	d.Kind = DatasetStatistics
	if err := validateStatistics(d, file); err != nil {
		return err
	}
	err = c.Store.Atomic(ctx, func(s Store) error {
		if d.ID == "" {
			d.ID = StableUUID("statistics", d.Name, now.Format(time.RFC3339Nano))
			d.State, d.Version, d.CreatedAt, d.PublishedAt = PublishDraft, 0, now, nil
		} else {
			old, err := s.CatalogDataset(ctx, d.ID)
			if err != nil {
				return err
			}
			if old.Kind != DatasetStatistics {
				return fault.New(fault.NotFound, "statistics release not found", "統計情報が見つかりません")
			}
			if err := a.RequireBody(old.BodyID, statsEditors...); err != nil {
				return err
			}
			d.State, d.CreatedAt, d.PublishedAt = old.State, old.CreatedAt, old.PublishedAt
			if d.Resources == nil {
				d.Resources = old.Resources
			}
		}
		if lg, err := bodyLG(ctx, s, d.BodyID); err != nil {
			return err
		} else {
			d.LGCode = lg
		}
		if file != nil {
			file.ID, file.DatasetID, file.CreatedAt = StableUUID("statistics-file", d.ID, now.Format(time.RFC3339Nano)), d.ID, now
			d.Resources = append(d.Resources, CatalogResource{ID: file.ID, Name: file.Name, Format: formatOf(file.Name),
				MediaType: file.MediaType, Size: int64(len(file.Content)), URL: StatisticsFileURL(file.ID, file.Name),
				CreatedAt: now, ModifiedAt: now})
		}
		d.ModifiedAt = now
		if err := s.PutCatalogDataset(ctx, d); err != nil {
			return err
		}
		if file != nil { // after the dataset: the file refers to it
			if err := s.PutStatisticsFile(ctx, file); err != nil {
				return err
			}
		}
		_, err := s.AppendAudit(ctx, AuditEntry{Actor: a, BodyID: d.BodyID, Action: "statistics.release.save",
			TargetKind: "catalog_dataset", TargetID: d.ID, Detail: string(d.State)}, now)
		return err
	})
	c.Invalidate()
	return err
}

// MoveStatisticsRelease publishes, withdraws or re-drafts a release.
func (c *Catalog) MoveStatisticsRelease(ctx context.Context, id string, version int, to PublishState) (*CatalogDataset, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	now := c.now().UTC()
	var out *CatalogDataset
	err = c.Store.Atomic(ctx, func(s Store) error {
		d, err := s.CatalogDataset(ctx, id)
		if err != nil {
			return err
		}
		if d.Kind != DatasetStatistics {
			return fault.New(fault.NotFound, "statistics release not found", "統計情報が見つかりません")
		}
		if err := a.RequireBody(d.BodyID, statsPublishers...); err != nil {
			return err
		}
		if !CanMoveStatisticsRelease(d.State, to) {
			return fault.New(fault.Conflict, "this release cannot go from "+string(d.State)+" to "+string(to),
				"この統計情報はこの状態に変更できません")
		}
		if d.Version != version {
			return fault.New(fault.Conflict, "the release was changed by someone else; reload", "他の利用者が更新しました。再読み込みしてください")
		}
		if to == PublishPublished && len(d.Resources) == 0 {
			return fault.New(fault.Invalid, "add a file or a link before publishing", "公表する前にファイルまたはリンクを追加してください").In("file")
		}
		from := d.State
		d.State, d.ModifiedAt = to, now
		if to == PublishPublished {
			d.PublishedAt = &now
		}
		if err := s.PutCatalogDataset(ctx, d); err != nil {
			return err
		}
		out = d
		_, err = s.AppendAudit(ctx, AuditEntry{Actor: a, BodyID: d.BodyID, Action: "statistics.release.move",
			TargetKind: "catalog_dataset", TargetID: d.ID, Detail: string(from) + "→" + string(to)}, now)
		return err
	})
	c.Invalidate()
	return out, err
}

// StatisticsFileURL is the portal path of an uploaded file.
func StatisticsFileURL(id, name string) string {
	return "/portal/statistics/files/" + id + "/" + url.PathEscape(path.Base("/"+name))
}

func bodyLG(ctx context.Context, s Store, body ID) (string, error) {
	b, err := s.Body(ctx, body)
	if err != nil {
		return "", err
	}
	return b.LGCode, nil
}

func formatOf(name string) string {
	ext := strings.ToUpper(strings.TrimPrefix(path.Ext(name), "."))
	if ext == "" {
		return "CSV"
	}
	return ext
}

func validateStatistics(d *CatalogDataset, file *StatisticsFile) error {
	if l, ok := LicenseByID(d.LicenseID); !ok || !l.Open {
		return fault.New(fault.Invalid, "choose an open licence", "公開用のライセンスを選択してください").In("license_id")
	}
	if d.PeriodFrom != nil && d.PeriodTo != nil && d.PeriodTo.Before(*d.PeriodFrom) {
		return fault.New(fault.Invalid, "the period ends before it starts", "対象期間の終了日が開始日より前です").In("period_to")
	}
	for _, r := range d.Resources {
		if !strings.HasPrefix(r.URL, "https://") && !strings.HasPrefix(r.URL, "http://") && !strings.HasPrefix(r.URL, "/portal/statistics/files/") {
			return fault.New(fault.Invalid, "a link must start with http:// or https://", "リンクは http:// または https:// で始めてください").In("link_url")
		}
	}
	if file != nil {
		if len(file.Content) == 0 || len(file.Content) > MaxStatisticsFile {
			return fault.New(fault.Invalid, "the file is empty or larger than 20 MB", "ファイルが空か、20MBを超えています").In("file")
		}
		if strings.TrimSpace(file.Name) == "" {
			file.Name = "statistics.csv"
		}
	}
	if d.LGCode == "" {
		d.LGCode = "000000" // set from the body in the transaction; keeps Validate's length check meaningful
	}
	return d.Validate()
}
