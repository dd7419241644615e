package ckan

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/platform"
)

// searchFields are the fields accepted in fq and in field:value terms of q.
var searchFields = []string{"id", "name", "title", "organization", "owner_org", "tags", "res_format",
	"license_id", "groups", "kind", "lg_code", "pref_code", "type", "state", "metadata_modified", "metadata_created"}

// facetFields are the fields that may be faceted.
var facetFields = []string{"organization", "tags", "res_format", "license_id", "groups", "kind", "lg_code", "pref_code"}

func intParam(r *request, name string, def, lo, hi int) (int, *ckanError) {
	s := r.get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo {
		return 0, validation(name, "Invalid integer")
	}
	return min(n, hi), nil
}

func (a *API) packageSearch(r *request) (any, *ckanError) {
	rows, cerr := intParam(r, "rows", 10, 0, 1000)
	if cerr != nil {
		return nil, cerr
	}
	start, cerr := intParam(r, "start", 0, 0, 1<<30)
	if cerr != nil {
		return nil, cerr
	}
	q := platform.DatasetQuery{Rows: rows, Start: start, FacetLimit: 50, FacetMinCount: 1}
	text, filters, err := parseQuery(r.get("q"), false)
	if err != "" {
		return nil, validation("q", err)
	}
	q.Q, q.Filters = text, filters
	for _, fq := range append([]string{r.get("fq")}, r.params["fq_list"]...) {
		_, f, err := parseQuery(fq, true)
		if err != "" {
			return nil, validation("fq", err)
		}
		q.Filters = append(q.Filters, f...)
	}
	if q.Sort, err = parseSort(r.get("sort"), q.Q != ""); err != "" {
		return nil, validation("sort", err)
	}
	if cerr := facetParams(r, &q); cerr != nil {
		return nil, cerr
	}
	res := r.ix.Datasets(q)
	facets, search := map[string]map[string]int{}, map[string]any{}
	for _, f := range q.Facets {
		counts, items := map[string]int{}, []map[string]any{}
		for _, it := range res.Facets[f] {
			counts[it.Name] = it.Count
			items = append(items, map[string]any{"name": it.Name, "display_name": facetDisplay(r.ix, f, it.Name), "count": it.Count})
		}
		facets[f], search[f] = counts, map[string]any{"title": f, "items": items}
	}
	head, err2 := json.Marshal(map[string]any{"count": res.Count, "sort": q.Sort, "facets": facets, "search_facets": search})
	if err2 != nil {
		return nil, badRequest("cannot encode the result")
	}
	// Splice the cached dataset dicts in as "results" without re-encoding them.
	out := append(encoded(nil), head[:len(head)-1]...)
	out = append(out, `,"results":[`...)
	for i, d := range res.Datasets {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, a.pkgJSON(r, d)...)
	}
	out = append(out, "]}"...)
	return out, nil
}

func facetDisplay(ix *platform.CatalogIndex, field, v string) string {
	switch field {
	case "organization":
		if o, ok := ix.Org(v); ok {
			return o.Name
		}
	case "groups":
		if lg, ok := ix.LG(strings.TrimPrefix(v, "pref-") + "0000"); ok {
			return lg.Pref
		}
		for _, p := range ix.Prefectures() {
			if "pref-"+p.PrefCode == v {
				return p.Name
			}
		}
	case "license_id":
		if l, ok := platform.LicenseByID(v); ok {
			return l.TitleJA
		}
	}
	return v
}

func facetParams(r *request, q *platform.DatasetQuery) *ckanError {
	if r.get("facet") == "false" {
		return nil
	}
	if ff := r.get("facet.field"); ff != "" {
		var fields []string
		if err := json.Unmarshal([]byte(ff), &fields); err != nil {
			return validation("facet.field", "facet.field must be a JSON list of field names")
		}
		for _, f := range fields {
			if !slices.Contains(facetFields, f) {
				return validation("facet.field", "cannot facet on field: "+f)
			}
		}
		q.Facets = fields
	}
	var cerr *ckanError
	if s := r.get("facet.limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return validation("facet.limit", "Invalid integer")
		}
		q.FacetLimit = n
	}
	if q.FacetMinCount, cerr = intParam(r, "facet.mincount", 1, 0, 1<<30); cerr != nil {
		return cerr
	}
	return nil
}

func parseSort(s string, hasText bool) (string, string) {
	s = strings.Join(strings.Fields(strings.ToLower(s)), " ")
	switch s {
	case "", "score desc, metadata_modified desc", "score desc,metadata_modified desc", "relevance asc, metadata_modified desc":
		if hasText {
			return "score desc, metadata_modified desc", ""
		}
		return "metadata_modified desc", ""
	case "title_string", "name", "metadata_modified", "metadata_created":
		s += " asc"
	case "views_recent desc", "score desc":
		return parseSort("", hasText)
	}
	if s == "title asc" || s == "title desc" {
		s = strings.Replace(s, "title", "title_string", 1)
	}
	if !slices.Contains(platform.DatasetSorts(), s) {
		return "", "unsupported sort; use one of: " + strings.Join(platform.DatasetSorts(), " | ")
	}
	return s, ""
}

// parseQuery splits a Solr-style query into free text and field filters:
// field:value, field:"quoted value", field:(a OR b), field:[from TO to],
// with + or - prefixes; AND/OR/&& between clauses are ignored; *:* matches
// all. Unknown fields are an error in fq, as they are in Solr; in q they
// are read as free text (Japanese text often holds a colon).
func parseQuery(s string, strict bool) (string, []platform.DatasetFilter, string) {
	var text []string
	var filters []platform.DatasetFilter
	for _, tok := range tokenize(s) {
		if tok == "*:*" || tok == "AND" || tok == "OR" || tok == "&&" || tok == "*" {
			continue
		}
		neg := false
		body := tok
		if strings.HasPrefix(body, "-") || strings.HasPrefix(body, "+") || strings.HasPrefix(body, "!") {
			neg, body = body[0] != '+', body[1:]
		}
		field, val, ok := strings.Cut(body, ":")
		if !ok || strings.HasPrefix(field, "\"") || strings.Contains(field, " ") {
			text = append(text, tok)
			continue
		}
		field = strings.TrimPrefix(field, "extras_")
		if field == "text" || field == "q" {
			text = append(text, unquote(val))
			continue
		}
		if !slices.Contains(searchFields, field) {
			if !strict {
				text = append(text, tok)
				continue
			}
			return "", nil, "Search Query is invalid: undefined field " + field
		}
		f := platform.DatasetFilter{Field: field, Negate: neg}
		if strings.HasPrefix(val, "[") || strings.HasPrefix(val, "{") {
			from, to, err := parseRange(val)
			if err != "" {
				return "", nil, err
			}
			f.From, f.To = from, to
		} else if strings.HasPrefix(val, "(") {
			for _, v := range strings.Split(strings.Trim(val, "()"), " OR ") {
				f.Values = append(f.Values, unquote(strings.TrimSpace(v)))
			}
		} else {
			f.Values = []string{unquote(val)}
		}
		if (f.From != nil || f.To != nil) && field != "metadata_modified" && field != "metadata_created" {
			return "", nil, "Search Query is invalid: range on non-time field " + field
		}
		filters = append(filters, f)
	}
	return strings.Join(text, " "), filters, ""
}

// tokenize splits on spaces outside quotes, parentheses and brackets.
func tokenize(s string) []string {
	var out []string
	var cur strings.Builder
	depth, quote := 0, false
	for _, c := range s {
		switch {
		case c == '"':
			quote = !quote
		case !quote && (c == '(' || c == '[' || c == '{'):
			depth++
		case !quote && (c == ')' || c == ']' || c == '}'):
			depth--
		case !quote && depth <= 0 && (c == ' ' || c == '\t' || c == '\u3000'):
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteRune(c)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return strings.ReplaceAll(s, `\`, "")
}

func parseRange(v string) (*time.Time, *time.Time, string) {
	inner := strings.TrimSpace(v[1 : len(v)-1])
	lo, hi, ok := strings.Cut(inner, " TO ")
	if !ok {
		return nil, nil, "Search Query is invalid: range must be [from TO to]"
	}
	from, err1 := parseTime(strings.TrimSpace(lo))
	to, err2 := parseTime(strings.TrimSpace(hi))
	if err1 != "" {
		return nil, nil, err1
	}
	if err2 != "" {
		return nil, nil, err2
	}
	if from != nil && v[0] == '{' {
		t := from.Add(time.Microsecond)
		from = &t
	}
	if to != nil && v[len(v)-1] == '}' {
		t := to.Add(-time.Microsecond)
		to = &t
	}
	return from, to, ""
}

// parseTime reads a Solr date: *, NOW, NOW-7DAYS (DAY, HOUR, MONTH, YEAR),
// RFC 3339, CKAN's zone-less timestamp or a date.
func parseTime(s string) (*time.Time, string) {
	if s == "*" {
		return nil, ""
	}
	if strings.HasPrefix(s, "NOW") {
		t := time.Now().UTC()
		rest := strings.TrimPrefix(s, "NOW")
		if rest != "" {
			sign := 1
			if rest[0] == '-' {
				sign = -1
			}
			rest = rest[1:]
			i := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
			if i <= 0 {
				return nil, "Search Query is invalid: bad date math " + s
			}
			n, _ := strconv.Atoi(rest[:i])
			n *= sign
			switch strings.TrimSuffix(rest[i:], "S") {
			case "DAY":
				t = t.AddDate(0, 0, n)
			case "MONTH":
				t = t.AddDate(0, n, 0)
			case "YEAR":
				t = t.AddDate(n, 0, 0)
			case "HOUR":
				t = t.Add(time.Duration(n) * time.Hour)
			default:
				return nil, "Search Query is invalid: bad date math " + s
			}
		}
		return &t, ""
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			return &t, ""
		}
	}
	return nil, "Search Query is invalid: bad date " + s
}
