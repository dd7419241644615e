package browser

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/demo"
	"github.com/tokumei/tokumei/jobs"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
	"github.com/tokumei/tokumei/vault"
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

// artifactDir is where the screenshots of test t go: $TOKUMEI_ARTIFACTS/<test>
// when set, else browser/artifacts/<test> (ignored by git). Screenshots of
// an earlier run of the same test are removed first.
func artifactDir(t *testing.T) string {
	dir := os.Getenv("TOKUMEI_ARTIFACTS")
	if dir == "" {
		dir = "artifacts" // the package directory: go test runs there
	}
	dir = filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_"))
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// server is the platform wired as `tokumei serve --demo` wires it.
type server struct {
	base  string
	w     *demo.World
	svc   *platform.Services
	queue *jobs.Queue
	held  bool // the queue's workers wait for startJobs
}

// startJobs starts the job queue's workers (held by startServer).
func (s *server) startJobs(t *testing.T) {
	t.Helper()
	if !s.held {
		return
	}
	s.held = false
	if err := s.queue.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// startServer starts the demo server; its job queue accepts jobs at once
// but runs them only after startJobs, so that a test can see a job queued.
func startServer(t *testing.T) *server {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db := sqlstoretest.SQLite(t)
	v, err := vault.New(db, bytes.Repeat([]byte{0x5a}, 32))
	if err != nil {
		t.Fatal(err)
	}
	svc := &platform.Services{Store: db, Vault: v, Now: time.Now}
	q, err := jobs.Open(ctx, jobs.Config{DB: db, Logger: log, MaxWorkers: 2, PollInterval: 200 * time.Millisecond,
		Deps: jobs.Deps{Services: svc, Store: db, Vault: v, Logger: log}})
	if err != nil {
		t.Fatal(err)
	}
	svc.Jobs = q
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		q.Stop(sctx)
	})
	w, _, err := demo.Seed(ctx, svc)
	if err != nil {
		t.Fatalf("demo seed: %v", err)
	}
	ws, err := web.New(web.Deps{Services: svc, Store: db, Logger: log, Now: time.Now, Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: ws.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return &server{base: "http://" + ln.Addr().String(), w: w, svc: svc, queue: q, held: true}
}

// tab is one headless Chromium tab with a fresh profile.
type tab struct {
	t    *testing.T
	ctx  context.Context
	srv  *server
	dir  string
	step int
	page string // name of the current step, for messages

	totpStep map[string]int64 // last one-time-code step used, by login
}

// needChromium skips the test when Chromium is absent.
func needChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath()); err != nil {
		t.Skipf("browser tests need Chromium at %s (Debian package chromium, or set TOKUMEI_CHROMIUM): %v", chromiumPath(), err)
	}
}

func newTab(t *testing.T, srv *server) *tab {
	t.Helper()
	needChromium(t)
	exe := chromiumPath()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "ja-JP"), chromedp.Env("LANG=ja_JP.UTF-8", "LANGUAGE=ja:en", "TZ=Asia/Tokyo"),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 1000),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	ctx, cancelC := context.WithTimeout(ctx, 9*time.Minute)
	t.Cleanup(func() { cancelC(); cancelB(); cancelA() })
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatalf("start Chromium: %v", err)
	}
	return &tab{t: t, ctx: ctx, srv: srv, dir: artifactDir(t), totpStep: map[string]int64{}}
}

func (b *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.shot("failed")
		b.t.Fatalf("%s: %s: %v", b.page, what, err)
	}
}

// eval evaluates a JavaScript expression returning a string.
func (b *tab) eval(expr string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: eval %.80s: %v", b.page, expr, err)
	}
	return v
}

// open navigates to path and waits for the page.
func (b *tab) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.srv.base+path))
}

// waitPath waits until the page (fully loaded) has a path matching re.
func (b *tab) waitPath(re string) string {
	b.t.Helper()
	rx := regexp.MustCompile(re)
	var p string
	for i := 0; i < 200; i++ {
		// The page may be navigating: an error here means "not yet".
		p, _ = chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.readyState === "complete" ? location.pathname + location.search : ""`))
		if p != "" && rx.MatchString(p) {
			return p
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.shot("wait-path")
	b.t.Fatalf("%s: page %q never matched %s; page text:\n%.1500s", b.page, p, re, b.text())
	return ""
}

func (b *tab) text() string {
	v, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	return v
}

// shot saves a full-page screenshot as the next numbered artifact.
func (b *tab) shot(name string) {
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(70)) // JPEG: PNG of long pages is slow
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	b.step++
	p := filepath.Join(b.dir, fmt.Sprintf("%02d-%s.jpg", b.step, name))
	if err := os.WriteFile(p, png, 0o644); err != nil {
		b.t.Errorf("write %s: %v", p, err)
	}
}

type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axe runs axe-core on the current page and returns its violations.
func (b *tab) axe() []violation {
	b.t.Helper()
	if b.eval(`typeof window.axe`) != "object" {
		if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](axeJS+"\n;null")); err != nil {
			b.t.Fatalf("inject axe-core: %v", err)
		}
	}
	out := b.eval(`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v => ({
		id: v.id, impact: v.impact || "", help: v.help,
		nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))))`)
	var vs []violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		b.t.Fatalf("axe result %q: %v", out, err)
	}
	return vs
}

// rawEnglish matches what must not reach a Japanese page: an English
// sentence of the error vocabulary, or an untranslated catalogue key.
var rawEnglish = regexp.MustCompile(`(?i)\b(must be|is required|not allowed|invalid|cannot|error:|not found|forbidden)\b|\b[a-z]+\.[a-z_]+[a-z]\b`)

// check screenshots the page as step name, fails on serious or critical
// axe-core violations, on a lang other than ja, and on raw English text;
// it returns the page text.
func (b *tab) check(name string) string {
	b.t.Helper()
	return b.checkLang(name, "ja")
}

// checkLang is check for a page in lang ("ja" or "en"); only Japanese pages
// are searched for raw English.
func (b *tab) checkLang(name, lang string) string {
	b.t.Helper()
	b.page = name
	defer func(start time.Time) { b.t.Logf("%s: checked in %v", name, time.Since(start).Round(time.Millisecond)) }(time.Now())
	b.shot(name)
	var bad []string
	for _, v := range b.axe() {
		msg := fmt.Sprintf("axe %s (%s): %s at %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
		if v.Impact == "serious" || v.Impact == "critical" {
			bad = append(bad, msg)
		} else {
			b.t.Logf("%s: %s", name, msg)
		}
	}
	if len(bad) > 0 {
		b.t.Errorf("%s (%s): serious or critical accessibility violations:\n  %s", name, b.eval(`location.pathname`), strings.Join(bad, "\n  "))
	}
	if got := b.eval(`document.documentElement.lang`); got != lang {
		b.t.Errorf("%s: <html lang=%q>, want %s", name, got, lang)
	}
	text := b.text()
	if lang == "ja" {
		if m := rawEnglish.FindAllString(visibleProse(b.prose()), 5); len(m) > 0 {
			b.t.Errorf("%s: English or untranslated text on a Japanese page: %q", name, m)
		}
		if bad := badDualDates(text); len(bad) > 0 {
			b.t.Errorf("%s: 和暦 and Gregorian dates that disagree: %q", name, bad)
		}
	}
	return text
}

// dualDate matches a date shown as officers expect it: 和暦 with the
// Gregorian date after it, e.g. 令和8年5月1日（2026年5月1日）.
var dualDate = regexp.MustCompile(`(令和|平成|昭和)(元|\d+)年(\d+)月(\d+)日（(\d{4})年(\d+)月(\d+)日）`)

// badDualDates returns the dual dates of text whose two halves disagree
// (era year + era start year − 1 ≠ Gregorian year, or month or day differ).
func badDualDates(text string) []string {
	start := map[string]int{"令和": 2019, "平成": 1989, "昭和": 1926}
	var bad []string
	for _, m := range dualDate.FindAllStringSubmatch(text, -1) {
		y := 1
		if m[2] != "元" {
			y, _ = strconv.Atoi(m[2])
		}
		gy, _ := strconv.Atoi(m[5])
		if start[m[1]]+y-1 != gy || strings.TrimLeft(m[3], "0") != strings.TrimLeft(m[6], "0") || strings.TrimLeft(m[4], "0") != strings.TrimLeft(m[7], "0") {
			bad = append(bad, m[0])
		}
	}
	return bad
}

// prose is the page text without what the page marks as code (<code>,
// <kbd>, <samp>: state names, audit action codes, commands), which may
// legitimately be Latin on a Japanese page.
func (b *tab) prose() string {
	v, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(() => {
		const hidden = [...document.querySelectorAll("code, kbd, samp")].filter(e => e.style.display !== "none");
		hidden.forEach(e => e.style.display = "none");
		const t = document.body ? document.body.innerText : "";
		hidden.forEach(e => e.style.display = "");
		return t })()`))
	return v
}

// visibleProse drops what may legitimately be Latin on a Japanese page:
// state codes in capitals, hashes, e-mail addresses, URLs, file names.
func visibleProse(s string) string {
	for _, rx := range []*regexp.Regexp{
		regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+`),
		regexp.MustCompile(`https?://\S+`),
		regexp.MustCompile(`\S+\.(csv|xlsx|pdf|json|png)\b`),
		regexp.MustCompile(`\b[0-9a-f]{16,}\b`),
	} {
		s = rx.ReplaceAllString(s, " ")
	}
	return s
}

// activeID returns the id (or name, or TAG:type) of the focused element.
func (b *tab) activeID() string {
	return b.eval(`(e => e ? (e.id || e.name || e.tagName + ":" + (e.type || "")) : "")(document.activeElement)`)
}

// key sends keystrokes to the focused element.
func (b *tab) key(keys string) {
	b.t.Helper()
	b.do("keys", chromedp.KeyEvent(keys))
}

// tabTo presses Tab until the element with the given id (or name, or
// TAG:type) has the focus.
func (b *tab) tabTo(id string) {
	b.t.Helper()
	for range 120 {
		if b.activeID() == id {
			return
		}
		b.key(kb.Tab)
	}
	b.shot("tab-" + id)
	b.t.Fatalf("%s: Tab never reached %s (focus on %s)", b.page, id, b.activeID())
}

// login signs in through the login form (and the one-time code for
// officers), with the keyboard alone.
func (b *tab) login(login string) {
	b.t.Helper()
	b.loginChecked(login, false)
}

// loginChecked is login; with check, the login and one-time-code pages are
// checked (axe, Japanese) as steps.
func (b *tab) loginChecked(login string, check bool) {
	b.t.Helper()
	if b.eval(`(f => { if (!f) return ""; f.submit(); return "out" })(document.querySelector('form[action="/logout"]'))`) != "" {
		b.waitPath(`^/login`)
	}
	b.open("/login")
	if check {
		b.check("login")
	}
	b.tabTo("login")
	b.key(login + kb.Tab + demo.Password + kb.Enter)
	p := b.waitPath(`^/(login/totp|dashboard)`)
	if strings.HasPrefix(p, "/login/totp") {
		if check {
			b.check("login-totp")
		}
		// A code is accepted once: a second login of the same user in the
		// same 30-second step waits for the next code.
		step := time.Now().Unix() / 30
		if b.totpStep[login] >= step {
			time.Sleep(time.Until(time.Unix((b.totpStep[login]+1)*30, 0)))
			step = time.Now().Unix() / 30
		}
		b.totpStep[login] = step
		code, err := auth.TOTPCode(demo.TOTPSecret, time.Unix(step*30, 0))
		if err != nil {
			b.t.Fatal(err)
		}
		b.tabTo("code")
		b.key(code + kb.Enter)
		b.waitPath(`^/dashboard`)
	}
}

// submitForm fills the fields of the form whose action ends with action
// (values by field name; "true"/"false" tick check boxes), screenshots it
// as step name, presses its submit button and waits for a page whose path
// matches want.
func (b *tab) submitForm(name, action string, fields map[string]string, want string) string {
	b.t.Helper()
	js, _ := json.Marshal(fields)
	sel := fmt.Sprintf(`form[action$=%q]`, action)
	got := b.eval(fmt.Sprintf(`(() => { const f = document.querySelector(%q); if (!f) return "no form";
		const v = %s; for (const k in v) { const e = f.elements[k]; if (!e) return "no field " + k;
		if (e.type === "checkbox") e.checked = v[k] === "true"; else e.value = v[k]; } return "" })()`, sel, js))
	if got != "" {
		b.shot("missing-" + name)
		b.t.Fatalf("%s: %s (%s) on %s; page text:\n%.2000s", name, got, sel, b.eval(`location.pathname`), b.text())
	}
	b.shot(name)
	b.do("submit "+action, chromedp.Click(chromedp.CSS(sel+` button[type="submit"]`)))
	return b.waitPath(want)
}

// logout presses the logout button with the keyboard (the first button of
// every page after login is ログアウト).
func (b *tab) logout() {
	b.t.Helper()
	b.open("/dashboard")
	b.tabTo("BUTTON:submit")
	if label := b.eval(`document.activeElement.textContent`); !strings.Contains(label, "ログアウト") {
		b.t.Fatalf("%s: the first button is %q, want ログアウト", b.page, label)
	}
	b.key(kb.Enter)
	b.waitPath(`^/login`)
}
