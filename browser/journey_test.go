package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/tokumei/tokumei/demo"
	"github.com/tokumei/tokumei/platform"
)

// reiwa matches a date in the Japanese era (和暦), e.g. 令和8年5月1日.
var reiwa = regexp.MustCompile(`令和(元|\d+)年\d+月\d+日`)

// yen matches an amount in yen with thousands separators, e.g. 174,450円.
var yen = regexp.MustCompile(`\d{1,3}(,\d{3})+\s*円`)

func wantText(t *testing.T, step, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s: page lacks %q; page text:\n%.1500s", step, w, text)
		}
	}
}

func wantMatch(t *testing.T, step, text string, rx *regexp.Regexp, what string) {
	t.Helper()
	if !rx.MatchString(text) {
		t.Errorf("%s: no %s (%s) on the page:\n%.1500s", step, what, rx, text)
	}
}

// journey holds the ids the steps pass on.
type journey struct {
	*tab
	proposal       int64
	sapporo, fukuo int64 // the cases of 札幌市長 (conforming) and 福岡県知事 (not)
	sapporoEntry   int64
	bizUser        int64
}

// caseAct opens the case page and submits the form of action.
func (j *journey) caseAct(id int64, step, action string, fields map[string]string) string {
	j.t.Helper()
	j.open(fmt.Sprintf("/cases/%d", id))
	j.page = step
	j.submitForm(step, fmt.Sprintf("/cases/%d/act/%s", id, action), fields, fmt.Sprintf(`^/cases/%d\?notice=saved`, id))
	return j.check(step + "-done")
}

// state reads the case's state code from its page.
func (j *journey) state(id int64) string {
	j.open(fmt.Sprintf("/cases/%d", id))
	return j.eval(`(e => e ? e.textContent : "")(document.querySelector(".state-line code"))`)
}

func (j *journey) wantState(id int64, want platform.State) {
	j.t.Helper()
	if got := j.state(id); got != string(want) {
		j.shot("state")
		j.t.Fatalf("case %d is %s, want %s; page:\n%.1500s", id, got, want, j.text())
	}
}

// TestProposalJourney walks the whole procedure through the browser.
func TestProposalJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journey skipped in -short mode")
	}
	needChromium(t)
	srv := startServer(t)
	j := &journey{tab: newTab(t, srv)}
	start := time.Now()
	defer func() { t.Logf("journey took %v; screenshots in %s", time.Since(start).Round(time.Second), j.dir) }()

	j.publicBefore()
	j.propose()
	j.window()
	j.review()
	j.contract()
	j.intake()
	j.process()
	j.accept()
	j.deliver()
	j.publicAfter()
}

// publicBefore: the public sees the open calls and the register.
func (j *journey) publicBefore() {
	j.open("/portal/calls")
	text := j.check("public-calls")
	wantText(j.t, "public calls", text, "札幌市長", "福岡県知事")
	e := j.srv.w.Entries["札幌市長/国民健康保険被保険者ファイル"]
	if e == nil {
		j.t.Fatal("demo has no 札幌市長/国民健康保険被保険者ファイル")
	}
	j.sapporoEntry = e.ID
}

// registerBusiness: a new proposer signs up on the sign-up page (linked
// from the login page): its organisation and first user, with password
// demo.Password; the login page then confirms in Japanese. (The demo's own
// business cannot propose: the demo cancelled one of its contracts, which
// disqualifies it for two years.)
func (j *journey) registerBusiness() {
	t := j.t
	j.open("/login")
	j.do("follow the sign-up link", chromedp.Click(chromedp.CSS(`a[href="/signup"]`)))
	j.waitPath(`^/signup$`)
	j.check("business-signup-form")
	j.submitForm("business-signup", "/signup", map[string]string{
		"name": "株式会社ブラウザ検証", "address": "東京都千代田区丸の内2-2-2", "corporate": "7000012050002",
		"contact": "山田太郎", "email": "newbiz@example.jp", "login": "newbiz",
		"password": demo.Password, "password2": demo.Password,
	}, `^/login`)
	wantText(t, "signed up", j.check("business-signed-up"), "利用者登録が完了しました")
	u, err := j.srv.svc.Store.UserByLogin(context.Background(), "newbiz")
	if err != nil || u.Role != platform.RoleBusiness || u.BusinessID == 0 {
		t.Fatalf("signed-up user: %+v, %v", u, err)
	}
	j.bizUser = u.ID
}

// propose: the business fills in the proposal form with the keyboard alone
// (after a bad submission answered in Japanese) and submits the proposal.
func (j *journey) propose() {
	t := j.t
	j.registerBusiness()
	j.login("newbiz")
	j.check("business-dashboard")
	j.open("/proposals/new")
	text := j.check("proposal-form")
	sapporo := j.srv.w.Entries["札幌市長/国民健康保険被保険者ファイル"]
	fukuoka := j.srv.w.Entries["福岡県知事/県営住宅入居者ファイル"]
	wantText(t, "proposal form", text, sapporo.FileName, fukuoka.FileName)

	// A bad submission (the browser's own checks bypassed, as an old
	// browser would) must be answered in Japanese.
	j.eval(`(f => { f.noValidate = true; f.elements.title.value = "x"; f.querySelector('button[type="submit"]').click(); return "" })(document.querySelector('form[action="/proposals"]'))`)
	time.Sleep(300 * time.Millisecond)
	j.waitPath(`^/proposals$`)
	text = j.check("proposal-bad")
	if !regexp.MustCompile(`[ぁ-んァ-ヶ一-龠]+.*(入力|選択)してください`).MatchString(text) {
		t.Errorf("bad proposal: no Japanese error message:\n%.1500s", text)
	}

	// The form by keyboard alone.
	j.open("/proposals/new")
	j.page = "proposal-keyboard"
	type field struct{ id, keys string }
	fields := []field{
		{"title", "健診データを用いた健康増進サービスの開発"},
		{"proposer_name", "株式会社ブラウザ検証"},
		{"proposer_address", "東京都千代田区丸の内2-2-2"},
		{"representative", "代表取締役 山田太郎"},
		{"corporate", "9876543210987"},
		{"contact", "data@example.jp"},
		{fmt.Sprintf("f%d", sapporo.ID), " "},
		{fmt.Sprintf("f%d", fukuoka.ID), " "},
		{"subjects", "5000"},
		{"purpose", "健康増進サービスの開発"},
		{"method", "統計的分析"},
		{"business", "健康アプリの提供"},
		{"use_from", ""},
		{"use_to", ""},
		{"use_location", "本社分析室"},
		{"safety_measures", "ISMS認証取得環境で利用し、アクセスを記録する"},
	}
	for i := 1; i <= 6; i++ {
		fields = append(fields, field{"pledge_" + strconv.Itoa(i), " "})
	}
	fields = append(fields, field{"signed_by", "山田太郎"})
	dates := map[string]time.Time{"use_from": time.Now().AddDate(0, 2, 0), "use_to": time.Now().AddDate(1, 2, 0)}
	for _, f := range fields {
		j.tabTo(f.id)
		if d, ok := dates[f.id]; ok {
			j.typeDate(f.id, d)
			continue
		}
		j.key(f.keys)
	}
	j.key(kb.Tab)
	if label := j.eval(`document.activeElement.tagName + ":" + document.activeElement.textContent`); !strings.HasPrefix(label, "BUTTON:") {
		t.Fatalf("after the last field the focus is on %q, want the save button", label)
	}
	j.shot("proposal-keyboard")
	j.key(kb.Enter)
	p := j.waitPath(`^/proposals/\d+\?notice=saved`)
	j.proposal, _ = strconv.ParseInt(regexp.MustCompile(`\d+`).FindString(p), 10, 64)
	text = j.check("proposal-draft")
	wantText(t, "proposal draft", text, "健診データを用いた健康増進サービスの開発", "5,000", "国民健康保険被保険者ファイル", "県営住宅入居者ファイル")
	wantMatch(t, "proposal draft", text, dualDate, "和暦 date with the Gregorian date")

	j.open(fmt.Sprintf("/proposals/%d", j.proposal))
	j.submitForm("proposal-submit", fmt.Sprintf("/proposals/%d/act/submit", j.proposal), nil, `\?notice=saved`)
	text = j.check("proposal-submitted")
	wantText(t, "proposal submitted", text, string(platform.StateSubmitted))
}

// typeDate types d into the focused date field. The order of the field's
// parts follows the browser's locale (headless Chromium here shows
// mm/dd/yyyy whatever --lang says), so it tries month-day-year and then
// year-month-day, clearing the field between tries.
func (j *journey) typeDate(id string, d time.Time) {
	j.t.Helper()
	want := d.Format("2006-01-02")
	for _, keys := range []string{d.Format("01") + d.Format("02") + d.Format("2006"),
		d.Format("2006") + kb.ArrowRight + d.Format("01") + d.Format("02")} {
		j.key(keys)
		if got := j.eval(`document.getElementById("` + id + `").value`); got == want {
			return
		}
		j.eval(`(e => { e.value = ""; e.blur(); e.focus(); return "" })(document.getElementById("` + id + `"))`)
	}
	j.shot("date-" + id)
	j.t.Fatalf("could not type %s into the date field %s by keyboard", want, id)
}

// window: the window officer checks the proposal, forks and routes it.
func (j *journey) window() {
	t := j.t
	j.login("officer")
	j.open(fmt.Sprintf("/proposals/%d", j.proposal))
	j.check("officer-proposal")
	for _, act := range []string{"start_check", "fork"} {
		j.open(fmt.Sprintf("/proposals/%d", j.proposal))
		j.submitForm("officer-"+act, fmt.Sprintf("/proposals/%d/act/%s", j.proposal, act), nil, `\?notice=saved`)
	}
	text := j.check("officer-forked")
	wantText(t, "forked", text, string(platform.StateForked))
	links := j.eval(`JSON.stringify([...document.querySelectorAll('a[href^="/cases/"]')].map(a => a.getAttribute("href") + " " + a.textContent))`)
	for _, m := range regexp.MustCompile(`/cases/(\d+) #\d+ ([^"]+)`).FindAllStringSubmatch(links, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		switch {
		case strings.Contains(m[2], "札幌市長"):
			j.sapporo = id
		case strings.Contains(m[2], "福岡県知事"):
			j.fukuo = id
		}
	}
	if j.sapporo == 0 || j.fukuo == 0 {
		t.Fatalf("forked cases not listed for both bodies: %s", links)
	}
	for _, id := range []int64{j.sapporo, j.fukuo} {
		j.caseAct(id, fmt.Sprintf("route-%d", id), "route", nil)
		j.wantState(id, platform.StateLGReview)
	}
	j.open("/cases")
	j.check("officer-cases")
}

func findings(fail int) map[string]string {
	m := map[string]string{}
	for i := 1; i <= 7; i++ {
		k := strconv.Itoa(i)
		m["met_"+k], m["reason_"+k] = "1", "基準に適合する（基準"+k+"）"
		if i == fail {
			m["met_"+k], m["reason_"+k] = "0", "利用期間が事業の目的に照らして長すぎる"
		}
	}
	return m
}

// review: 札幌市長 finds the proposal conforming, 福岡県知事 not.
func (j *journey) review() {
	t := j.t
	j.login("sapporo-reviewer")
	j.caseAct(j.sapporo, "sapporo-review", "save_review", findings(0))
	j.caseAct(j.sapporo, "sapporo-submit-review", "submit_review", nil)
	j.login("sapporo-approver")
	j.caseAct(j.sapporo, "sapporo-conforming", "decide_conforming", map[string]string{
		"decision": "conditional", "legal_basis": "法第69条第2項第1号及び委託", "conditions": "氏名・被保険者番号は抽出しない"})
	text := j.caseAct(j.sapporo, "sapporo-notify", "notify", map[string]string{"hours": "10.5", "outsourcing": "60000"})
	wantText(t, "sapporo notified", text, string(platform.StateNotified))
	j.open(fmt.Sprintf("/cases/%d/notice", j.sapporo))
	text = j.check("sapporo-notice")
	wantMatch(t, "conforming notice", text, reiwa, "和暦 date")
	wantMatch(t, "conforming notice", text, yen, "fee estimate in yen")

	j.login("fukuoka-reviewer")
	j.caseAct(j.fukuo, "fukuoka-review", "save_review", findings(6))
	j.login("fukuoka-approver")
	j.caseAct(j.fukuo, "fukuoka-nonconforming", "decide_nonconforming", nil)
	j.caseAct(j.fukuo, "fukuoka-notify", "notify", nil)
	j.open(fmt.Sprintf("/cases/%d/notice", j.fukuo))
	text = j.check("fukuoka-notice")
	wantMatch(t, "non-conforming notice", text, reiwa, "和暦 date")
	wantText(t, "non-conforming notice", text, "利用期間が事業の目的に照らして長すぎる")
}

// contract: application, invoice, payment, contract.
func (j *journey) contract() {
	t := j.t
	j.login("newbiz")
	j.caseAct(j.sapporo, "business-apply", "apply_contract", nil)
	j.login("sapporo-reviewer")
	j.caseAct(j.sapporo, "invoice", "invoice", map[string]string{"hours": "10.5", "outsourcing": "60000", "pay_days": "30"})
	j.open(fmt.Sprintf("/cases/%d/invoice", j.sapporo))
	text := j.check("invoice-print")
	wantMatch(t, "invoice", text, yen, "amount in yen")
	wantMatch(t, "invoice", text, reiwa, "和暦 date")
	// 21,000 + 3,950 × 11 + 60,000 = 124,450 yen (no commission on this case).
	wantText(t, "invoice", text, "124,450")
	j.caseAct(j.sapporo, "payment", "record_payment", map[string]string{"pay_method": "納付書", "receipt": "R-0001"})
	j.login("newbiz")
	uid := j.bizUser
	j.caseAct(j.sapporo, "business-sign", "sign_contract", map[string]string{
		"location": "本社分析室", "users": "山田太郎", "recipients": strconv.FormatInt(uid, 10)})
	j.login("sapporo-approver")
	j.caseAct(j.sapporo, "conclude", "conclude_contract", nil)
	j.wantState(j.sapporo, platform.StateContracted)
	j.open(fmt.Sprintf("/cases/%d/contract", j.sapporo))
	text = j.check("contract-print")
	wantMatch(t, "contract", text, reiwa, "和暦 date")
}

// intake: the window asks for the extract; the body uploads it.
func (j *journey) intake() {
	t := j.t
	j.login("officer")
	j.caseAct(j.sapporo, "request-source", "request_source", map[string]string{"note": "必要最小限の列"})
	j.login("sapporo-reviewer")
	j.open(fmt.Sprintf("/cases/%d", j.sapporo))
	text := j.check("extract-form")
	sel := fmt.Sprintf(`form[action*="/cases/%d/extract"]`, j.sapporo)
	line := j.eval(`(p => p ? p.textContent : "")(document.querySelector('` + sel + ` p'))`)
	_, list, ok := strings.Cut(line, ":")
	if !ok || strings.TrimSpace(list) == "" {
		t.Fatalf("the case page lists no requested columns (%q):\n%.2000s", line, text)
	}
	cols := []string{"", list}
	path := filepath.Join(t.TempDir(), "extract.csv")
	if err := os.WriteFile(path, []byte(extractCSV(strings.Split(strings.TrimSpace(cols[1]), "、"), 1200)), 0o644); err != nil {
		t.Fatal(err)
	}
	j.do("choose extract", chromedp.SetUploadFiles(chromedp.CSS(sel+` input[type="file"]`), []string{path}))
	j.shot("extract-chosen")
	j.do("upload extract", chromedp.Click(chromedp.CSS(sel+` button[type="submit"]`)))
	j.waitPath(fmt.Sprintf(`^/cases/%d\?notice=saved`, j.sapporo))
	text = j.check("extract-uploaded")
	wantText(t, "extract uploaded", text, "1,200", string(platform.StateSourceReceived))
}

// extractCSV writes rows of plausible values for the requested columns.
func extractCSV(cols []string, rows int) string {
	var b strings.Builder
	b.WriteString(strings.Join(cols, ",") + "\n")
	for i := range rows {
		for k, c := range cols {
			if k > 0 {
				b.WriteByte(',')
			}
			switch {
			case strings.Contains(c, "日"):
				fmt.Fprintf(&b, "19%02d-%02d-%02d", 40+i%50, 1+i%12, 1+i%28)
			case c == "性別":
				b.WriteString([]string{"男", "女"}[i%2])
			case c == "住所":
				b.WriteString([]string{"北海道札幌市中央区北1条西2丁目", "北海道札幌市北区北8条西5丁目", "北海道札幌市東区北10条東7丁目"}[i%3])
			default:
				b.WriteString([]string{"A", "B", "C"}[i%3])
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// process: the processor starts the job. The job queue is held until the
// case page has shown the job's progress element #job-progress (a
// <progress max="100">, at 0 while queued); then the workers start, the page
// follows the job (its script polls the progress API and reloads when the
// case leaves PROCESSING), and once finished the progress reads 100. The
// risk assessor approves.
func (j *journey) process() {
	t := j.t
	j.login("processor")
	text := j.caseAct(j.sapporo, "start-processing", "start_processing", nil)
	wantText(t, "processing started", text, string(platform.StateProcessing))
	j.wantProgress(0, 0)
	j.srv.startJobs(t)
	seen := map[string]bool{}
	deadline := time.Now().Add(120 * time.Second)
	for {
		// The same page, not reloaded by the test: the value moves as the
		// page's script polls; the page reloads itself at the end.
		v, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`(e => e ? e.getAttribute("max") + "/" + String(e.value) : "")(document.getElementById("job-progress"))`))
		if err == nil && v == "" {
			break
		}
		if err == nil {
			seen[v] = true
		}
		if time.Now().After(deadline) {
			j.shot("processing-timeout")
			t.Fatalf("processing did not finish in 120 s (progress %s):\n%.2000s", v, j.text())
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("progress values seen on the page: %v", keys(seen))
	j.waitPath(fmt.Sprintf(`^/cases/%d`, j.sapporo))
	if got := j.state(j.sapporo); got != string(platform.StateRiskCheck) {
		j.shot("processed-state")
		t.Fatalf("after the job the case is %s, want RISK_CHECK:\n%.2000s", got, j.text())
	}
	// Finished: the progress reads 100 (the progress API the page polls,
	// opened in the browser with the processor's session).
	j.open(fmt.Sprintf("/api/v1/cases/%d/progress", j.sapporo))
	var prog struct {
		State   string `json:"state"`
		Phase   string `json:"phase"`
		Percent int    `json:"percent"`
	}
	if raw := j.text(); json.Unmarshal([]byte(raw), &prog) != nil || prog.Percent != 100 || prog.Phase != "done" || prog.State != string(platform.StateRiskCheck) {
		t.Errorf("finished job's progress %q, want phase done, 100 %%, RISK_CHECK", raw)
	}
	j.open(fmt.Sprintf("/cases/%d", j.sapporo))
	text = j.check("processed")
	wantText(t, "processed", text, "加工")
	j.login("risk")
	j.caseAct(j.sapporo, "risk-approve", "approve_risk", map[string]string{"note": "k-匿名性 k=5 以上を確認、特異な記述なし"})
	j.wantState(j.sapporo, platform.StateLGAcceptance)
}

// wantProgress checks the case page's #job-progress: present, max 100,
// value between lo and hi.
func (j *journey) wantProgress(lo, hi int) {
	j.t.Helper()
	v := j.eval(`(e => e ? e.getAttribute("max") + " " + String(e.value) : "absent")(document.getElementById("job-progress"))`)
	var max, val int
	if _, err := fmt.Sscanf(v, "%d %d", &max, &val); err != nil || max != 100 || val < lo || val > hi {
		j.shot("job-progress")
		j.t.Fatalf("case page #job-progress: %q, want max 100 and a value in %d..%d", v, lo, hi)
	}
	j.check("processing-progress")
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// accept: the body accepts the output; the register is updated.
func (j *journey) accept() {
	j.login("sapporo-approver")
	j.caseAct(j.sapporo, "accept-output", "accept_output",
		map[string]string{"proposal_to": time.Now().AddDate(1, 0, 0).Format("2006-01-02")})
	j.wantState(j.sapporo, platform.StateRegisterUpdated)
}

// deliver: the window delivers; the named recipient downloads once.
func (j *journey) deliver() {
	t := j.t
	j.login("officer")
	j.caseAct(j.sapporo, "deliver", "deliver", nil)
	j.login("newbiz")
	j.open(fmt.Sprintf("/cases/%d", j.sapporo))
	text := j.check("business-download")
	wantText(t, "download page", text, string(platform.StateProvided))
	href := j.eval(`(a => a ? a.getAttribute("href") : "")(document.querySelector('a[href$="/download"]'))`)
	if href == "" {
		t.Fatalf("no download link for the recipient:\n%.1500s", text)
	}
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(j.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		t.Fatal(err)
	}
	j.do("download", chromedp.Click(chromedp.CSS(`a[href$="/download"]`)))
	var data []byte
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && data == nil; time.Sleep(200 * time.Millisecond) {
		es, _ := os.ReadDir(dir)
		for _, e := range es {
			if !strings.HasSuffix(e.Name(), ".crdownload") {
				data, _ = os.ReadFile(filepath.Join(dir, e.Name()))
			}
		}
	}
	if data == nil {
		t.Fatal("the download did not arrive in 30 s")
	}
	if lines := strings.Count(string(data), "\n"); lines < 100 || !strings.Contains(strings.SplitN(string(data), "\n", 2)[0], "生年月日") {
		t.Errorf("downloaded %d lines starting %.80q", lines, data)
	}
	// The download is single-use: a second one is refused, in Japanese.
	j.open(href)
	text = j.check("download-again")
	if !regexp.MustCompile(`[ぁ-んァ-ヶ一-龠]{4,}`).MatchString(text) || strings.Contains(text, "生年月日,") {
		t.Errorf("second download not refused in Japanese:\n%.1000s", text)
	}
}

// publicAfter: the public register shows the created dataset.
func (j *journey) publicAfter() {
	t := j.t
	b := j.srv.w.Bodies["札幌市長"]
	j.open(fmt.Sprintf("/portal/bodies/%d/register", b.ID))
	text := j.check("public-register")
	wantText(t, "public register", text, "国民健康保険被保険者ファイル")
	if !regexp.MustCompile(`本人の数 [\d,]+人`).MatchString(text) {
		t.Errorf("public register lacks the art. 117 summary (n人):\n%.2000s", text)
	}
	j.open("/datasets")
	text = j.check("public-datasets")
	wantText(t, "public datasets", text, "国民健康保険被保険者ファイル")
}
