package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/demo"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
	"github.com/tokumei/tokumei/vault"
)

// Every case of the demo (one in each state) renders, with its documents,
// for the window, for the body and for the business.
func TestDemoCasePagesRender(t *testing.T) {
	db := sqlstoretest.SQLite(t)
	v, err := vault.New(db, bytes.Repeat([]byte{5}, 32))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	svc := &platform.Services{Store: db, Vault: v, Now: func() time.Time { return now }}
	if _, _, err := demo.Seed(context.Background(), svc); err != nil {
		t.Fatal(err)
	}
	s, err := New(Deps{Store: db, Services: svc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, db: db, now: now, srv: httptest.NewServer(s.Handler())}
	t.Cleanup(f.srv.Close)
	login := func(name string) *client {
		c := f.anon()
		c.get("/login")
		if st, _ := c.post("/login", url.Values{"login": {name}, "password": {demo.Password}}); st != http.StatusSeeOther {
			t.Fatalf("login %s: %d", name, st)
		}
		if name != "business" {
			c.get("/login/totp")
			code, _ := auth.TOTPCode(demo.TOTPSecret, now)
			if st, _ := c.post("/login/totp", url.Values{"code": {code}}); st != http.StatusSeeOther {
				t.Fatalf("totp %s: %d", name, st)
			}
		}
		return c
	}
	cases, err := db.Cases(context.Background(), platform.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	users := []*client{login("officer"), login("sapporo-approver"), login("business")}
	sapporo, _ := db.UserByLogin(context.Background(), "sapporo-approver")
	for _, c := range cases {
		base := "/cases/" + strconv.FormatInt(c.ID, 10)
		paths := []string{base}
		if c.Notice != nil {
			paths = append(paths, base+"/notice")
		}
		if c.Invoice != nil {
			paths = append(paths, base+"/invoice")
		}
		if c.Contract != nil {
			paths = append(paths, base+"/contract")
		}
		for ui, u := range users {
			if ui == 1 && c.BodyID != sapporo.BodyID {
				continue
			}
			for _, p := range paths {
				if st, b := u.get(p); st != http.StatusOK {
					t.Errorf("%s (%s) as user %d: %d\n%.500s", p, c.State, ui, st, b)
				}
			}
		}
		if c.State == platform.StateCancelled {
			// The ground shows as its label, not as the stored code.
			_, b := users[0].get(base)
			if strings.Contains(b, "breach:") || !strings.Contains(b, "契約違反 — 契約に定める") {
				t.Errorf("cancelled case timeline shows the ground code:\n%.2000s", b[strings.Index(b, "timeline"):])
			}
		}
		if c.Processing != nil && c.Processing.RecordVault != "" && c.State != platform.StateArchived {
			// The printable processing record, for officers only.
			if st, b := users[0].get(base + "/record"); st != http.StatusOK || !strings.Contains(b, "加工の記録") {
				t.Errorf("%s/record (%s): %d\n%.300s", base, c.State, st, b)
			}
			if st, _ := users[2].get(base + "/record"); st != http.StatusForbidden && st != http.StatusNotFound {
				t.Errorf("%s/record shown to the business: %d", base, st)
			}
		}
	}
	for _, p := range []string{"/proposals", "/cases", "/calls", "/commissions", "/bodies/" + strconv.FormatInt(sapporo.BodyID, 10) + "/procedure"} {
		if st, b := users[0].get(p); st != http.StatusOK {
			t.Errorf("%s: %d\n%.500s", p, st, b)
		}
	}
	ps, _ := db.Proposals(context.Background(), 0)
	for _, p := range ps {
		if st, b := users[2].get("/proposals/" + strconv.FormatInt(p.ID, 10)); st != http.StatusOK {
			t.Errorf("proposal %d (%s): %d\n%.500s", p.ID, p.State, st, b)
		}
	}
}
