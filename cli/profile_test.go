package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestProfileCommand(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("氏名,個人番号,宛名番号,電話番号,生年月日,性別,住所\n")
	names := []string{"佐藤 太郎", "鈴木 花子", "高橋 一郎", "田中 美咲", "伊藤 翔"}
	// Valid My Numbers: body + check digit computed by the standard rule.
	myn := []string{"123456789018", "000000000019", "111111111118", "222222222225", "333333333332"}
	for i := 0; i < 25; i++ {
		b.WriteString(strings.Join([]string{names[i%5], myn[i%5], "00" + string(rune('1'+i%9)) + "0000" + string(rune('0'+i/10)) + string(rune('0'+i%10)),
			"090-1234-56" + string(rune('0'+i/10)) + string(rune('0'+i%10)), "昭和45年3月1日", []string{"男", "女"}[i%2],
			"鳥取県鳥取市東町1丁目" + string(rune('1'+i%9)) + "-1"}, ",") + "\n")
	}
	in := filepath.Join(dir, "juki.csv")
	os.WriteFile(in, []byte(b.String()), 0o600)
	specOut := filepath.Join(dir, "job.json")
	stdout, stderr, code := runCmd(t, "profile", in, "--format", "json", "--spec-out", specOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var cols []struct{ Column, Class, Reason string }
	if err := json.Unmarshal([]byte(stdout), &cols); err != nil {
		t.Fatal(err)
	}
	want := []string{"identifier", "identification-code", "linking-code", "identifier", "quasi-identifier", "quasi-identifier", "quasi-identifier"}
	if len(cols) != len(want) {
		t.Fatalf("%d columns", len(cols))
	}
	for i, c := range cols {
		if c.Class != want[i] || c.Reason == "" {
			t.Errorf("%s: %s (%s), want %s", c.Column, c.Class, c.Reason, want[i])
		}
	}
	spec, err := os.ReadFile(specOut)
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(spec, &s); err != nil {
		t.Fatal(err)
	}
	if s["input"].(map[string]any)["path"] != "juki.csv" || len(s["attributes"].([]any)) != 7 {
		t.Errorf("draft spec %s", spec)
	}
	stdout, _, code = runCmd(t, "profile", in)
	if code != 0 || !strings.Contains(stdout, "個人識別符号") && !strings.Contains(stdout, "identification-code") {
		t.Errorf("text output %q", stdout)
	}
	tplOut := filepath.Join(dir, "tpl.json")
	stdout, stderr, code = runCmd(t, "profile", "--template", "介護保険", "--spec-out", tplOut)
	if code != 0 || !strings.Contains(stdout, "pseudonym") {
		t.Errorf("template: exit %d %s %s", code, stdout, stderr)
	}
	if b, err := os.ReadFile(tplOut); err != nil || !strings.Contains(string(b), "要介護度") {
		t.Errorf("template spec not written: %v", err)
	}
	if _, _, code = runCmd(t, "profile", "--template", "nope"); code != 4 {
		t.Errorf("unknown template: exit %d", code)
	}
	if _, _, code = runCmd(t, "profile"); code != 2 {
		t.Errorf("no file: exit %d", code)
	}
}
