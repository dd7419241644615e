package i18n

import "testing"

func TestCatalogueComplete(t *testing.T) {
	if m := Missing(); len(m) > 0 {
		t.Errorf("keys without ja or en text: %v", m)
	}
	if len(Keys()) < 20 {
		t.Errorf("catalogue has only %d keys", len(Keys()))
	}
}

func TestT(t *testing.T) {
	if got := T(JA, "app.name"); got != "Tokumei 匿名加工情報プラットフォーム" {
		t.Errorf("ja app.name = %q", got)
	}
	if got := T(EN, "app.name"); got != "Tokumei anonymised-data platform" {
		t.Errorf("en app.name = %q", got)
	}
	if got := T(JA, "no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key = %q", got)
	}
	if Parse("EN") != EN || Parse("fr") != JA || Parse("") != JA {
		t.Error("Parse")
	}
}
