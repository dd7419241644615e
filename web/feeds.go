package web

import (
	"cmp"
	"encoding/xml"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/tokumei/tokumei/platform"
)

// sitemap.xml (sitemaps.org 0.9) and an Atom feed (RFC 4287) of new calls
// and datasets, both from the public catalogue only.

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

func (s *Server) sitemap(w http.ResponseWriter, r *http.Request) error {
	ix, err := s.catalog().Index(r.Context())
	if err != nil {
		return err
	}
	base := absBase(r)
	set := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	for _, p := range []string{"/portal", "/portal/files", "/portal/calls", "/datasets", "/portal/statistics",
		"/portal/usage-cases", "/portal/commissions", "/portal/guide", "/national"} {
		set.URLs = append(set.URLs, sitemapURL{Loc: base + p})
	}
	for _, f := range forms { // the application forms of the guide
		set.URLs = append(set.URLs, sitemapURL{Loc: base + "/portal/forms/" + f.ID})
	}
	for _, o := range ix.Orgs() {
		set.URLs = append(set.URLs, sitemapURL{Loc: base + "/portal/bodies/" + strconv.FormatInt(o.ID, 10) + "/register"})
	}
	for _, d := range ix.AllDatasets() {
		if len(set.URLs) >= 50000 { // the sitemap protocol's limit per file
			break
		}
		set.URLs = append(set.URLs, sitemapURL{Loc: base + "/datasets/" + d.Name, LastMod: d.ModifiedAt.UTC().Format(time.RFC3339)})
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	return enc.Encode(set)
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title    string     `xml:"title"`
	ID       string     `xml:"id"`
	Updated  string     `xml:"updated"`
	Link     atomLink   `xml:"link"`
	Summary  atomText   `xml:"summary"`
	Category []atomCat  `xml:"category"`
	Author   atomAuthor `xml:"author"`
}

type atomCat struct {
	Term string `xml:"term,attr"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomFeed struct {
	XMLName xml.Name    `xml:"feed"`
	NS      string      `xml:"xmlns,attr"`
	Lang    string      `xml:"xml:lang,attr"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

// feedSize is the number of entries in the Atom feed.
const feedSize = 50

func (s *Server) atomFeed(w http.ResponseWriter, r *http.Request) error {
	ix, err := s.catalog().Index(r.Context())
	if err != nil {
		return err
	}
	base := absBase(r)
	type item struct {
		at time.Time
		e  atomEntry
	}
	var items []item
	for _, c := range ix.Calls() {
		body := ""
		if o, ok := ix.OrgOf(c.BodyID); ok {
			body = o.LGName + " " + o.Name
		}
		at := c.Opens
		items = append(items, item{at, atomEntry{Title: "【提案募集】" + c.Title, ID: base + "/portal/calls#call-" + strconv.FormatInt(c.ID, 10),
			Updated: at.UTC().Format(time.RFC3339), Link: atomLink{Href: base + "/portal/calls"},
			Summary:  atomText{Type: "text", Body: body + "：募集期間 " + ymd(&c.Opens) + "〜" + ymd(&c.Closes)},
			Category: []atomCat{{"call"}}, Author: atomAuthor{body}}})
	}
	for _, d := range ix.AllDatasets() {
		at := d.ModifiedAt
		if d.PublishedAt != nil {
			at = *d.PublishedAt
		}
		body := ""
		if o, ok := ix.OrgOf(d.BodyID); ok {
			body = o.LGName + " " + o.Name
		}
		items = append(items, item{at, atomEntry{Title: d.Title, ID: "urn:uuid:" + d.ID, Updated: d.ModifiedAt.UTC().Format(time.RFC3339),
			Link: atomLink{Href: base + "/datasets/" + d.Name}, Summary: atomText{Type: "text", Body: d.Notes},
			Category: []atomCat{{string(d.Kind)}}, Author: atomAuthor{body}}})
	}
	slices.SortFunc(items, func(a, b item) int { return cmp.Or(b.at.Compare(a.at), cmp.Compare(a.e.ID, b.e.ID)) })
	items = items[:min(len(items), feedSize)]
	feed := atomFeed{NS: "http://www.w3.org/2005/Atom", Lang: "ja", Title: "Tokumei 提案募集・匿名加工情報の新着",
		ID: base + "/feed.atom", Links: []atomLink{{Href: base + "/feed.atom", Rel: "self", Type: "application/atom+xml"},
			{Href: base + "/portal", Rel: "alternate", Type: "text/html"}},
		Author: atomAuthor{"Tokumei"}, Updated: platform.Clock(s.now)().UTC().Format(time.RFC3339)}
	if len(items) > 0 {
		feed.Updated = items[0].at.UTC().Format(time.RFC3339)
	}
	for _, it := range items {
		feed.Entries = append(feed.Entries, it.e)
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	return enc.Encode(feed)
}
