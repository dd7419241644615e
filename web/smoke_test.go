package web

import (
	"net/http"
	"strings"
	"testing"
)

func TestSmoke(t *testing.T) {
	f := newFixture(t)
	c := f.login("rev-a")
	for _, p := range []string{"/dashboard", "/bodies", "/bodies/1/register", "/bodies/1/register/1", "/bodies/1/register/new",
		"/bodies/1/register/1/edit", "/bodies/1/register/1/history", "/bodies/1/register/import"} {
		st, b := c.get(p)
		if st != http.StatusOK {
			t.Errorf("%s: %d\n%s", p, st, b)
		}
		if strings.Contains(b, "field.") || strings.Contains(b, "register.") {
			t.Errorf("%s: untranslated key in page", p)
		}
	}
}
