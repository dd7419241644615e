package e2e

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tokumei/tokumei/demo"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
	"github.com/tokumei/tokumei/web"
)

//go:embed testdata/axe/axe.min.js
var axeJS string

// chromiumPath is Debian's Chromium, or $TOKUMEI_CHROMIUM.
func chromiumPath() string {
	if p := os.Getenv("TOKUMEI_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// session is one browser tab on a fresh demo server.
type session struct {
	t    *testing.T
	ctx  context.Context
	base string
	w    *demo.World
	step atomic.Int32
	dir  string
}

// newSession starts the demo server and a headless Chromium with a fresh
// profile; it skips the test when Chromium is absent.
func newSession(t *testing.T) *session {
	t.Helper()
	exe := chromiumPath()
	if _, err := os.Stat(exe); err != nil {
		t.Skipf("browser tests need Chromium at %s (Debian package chromium, or set TOKUMEI_CHROMIUM): %v", exe, err)
	}
	db := sqlstoretest.SQLite(t)
	svc := &platform.Services{Store: db, Now: time.Now}
	w, _, err := demo.Seed(context.Background(), svc)
	if err != nil {
		t.Fatalf("demo seed: %v", err)
	}
	srv, err := web.New(web.Deps{Services: svc, Store: db, Now: time.Now, Demo: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("lang", "ja-JP"),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	ctx, cancelC := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(func() { cancelC(); cancelB(); cancelA() })

	dir := os.Getenv("TOKUMEI_ARTIFACTS")
	if dir == "" {
		dir = "artifacts"
	}
	dir = filepath.Join(dir, t.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return &session{t: t, ctx: ctx, base: ts.URL, w: w, dir: dir}
}

// do runs actions, failing the test on error.
func (s *session) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	if err := chromedp.Do(s.ctx, actions...); err != nil {
		s.shot("failed-" + what)
		s.t.Fatalf("%s: %v", what, err)
	}
}

// open navigates to path.
func (s *session) open(path string) {
	s.t.Helper()
	s.do("open "+path, chromedp.Navigate(s.base+path))
}

// eval evaluates a JavaScript expression returning a string.
func (s *session) eval(expr string) string {
	s.t.Helper()
	v, err := chromedp.Run(s.ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		s.t.Fatalf("eval %.60s: %v", expr, err)
	}
	return v
}

// shot saves a full-page screenshot as the next numbered artifact.
func (s *session) shot(name string) {
	s.t.Helper()
	png, err := chromedp.Run(s.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		s.t.Logf("screenshot %s: %v", name, err)
		return
	}
	n := s.step.Add(1)
	p := filepath.Join(s.dir, fmt.Sprintf("%02d-%s.png", n, name))
	if err := os.WriteFile(p, png, 0o644); err != nil {
		s.t.Errorf("write %s: %v", p, err)
	}
}

type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axe runs axe-core (the WCAG 2.0, 2.1 and 2.2 A and AA rules) on the
// current page and returns its violations.
func (s *session) axe() []violation {
	s.t.Helper()
	if s.eval(`typeof window.axe`) != "object" {
		if _, err := chromedp.Run(s.ctx, chromedp.Evaluate[any](axeJS+"\n;null")); err != nil {
			s.t.Fatalf("inject axe-core: %v", err)
		}
	}
	out := s.eval(`axe.run(document, {resultTypes: ["violations"],
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}).then(r => JSON.stringify(r.violations.map(v => ({
		id: v.id, impact: v.impact || "", help: v.help,
		nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))))`)
	var vs []violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		s.t.Fatalf("axe result: %v", err)
	}
	return vs
}

// check screenshots the page and fails on serious or critical axe
// violations; it returns the page text for assertions.
func (s *session) check(name string) string {
	s.t.Helper()
	start := time.Now()
	defer func() { s.t.Logf("%s: checked in %v", name, time.Since(start).Round(time.Millisecond)) }()
	s.shot(name)
	for _, v := range s.axe() {
		msg := fmt.Sprintf("%s: axe %s (%s): %s at %s", name, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
		if v.Impact == "serious" || v.Impact == "critical" {
			s.t.Error(msg)
		} else {
			s.t.Log(msg)
		}
	}
	if lang := s.eval(`document.documentElement.lang`); lang != "ja" && lang != "en" {
		s.t.Errorf("%s: html lang = %q", name, lang)
	}
	return s.eval(`document.body.innerText`)
}

// activeID returns the id of the focused element.
func (s *session) activeID() string {
	return s.eval(`document.activeElement ? (document.activeElement.id || document.activeElement.name || document.activeElement.tagName + ":" + (document.activeElement.type || "")) : ""`)
}

// key sends keystrokes to the focused element.
func (s *session) key(keys string) {
	s.t.Helper()
	s.do("keys", chromedp.KeyEvent(keys))
}

// tabTo presses Tab until the element with the given id (or "TAG:type")
// has the focus.
func (s *session) tabTo(id string) {
	s.t.Helper()
	for i := 0; i < 80; i++ {
		if s.activeID() == id {
			return
		}
		s.key("\t")
	}
	s.shot("tab-" + id)
	s.t.Fatalf("Tab never reached %s (focus on %s)", id, s.activeID())
}

// waitLoad waits for a navigation started by a key press to finish.
func (s *session) waitLoad(sel string) {
	s.t.Helper()
	s.do("wait "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}
