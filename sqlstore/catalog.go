package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

// Catalogue read models (platform.CatalogStore): datasets, usage cases, the
// catalogue stamp and the per-local-government procedure counts.

const datasetColumns = `id, name, kind, title, title_en, notes, lg_code, body_id, file_id, subjects, items,
	methods_summary, proposal_office, proposal_from, proposal_to, contracts, tags, license_id, resources,
	state, version, created_at, modified_at, published_at, period_from, period_to`

func scanDataset(r interface{ Scan(...any) error }) (*platform.CatalogDataset, error) {
	var d platform.CatalogDataset
	var items, tags, res string
	var from, to, pub, pfrom, pto sql.NullTime
	err := r.Scan(&d.ID, &d.Name, &d.Kind, &d.Title, &d.TitleEN, &d.Notes, &d.LGCode, &d.BodyID, &d.FileID,
		&d.Subjects, &items, &d.MethodsSummary, &d.ProposalOffice, &from, &to, &d.Contracts, &tags,
		&d.LicenseID, &res, &d.State, &d.Version, &d.CreatedAt, &d.ModifiedAt, &pub, &pfrom, &pto)
	if err != nil {
		return nil, err
	}
	if err := unmarshalAll(items, &d.Items, tags, &d.Tags, res, &d.Resources); err != nil {
		return nil, err
	}
	d.ProposalFrom, d.ProposalTo, d.PublishedAt = ptrT(from), ptrT(to), ptrT(pub)
	d.PeriodFrom, d.PeriodTo = ptrT(pfrom), ptrT(pto)
	d.CreatedAt, d.ModifiedAt = d.CreatedAt.UTC(), d.ModifiedAt.UTC()
	for i := range d.Resources {
		d.Resources[i].CreatedAt, d.Resources[i].ModifiedAt = d.Resources[i].CreatedAt.UTC(), d.Resources[i].ModifiedAt.UTC()
	}
	return &d, nil
}

func unmarshalAll(pairs ...any) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := json.Unmarshal([]byte(pairs[i].(string)), pairs[i+1]); err != nil {
			return fault.Errorf(fault.Internal, "corrupt JSON column").Wrap(err)
		}
	}
	return nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain data types are marshalled here
	}
	return string(b)
}

// PutCatalogDataset inserts d, or updates it when d.Version > 0.
func (s *Store) PutCatalogDataset(ctx context.Context, d *platform.CatalogDataset) error {
	d.CreatedAt, d.ModifiedAt = T(d.CreatedAt), T(d.ModifiedAt)
	if d.Tags == nil {
		d.Tags = []string{}
	}
	args := []any{d.Name, d.Kind, d.Title, d.TitleEN, d.Notes, d.LGCode, d.BodyID, d.FileID, d.Subjects,
		mustJSON(d.Items), d.MethodsSummary, d.ProposalOffice, nullT(d.ProposalFrom), nullT(d.ProposalTo),
		d.Contracts, mustJSON(d.Tags), d.LicenseID, mustJSON(d.Resources), d.State, nullT(d.PeriodFrom), nullT(d.PeriodTo)}
	if d.Version == 0 {
		_, err := s.exec(ctx, `INSERT INTO catalog_datasets (name, kind, title, title_en, notes, lg_code, body_id,
			file_id, subjects, items, methods_summary, proposal_office, proposal_from, proposal_to, contracts, tags,
			license_id, resources, state, period_from, period_to, id, version, created_at, modified_at, published_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
			append(args, d.ID, d.CreatedAt, d.ModifiedAt, nullT(d.PublishedAt))...)
		if err == nil {
			d.Version = 1
		}
		return err
	}
	res, err := s.exec(ctx, `UPDATE catalog_datasets SET name = ?, kind = ?, title = ?, title_en = ?, notes = ?,
		lg_code = ?, body_id = ?, file_id = ?, subjects = ?, items = ?, methods_summary = ?, proposal_office = ?,
		proposal_from = ?, proposal_to = ?, contracts = ?, tags = ?, license_id = ?, resources = ?, state = ?,
		period_from = ?, period_to = ?, version = version + 1, modified_at = ?, published_at = ? WHERE id = ? AND version = ?`,
		append(args, d.ModifiedAt, nullT(d.PublishedAt), d.ID, d.Version)...)
	if err := versionAffect(res, err, "catalog dataset"); err != nil {
		return err
	}
	d.Version++
	return nil
}

// versionAffect reports Conflict when an optimistic update changed no row.
func versionAffect(res sql.Result, err error, what string) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fault.New(fault.Conflict, what+" was changed by someone else or does not exist; reload",
			"他の利用者が更新したか、存在しません。再読み込みしてください")
	}
	return nil
}

// CatalogDataset returns a dataset by id or name, in any state.
func (s *Store) CatalogDataset(ctx context.Context, idOrName string) (*platform.CatalogDataset, error) {
	rows, err := s.query(ctx, `SELECT `+datasetColumns+` FROM catalog_datasets WHERE id = ? OR name = ?`, idOrName, idOrName)
	if err != nil {
		return nil, err
	}
	list, err := scanDatasets(rows)
	if err != nil {
		return nil, s.db.translate(err)
	}
	if len(list) == 0 {
		return nil, fault.New(fault.NotFound, "dataset not found", "データセットが見つかりません").In("dataset")
	}
	return &list[0], nil
}

// CatalogDatasets lists datasets (all states when all, else published).
func (s *Store) CatalogDatasets(ctx context.Context, all bool) ([]platform.CatalogDataset, error) {
	rows, err := s.query(ctx, `SELECT `+datasetColumns+` FROM catalog_datasets WHERE ? OR state = ? ORDER BY modified_at DESC, id`,
		all, platform.PublishPublished)
	if err != nil {
		return nil, err
	}
	list, err := scanDatasets(rows)
	return list, s.db.translate(err)
}

// PublishedDatasetVersions returns id → version of the published datasets.
func (s *Store) PublishedDatasetVersions(ctx context.Context) (map[string]int, error) {
	rows, err := s.query(ctx, `SELECT id, version FROM catalog_datasets WHERE state = ?`, platform.PublishPublished)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	err = rowsScan(rows, func(r *sql.Rows) error {
		var id string
		var v int
		if err := r.Scan(&id, &v); err != nil {
			return err
		}
		out[id] = v
		return nil
	})
	return out, s.db.translate(err)
}

// CatalogDatasetsByID returns the datasets with these ids (any state), in
// batches of 500 ids.
func (s *Store) CatalogDatasetsByID(ctx context.Context, ids []string) ([]platform.CatalogDataset, error) {
	var out []platform.CatalogDataset
	for lo := 0; lo < len(ids); lo += 500 {
		batch := ids[lo:min(lo+500, len(ids))]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		rows, err := s.query(ctx, `SELECT `+datasetColumns+` FROM catalog_datasets WHERE id IN (`+
			strings.Repeat("?, ", len(batch)-1)+`?)`, args...)
		if err != nil {
			return nil, err
		}
		list, err := scanDatasets(rows)
		if err != nil {
			return nil, s.db.translate(err)
		}
		out = append(out, list...)
	}
	return out, nil
}

func scanDatasets(rows *sql.Rows) ([]platform.CatalogDataset, error) {
	var out []platform.CatalogDataset
	err := rowsScan(rows, func(r *sql.Rows) error {
		d, err := scanDataset(r)
		if err == nil {
			out = append(out, *d)
		}
		return err
	})
	return out, err
}

const usageColumns = `id, title, title_en, summary, organisation, url, lg_codes, dataset_ids, state, submitted_by,
	review_note, version, created_at, updated_at, published_at`

func scanUsage(r interface{ Scan(...any) error }) (*platform.UsageCase, error) {
	var u platform.UsageCase
	var lgs, ds string
	var pub sql.NullTime
	err := r.Scan(&u.ID, &u.Title, &u.TitleEN, &u.Summary, &u.Organisation, &u.URL, &lgs, &ds, &u.State,
		&u.SubmittedBy, &u.ReviewNote, &u.Version, &u.CreatedAt, &u.UpdatedAt, &pub)
	if err != nil {
		return nil, err
	}
	if err := unmarshalAll(lgs, &u.LGCodes, ds, &u.DatasetIDs); err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt, u.PublishedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC(), ptrT(pub)
	return &u, nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// CreateUsageCase stores u as version 1 and sets u.ID.
func (s *Store) CreateUsageCase(ctx context.Context, u *platform.UsageCase) error {
	u.CreatedAt, u.UpdatedAt = T(u.CreatedAt), T(u.UpdatedAt)
	id, err := s.insert(ctx, `INSERT INTO usage_cases (title, title_en, summary, organisation, url, lg_codes,
		dataset_ids, state, submitted_by, review_note, version, created_at, updated_at, published_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`, u.Title, u.TitleEN, u.Summary, u.Organisation, u.URL,
		mustJSON(orEmpty(u.LGCodes)), mustJSON(orEmpty(u.DatasetIDs)), u.State, u.SubmittedBy, u.ReviewNote,
		u.CreatedAt, u.UpdatedAt, nullT(u.PublishedAt))
	if err != nil {
		return err
	}
	u.ID, u.Version = id, 1
	return nil
}

// UsageCase returns one usage case in any state.
func (s *Store) UsageCase(ctx context.Context, id platform.ID) (*platform.UsageCase, error) {
	list, err := s.usageCases(ctx, `WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fault.New(fault.NotFound, "usage case not found", "活用事例が見つかりません").In("usage_case")
	}
	return &list[0], nil
}

// UsageCases lists usage cases in state ("" for all), newest first.
func (s *Store) UsageCases(ctx context.Context, state platform.PublishState) ([]platform.UsageCase, error) {
	return s.usageCases(ctx, `WHERE ? = '' OR state = ?`, state, state)
}

func (s *Store) usageCases(ctx context.Context, where string, args ...any) ([]platform.UsageCase, error) {
	rows, err := s.query(ctx, `SELECT `+usageColumns+` FROM usage_cases `+where+` ORDER BY updated_at DESC, id DESC`, args...)
	if err != nil {
		return nil, err
	}
	var out []platform.UsageCase
	err = rowsScan(rows, func(r *sql.Rows) error {
		u, err := scanUsage(r)
		if err == nil {
			out = append(out, *u)
		}
		return err
	})
	return out, s.db.translate(err)
}

// UpdateUsageCase stores u as the next version.
func (s *Store) UpdateUsageCase(ctx context.Context, u *platform.UsageCase) error {
	u.UpdatedAt = T(u.UpdatedAt)
	res, err := s.exec(ctx, `UPDATE usage_cases SET title = ?, title_en = ?, summary = ?, organisation = ?, url = ?,
		lg_codes = ?, dataset_ids = ?, state = ?, review_note = ?, version = version + 1, updated_at = ?,
		published_at = ? WHERE id = ? AND version = ?`, u.Title, u.TitleEN, u.Summary, u.Organisation, u.URL,
		mustJSON(orEmpty(u.LGCodes)), mustJSON(orEmpty(u.DatasetIDs)), u.State, u.ReviewNote, u.UpdatedAt,
		nullT(u.PublishedAt), u.ID, u.Version)
	if err := versionAffect(res, err, "usage case"); err != nil {
		return err
	}
	u.Version++
	return nil
}

// CatalogStamp returns the change counters kept by the 0201 triggers (all)
// and the 0210 triggers (per part), as "all:N,datasets:N,files:N,…", so the
// catalogue can tell which part of its index to rebuild.
func (s *Store) CatalogStamp(ctx context.Context) (string, error) {
	rows, err := s.query(ctx, `SELECT 'all', n FROM catalog_stamp WHERE id = 1
		UNION ALL SELECT part, n FROM catalog_parts ORDER BY 1`)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	err = rowsScan(rows, func(r *sql.Rows) error {
		var part string
		var n int64
		if err := r.Scan(&part, &n); err != nil {
			return err
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(part + ":" + strconv.FormatInt(n, 10))
		return nil
	})
	return b.String(), s.db.translate(err)
}

// provisionStates are the case states in which a dataset has been provided.
var provisionStates = []platform.State{"PROVIDED", "IN_USE", "CHANGE_PROPOSED", "EXPIRED", "DELETION_CONFIRMED", "ARCHIVED"}

// CatalogCounts returns the procedure figures per local government: calls
// published, proposals received (cases past DRAFT, counted once per
// proposal and local government) and provisions (cases that reached PROVIDED).
func (s *Store) CatalogCounts(ctx context.Context) (map[string]platform.LGCounts, error) {
	out := map[string]platform.LGCounts{}
	add := func(q string, args []any, f func(*platform.LGCounts, int)) error {
		rows, err := s.query(ctx, q, args...)
		if err != nil {
			return err
		}
		return s.db.translate(rowsScan(rows, func(r *sql.Rows) error {
			var code string
			var n int
			if err := r.Scan(&code, &n); err != nil {
				return err
			}
			c := out[code]
			f(&c, n)
			out[code] = c
			return nil
		}))
	}
	if err := add(`SELECT b.lg_code, COUNT(*) FROM calls c JOIN bodies b ON b.id = c.body_id WHERE c.published GROUP BY b.lg_code`,
		nil, func(c *platform.LGCounts, n int) { c.Calls = n }); err != nil {
		return nil, err
	}
	if err := add(`SELECT b.lg_code, COUNT(DISTINCT c.proposal_id) FROM cases c JOIN bodies b ON b.id = c.body_id
		WHERE c.state <> 'DRAFT' GROUP BY b.lg_code`, nil, func(c *platform.LGCounts, n int) { c.Proposals = n }); err != nil {
		return nil, err
	}
	in := strings.Repeat("?, ", len(provisionStates)-1) + "?"
	args := make([]any, len(provisionStates))
	for i, st := range provisionStates {
		args[i] = string(st)
	}
	err := add(`SELECT b.lg_code, COUNT(*) FROM cases c JOIN bodies b ON b.id = c.body_id WHERE c.state IN (`+in+`)
		GROUP BY b.lg_code`, args, func(c *platform.LGCounts, n int) { c.Provisions = n })
	return out, err
}

// PutStatisticsFile stores an uploaded file of a statistics release.
func (s *Store) PutStatisticsFile(ctx context.Context, f *platform.StatisticsFile) error {
	f.CreatedAt = T(f.CreatedAt)
	_, err := s.exec(ctx, `INSERT INTO statistics_files (id, dataset_id, name, media_type, content, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, f.ID, f.DatasetID, f.Name, f.MediaType, f.Content, f.CreatedAt)
	return err
}

// StatisticsFile returns an uploaded file by id.
func (s *Store) StatisticsFile(ctx context.Context, id string) (*platform.StatisticsFile, error) {
	var f platform.StatisticsFile
	err := s.queryRow(ctx, "statistics file", `SELECT id, dataset_id, name, media_type, content, created_at
		FROM statistics_files WHERE id = ?`, []any{id}, &f.ID, &f.DatasetID, &f.Name, &f.MediaType, &f.Content, &f.CreatedAt)
	if err != nil {
		return nil, err
	}
	f.CreatedAt = f.CreatedAt.UTC()
	return &f, nil
}
