package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/demo"
)

// waitPath waits until the page's path matches re (after a key press that
// submits a form).
func (s *session) waitPath(re string) string {
	s.t.Helper()
	rx := regexp.MustCompile(re)
	var p string
	for i := 0; i < 100; i++ {
		p = s.eval(`document.readyState === "complete" ? location.pathname + location.search : ""`)
		if p != "" && rx.MatchString(p) {
			return p
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.shot("wait-path")
	s.t.Fatalf("page path %q never matched %s", p, re)
	return ""
}

// login logs in with the keyboard alone: login, Tab, password, Enter, then
// the one-time code and Enter.
func (s *session) login(login string, check bool) {
	s.t.Helper()
	s.open("/login")
	if check {
		s.check("login")
	}
	s.tabTo("login")
	s.key(login + kb.Tab + demo.Password + kb.Enter)
	s.waitPath(`^/login/totp`)
	if check {
		s.check("login-totp")
	}
	s.tabTo("code")
	code, err := auth.TOTPCode(demo.TOTPSecret, time.Now())
	if err != nil {
		s.t.Fatal(err)
	}
	s.key(code + kb.Enter)
	s.waitPath(`^/dashboard`)
}

// logout presses the logout button with the keyboard.
func (s *session) logout() {
	s.t.Helper()
	s.tabTo("BUTTON:submit") // the first button of every page is "ログアウト"
	s.key(kb.Enter)
	s.waitPath(`^/login`)
}

// TestOfficerJourney walks the register pages of a body reviewer and the
// administration pages, with axe-core on each page, a screenshot of each
// step, and the register form completed with the keyboard alone.
func TestOfficerJourney(t *testing.T) {
	s := newSession(t)
	s.login("sapporo-reviewer", true)
	text := s.check("dashboard")
	if !strings.Contains(text, "個人情報ファイル簿") || !strings.Contains(text, "令和") {
		t.Errorf("dashboard text:\n%s", text)
	}
	body := s.w.Bodies["札幌市長"]
	if body == nil {
		t.Fatal("demo has no 札幌市長")
	}
	base := fmt.Sprintf("/bodies/%d/register", body.ID)
	s.open("/bodies")
	s.check("bodies")
	s.open(base)
	list := s.check("register-list")
	var entryID int64
	for k, e := range s.w.Entries {
		if strings.HasPrefix(k, "札幌市長/") {
			entryID = e.ID
			if !strings.Contains(list, e.FileName) {
				t.Errorf("register list lacks %s", e.FileName)
			}
		}
	}
	if entryID == 0 {
		t.Fatal("demo has no entry of 札幌市長")
	}
	for _, p := range []struct{ path, name string }{
		{fmt.Sprintf("%s/%d", base, entryID), "register-entry"},
		{fmt.Sprintf("%s/%d/history", base, entryID), "register-history"},
		{fmt.Sprintf("%s/%d/edit", base, entryID), "register-edit"},
		{base + "/import", "register-import"},
		{"/account/token", "api-token"},
		{"/bodies/99999/register", "error-not-found"},
	} {
		s.open(p.path)
		s.check(p.name)
	}

	// The register form, by keyboard alone.
	s.open(base + "/new")
	s.check("register-new")
	s.tabTo("file_name")
	s.key("e2e 特定健診ファイル")
	s.tabTo("purpose")
	s.key("特定健康診査の実施")
	s.tabTo("item_name_0")
	s.key("氏名" + kb.Tab)
	s.key(strings.Repeat(kb.ArrowDown, 5)) // 文字 → … → 氏名
	s.tabTo("item_name_1")
	s.key("既往歴" + kb.Tab + kb.Tab + " ") // type stays 文字; tick 要配慮
	s.tabTo("special_care")
	s.key(" ")
	s.tabTo("BUTTON:submit") // the next button after the fields is 保存する
	if label := s.eval(`document.activeElement.textContent`); !strings.Contains(label, "保存") {
		t.Fatalf("focus on %q, want the save button", label)
	}
	s.key(kb.Enter)
	s.waitPath(`^/bodies/\d+/register/\d+\?notice=saved`)
	text = s.check("register-created")
	for _, want := range []string{"e2e 特定健診ファイル", "特定健康診査の実施", "氏名（氏名）", "既往歴（文字・要配慮）", "含む", "保存しました"} {
		if !strings.Contains(text, want) {
			t.Errorf("created entry lacks %q:\n%s", want, text)
		}
	}

	s.logout()
	s.check("logged-out")
	s.login("admin", false)
	for _, p := range []struct{ path, name string }{
		{"/admin/users", "users"}, {fmt.Sprintf("/admin/users/%d", s.w.Users["sapporo-reviewer"].ID), "user-edit"},
		{"/audit", "audit"}, {"/dashboard?lang=en", "dashboard-en"},
	} {
		s.open(p.path)
		text = s.check(p.name)
	}
	if !strings.Contains(text, "Home") {
		t.Errorf("English dashboard:\n%s", text)
	}
}
