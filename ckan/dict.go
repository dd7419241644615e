package ckan

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/platform"
)

// Timestamp is CKAN's time format: ISO 8601, UTC, no zone suffix.
const Timestamp = "2006-01-02T15:04:05.000000"

func ts(t time.Time) string { return t.UTC().Format(Timestamp) }

// KV is a CKAN extra.
type KV struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type tagDict struct {
	ID           string  `json:"id"`
	Name         string  `json:"name"`
	DisplayName  string  `json:"display_name"`
	State        string  `json:"state"`
	VocabularyID *string `json:"vocabulary_id"`
}

type groupDict struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Title       string `json:"title"`
	DisplayName string `json:"display_name"`
	Description string `json:"description"`
	ImageURL    string `json:"image_display_url"`
}

// Resource is a CKAN resource dict.
type Resource struct {
	ID              string  `json:"id"`
	PackageID       string  `json:"package_id"`
	Name            string  `json:"name"`
	Description     string  `json:"description"`
	URL             string  `json:"url"`
	URLType         *string `json:"url_type"`
	Format          string  `json:"format"`
	Mimetype        *string `json:"mimetype"`
	MimetypeInner   *string `json:"mimetype_inner"`
	Size            *int64  `json:"size"`
	Hash            string  `json:"hash"`
	Created         string  `json:"created"`
	LastModified    string  `json:"last_modified"`
	MetadataModifed string  `json:"metadata_modified"`
	Position        int     `json:"position"`
	State           string  `json:"state"`
	ResourceType    *string `json:"resource_type"`
	CacheURL        *string `json:"cache_url"`
	DatastoreActive bool    `json:"datastore_active"`
}

// Package is a CKAN dataset dict.
type Package struct {
	ID               string      `json:"id"`
	Name             string      `json:"name"`
	Title            string      `json:"title"`
	Notes            string      `json:"notes"`
	Type             string      `json:"type"`
	State            string      `json:"state"`
	Private          bool        `json:"private"`
	OwnerOrg         string      `json:"owner_org"`
	Organization     *OrgDict    `json:"organization"`
	Author           string      `json:"author"`
	AuthorEmail      string      `json:"author_email"`
	Maintainer       string      `json:"maintainer"`
	MaintainerEmail  string      `json:"maintainer_email"`
	LicenseID        string      `json:"license_id"`
	LicenseTitle     string      `json:"license_title"`
	LicenseURL       string      `json:"license_url,omitempty"`
	IsOpen           bool        `json:"isopen"`
	URL              string      `json:"url"`
	Version          string      `json:"version"`
	MetadataCreated  string      `json:"metadata_created"`
	MetadataModified string      `json:"metadata_modified"`
	Tags             []tagDict   `json:"tags"`
	Groups           []groupDict `json:"groups"`
	Extras           []KV        `json:"extras"`
	NumResources     int         `json:"num_resources"`
	NumTags          int         `json:"num_tags"`
	Resources        []Resource  `json:"resources"`
	RelSubject       []any       `json:"relationships_as_subject"`
	RelObject        []any       `json:"relationships_as_object"`
}

// OrgDict is a CKAN organization dict.
type OrgDict struct {
	ID             string     `json:"id"`
	Name           string     `json:"name"`
	Title          string     `json:"title"`
	DisplayName    string     `json:"display_name"`
	Description    string     `json:"description"`
	ImageURL       string     `json:"image_url"`
	ImageDisplay   string     `json:"image_display_url"`
	Created        string     `json:"created"`
	State          string     `json:"state"`
	Type           string     `json:"type"`
	IsOrganization bool       `json:"is_organization"`
	ApprovalStatus string     `json:"approval_status"`
	PackageCount   *int       `json:"package_count,omitempty"`
	Extras         []KV       `json:"extras,omitempty"`
	Packages       []*Package `json:"packages,omitempty"`
}

func orgDict(o *platform.Org, withCount bool) *OrgDict {
	d := &OrgDict{ID: o.UUID, Name: o.Slug, Title: o.Name, DisplayName: o.Name,
		Description: strings.TrimSpace(o.LGName + " " + o.Unit), Created: ts(o.CreatedAt), State: "active",
		Type: "organization", IsOrganization: true, ApprovalStatus: "approved",
		Extras: []KV{{"lg_code", o.LGCode}, {"body_kind", string(o.Kind)}}}
	if withCount {
		n := o.Datasets
		d.PackageCount = &n
	}
	return d
}

func mediaType(format string) string {
	switch strings.ToUpper(format) {
	case "CSV":
		return "text/csv"
	case "JSON":
		return "application/json"
	case "XLSX":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case "PDF":
		return "application/pdf"
	case "ZIP":
		return "application/zip"
	}
	return ""
}

func absURL(base, u string) string {
	if strings.HasPrefix(u, "/") {
		return base + u
	}
	return u
}

func resourceDict(base string, d *platform.CatalogDataset, i int) Resource {
	r := d.Resources[i]
	res := Resource{ID: r.ID, PackageID: d.ID, Name: r.Name, Description: r.Description, URL: absURL(base, r.URL),
		Format: strings.ToUpper(r.Format), Created: ts(r.CreatedAt), LastModified: ts(r.ModifiedAt),
		MetadataModifed: ts(r.ModifiedAt), Position: i, State: "active"}
	mt := r.MediaType
	if mt == "" {
		mt = mediaType(r.Format)
	}
	if mt != "" {
		res.Mimetype = &mt
	}
	if r.Size > 0 {
		n := r.Size
		res.Size = &n
	}
	return res
}

func packageDict(ix *platform.CatalogIndex, base string, d *platform.CatalogDataset) *Package {
	p := &Package{ID: d.ID, Name: d.Name, Title: d.Title, Notes: d.Notes, Type: "dataset", State: "active",
		LicenseID: d.LicenseID, URL: base + "/datasets/" + d.Name, Version: strconv.Itoa(d.Version),
		MetadataCreated: ts(d.CreatedAt), MetadataModified: ts(d.ModifiedAt),
		Tags: []tagDict{}, Groups: []groupDict{}, RelSubject: []any{}, RelObject: []any{}}
	if l, ok := platform.LicenseByID(d.LicenseID); ok {
		p.LicenseTitle, p.LicenseURL, p.IsOpen = l.TitleJA, l.URL, l.Open
	}
	if o, ok := ix.OrgOf(d.BodyID); ok {
		p.OwnerOrg, p.Organization = o.UUID, orgDict(o, false)
		p.Author, p.Maintainer = o.Name, strings.TrimSpace(o.Name+" "+o.Unit)
	}
	for _, t := range d.Tags {
		p.Tags = append(p.Tags, tagDict{ID: platform.StableUUID("tag", t), Name: t, DisplayName: t, State: "active"})
	}
	if lg, ok := ix.LG(d.LGCode); ok {
		g := "pref-" + lg.PrefCode
		p.Groups = append(p.Groups, groupDict{ID: platform.StableUUID("group", g), Name: g, Title: lg.Pref, DisplayName: lg.Pref})
	}
	p.Extras = datasetExtras(d)
	for i := range d.Resources {
		p.Resources = append(p.Resources, resourceDict(base, d, i))
	}
	if p.Resources == nil {
		p.Resources = []Resource{}
	}
	p.NumResources, p.NumTags = len(p.Resources), len(p.Tags)
	return p
}

// datasetExtras carries the art. 117 particulars and codes as CKAN extras.
func datasetExtras(d *platform.CatalogDataset) []KV {
	ex := []KV{{"lg_code", d.LGCode}, {"kind", string(d.Kind)}}
	add := func(k, v string) {
		if v != "" {
			ex = append(ex, KV{k, v})
		}
	}
	add("title_en", d.TitleEN)
	if d.Subjects > 0 {
		add("subjects", strconv.FormatInt(d.Subjects, 10))
	}
	if len(d.Items) > 0 {
		b, _ := json.Marshal(d.Items)
		add("items", string(b))
	}
	add("methods_summary", d.MethodsSummary)
	add("proposal_office", d.ProposalOffice)
	if d.ProposalFrom != nil {
		add("proposal_from", d.ProposalFrom.In(platform.JST).Format(time.RFC3339))
	}
	if d.ProposalTo != nil {
		add("proposal_to", d.ProposalTo.In(platform.JST).Format(time.RFC3339))
	}
	if d.Kind == platform.DatasetAnonymized {
		add("contracts", strconv.Itoa(d.Contracts))
	}
	if d.PeriodFrom != nil {
		add("temporal_start", d.PeriodFrom.In(platform.JST).Format("2006-01-02"))
	}
	if d.PeriodTo != nil {
		add("temporal_end", d.PeriodTo.In(platform.JST).Format("2006-01-02"))
	}
	if d.PublishedAt != nil {
		add("issued", d.PublishedAt.UTC().Format(time.RFC3339))
	}
	return ex
}
