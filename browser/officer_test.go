package browser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestOfficerJourney walks the register pages of a body reviewer, the
// approver's form for created data, the window's joint commission pages and
// the administration pages, with axe-core and the Japanese checks on each page
// (the English dashboard checked as English), a screenshot of each step,
// login and the register form completed with the keyboard alone.
func TestOfficerJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journey skipped in -short mode")
	}
	needChromium(t)
	srv := startServer(t)
	b := newTab(t, srv)

	b.loginChecked("sapporo-reviewer", true)
	text := b.check("dashboard")
	wantText(t, "dashboard", text, "個人情報ファイル簿")
	wantMatch(t, "dashboard", text, dualDate, "和暦 date with the Gregorian date")
	body := srv.w.Bodies["札幌市長"]
	if body == nil {
		t.Fatal("demo has no 札幌市長")
	}
	base := fmt.Sprintf("/bodies/%d/register", body.ID)
	b.open("/bodies")
	b.check("bodies")
	b.open(base)
	list := b.check("register-list")
	var entryID int64
	for k, e := range srv.w.Entries {
		if strings.HasPrefix(k, "札幌市長/") {
			entryID = e.ID
			wantText(t, "register list", list, e.FileName)
		}
	}
	if entryID == 0 {
		t.Fatal("demo has no entry of 札幌市長")
	}
	// The demo's data created without a proposal (§2.5), with its file.
	b.open(fmt.Sprintf("/bodies/%d/datasets", body.ID))
	wantText(t, "body datasets", b.check("body-datasets"), "介護保険 年齢階級・要介護度別データ", "登録済み", "1,500")
	b.do("open the created dataset", chromedp.Click(chromedp.CSS(`table a[href*="/datasets/"]`)))
	b.waitPath(`^/bodies/\d+/datasets/[^/]+$`)
	text = b.check("body-dataset")
	wantText(t, "body dataset", text, "SHA-256", "札幌市-作成記録-デモ-001", "年齢階級、性別、居住区、要介護度")
	wantMatch(t, "body dataset", text, yen, "outsourcing cost in yen")
	for _, p := range []struct{ path, name string }{
		{fmt.Sprintf("%s/%d", base, entryID), "register-entry"},
		{fmt.Sprintf("%s/%d/history", base, entryID), "register-history"},
		{fmt.Sprintf("%s/%d/edit", base, entryID), "register-edit"},
		{base + "/import", "register-import"},
		{"/account/token", "api-token"},
		{"/bodies/99999/register", "error-not-found"},
	} {
		b.open(p.path)
		b.check(p.name)
	}

	// The register form, by keyboard alone.
	b.open(base + "/new")
	b.check("register-new")
	b.tabTo("file_name")
	b.key("ブラウザ試験 特定健診ファイル")
	b.tabTo("purpose")
	b.key("特定健康診査の実施")
	b.tabTo("item_name_0")
	b.key("氏名" + kb.Tab)
	b.key(strings.Repeat(kb.ArrowDown, 5)) // 文字 → … → 氏名
	b.tabTo("item_name_1")
	b.key("既往歴" + kb.Tab + kb.Tab + " ") // type stays 文字; tick 要配慮
	b.tabTo("special_care")
	b.key(" ")
	b.tabTo("BUTTON:submit") // the next button after the fields is 保存する
	if label := b.eval(`document.activeElement.textContent`); !strings.Contains(label, "保存") {
		t.Fatalf("focus on %q, want the save button", label)
	}
	b.key(kb.Enter)
	b.waitPath(`^/bodies/\d+/register/\d+\?notice=saved`)
	text = b.check("register-created")
	wantText(t, "created entry", text, "ブラウザ試験 特定健診ファイル", "特定健康診査の実施", "氏名（氏名）", "既往歴（文字・要配慮）", "含む", "保存しました")

	b.logout()
	b.check("logged-out")

	// The approver's form for data created without a proposal (§2.5).
	b.login("sapporo-approver")
	b.open(fmt.Sprintf("/bodies/%d/datasets/new", body.ID))
	wantText(t, "dataset form", b.check("body-dataset-new"), "作成した情報の掲載")

	// The window's joint commission records: list, record, form.
	b.login("officer")
	b.open("/commissions")
	text = b.check("commissions")
	wantMatch(t, "commissions", text, yen, "shares in yen")
	href := b.eval(`(a => a ? a.getAttribute("href") : "")(document.querySelector('a[href^="/commissions/"]:not([href$="/new"])'))`)
	if href == "" {
		t.Fatalf("the commission list links no record:\n%.1500s", text)
	}
	b.open(href)
	text = b.check("commission-record")
	wantMatch(t, "commission record", text, yen, "shares in yen")
	wantMatch(t, "commission record", text, dualDate, "和暦 date with the Gregorian date")
	b.open(href + "/edit")
	b.check("commission-edit")
	b.open("/commissions/new")
	b.check("commission-new")

	b.login("admin")
	for _, p := range []struct{ path, name string }{
		{"/admin/users", "users"}, {fmt.Sprintf("/admin/users/%d", srv.w.Users["sapporo-reviewer"].ID), "user-edit"},
		{"/audit", "audit"},
	} {
		b.open(p.path)
		b.check(p.name)
	}
	b.open("/dashboard?lang=en")
	wantText(t, "English dashboard", b.checkLang("dashboard-en", "en"), "Home")
}
