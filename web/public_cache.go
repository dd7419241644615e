package web

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/tokumei/tokumei/ckan"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/web/i18n"
)

// Public answers are rendered once per catalogue snapshot and request
// (language, scheme, host, path and sorted query) and kept as bytes in the
// snapshot's memo (platform.CatalogIndex.Memo: bounded, single-flight, at
// most a minute old for answers that depend on the clock). Only anonymous
// GET requests are served from it: a logged-in page shows the user. The
// memo dies with its snapshot, so a change is never hidden by it; when a
// new snapshot is built, the most asked answers are rendered into it before
// it is published (warmCatalog), so a change does not make the portal cold.

// portal is the per-server state of the portal: its catalogue and the
// mux of the cacheable routes (their raw handlers, for rendering).
type portal struct {
	cat  *platform.Catalog
	mux  *http.ServeMux
	base sync.Map // scheme://host seen on CKAN requests → true (for prewarming dataset dicts)
}

var portals sync.Map // *Server → *portal

func (s *Server) portal() *portal {
	if p, ok := portals.Load(s); ok {
		return p.(*portal)
	}
	p := &portal{mux: http.NewServeMux()}
	p.cat = &platform.Catalog{Store: s.deps.Store, Clock: platform.Clock(s.now), Warm: s.warmCatalog}
	v, _ := portals.LoadOrStore(s, p)
	return v.(*portal)
}

// Start builds the public catalogue (before the server listens, so the
// first visitors do not wait for it) and keeps it fresh until ctx ends.
func (s *Server) Start(ctx context.Context) error { return s.catalog().Start(ctx) }

// cachedRecorder collects a rendered answer.
type cachedRecorder struct {
	h      http.Header
	status int
	body   []byte
}

func (r *cachedRecorder) Header() http.Header { return r.h }
func (r *cachedRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *cachedRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body = append(r.body, b...)
	return len(b), nil
}

// cachedAnswer is a rendered 200 answer: headers (never cookies) and body.
type cachedAnswer struct {
	h    http.Header
	body []byte
}

// cached serves an anonymous GET of the route from the snapshot's memo; h
// renders it (and serves everything else).
func (s *Server) cached(pattern string, h handlerFunc) handlerFunc {
	s.portal().mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	}))
	return func(w http.ResponseWriter, r *http.Request) error {
		st := state(r.Context())
		if r.Method != http.MethodGet || st.user != nil || st.session != nil {
			return h(w, r)
		}
		ix, err := s.catalog().Index(r.Context())
		if err != nil {
			return h(w, r)
		}
		scheme := "http"
		if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
			scheme = "https"
		}
		key := "http\x00" + string(st.lang) + "\x00" + scheme + "\x00" + r.Host + "\x00" + r.URL.Path + "?" + r.URL.Query().Encode()
		a, ok := ix.Memo(key, s.render(ix, key)).(*cachedAnswer)
		if !ok {
			return h(w, r)
		}
		if isCKANAction(r.URL.Path) {
			s.portal().base.Store(scheme+"://"+r.Host, true)
		}
		hd := w.Header()
		for k, v := range a.h {
			hd[k] = v
		}
		w.WriteHeader(http.StatusOK)
		_, err = w.Write(a.body)
		return err
	}
}

// render returns the function that renders the answer of a memo key
// against snapshot ix (not necessarily the published one).
func (s *Server) render(ix *platform.CatalogIndex, key string) platform.MemoFunc {
	return func() (any, int, bool) {
		parts := strings.SplitN(key, "\x00", 5)
		if len(parts) != 5 || parts[0] != "http" {
			return nil, 0, false
		}
		ctx := context.WithValue(context.Background(), stateKey{}, &reqState{lang: i18n.Lang(parts[1])})
		ctx = platform.WithCatalogIndex(ctx, ix)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, parts[2]+"://"+parts[3]+parts[4], nil)
		if err != nil {
			return nil, 0, false
		}
		if parts[2] == "https" {
			req.Header.Set("X-Forwarded-Proto", "https")
		}
		rec := &cachedRecorder{h: http.Header{}}
		s.portal().mux.ServeHTTP(rec, req)
		if rec.status != http.StatusOK {
			return nil, 0, false
		}
		rec.h.Del("Set-Cookie")
		return &cachedAnswer{h: rec.h, body: rec.body}, len(rec.body) + 512, true
	}
}

// filesOnly reports whether the answer of a memo key depends on the file
// part of the snapshot alone (the catalogue of files and the registers).
func filesOnly(key string) bool {
	p := key[strings.LastIndexByte(key, 0)+1:]
	return strings.HasPrefix(p, "/portal/files") || strings.HasPrefix(p, "/portal/bodies/")
}

// warmCatalog renders the most asked answers of the current snapshot into
// a new one (carrying over those that cannot have changed) and carries
// over the unchanged CKAN dataset dicts, before it is published.
func (s *Server) warmCatalog(ctx context.Context, old, ix *platform.CatalogIndex) {
	deadline := time.Now().Add(5 * time.Second)
	for _, k := range old.HotKeys(512) {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return
		}
		if !strings.HasPrefix(k, "http\x00") {
			continue
		}
		if v, ok := old.Peek(k); ok && ix.SharesFiles(old) && filesOnly(k) {
			ix.Memo(k, func() (any, int, bool) { return v, len(v.(*cachedAnswer).body) + 512, true })
			continue
		}
		ix.Memo(k, s.render(ix, k))
	}
	s.portal().base.Range(func(b, _ any) bool {
		ckan.Carry(old, ix, b.(string))
		return true
	})
}
