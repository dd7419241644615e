package platform

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// This file holds the public read models: what the portal, the CKAN API,
// DCAT, the feeds and the national view show. Each type here carries only
// fields that may be published (domain.md §3.5, §7); protected information
// (processing-method details 加工方法等情報, source data, proposer identities,
// unpublished records) has no field to live in, so it cannot leak through
// these types.

// DatasetKind is the kind of a catalogue dataset. Append only.
type DatasetKind string

// Dataset kinds.
const (
	// 行政機関等匿名加工情報: created anonymised information (art. 117). It
	// is not downloadable: the entry invites proposals to use it (art. 118).
	DatasetAnonymized DatasetKind = "anonymized"
	// 統計情報: a statistics release, downloadable under an open licence.
	DatasetStatistics DatasetKind = "statistics"
	// オープンデータ: other open data published by a body.
	DatasetOpenData DatasetKind = "open_data"
)

// PublishState is the state of a public record. Append only.
type PublishState string

// Publication states. Only PublishPublished records appear in any public
// response.
const (
	PublishDraft     PublishState = "draft"
	PublishReview    PublishState = "review"
	PublishPublished PublishState = "published"
	PublishWithdrawn PublishState = "withdrawn"
)

// DatasetItem is one item of a created dataset, with the granularity it is
// published at (e.g. 生年月日 → 5歳階級). 項目及びその粒度.
type DatasetItem struct {
	Name        string `json:"name"`
	Granularity string `json:"granularity,omitempty"`
}

// CatalogResource is a file of a dataset (CKAN resource, DCAT distribution).
type CatalogResource struct {
	ID          string    `json:"id"` // UUID, stable
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	URL         string    `json:"url"` // absolute, or a path on this portal
	Format      string    `json:"format"`
	MediaType   string    `json:"media_type,omitempty"`
	Size        int64     `json:"size,omitempty"`
	CreatedAt   time.Time `json:"created"`
	ModifiedAt  time.Time `json:"modified"`
}

// CatalogDataset is the public catalogue entry of one dataset: a created
// anonymised dataset with its art. 117 particulars (outline, receiving
// organisation, proposal period), a statistics release, or open data.
type CatalogDataset struct {
	ID      string // UUID, stable (CKAN id)
	Name    string // URL slug: lowercase ASCII, digits, - and _ (CKAN name)
	Kind    DatasetKind
	Title   string // Japanese title
	TitleEN string
	Notes   string // description (Markdown)
	LGCode  string
	BodyID  ID
	// FileID is the register entry of the source personal-information file.
	FileID ID
	// 匿名加工情報の概要: number of subjects and items with granularity.
	Subjects int64
	Items    []DatasetItem
	// MethodsSummary names the kinds of processing applied at a level that
	// reveals no parameter (e.g. "生年月日を5歳階級に一般化"); never keys,
	// seeds, hierarchies or thresholds.
	MethodsSummary string
	// 提案を受ける組織 and 提案をすることができる期間 (art. 117 ii, iii).
	ProposalOffice string
	ProposalFrom   *time.Time
	ProposalTo     *time.Time
	Contracts      int // number of contracts concluded (no names)
	// PeriodFrom/PeriodTo: the period a statistics release covers (対象期間).
	PeriodFrom  *time.Time
	PeriodTo    *time.Time
	Tags        []string
	LicenseID   string
	Resources   []CatalogResource
	State       PublishState
	Version     int
	CreatedAt   time.Time
	ModifiedAt  time.Time
	PublishedAt *time.Time
}

// slugRE is compiled on first use: {2,100} expands to a hundred nested
// nodes, about 1,100 allocations that every command paid at start-up.
var slugRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9_-]{2,100}$`) })

// ValidSlug reports whether s is a CKAN name.
func ValidSlug(s string) bool { return slugRE().MatchString(s) }

// Validate checks a dataset; errors name the field.
func (d *CatalogDataset) Validate() error {
	if !ValidSlug(d.Name) {
		return fault.New(fault.Invalid, "name must be 2–100 lowercase letters, digits, - or _",
			"名前(URL)は半角英小文字・数字・-・_ の2〜100文字です").In("name")
	}
	if strings.TrimSpace(d.Title) == "" {
		return fault.New(fault.Invalid, "title is required", "タイトルを入力してください").In("title")
	}
	switch d.Kind {
	case DatasetAnonymized, DatasetStatistics, DatasetOpenData:
	default:
		return fault.New(fault.Invalid, "unknown dataset kind", "データセットの種別が正しくありません").In("kind")
	}
	if len(d.LGCode) != 6 {
		return fault.New(fault.Invalid, "local-government code must have 6 digits", "団体コードは6桁で入力してください").In("lg_code")
	}
	if d.ProposalFrom != nil && d.ProposalTo != nil && d.ProposalTo.Before(*d.ProposalFrom) {
		return fault.New(fault.Invalid, "proposal period ends before it starts", "提案期間の終了日が開始日より前です").In("proposal_to")
	}
	if _, ok := LicenseByID(d.LicenseID); !ok {
		return fault.New(fault.Invalid, "unknown licence", "ライセンスが正しくありません").In("license_id")
	}
	return nil
}

// ProposalOpen reports whether proposals for the dataset may be made at t.
func (d *CatalogDataset) ProposalOpen(t time.Time) bool {
	if d.Kind != DatasetAnonymized || d.ProposalFrom == nil {
		return false
	}
	return !t.Before(*d.ProposalFrom) && (d.ProposalTo == nil || !t.After(*d.ProposalTo))
}

// License is a licence a dataset may carry (CKAN license_list).
type License struct {
	ID      string
	Title   string
	TitleJA string
	URL     string
	Open    bool // OKD compliant
}

// Licenses lists the licences used in Japanese public-sector catalogues.
var Licenses = []License{
	{"cc-by-4.0", "Creative Commons Attribution 4.0", "クリエイティブ・コモンズ 表示 4.0 国際", "https://creativecommons.org/licenses/by/4.0/", true},
	{"cc-zero", "Creative Commons CCZero", "CC0 1.0 パブリック・ドメイン提供", "https://creativecommons.org/publicdomain/zero/1.0/", true},
	{"pdl-1.0", "Public Data License (Japan) 1.0", "公共データ利用規約（第1.0版）", "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0", true},
	{"contract", "Provided under a usage contract (APPI art. 119)", "利用契約による提供（個人情報保護法第119条）", "", false},
}

// LicenseByID returns the licence with id.
func LicenseByID(id string) (License, bool) {
	for _, l := range Licenses {
		if l.ID == id {
			return l, true
		}
	}
	return License{}, false
}

// UsageCase is a 活用事例: a published account of how data from the scheme
// was used. It goes draft → review → published (or back to draft); only
// published cases are public. SubmittedBy is internal.
type UsageCase struct {
	ID           ID
	Title        string
	TitleEN      string
	Summary      string // what was done and what came of it
	Organisation string // the user's name as they agreed to publish it
	URL          string
	LGCodes      []string
	DatasetIDs   []string // catalogue dataset ids used
	State        PublishState
	SubmittedBy  ID // user who drafted it; never public
	ReviewNote   string
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
	PublishedAt  *time.Time
}

// Validate checks a usage case.
func (u *UsageCase) Validate() error {
	if strings.TrimSpace(u.Title) == "" {
		return fault.New(fault.Invalid, "title is required", "タイトルを入力してください").In("title")
	}
	if strings.TrimSpace(u.Summary) == "" {
		return fault.New(fault.Invalid, "summary is required", "概要を入力してください").In("summary")
	}
	if u.URL != "" && !strings.HasPrefix(u.URL, "https://") && !strings.HasPrefix(u.URL, "http://") {
		return fault.New(fault.Invalid, "URL must start with http:// or https://", "URLは http:// または https:// で始めてください").In("url")
	}
	return nil
}

// usageMoves lists the editorial transitions of a usage case.
var usageMoves = map[PublishState][]PublishState{
	PublishDraft:     {PublishReview},
	PublishReview:    {PublishDraft, PublishPublished},
	PublishPublished: {PublishWithdrawn},
	PublishWithdrawn: {PublishDraft},
}

// CanMoveUsageCase reports whether a usage case may go from one state to another.
func CanMoveUsageCase(from, to PublishState) bool {
	for _, s := range usageMoves[from] {
		if s == to {
			return true
		}
	}
	return false
}

// LGCounts are the per-local-government figures of the national view that
// come from the procedure (calls, proposals, provisions).
type LGCounts struct {
	Calls      int // calls for proposals published
	OpenCalls  int // of which open now
	Proposals  int // proposals received (submitted, any outcome)
	Provisions int // datasets provided under contract
}

// CatalogStore keeps the public read models. Everything it returns is
// public except where a method says otherwise.
type CatalogStore interface {
	// PutCatalogDataset inserts d, or updates the dataset with d.ID; on
	// update it fails with fault.Conflict unless d.Version is the stored
	// version. It sets Version and ModifiedAt. Names are unique (Conflict).
	PutCatalogDataset(ctx context.Context, d *CatalogDataset) error
	// CatalogDataset returns the dataset with this id or name, in any state.
	CatalogDataset(ctx context.Context, idOrName string) (*CatalogDataset, error)
	// CatalogDatasets lists datasets in any state when all, else published ones.
	CatalogDatasets(ctx context.Context, all bool) ([]CatalogDataset, error)
	// PublishedDatasetVersions returns id → version of every published
	// dataset (cheap: the catalogue reloads only the datasets that changed).
	PublishedDatasetVersions(ctx context.Context) (map[string]int, error)
	// CatalogDatasetsByID returns the datasets with these ids, in any state.
	CatalogDatasetsByID(ctx context.Context, ids []string) ([]CatalogDataset, error)

	CreateUsageCase(ctx context.Context, u *UsageCase) error
	UsageCase(ctx context.Context, id ID) (*UsageCase, error)
	// UsageCases lists cases in state, or in every state when state is "".
	UsageCases(ctx context.Context, state PublishState) ([]UsageCase, error)
	// UpdateUsageCase stores u as the next version (fault.Conflict when
	// u.Version is not the stored version).
	UpdateUsageCase(ctx context.Context, u *UsageCase) error

	// CatalogStamp returns a value that changes whenever anything shown by
	// the public catalogue changes (registers, bodies, local governments,
	// datasets, usage cases, calls): the catalogue index is rebuilt when it
	// does. It must be cheap (it is read at most once per refresh interval).
	CatalogStamp(ctx context.Context) (string, error)
	// CatalogCounts returns the procedure figures per local-government code.
	CatalogCounts(ctx context.Context) (map[string]LGCounts, error)

	// PutStatisticsFile stores an uploaded file of a statistics release.
	PutStatisticsFile(ctx context.Context, f *StatisticsFile) error
	// StatisticsFile returns an uploaded file (public only once its
	// release is published: callers check the catalogue snapshot).
	StatisticsFile(ctx context.Context, id string) (*StatisticsFile, error)
}
