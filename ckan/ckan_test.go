package ckan_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/tokumei/tokumei/ckan"
	"github.com/tokumei/tokumei/ckan/ckantest"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

type fixture struct {
	srv  *httptest.Server
	seed *ckantest.Seeded
}

func newFixture(t *testing.T, nDatasets int) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, sqlstore.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return newFixtureOn(t, db, nDatasets)
}

// newFixtureOn serves the CKAN API over a seeded db.
func newFixtureOn(t *testing.T, db *sqlstore.DB, nDatasets int) *fixture {
	t.Helper()
	seed, err := ckantest.Seed(context.Background(), db, nDatasets)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	(&ckan.API{Catalog: &platform.Catalog{Store: db}}).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{srv: srv, seed: seed}
}

type envelope struct {
	Help    string          `json:"help"`
	Success bool            `json:"success"`
	Result  json.RawMessage `json:"result"`
	Error   map[string]any  `json:"error"`
}

func (f *fixture) call(t *testing.T, action string, params url.Values) (int, envelope, string) {
	t.Helper()
	resp, err := http.Get(f.srv.URL + "/api/3/action/" + action + "?" + params.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("%s: not JSON: %s", action, body)
	}
	return resp.StatusCode, env, string(body)
}

type searchResult struct {
	Count   int            `json:"count"`
	Results []ckan.Package `json:"results"`
	Facets  map[string]map[string]int
	Search  map[string]struct {
		Items []struct {
			Name  string
			Count int
		}
	} `json:"search_facets"`
}

func (f *fixture) search(t *testing.T, params url.Values) searchResult {
	t.Helper()
	status, env, body := f.call(t, "package_search", params)
	if status != 200 || !env.Success {
		t.Fatalf("package_search %v: %d %s", params, status, body)
	}
	var r searchResult
	if err := json.Unmarshal(env.Result, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestHarvestAsCKANClient reads the catalogue as ckanext-harvest does:
// package_search pages sorted by metadata_modified, then package_show for
// each; every published dataset must come exactly once, nothing else.
// TestHarvestAsCKANClient is the done-when test: paging through
// package_search sorted by metadata_modified, then package_show for each,
// gets every published dataset exactly once — on SQLite and (when
// TOKUMEI_TEST_POSTGRES is set) PostgreSQL.
func TestHarvestAsCKANClient(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) { testHarvest(t, newFixtureOn(t, db, 253)) })
}

func testHarvest(t *testing.T, f *fixture) {
	want := map[string]bool{}
	for _, d := range f.seed.Published {
		want[d.ID] = true
	}
	for _, sort := range []string{"metadata_modified asc", "metadata_modified desc"} {
		seen := map[string]int{}
		total := -1
		for start := 0; ; start += 37 {
			r := f.search(t, url.Values{"sort": {sort}, "rows": {"37"}, "start": {fmt.Sprint(start)}})
			if total >= 0 && r.Count != total {
				t.Fatalf("count changed while paging: %d then %d", total, r.Count)
			}
			total = r.Count
			if len(r.Results) == 0 {
				break
			}
			for i, p := range r.Results {
				if i > 0 && sort == "metadata_modified asc" && p.MetadataModified < r.Results[i-1].MetadataModified {
					t.Fatalf("not sorted ascending at %s", p.Name)
				}
				status, env, body := f.call(t, "package_show", url.Values{"id": {p.ID}})
				if status != 200 || !env.Success {
					t.Fatalf("package_show %s: %s", p.ID, body)
				}
				var full ckan.Package
				json.Unmarshal(env.Result, &full)
				if full.ID != p.ID || full.MetadataModified != p.MetadataModified || full.Organization == nil {
					t.Fatalf("package_show disagrees with search for %s", p.Name)
				}
				seen[full.ID]++
			}
		}
		if total != len(want) {
			t.Fatalf("%s: count %d, want %d", sort, total, len(want))
		}
		for id, n := range seen {
			if !want[id] || n != 1 {
				t.Fatalf("%s: dataset %s seen %d times (published=%v)", sort, id, n, want[id])
			}
		}
		if len(seen) != len(want) {
			t.Fatalf("%s: saw %d datasets, want %d", sort, len(seen), len(want))
		}
	}
}

func TestErrorsAsCKAN(t *testing.T) {
	f := newFixture(t, 5)
	cases := []struct {
		action string
		params url.Values
		status int
		typ    string
	}{
		{"package_show", url.Values{"id": {"no-such-dataset"}}, 404, "Not Found Error"},
		{"package_show", url.Values{"id": {"secret-draft"}}, 404, "Not Found Error"},
		{"package_show", nil, 409, "Validation Error"},
		{"organization_show", url.Values{"id": {"nope"}}, 404, "Not Found Error"},
		{"resource_show", url.Values{"id": {ckantest.MarkDraftDataset}}, 404, "Not Found Error"},
		{"package_search", url.Values{"rows": {"ten"}}, 409, "Validation Error"},
		{"package_search", url.Values{"fq": {"colour:red"}}, 409, "Validation Error"},
		{"package_search", url.Values{"sort": {"views desc"}}, 409, "Validation Error"},
		{"package_search", url.Values{"facet.field": {"not json"}}, 409, "Validation Error"},
		{"package_create", nil, 403, "Authorization Error"},
		{"no_such_action", nil, 400, "Bad Request"},
	}
	for _, c := range cases {
		status, env, body := f.call(t, c.action, c.params)
		if status != c.status || env.Success || env.Error["__type"] != c.typ || env.Result != nil {
			t.Errorf("%s %v: got %d %s; want %d %s", c.action, c.params, status, body, c.status, c.typ)
		}
		if !strings.HasSuffix(env.Help, "help_show?name="+c.action) {
			t.Errorf("%s: help %q", c.action, env.Help)
		}
	}
}

func TestSearchAndFacets(t *testing.T) {
	f := newFixture(t, 40)
	all := f.search(t, url.Values{"rows": {"0"}})
	if all.Count != 40 || len(all.Results) != 0 {
		t.Fatalf("rows=0: count %d results %d", all.Count, len(all.Results))
	}
	// 10 of 40 carry the tag 医療; the title holds it too.
	if r := f.search(t, url.Values{"q": {"医療"}}); r.Count != 10 {
		t.Errorf("q=医療: %d, want 10", r.Count)
	}
	if r := f.search(t, url.Values{"q": {"tags:医療"}}); r.Count != 10 {
		t.Errorf("q=tags:医療: %d, want 10", r.Count)
	}
	if r := f.search(t, url.Values{"q": {"ＤＡＴＡＳＥＴ　12"}}); r.Count != 1 || r.Results[0].Name != "ds-0012" {
		t.Errorf("full-width q: %d", r.Count)
	}
	if r := f.search(t, url.Values{"fq": {"license_id:cc-by-4.0"}}); r.Count != 8 {
		t.Errorf("fq licence: %d, want 8", r.Count)
	}
	if r := f.search(t, url.Values{"fq": {"-license_id:cc-by-4.0 +res_format:CSV"}}); r.Count != 32 {
		t.Errorf("negated fq: %d, want 32", r.Count)
	}
	org := f.search(t, url.Values{"rows": {"1"}}).Results[0].Organization.Name
	byOrg := f.search(t, url.Values{"fq": {"organization:" + org}, "facet.field": {`["organization","tags","res_format","license_id"]`}})
	if byOrg.Count == 0 || byOrg.Count == 40 || byOrg.Facets["organization"][org] != byOrg.Count {
		t.Errorf("fq organization %s: count %d facets %v", org, byOrg.Count, byOrg.Facets["organization"])
	}
	if items := byOrg.Search["tags"].Items; len(items) == 0 || items[0].Count < items[len(items)-1].Count {
		t.Errorf("search_facets tags not sorted by count: %v", items)
	}
	since := f.search(t, url.Values{"fq": {"metadata_modified:[2026-04-01T10:00:00Z TO *]"}})
	if since.Count != 40-30 {
		t.Errorf("modified since: %d, want 10", since.Count)
	}
	if r := f.search(t, url.Values{"fq": {"groups:pref-13"}}); r.Count == 0 {
		t.Errorf("groups filter found nothing")
	}
	limited := f.search(t, url.Values{"facet.field": {`["tags"]`}, "facet.limit": {"2"}})
	if len(limited.Search["tags"].Items) != 2 {
		t.Errorf("facet.limit=2: %d items", len(limited.Search["tags"].Items))
	}
	var names []string
	_, env, _ := f.call(t, "package_list", url.Values{"limit": {"5"}, "offset": {"2"}})
	json.Unmarshal(env.Result, &names)
	if len(names) != 5 || names[0] != "ds-0002" {
		t.Errorf("package_list: %v", names)
	}
}

func TestOtherActions(t *testing.T) {
	f := newFixture(t, 10)
	var orgs []ckan.OrgDict
	_, env, _ := f.call(t, "organization_list", url.Values{"all_fields": {"true"}})
	json.Unmarshal(env.Result, &orgs)
	if len(orgs) != len(f.seed.Bodies) || orgs[0].Type != "organization" || orgs[0].PackageCount == nil {
		t.Fatalf("organization_list: %+v", orgs)
	}
	sum := 0
	for _, o := range orgs {
		sum += *o.PackageCount
	}
	if sum != 10 {
		t.Errorf("package counts sum to %d, want 10", sum)
	}
	status, env, _ := f.call(t, "organization_show", url.Values{"id": {orgs[0].Name}, "include_datasets": {"true"}})
	var org ckan.OrgDict
	json.Unmarshal(env.Result, &org)
	if status != 200 || len(org.Packages) != *orgs[0].PackageCount {
		t.Errorf("organization_show: %d packages, want %d", len(org.Packages), *orgs[0].PackageCount)
	}
	var groups []string
	_, env, _ = f.call(t, "group_list", nil)
	json.Unmarshal(env.Result, &groups)
	if len(groups) != 47 || groups[12] != "pref-13" {
		t.Errorf("group_list: %d %v", len(groups), groups[:3])
	}
	var tags []string
	_, env, _ = f.call(t, "tag_list", nil)
	json.Unmarshal(env.Result, &tags)
	if len(tags) != 7 {
		t.Errorf("tag_list: %v", tags)
	}
	res := f.seed.Published[4].Resources[0]
	status, env, body := f.call(t, "resource_show", url.Values{"id": {res.ID}})
	if status != 200 || !strings.Contains(body, `"format":"CSV"`) || !strings.Contains(body, f.srv.URL+res.URL) {
		t.Errorf("resource_show: %s", body)
	}
	for _, a := range []string{"license_list", "status_show"} {
		if status, env, body := f.call(t, a, nil); status != 200 || !env.Success {
			t.Errorf("%s: %s", a, body)
		}
	}
	// POST with a JSON body, as ckanapi does.
	resp, err := http.Post(f.srv.URL+"/api/3/action/package_search", "application/json",
		strings.NewReader(`{"q": "医療", "rows": 2, "facet.field": ["tags"]}`))
	if err != nil {
		t.Fatal(err)
	}
	var penv envelope
	json.NewDecoder(resp.Body).Decode(&penv)
	resp.Body.Close()
	var pr searchResult
	json.Unmarshal(penv.Result, &pr)
	if !penv.Success || len(pr.Results) != 2 || pr.Facets["tags"]["医療"] == 0 {
		t.Errorf("POST package_search: %+v", pr)
	}
}

func TestDCAT(t *testing.T) {
	f := newFixture(t, 130)
	seen := map[string]bool{}
	next := f.srv.URL + "/catalog.jsonld"
	for pages := 0; next != ""; pages++ {
		if pages > 5 {
			t.Fatal("catalog paging does not end")
		}
		resp, err := http.Get(next)
		if err != nil {
			t.Fatal(err)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/ld+json") {
			t.Fatalf("content type %q", ct)
		}
		var doc struct {
			Graph []map[string]any `json:"@graph"`
		}
		json.NewDecoder(resp.Body).Decode(&doc)
		resp.Body.Close()
		for _, d := range doc.Graph[0]["dcat:dataset"].([]any) {
			ds := d.(map[string]any)
			if ds["@type"] != "dcat:Dataset" || ds["dct:description"] == nil || ds["dct:publisher"] == nil {
				t.Fatalf("dataset node lacks DCAT-AP mandatory fields: %v", ds)
			}
			seen[ds["dct:identifier"].(string)] = true
		}
		next, _ = doc.Graph[1]["hydra:next"].(string)
	}
	if len(seen) != 130 {
		t.Fatalf("catalog pages gave %d datasets, want 130", len(seen))
	}
	resp, _ := http.Get(f.srv.URL + "/dataset/ds-0004.jsonld")
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"dcat:distribution"`) || !strings.Contains(string(body), "creativecommons.org/licenses/by/4.0") {
		t.Fatalf("dataset JSON-LD: %d %s", resp.StatusCode, body)
	}
	resp, _ = http.Get(f.srv.URL + "/dataset/secret-draft.jsonld")
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("draft dataset JSON-LD: %d, want 404", resp.StatusCode)
	}
}

// TestNothingProtectedLeaks calls every action and DCAT endpoint with
// parameters that would reveal unpublished records, and scans each body for
// the seeded secret markers.
func TestNothingProtectedLeaks(t *testing.T) {
	f := newFixture(t, 12)
	paths := []string{
		"/api/3/action/package_list", "/api/3/action/current_package_list_with_resources?limit=1000",
		"/api/3/action/package_search?rows=1000&include_private=true&include_drafts=true&facet.field=%5B%22tags%22,%22organization%22%5D",
		"/api/3/action/package_search?q=SECRET", "/api/3/action/package_search?fq=state:draft",
		"/api/3/action/package_show?id=secret-draft", "/api/3/action/package_show?id=secret-withdrawn",
		"/api/3/action/organization_list?all_fields=true", "/api/3/action/tag_list?all_fields=true",
		"/api/3/action/group_list?all_fields=true", "/api/3/action/license_list", "/api/3/action/status_show",
		"/api/3/action/resource_show?id=" + ckantest.MarkDraftDataset, "/catalog.jsonld", "/catalog.jsonld?q=SECRET",
		"/dataset/secret-draft.jsonld",
	}
	for _, o := range f.seed.Bodies {
		paths = append(paths, fmt.Sprintf("/api/3/action/organization_show?include_datasets=true&id=%s", orgSlug(t, f, o)))
	}
	for _, p := range paths {
		resp, err := http.Get(f.srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, m := range ckantest.Markers() {
			if strings.Contains(string(body), m) {
				t.Errorf("%s leaks %s", p, m)
			}
		}
	}
}

func orgSlug(t *testing.T, f *fixture, b platform.Body) string {
	var orgs []ckan.OrgDict
	_, env, _ := f.call(t, "organization_list", url.Values{"all_fields": {"true"}})
	json.Unmarshal(env.Result, &orgs)
	for _, o := range orgs {
		for _, e := range o.Extras {
			if e.Key == "lg_code" && e.Value == b.LGCode && strings.Contains(o.Title, b.Name) {
				return o.Name
			}
		}
	}
	t.Fatalf("no organization for body %s", b.Name)
	return ""
}

func TestMain(m *testing.M) { os.Exit(m.Run()) }
