package platform

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// Catalog is the public catalogue service. Readers get an immutable
// in-memory index (CatalogIndex) of everything public. Why in memory and
// not SQL per request: the public catalogue is small (10⁵ files, 10⁴
// datasets fit in tens of MB), read far more than written, and must answer
// in well under a millisecond of CPU to keep p99 under 50 ms at 200
// concurrent clients on two cores; one implementation then serves SQLite
// and PostgreSQL alike, and no public read touches the database.
//
// Freshness: Start builds the first snapshot (before the server listens)
// and then checks the store's catalogue stamp every Refresh in the
// background; when it changed, a new snapshot is built (re-using the file
// or dataset part whose part of the stamp did not change), warmed (Warm)
// and swapped in atomically. Readers never wait for a rebuild and never
// query the database. Writes through this service kick the loop at once.
// So a change is public within Refresh + one rebuild on every server that
// shares the database (documented in docs/open-data.md, tested).
//
// Editorial writes (datasets, usage cases) go through the methods below,
// which check the actor's role and write the audit chain.
type Catalog struct {
	Store   Store
	Clock   Clock
	Refresh time.Duration // how often the stamp is checked; default 1 s
	// Warm, when set, is called with the current and a freshly built
	// snapshot before the new one is published, to fill its memo with the
	// answers that were asked most (so the swap does not start cold).
	Warm func(ctx context.Context, old, ix *CatalogIndex)

	mu      sync.Mutex // held while a snapshot is built: one build at a time
	cur     atomic.Pointer[CatalogIndex]
	checked atomic.Int64 // unix nanos of the last stamp check
	pending atomic.Bool  // a background refresh has been started (without Start)
	started atomic.Bool
	swaps   atomic.Int64
	kick    chan struct{}
	once    sync.Once
}

func (c *Catalog) now() time.Time {
	if c.Clock != nil {
		return c.Clock()
	}
	return time.Now()
}

func (c *Catalog) refresh() time.Duration {
	if c.Refresh > 0 {
		return c.Refresh
	}
	return time.Second
}

func (c *Catalog) kicker() chan struct{} {
	c.once.Do(func() { c.kick = make(chan struct{}, 1) })
	return c.kick
}

// Start builds the first snapshot (returning its error) and then keeps the
// snapshot fresh in the background until ctx ends.
func (c *Catalog) Start(ctx context.Context) error {
	if _, err := c.Sync(ctx); err != nil {
		return err
	}
	if c.started.Swap(true) {
		return nil
	}
	kick := c.kicker()
	go func() {
		t := time.NewTicker(c.refresh())
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				c.started.Store(false)
				return
			case <-t.C:
			case <-kick:
			}
			c.Sync(ctx)
		}
	}()
	return nil
}

// Swaps returns how many snapshots have been published so far.
func (c *Catalog) Swaps() int64 { return c.swaps.Load() }

// Invalidate asks for a refresh now (in the background: it does not wait).
func (c *Catalog) Invalidate() {
	if c.started.Load() {
		select {
		case c.kicker() <- struct{}{}:
		default:
		}
		return
	}
	c.checked.Store(0)
	c.refreshAsync()
}

// Index returns the current snapshot without waiting for any rebuild and
// without touching the database, except for the very first snapshot of a
// Catalog that was not started (callers then wait for that one build). A
// snapshot pinned in ctx (WithCatalogIndex) is returned as is.
func (c *Catalog) Index(ctx context.Context) (*CatalogIndex, error) {
	if ix := pinnedIndex(ctx); ix != nil {
		return ix, nil
	}
	if cur := c.cur.Load(); cur != nil {
		if !c.started.Load() && time.Since(time.Unix(0, c.checked.Load())) >= c.refresh() {
			c.refreshAsync()
		}
		return cur, nil
	}
	return c.Sync(ctx)
}

// refreshAsync starts one background refresh unless one is running.
func (c *Catalog) refreshAsync() {
	if !c.pending.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer c.pending.Store(false)
		c.Sync(context.Background())
	}()
}

// Sync checks the stamp now and, when it changed, builds, warms and
// publishes a new snapshot before returning it (waiting for a build that
// is under way). Servers call it through Start; tests call it to see their
// own writes at once.
func (c *Catalog) Sync(ctx context.Context) (*CatalogIndex, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cur := c.cur.Load()
	stamp, err := c.Store.CatalogStamp(ctx)
	if err != nil {
		if cur != nil {
			return cur, nil // serve the last good snapshot while the database is away
		}
		return nil, err
	}
	if cur != nil && cur.Stamp == stamp {
		c.checked.Store(time.Now().UnixNano())
		return cur, nil
	}
	ix, err := c.build(ctx, stamp, cur)
	if err != nil {
		if cur != nil {
			return cur, nil
		}
		return nil, err
	}
	if c.Warm != nil && cur != nil {
		c.Warm(ctx, cur, ix)
	}
	c.cur.Store(ix)
	c.swaps.Add(1)
	c.checked.Store(time.Now().UnixNano())
	return ix, nil
}

// stampPart returns the part of a stamp ("files:3,datasets:7,…") for key;
// a stamp without parts changes every part.
func stampPart(stamp, key string) string {
	for p := range strings.SplitSeq(stamp, ",") {
		if k, v, ok := strings.Cut(p, ":"); ok && k == key {
			return v
		}
	}
	return stamp
}

// build loads what changed since prev and assembles a new snapshot. The
// file part (10⁵ register entries: most of the load and build time) is
// reused when the "files" part of the stamp is unchanged; the dataset part
// when neither "files" nor "datasets" changed.
func (c *Catalog) build(ctx context.Context, stamp string, prev *CatalogIndex) (*CatalogIndex, error) {
	var d catalogData
	var err error
	same := func(part string) bool { return prev != nil && stampPart(prev.Stamp, part) == stampPart(stamp, part) }
	fp := (*filePart)(nil)
	if same("files") {
		fp = prev.filePart
	} else {
		if d.LGs, err = c.Store.LocalGovernments(ctx, ""); err != nil {
			return nil, err
		}
		if d.Bodies, err = c.Store.Bodies(ctx, ""); err != nil {
			return nil, err
		}
		if d.Entries, err = c.Store.RegisterEntries(ctx, 0); err != nil {
			return nil, err
		}
		fp = buildFilePart(d.LGs, d.Bodies, d.Entries)
		d.Entries = nil
	}
	dp := (*datasetPart)(nil)
	switch {
	case same("files") && same("datasets"):
		dp = prev.datasetPart
	case same("files"):
		if d.Datasets, err = c.changedDatasets(ctx, prev.datasetPart); err != nil {
			return nil, err
		}
		dp = buildDatasetPart(fp, d.Datasets)
	default:
		if d.Datasets, err = c.Store.CatalogDatasets(ctx, false); err != nil {
			return nil, err
		}
		dp = buildDatasetPart(fp, d.Datasets)
	}
	if d.UsageCases, err = c.Store.UsageCases(ctx, PublishPublished); err != nil {
		return nil, err
	}
	if d.Counts, err = c.Store.CatalogCounts(ctx); err != nil {
		return nil, err
	}
	calls, err := c.Store.Calls(ctx, 0)
	if err != nil {
		return nil, err
	}
	for _, cl := range calls {
		if cl.Published {
			d.Calls = append(d.Calls, CatalogCall{ID: cl.ID, BodyID: cl.BodyID, Title: cl.Title, Opens: cl.OpensAt,
				Closes: cl.ClosesAt, FileIDs: cl.EntryIDs, Office: cl.Office, Notice: cl.Notice, NoticeURL: cl.NoticeURL})
		}
	}
	if d.Commissions, err = c.Store.Commissions(ctx, true); err != nil {
		return nil, err
	}
	return assembleIndex(&d, stamp, c.now(), fp, dp), nil
}

// changedDatasets returns the published datasets, loading from the store
// only those that are new or whose version changed since prev.
func (c *Catalog) changedDatasets(ctx context.Context, prev *datasetPart) ([]CatalogDataset, error) {
	vers, err := c.Store.PublishedDatasetVersions(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]CatalogDataset, 0, len(vers))
	var load []string
	for _, d := range prev.datasets {
		if v, ok := vers[d.ID]; ok && v == d.Version {
			out = append(out, d)
			delete(vers, d.ID)
		}
	}
	for id := range vers {
		load = append(load, id)
	}
	fresh, err := c.Store.CatalogDatasetsByID(ctx, load)
	if err != nil {
		return nil, err
	}
	return append(out, fresh...), nil // buildDatasetPart keeps the published ones
}

// PutDataset creates or updates a catalogue dataset. Window officers and
// admins may edit any; body approvers only their body's.
func (c *Catalog) PutDataset(ctx context.Context, d *CatalogDataset) error {
	a, err := ActorFrom(ctx)
	if err != nil {
		return err
	}
	if err := a.RequireBody(d.BodyID, RoleWindowOfficer, RoleBodyApprover, RoleAdmin); err != nil {
		return err
	}
	if d.State == "" {
		d.State = PublishDraft
	}
	if d.ID == "" {
		d.ID = StableUUID("dataset", d.Name, c.now().UTC().Format(time.RFC3339Nano))
	}
	if err := d.Validate(); err != nil {
		return err
	}
	now := c.now().UTC()
	if d.CreatedAt.IsZero() {
		d.CreatedAt = now
	}
	d.ModifiedAt = now
	if d.State == PublishPublished && d.PublishedAt == nil {
		d.PublishedAt = &now
	}
	err = c.Store.Atomic(ctx, func(s Store) error {
		if err := s.PutCatalogDataset(ctx, d); err != nil {
			return err
		}
		_, err := s.AppendAudit(ctx, AuditEntry{Actor: a, BodyID: d.BodyID, Action: "catalog.dataset.put",
			TargetKind: "catalog_dataset", TargetID: d.ID, Detail: string(d.State)}, now)
		return err
	})
	c.Invalidate()
	return err
}

// SubmitUsageCase stores a new usage case as a draft.
func (c *Catalog) SubmitUsageCase(ctx context.Context, u *UsageCase) error {
	a, err := ActorFrom(ctx)
	if err != nil {
		return err
	}
	if err := a.Require(RoleBusiness, RoleWindowOfficer, RoleAdmin); err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	now := c.now().UTC()
	u.State, u.SubmittedBy, u.CreatedAt, u.UpdatedAt, u.PublishedAt = PublishDraft, a.UserID, now, now, nil
	return c.Store.Atomic(ctx, func(s Store) error {
		if err := s.CreateUsageCase(ctx, u); err != nil {
			return err
		}
		_, err := s.AppendAudit(ctx, AuditEntry{Actor: a, Action: "usage_case.create",
			TargetKind: "usage_case", TargetID: strconv.FormatInt(u.ID, 10)}, now)
		return err
	})
}

// MoveUsageCase applies an editorial transition: the submitter (or an
// officer) sends a draft to review; a window officer or admin publishes it,
// returns it to draft with a note, or withdraws a published case.
func (c *Catalog) MoveUsageCase(ctx context.Context, id ID, version int, to PublishState, note string) (*UsageCase, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	now := c.now().UTC()
	var out *UsageCase
	err = c.Store.Atomic(ctx, func(s Store) error {
		u, err := s.UsageCase(ctx, id)
		if err != nil {
			return err
		}
		if err := usageCaseMayMove(a, u, to); err != nil {
			return err
		}
		if u.Version != version {
			return fault.New(fault.Conflict, "the usage case was changed by someone else; reload", "他の利用者が更新しました。再読み込みしてください")
		}
		from := u.State
		u.State, u.ReviewNote, u.UpdatedAt = to, note, now
		if to == PublishPublished {
			u.PublishedAt = &now
		}
		if err := s.UpdateUsageCase(ctx, u); err != nil {
			return err
		}
		out = u
		_, err = s.AppendAudit(ctx, AuditEntry{Actor: a, Action: "usage_case.move", TargetKind: "usage_case",
			TargetID: strconv.FormatInt(id, 10), Detail: string(from) + "→" + string(to)}, now)
		return err
	})
	c.Invalidate()
	return out, err
}

func usageCaseMayMove(a Actor, u *UsageCase, to PublishState) error {
	if !CanMoveUsageCase(u.State, to) {
		return fault.New(fault.Conflict, "this usage case cannot go from "+string(u.State)+" to "+string(to),
			"この活用事例はこの状態に変更できません")
	}
	if a.Has(RoleWindowOfficer, RoleAdmin) {
		return nil
	}
	if u.State == PublishDraft && to == PublishReview && a.UserID == u.SubmittedBy {
		return nil
	}
	return fault.New(fault.Forbidden, "only the editors may publish or return usage cases", "活用事例の公開・差戻しは編集担当のみ行えます")
}

// EditorUsageCases lists usage cases in every state for officers, or the
// actor's own for a business user.
func (c *Catalog) EditorUsageCases(ctx context.Context) ([]UsageCase, error) {
	a, err := ActorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if err := a.Require(RoleBusiness, RoleWindowOfficer, RoleAdmin, RoleAuditor); err != nil {
		return nil, err
	}
	all, err := c.Store.UsageCases(ctx, "")
	if err != nil || !a.Has(RoleBusiness) {
		return all, err
	}
	var own []UsageCase
	for _, u := range all {
		if u.SubmittedBy == a.UserID {
			own = append(own, u)
		}
	}
	return own, nil
}
