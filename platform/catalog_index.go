package platform

import (
	"cmp"
	"crypto/sha1"
	"fmt"
	"slices"
	"strings"
	"time"
)

// CatalogFile is the public view of one published register entry with its
// body and local government: a row of the common window's catalogue.
type CatalogFile struct {
	RegisterEntry
	BodyName string
	BodyKind BodyKind
	LGCode   string
	LGName   string
	PrefCode string
	Pref     string
}

// CatalogCall is the public view of a call for proposals (提案の募集).
type CatalogCall struct {
	ID        ID
	BodyID    ID
	LGCode    string
	Title     string
	Opens     time.Time
	Closes    time.Time
	FileIDs   []ID
	Office    string
	Notice    string
	NoticeURL string
}

// CatalogCommission is the public view of a joint commission (委託) record:
// contractor, title, bodies, period, terms and how the shared cost is split;
// never case ids.
type CatalogCommission struct {
	ID         ID
	Contractor string
	Title      string
	BodyIDs    []ID
	Terms      string
	From, To   time.Time
	SharedCost int64
	SplitKey   string
	Shares     map[ID]int64
}

// Org is a publisher in the catalogue: an executive body (CKAN organization).
type Org struct {
	Body
	Slug     string // CKAN name, e.g. 011002-mayor
	UUID     string // CKAN id
	LGName   string
	PrefCode string
	Datasets int
}

// NationalRow is one local government in the national view.
type NationalRow struct {
	LocalGovernment
	Bodies        int
	Files         int // published register entries
	EligibleFiles int // of which proposals are invited (提案募集対象)
	Datasets      int // published catalogue datasets
	LGCounts
}

// PrefSummary aggregates the national view for one prefecture (tile grid).
type PrefSummary struct {
	PrefCode, Pref   string
	LGs              int // the prefecture and its municipalities (wards excluded)
	Mandatory        int
	Adopted          int
	OrdinanceEnacted int
	OpenData         int
	EligibleFiles    int
	Calls            int
	Proposals        int
	Provisions       int
}

// catalogData is what the index is built from.
type catalogData struct {
	LGs         []LocalGovernment
	Bodies      []Body
	Entries     []RegisterEntry
	Datasets    []CatalogDataset
	UsageCases  []UsageCase
	Calls       []CatalogCall
	Commissions []Commission
	Counts      map[string]LGCounts
}

// CatalogIndex is an immutable snapshot of everything public, indexed for
// search. It is built from the store and replaced whole when the store's
// catalogue stamp changes; readers never lock. The large parts (files,
// datasets) are shared with the previous snapshot when their part of the
// stamp has not changed.
type CatalogIndex struct {
	Stamp string
	Built time.Time

	*filePart
	*datasetPart
	orgs        []Org         // filePart.orgs0 with per-snapshot dataset counts
	usageCases  []UsageCase   // published, newest first
	calls       []CatalogCall // by Closes
	commissions []CatalogCommission
	national    []NationalRow
	prefs       []PrefSummary
	cache       *resultCache
	memo        *memo
}

// filePart is the local governments, bodies and published files of a
// snapshot, with their search structures (the bulk of the index).
type filePart struct {
	lgs    []LocalGovernment
	lgIdx  map[string]int
	orgs0  []Org
	orgIdx map[ID]int
	orgKey map[string]int // slug or UUID → orgs index

	files     []CatalogFile // by LG code, body, entry id
	fileText  *textIndex
	fileItems map[string][]int32 // normalised item name → files
	fileByID  map[ID]int32
	topItems  []string
}

// datasetPart is the published datasets of a snapshot with their search
// structures; it depends on the file part (publisher names).
type datasetPart struct {
	datasets []CatalogDataset // published, by ModifiedAt desc, ID
	dsText   *textIndex
	dsTitle  []string // normalised titles, for scoring
	dsKey    map[string]int32
	orders   map[string][]int32 // precomputed sort orders
	facetAll map[string][]FacetItem
}

// StableUUID derives a UUID (version 5 layout) from parts, so that ids of
// derived records (organisations, resources) never change.
func StableUUID(parts ...string) string {
	h := sha1.Sum([]byte("tokumei\x00" + strings.Join(parts, "\x00")))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

func buildCatalogIndex(d *catalogData, stamp string, now time.Time) *CatalogIndex {
	fp := buildFilePart(d.LGs, d.Bodies, d.Entries)
	return assembleIndex(d, stamp, now, fp, buildDatasetPart(fp, d.Datasets))
}

// buildFilePart indexes local governments, bodies and published files.
func buildFilePart(lgs []LocalGovernment, bodies []Body, entries []RegisterEntry) *filePart {
	fp := &filePart{lgs: slices.Clone(lgs)}
	slices.SortFunc(fp.lgs, func(a, b LocalGovernment) int { return cmp.Compare(a.Code, b.Code) })
	fp.lgIdx = make(map[string]int, len(fp.lgs))
	for i, lg := range fp.lgs {
		fp.lgIdx[lg.Code] = i
	}
	fp.buildOrgs(bodies)
	fp.buildFiles(entries)
	return fp
}

// assembleIndex puts a snapshot together from its parts and the small
// records (usage cases, calls, commissions, counts).
func assembleIndex(d *catalogData, stamp string, now time.Time, fp *filePart, dp *datasetPart) *CatalogIndex {
	ix := &CatalogIndex{Stamp: stamp, Built: now, filePart: fp, datasetPart: dp, cache: newResultCache(2048), memo: newMemo()}
	ix.orgs = slices.Clone(fp.orgs0)
	for i := range dp.datasets {
		if oi, ok := fp.orgIdx[dp.datasets[i].BodyID]; ok {
			ix.orgs[oi].Datasets++
		}
	}
	for _, u := range d.UsageCases {
		if u.State == PublishPublished {
			ix.usageCases = append(ix.usageCases, u)
		}
	}
	slices.SortFunc(ix.usageCases, func(a, b UsageCase) int {
		return cmp.Or(pubTime(b.PublishedAt).Compare(pubTime(a.PublishedAt)), cmp.Compare(a.ID, b.ID))
	})
	ix.calls = slices.Clone(d.Calls)
	slices.SortFunc(ix.calls, func(a, b CatalogCall) int {
		return cmp.Or(a.Closes.Compare(b.Closes), cmp.Compare(a.ID, b.ID))
	})
	for i := range ix.calls {
		if o, ok := ix.OrgOf(ix.calls[i].BodyID); ok {
			ix.calls[i].LGCode = o.LGCode
		}
	}
	for _, c := range d.Commissions {
		ix.commissions = append(ix.commissions, CatalogCommission{ID: c.ID, Contractor: c.Contractor, Title: c.Title,
			BodyIDs: c.BodyIDs, Terms: c.Terms, From: c.From, To: c.To, SharedCost: c.SharedCost, SplitKey: c.SplitKey, Shares: c.Shares})
	}
	ix.buildNational(d.Counts)
	return ix
}

func pubTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func (ix *filePart) buildOrgs(bodies []Body) {
	bs := slices.Clone(bodies)
	slices.SortFunc(bs, func(a, b Body) int { return cmp.Compare(a.ID, b.ID) })
	ix.orgIdx = make(map[ID]int, len(bs))
	ix.orgKey = make(map[string]int, 2*len(bs))
	for _, b := range bs {
		o := Org{Body: b, UUID: StableUUID("body", fmt.Sprint(b.ID))}
		o.Slug = b.LGCode + "-" + strings.ReplaceAll(string(b.Kind), "_", "-")
		if b.Kind == BodyOther || b.Kind == BodyAgency {
			o.Slug += fmt.Sprintf("-%d", b.ID)
		}
		if _, dup := ix.orgKey[o.Slug]; dup {
			o.Slug += fmt.Sprintf("-%d", b.ID)
		}
		if i, ok := ix.lgIdx[b.LGCode]; ok {
			o.LGName, o.PrefCode = ix.lgs[i].Name, ix.lgs[i].PrefCode
		}
		ix.orgIdx[b.ID] = len(ix.orgs0)
		ix.orgKey[o.Slug] = len(ix.orgs0)
		ix.orgKey[o.UUID] = len(ix.orgs0)
		ix.orgs0 = append(ix.orgs0, o)
	}
}

func (ix *filePart) buildFiles(entries []RegisterEntry) {
	for _, e := range entries {
		oi, ok := ix.orgIdx[e.BodyID]
		if !e.Published || !ok {
			continue
		}
		o := ix.orgs0[oi]
		f := CatalogFile{RegisterEntry: e, BodyName: o.Name, BodyKind: o.Kind, LGCode: o.LGCode}
		if li, ok := ix.lgIdx[o.LGCode]; ok {
			f.LGName, f.PrefCode, f.Pref = ix.lgs[li].Name, ix.lgs[li].PrefCode, ix.lgs[li].Pref
		}
		ix.files = append(ix.files, f)
	}
	slices.SortFunc(ix.files, func(a, b CatalogFile) int {
		return cmp.Or(cmp.Compare(a.LGCode, b.LGCode), cmp.Compare(a.BodyID, b.BodyID), cmp.Compare(a.ID, b.ID))
	})
	texts := make([]string, len(ix.files))
	ix.fileItems = map[string][]int32{}
	ix.fileByID = make(map[ID]int32, len(ix.files))
	freq := map[string]int{}
	for i := range ix.files {
		f := &ix.files[i]
		ix.fileByID[f.ID] = int32(i)
		var b strings.Builder
		for _, s := range []string{f.FileName, f.Purpose, f.SubjectScope, f.Unit, f.BodyName, f.LGName, f.Pref, f.AnonSummary} {
			b.WriteString(s)
			b.WriteByte(' ')
		}
		seen := map[string]bool{}
		for _, it := range f.Items {
			b.WriteString(it.Name)
			b.WriteByte(' ')
			k := normalizeText(it.Name)
			if !seen[k] {
				seen[k] = true
				ix.fileItems[k] = append(ix.fileItems[k], int32(i))
				freq[it.Name]++
			}
		}
		texts[i] = normalizeText(b.String())
	}
	ix.fileText = newTextIndex(texts)
	for name := range freq {
		ix.topItems = append(ix.topItems, name)
	}
	slices.SortFunc(ix.topItems, func(a, b string) int { return cmp.Or(freq[b]-freq[a], cmp.Compare(a, b)) })
	ix.topItems = ix.topItems[:min(len(ix.topItems), 200)]
}

// buildDatasetPart indexes the published datasets for search.
func buildDatasetPart(fp *filePart, all []CatalogDataset) *datasetPart {
	ix := &datasetPart{}
	for _, d := range all {
		if d.State == PublishPublished {
			ix.datasets = append(ix.datasets, d)
		}
	}
	slices.SortFunc(ix.datasets, func(a, b CatalogDataset) int {
		return cmp.Or(b.ModifiedAt.Compare(a.ModifiedAt), cmp.Compare(a.ID, b.ID))
	})
	texts := make([]string, len(ix.datasets))
	ix.dsTitle = make([]string, len(ix.datasets))
	ix.dsKey = make(map[string]int32, 2*len(ix.datasets))
	for i := range ix.datasets {
		d := &ix.datasets[i]
		ix.dsKey[d.ID], ix.dsKey[d.Name] = int32(i), int32(i)
		parts := []string{d.Title, d.TitleEN, d.Notes, d.Name, d.MethodsSummary, strings.Join(d.Tags, " ")}
		for _, it := range d.Items {
			parts = append(parts, it.Name)
		}
		if oi, ok := fp.orgIdx[d.BodyID]; ok {
			parts = append(parts, fp.orgs0[oi].Name, fp.orgs0[oi].LGName)
		}
		texts[i] = normalizeText(strings.Join(parts, " "))
		ix.dsTitle[i] = normalizeText(d.Title + " " + d.TitleEN)
	}
	ix.dsText = newTextIndex(texts)
	ix.orders = map[string][]int32{}
	order := func(key string, less func(a, b *CatalogDataset) int) {
		o := make([]int32, len(ix.datasets))
		for i := range o {
			o[i] = int32(i)
		}
		slices.SortStableFunc(o, func(a, b int32) int {
			return cmp.Or(less(&ix.datasets[a], &ix.datasets[b]), cmp.Compare(ix.datasets[a].ID, ix.datasets[b].ID))
		})
		ix.orders[key] = o
	}
	order("metadata_modified desc", func(a, b *CatalogDataset) int { return b.ModifiedAt.Compare(a.ModifiedAt) })
	order("metadata_modified asc", func(a, b *CatalogDataset) int { return a.ModifiedAt.Compare(b.ModifiedAt) })
	order("metadata_created desc", func(a, b *CatalogDataset) int { return b.CreatedAt.Compare(a.CreatedAt) })
	order("metadata_created asc", func(a, b *CatalogDataset) int { return a.CreatedAt.Compare(b.CreatedAt) })
	order("name asc", func(a, b *CatalogDataset) int { return cmp.Compare(a.Name, b.Name) })
	order("name desc", func(a, b *CatalogDataset) int { return cmp.Compare(b.Name, a.Name) })
	order("title_string asc", func(a, b *CatalogDataset) int { return cmp.Compare(a.Title, b.Title) })
	order("title_string desc", func(a, b *CatalogDataset) int { return cmp.Compare(b.Title, a.Title) })
	ix.facetAll = ix.precomputeFacets(fp)
	return ix
}

func (ix *CatalogIndex) buildNational(counts map[string]LGCounts) {
	rows := make([]NationalRow, len(ix.lgs))
	for i, lg := range ix.lgs {
		rows[i] = NationalRow{LocalGovernment: lg, LGCounts: counts[lg.Code]}
	}
	for _, o := range ix.orgs {
		if i, ok := ix.lgIdx[o.LGCode]; ok {
			rows[i].Bodies++
			rows[i].Datasets += o.Datasets
		}
	}
	for _, c := range ix.calls {
		if i, ok := ix.lgIdx[c.LGCode]; ok && !ix.Built.Before(c.Opens) && ix.Built.Before(c.Closes) {
			rows[i].OpenCalls++
		}
	}
	for _, f := range ix.files {
		if i, ok := ix.lgIdx[f.LGCode]; ok {
			rows[i].Files++
			if f.ProposalInvited {
				rows[i].EligibleFiles++
			}
		}
	}
	prefs := map[string]*PrefSummary{}
	for _, r := range rows {
		if r.Kind == "ward" { // a designated-city ward is not a local government
			continue
		}
		ix.national = append(ix.national, r)
		p := prefs[r.PrefCode]
		if p == nil {
			p = &PrefSummary{PrefCode: r.PrefCode, Pref: r.Pref}
			prefs[r.PrefCode] = p
		}
		p.LGs++
		p.Mandatory += b2i(r.SchemeMandatory)
		p.Adopted += b2i(r.SchemeMandatory || r.SchemeAdopted)
		p.OrdinanceEnacted += b2i(r.OrdinanceStatus == "enacted")
		p.OpenData += b2i(r.OpenDataStatus == "published")
		p.EligibleFiles += r.EligibleFiles
		p.Calls += r.Calls
		p.Proposals += r.Proposals
		p.Provisions += r.Provisions
	}
	for _, p := range prefs {
		ix.prefs = append(ix.prefs, *p)
	}
	slices.SortFunc(ix.prefs, func(a, b PrefSummary) int { return cmp.Compare(a.PrefCode, b.PrefCode) })
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
