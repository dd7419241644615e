package ckan

import (
	"cmp"
	"slices"
	"strings"

	"github.com/tokumei/tokumei/platform"
)

func (a *API) packageList(r *request) (any, *ckanError) {
	limit, cerr := intParam(r, "limit", 1<<30, 0, 1<<30)
	if cerr != nil {
		return nil, cerr
	}
	offset, cerr := intParam(r, "offset", 0, 0, 1<<30)
	if cerr != nil {
		return nil, cerr
	}
	res := r.ix.Datasets(platform.DatasetQuery{Sort: "name asc", Rows: limit, Start: offset})
	names := make([]string, len(res.Datasets))
	for i, d := range res.Datasets {
		names[i] = d.Name
	}
	return names, nil
}

func (a *API) packageShow(r *request) (any, *ckanError) {
	id := r.get("id")
	if id == "" {
		id = r.get("name_or_id")
	}
	if id == "" {
		return nil, validation("id", "Missing value")
	}
	d, ok := r.ix.Dataset(id)
	if !ok {
		return nil, notFound("Not found")
	}
	return a.pkgJSON(r, d), nil
}

func (a *API) currentPackages(r *request) (any, *ckanError) {
	limit, cerr := intParam(r, "limit", 10, 0, 1000)
	if cerr != nil {
		return nil, cerr
	}
	offset, cerr := intParam(r, "offset", 0, 0, 1<<30)
	if cerr != nil {
		return nil, cerr
	}
	res := r.ix.Datasets(platform.DatasetQuery{Sort: "metadata_modified desc", Rows: limit, Start: offset})
	out := make([]*Package, len(res.Datasets))
	for i, d := range res.Datasets {
		out[i] = packageDict(r.ix, r.base, d)
	}
	return out, nil
}

func (a *API) resourceShow(r *request) (any, *ckanError) {
	id := r.get("id")
	if id == "" {
		return nil, validation("id", "Missing value")
	}
	for _, d := range r.ix.AllDatasets() {
		for i, res := range d.Resources {
			if res.ID == id {
				return resourceDict(r.base, &d, i), nil
			}
		}
	}
	return nil, notFound("Resource was not found.")
}

func (a *API) organizationList(r *request) (any, *ckanError) {
	orgs := slices.Clone(r.ix.Orgs())
	if want := r.params["organizations"]; len(want) > 0 {
		orgs = slices.DeleteFunc(orgs, func(o platform.Org) bool { return !slices.Contains(want, o.Slug) })
	}
	switch strings.Join(strings.Fields(strings.ToLower(r.get("sort"))), " ") {
	case "", "title asc", "title":
		slices.SortStableFunc(orgs, func(x, y platform.Org) int { return cmp.Or(cmp.Compare(x.Name, y.Name), cmp.Compare(x.Slug, y.Slug)) })
	case "name asc", "name":
		slices.SortStableFunc(orgs, func(x, y platform.Org) int { return cmp.Compare(x.Slug, y.Slug) })
	case "package_count desc", "package_count":
		slices.SortStableFunc(orgs, func(x, y platform.Org) int { return cmp.Or(y.Datasets-x.Datasets, cmp.Compare(x.Slug, y.Slug)) })
	default:
		return nil, validation("sort", "unsupported sort; use title asc, name asc or package_count desc")
	}
	limit, cerr := intParam(r, "limit", 1000, 0, 1000)
	if cerr != nil {
		return nil, cerr
	}
	offset, cerr := intParam(r, "offset", 0, 0, 1<<30)
	if cerr != nil {
		return nil, cerr
	}
	orgs = orgs[min(offset, len(orgs)):]
	orgs = orgs[:min(limit, len(orgs))]
	if r.get("all_fields") == "true" || r.get("all_fields") == "True" {
		out := make([]*OrgDict, len(orgs))
		for i := range orgs {
			out[i] = orgDict(&orgs[i], true)
		}
		return out, nil
	}
	names := make([]string, len(orgs))
	for i, o := range orgs {
		names[i] = o.Slug
	}
	return names, nil
}

func (a *API) organizationShow(r *request) (any, *ckanError) {
	id := r.get("id")
	if id == "" {
		return nil, validation("id", "Missing value")
	}
	o, ok := r.ix.Org(id)
	if !ok {
		return nil, notFound("Organization not found")
	}
	d := orgDict(o, true)
	if r.get("include_datasets") == "true" || r.get("include_datasets") == "True" {
		res := r.ix.Datasets(platform.DatasetQuery{Sort: "metadata_modified desc", Rows: 1000,
			Filters: []platform.DatasetFilter{{Field: "organization", Values: []string{o.Slug}}}})
		d.Packages = []*Package{}
		for _, ds := range res.Datasets {
			d.Packages = append(d.Packages, packageDict(r.ix, r.base, ds))
		}
	}
	return d, nil
}

// Groups are the prefectures (pref-01 … pref-47), so that clients can
// browse and filter by region (fq=groups:pref-13).
func (a *API) groups(r *request) []map[string]any {
	res := r.ix.Datasets(platform.DatasetQuery{Facets: []string{"groups"}, FacetLimit: -1, Rows: 0})
	counts := map[string]int{}
	for _, it := range res.Facets["groups"] {
		counts[it.Name] = it.Count
	}
	var out []map[string]any
	for _, p := range r.ix.Prefectures() {
		name := "pref-" + p.PrefCode
		out = append(out, map[string]any{"id": platform.StableUUID("group", name), "name": name, "title": p.Name,
			"display_name": p.Name, "description": p.Name + "の地方公共団体が公開するデータセット",
			"type": "group", "is_organization": false, "state": "active", "approval_status": "approved",
			"image_display_url": "", "package_count": counts[name], "created": ""})
	}
	return out
}

func (a *API) groupList(r *request) (any, *ckanError) {
	gs := a.groups(r)
	if r.get("all_fields") == "true" || r.get("all_fields") == "True" {
		return gs, nil
	}
	names := make([]string, len(gs))
	for i, g := range gs {
		names[i] = g["name"].(string)
	}
	return names, nil
}

func (a *API) groupShow(r *request) (any, *ckanError) {
	for _, g := range a.groups(r) {
		if g["name"] == r.get("id") || g["id"] == r.get("id") {
			return g, nil
		}
	}
	return nil, notFound("Group not found")
}

func (a *API) tagList(r *request) (any, *ckanError) {
	res := r.ix.Datasets(platform.DatasetQuery{Facets: []string{"tags"}, FacetLimit: -1, Rows: 0})
	q := strings.ToLower(r.get("query"))
	var names []string
	for _, it := range res.Facets["tags"] {
		if q == "" || strings.Contains(strings.ToLower(it.Name), q) {
			names = append(names, it.Name)
		}
	}
	slices.Sort(names)
	if r.get("all_fields") == "true" || r.get("all_fields") == "True" {
		out := make([]tagDict, len(names))
		for i, n := range names {
			out[i] = tagDict{ID: platform.StableUUID("tag", n), Name: n, DisplayName: n, State: "active"}
		}
		return out, nil
	}
	if names == nil {
		names = []string{}
	}
	return names, nil
}

func (a *API) licenseList(r *request) (any, *ckanError) {
	var out []map[string]any
	for _, l := range platform.Licenses {
		conf := "not reviewed"
		if l.Open {
			conf = "approved"
		}
		out = append(out, map[string]any{"id": l.ID, "title": l.Title, "title_ja": l.TitleJA, "url": l.URL,
			"status": "active", "maintainer": "", "family": "", "domain_content": true, "domain_data": true,
			"domain_software": false, "od_conformance": conf, "osd_conformance": "not reviewed", "is_generic": false})
	}
	return out, nil
}

func (a *API) statusShow(r *request) (any, *ckanError) {
	title := a.SiteTitle
	if title == "" {
		title = "Tokumei 匿名加工情報 共同提案窓口"
	}
	return map[string]any{"site_title": title, "site_url": r.base,
		"site_description": "地方公共団体の個人情報ファイル簿・提案募集・行政機関等匿名加工情報・統計情報のカタログ",
		"ckan_version":     "2.10.4", "error_emails_to": nil, "locale_default": "ja",
		"extensions": []string{"tokumei", "dcat"}}, nil
}

var helpTexts = map[string]string{
	"package_list":      "Return a list of the names of the site's datasets. Params: limit, offset.",
	"package_show":      "Return the metadata of a dataset. Params: id (id or name).",
	"package_search":    "Search datasets. Params: q, fq, fq_list, sort, rows (≤1000), start, facet, facet.field, facet.limit, facet.mincount.",
	"organization_list": "Return the names (or dicts with all_fields=true) of the publishers (executive bodies). Params: sort, limit, offset, organizations, all_fields.",
	"organization_show": "Return a publisher. Params: id, include_datasets.",
	"group_list":        "Return the groups (prefectures, pref-NN). Params: all_fields.",
	"tag_list":          "Return the tags in use. Params: query, all_fields.",
	"license_list":      "Return the licences datasets may carry.",
	"resource_show":     "Return a resource. Params: id.",
	"status_show":       "Return the site status and CKAN API version emulated.",
}

func (a *API) helpShow(r *request) (any, *ckanError) {
	h, ok := helpTexts[r.get("name")]
	if !ok {
		return nil, notFound("Action function not found")
	}
	return h, nil
}
