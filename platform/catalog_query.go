package platform

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FileQuery selects rows of the common window's catalogue.
type FileQuery struct {
	Q           string
	Pref        string // 2-digit prefecture code
	LG          string // 6-digit local-government code
	Body        ID
	Item        string // a record item name (exact, width- and case-folded)
	SpecialCare string // "yes", "no" or "" (either)
	Invited     bool   // only files for which proposals are invited
	Offset      int
	Limit       int // 0: all
}

// FileResult is a page of files and the total number of hits.
type FileResult struct {
	Total int
	Files []*CatalogFile
}

// Files answers a catalogue query.
func (ix *CatalogIndex) Files(q FileQuery) FileResult {
	lo, hi := 0, len(ix.files)
	if q.LG != "" || q.Pref != "" {
		prefix := q.Pref
		if q.LG != "" {
			prefix = q.LG
		}
		lo, _ = slices.BinarySearchFunc(ix.files, prefix, func(f CatalogFile, p string) int { return cmp.Compare(f.LGCode, p) })
		hi = lo
		for hi < len(ix.files) && strings.HasPrefix(ix.files[hi].LGCode, prefix) {
			hi++
		}
	}
	keep := func(f *CatalogFile) bool {
		return (q.Body == 0 || f.BodyID == q.Body) && (!q.Invited || f.ProposalInvited) &&
			(q.SpecialCare == "" || (q.SpecialCare == "yes") == f.SpecialCare) &&
			(q.LG == "" || f.LGCode == q.LG) && (q.Pref == "" || f.PrefCode == q.Pref)
	}
	var cand []int32
	all := true
	if terms := queryTerms(q.Q); len(terms) > 0 {
		cand, all = ix.fileText.match(terms)
	}
	if q.Item != "" {
		p := ix.fileItems[normalizeText(q.Item)]
		if all {
			cand, all = p, false
		} else {
			cand = intersect(cand, p)
		}
	}
	var res FileResult
	if all && q.Body == 0 && !q.Invited && q.SpecialCare == "" { // a plain range: no scan
		res.Total = hi - lo
		from := min(lo+q.Offset, hi)
		to := hi
		if q.Limit > 0 {
			to = min(from+q.Limit, hi)
		}
		for i := from; i < to; i++ {
			res.Files = append(res.Files, &ix.files[i])
		}
		return res
	}
	add := func(i int) {
		f := &ix.files[i]
		if !keep(f) {
			return
		}
		if res.Total >= q.Offset && (q.Limit == 0 || len(res.Files) < q.Limit) {
			res.Files = append(res.Files, f)
		}
		res.Total++
	}
	if all {
		for i := lo; i < hi; i++ {
			add(i)
		}
	} else {
		for _, i := range cand {
			if int(i) >= lo && int(i) < hi {
				add(int(i))
			}
		}
	}
	return res
}

// File returns the published file with this register-entry id.
func (ix *CatalogIndex) File(id ID) (*CatalogFile, bool) {
	i, ok := ix.fileByID[id]
	if !ok {
		return nil, false
	}
	return &ix.files[i], true
}

// TopItems lists the most frequent record-item names (for the filter).
func (ix *CatalogIndex) TopItems() []string { return ix.topItems }

// DatasetFilter restricts a dataset search to datasets whose Field has one
// of Values (or lies in [From, To] for the time fields metadata_modified and
// metadata_created); Negate inverts it.
type DatasetFilter struct {
	Field    string
	Values   []string
	From, To *time.Time
	Negate   bool
}

// DatasetQuery is a dataset search (the model of CKAN package_search).
type DatasetQuery struct {
	Q             string
	Filters       []DatasetFilter
	Sort          string // one of the precomputed orders, or "score desc, metadata_modified desc"
	Start, Rows   int
	Facets        []string
	FacetLimit    int // < 0: no limit
	FacetMinCount int
}

// FacetItem is one value of a facet and its count.
type FacetItem struct {
	Name  string
	Count int
}

// DatasetResult is a page of datasets, the total count and facets.
type DatasetResult struct {
	Count    int
	Datasets []*CatalogDataset
	Facets   map[string][]FacetItem
}

// DatasetSorts lists the accepted sort orders.
func DatasetSorts() []string {
	return []string{"score desc, metadata_modified desc", "metadata_modified desc", "metadata_modified asc",
		"metadata_created desc", "metadata_created asc", "name asc", "name desc", "title_string asc", "title_string desc"}
}

// Dataset returns the published dataset with this id or name.
func (ix *CatalogIndex) Dataset(idOrName string) (*CatalogDataset, bool) {
	i, ok := ix.dsKey[idOrName]
	if !ok {
		return nil, false
	}
	return &ix.datasets[i], true
}

// Datasets answers a dataset search. Results are cached per index.
func (ix *CatalogIndex) Datasets(q DatasetQuery) DatasetResult {
	key := q.cacheKey()
	if r, ok := ix.cache.get(key); ok {
		return r
	}
	r := ix.searchDatasets(q)
	ix.cache.put(key, r)
	return r
}

func (ix *CatalogIndex) searchDatasets(q DatasetQuery) DatasetResult {
	n := len(ix.datasets)
	hit := make([]bool, n)
	terms := queryTerms(q.Q)
	docs, all := ix.dsText.match(terms)
	if all {
		for i := range hit {
			hit[i] = true
		}
	} else {
		for _, d := range docs {
			hit[d] = true
		}
	}
	for _, f := range q.Filters {
		for i := range hit {
			if hit[i] && ix.dsMatch(&ix.datasets[i], f) == f.Negate {
				hit[i] = false
			}
		}
	}
	order, ok := ix.orders[q.Sort]
	if !ok {
		order = ix.scoreOrder(terms, hit)
	}
	var r DatasetResult
	for _, i := range order {
		if !hit[i] {
			continue
		}
		if r.Count >= q.Start && len(r.Datasets) < q.Rows {
			r.Datasets = append(r.Datasets, &ix.datasets[i])
		}
		r.Count++
	}
	if len(q.Facets) > 0 {
		r.Facets = ix.facets(q, hit)
	}
	return r
}

// scoreOrder ranks hits by how many query terms their title holds, then by
// metadata_modified desc (the base order).
func (ix *CatalogIndex) scoreOrder(terms []string, hit []bool) []int32 {
	if len(terms) == 0 {
		return ix.orders["metadata_modified desc"]
	}
	buckets := make([][]int32, len(terms)+1)
	for i := range ix.datasets {
		if !hit[i] {
			continue
		}
		s := 0
		for _, t := range terms {
			if strings.Contains(ix.dsTitle[i], t) {
				s++
			}
		}
		buckets[len(terms)-s] = append(buckets[len(terms)-s], int32(i))
	}
	return slices.Concat(buckets...)
}

func (ix *CatalogIndex) facets(q DatasetQuery, hit []bool) map[string][]FacetItem {
	out := map[string][]FacetItem{}
	all := len(q.Filters) == 0 && len(queryTerms(q.Q)) == 0
	for _, field := range q.Facets {
		items, ok := ix.facetAll[field]
		if !all || !ok {
			items = ix.countFacet(field, hit)
		}
		kept := make([]FacetItem, 0, len(items))
		for _, it := range items {
			if it.Count >= max(q.FacetMinCount, 1) {
				kept = append(kept, it)
			}
		}
		if q.FacetLimit >= 0 && len(kept) > q.FacetLimit {
			kept = kept[:q.FacetLimit]
		}
		out[field] = kept
	}
	return out
}

// countFacet counts the values of field over the hits (every dataset when
// hit is nil), most frequent first.
func (ix *CatalogIndex) countFacet(field string, hit []bool) []FacetItem {
	counts := map[string]int{}
	for i := range ix.datasets {
		if hit == nil || hit[i] {
			for _, v := range ix.DatasetField(&ix.datasets[i], field) {
				counts[v]++
			}
		}
	}
	items := make([]FacetItem, 0, len(counts))
	for v, c := range counts {
		items = append(items, FacetItem{v, c})
	}
	slices.SortFunc(items, func(a, b FacetItem) int { return cmp.Or(b.Count-a.Count, cmp.Compare(a.Name, b.Name)) })
	return items
}

// precomputeFacets counts every facet field over all published datasets
// once per dataset part (the unfiltered search is the most common one).
func (dp *datasetPart) precomputeFacets(fp *filePart) map[string][]FacetItem {
	tmp := &CatalogIndex{filePart: fp, datasetPart: dp, orgs: fp.orgs0}
	out := map[string][]FacetItem{}
	for _, f := range []string{"organization", "tags", "res_format", "license_id", "groups", "kind", "lg_code", "pref_code"} {
		out[f] = tmp.countFacet(f, nil)
	}
	return out
}

func (ix *CatalogIndex) dsMatch(d *CatalogDataset, f DatasetFilter) bool {
	if f.From != nil || f.To != nil {
		t := d.ModifiedAt
		if f.Field == "metadata_created" {
			t = d.CreatedAt
		}
		return (f.From == nil || !t.Before(*f.From)) && (f.To == nil || !t.After(*f.To))
	}
	if v, ok := ix.singleField(d, f.Field); ok { // no allocation for the common fields
		for _, w := range f.Values {
			if v == w {
				return true
			}
		}
		return false
	}
	for _, v := range ix.DatasetField(d, f.Field) {
		for _, w := range f.Values {
			if v == w || (f.Field == "tags" && normalizeText(v) == normalizeText(w)) ||
				(f.Field == "res_format" && strings.EqualFold(v, w)) {
				return true
			}
		}
	}
	return false
}

// singleField returns the value of a single-valued field without allocating.
func (ix *CatalogIndex) singleField(d *CatalogDataset, field string) (string, bool) {
	switch field {
	case "kind":
		return string(d.Kind), true
	case "lg_code":
		return d.LGCode, true
	case "license_id":
		return d.LicenseID, true
	case "id":
		return d.ID, true
	case "name":
		return d.Name, true
	case "organization":
		if i, ok := ix.orgIdx[d.BodyID]; ok {
			return ix.orgs[i].Slug, true
		}
		return "", true
	case "groups":
		if len(d.LGCode) >= 2 {
			return "pref-" + d.LGCode[:2], true
		}
		return "", true
	}
	return "", false
}

// DatasetField returns the values of a searchable field of d: id, name,
// title, organization (slug), owner_org (UUID), tags, res_format,
// license_id, groups (pref-NN), kind, lg_code, pref_code, type, state.
func (ix *CatalogIndex) DatasetField(d *CatalogDataset, field string) []string {
	switch field {
	case "id":
		return []string{d.ID}
	case "name":
		return []string{d.Name}
	case "title":
		return []string{d.Title}
	case "organization", "owner_org":
		if o, ok := ix.OrgOf(d.BodyID); ok {
			if field == "owner_org" {
				return []string{o.UUID}
			}
			return []string{o.Slug}
		}
	case "tags":
		return d.Tags
	case "res_format":
		var fs []string
		for _, r := range d.Resources {
			if r.Format != "" && !slices.Contains(fs, r.Format) {
				fs = append(fs, r.Format)
			}
		}
		return fs
	case "license_id":
		return []string{d.LicenseID}
	case "groups":
		if len(d.LGCode) >= 2 {
			return []string{"pref-" + d.LGCode[:2]}
		}
	case "kind":
		return []string{string(d.Kind)}
	case "lg_code":
		return []string{d.LGCode}
	case "pref_code":
		return []string{d.LGCode[:min(2, len(d.LGCode))]}
	case "type":
		return []string{"dataset"}
	case "state":
		return []string{"active"}
	}
	return nil
}

func (q DatasetQuery) cacheKey() string {
	var b strings.Builder
	b.WriteString(q.Q + "\x00" + q.Sort + "\x00")
	for _, f := range q.Filters {
		b.WriteString(f.Field + "=" + strings.Join(f.Values, "\x01"))
		if f.From != nil {
			b.WriteString(">" + f.From.Format(time.RFC3339Nano))
		}
		if f.To != nil {
			b.WriteString("<" + f.To.Format(time.RFC3339Nano))
		}
		if f.Negate {
			b.WriteString("!")
		}
		b.WriteByte(0)
	}
	b.WriteString(strings.Join(q.Facets, ","))
	b.WriteString("\x00" + strconv.Itoa(q.Start) + "," + strconv.Itoa(q.Rows) + "," + strconv.Itoa(q.FacetLimit) + "," + strconv.Itoa(q.FacetMinCount))
	return b.String()
}

// resultCache is a bounded map of search results for one index snapshot;
// it is dropped with the snapshot, so it can never serve stale data.
type resultCache struct {
	mu  sync.Mutex
	max int
	m   map[string]DatasetResult
}

func newResultCache(n int) *resultCache { return &resultCache{max: n, m: map[string]DatasetResult{}} }

func (c *resultCache) get(k string) (DatasetResult, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[k]
	return r, ok
}

func (c *resultCache) put(k string, r DatasetResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		clear(c.m) // simple and bounded; a full cache is rare
	}
	c.m[k] = r
}

// Orgs lists the publishers (bodies) in id order.
func (ix *CatalogIndex) Orgs() []Org { return ix.orgs }

// Org returns the publisher with this slug or UUID.
func (ix *CatalogIndex) Org(key string) (*Org, bool) {
	i, ok := ix.orgKey[key]
	if !ok {
		return nil, false
	}
	return &ix.orgs[i], true
}

// OrgOf returns the publisher of a body.
func (ix *CatalogIndex) OrgOf(body ID) (*Org, bool) {
	i, ok := ix.orgIdx[body]
	if !ok {
		return nil, false
	}
	return &ix.orgs[i], true
}

// LG returns a local government by code.
func (ix *CatalogIndex) LG(code string) (*LocalGovernment, bool) {
	i, ok := ix.lgIdx[code]
	if !ok {
		return nil, false
	}
	return &ix.lgs[i], true
}

// Prefectures lists the prefectures (kind prefecture) in code order.
func (ix *CatalogIndex) Prefectures() []LocalGovernment {
	var out []LocalGovernment
	for _, lg := range ix.lgs {
		if lg.Kind == "prefecture" {
			out = append(out, lg)
		}
	}
	return out
}

// AllDatasets returns every published dataset, newest change first.
func (ix *CatalogIndex) AllDatasets() []CatalogDataset { return ix.datasets }

// UsageCases returns the published usage cases, newest first.
func (ix *CatalogIndex) UsageCases() []UsageCase { return ix.usageCases }

// Calls returns the public calls, by closing time.
func (ix *CatalogIndex) Calls() []CatalogCall { return ix.calls }

// OpenCalls returns the calls open at t.
func (ix *CatalogIndex) OpenCalls(t time.Time) []CatalogCall {
	var out []CatalogCall
	for _, c := range ix.calls {
		if !t.Before(c.Opens) && !t.After(c.Closes) {
			out = append(out, c)
		}
	}
	return out
}

// National returns the national view: every local government (prefectures
// and municipalities; designated-city wards are not local governments).
func (ix *CatalogIndex) National() []NationalRow { return ix.national }

// PrefSummaries aggregates the national view per prefecture.
func (ix *CatalogIndex) PrefSummaries() []PrefSummary { return ix.prefs }

// Commissions returns the published commission records.
func (ix *CatalogIndex) Commissions() []CatalogCommission { return ix.commissions }
