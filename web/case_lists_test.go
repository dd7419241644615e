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
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/demo"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
	"github.com/tokumei/tokumei/vault"
)

// demoServer seeds the demo at start and serves it with a clock the test
// moves; officer logs the officer in at the current clock (sessions expire
// when the clock moves), login any demo user.
func demoServer(t *testing.T, db *sqlstore.DB, start time.Time) (svc *platform.Services, clock *atomic.Int64, officer func() *client) {
	svc, clock, login := demoServerAs(t, db, start)
	return svc, clock, func() *client { return login("officer") }
}

func demoServerAs(t *testing.T, db *sqlstore.DB, start time.Time) (svc *platform.Services, clock *atomic.Int64, login func(name string) *client) {
	t.Helper()
	v, err := vault.New(db, bytes.Repeat([]byte{5}, 32))
	if err != nil {
		t.Fatal(err)
	}
	clock = &atomic.Int64{}
	clock.Store(start.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	svc = &platform.Services{Store: db, Vault: v, Now: now}
	if _, _, err := demo.Seed(context.Background(), svc); err != nil {
		t.Fatal(err)
	}
	s, err := New(Deps{Store: db, Services: svc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, db: db, now: start, srv: httptest.NewServer(s.Handler())}
	t.Cleanup(f.srv.Close)
	login = func(name string) *client {
		c := f.anon()
		c.get("/login")
		if st, _ := c.post("/login", url.Values{"login": {name}, "password": {demo.Password}}); st != http.StatusSeeOther {
			t.Fatalf("login %s: %d", name, st)
		}
		if name != "business" {
			c.get("/login/totp")
			code, _ := auth.TOTPCode(demo.TOTPSecret, now())
			if st, _ := c.post("/login/totp", url.Values{"code": {code}}); st != http.StatusSeeOther {
				t.Fatalf("totp %s: %d", name, st)
			}
		}
		return c
	}
	return svc, clock, login
}

func approverOf(t *testing.T, db *sqlstore.DB, body platform.ID) context.Context {
	t.Helper()
	us, err := db.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := range us {
		u := &us[i]
		if u.BodyID == body && u.Role == platform.RoleBodyApprover {
			return platform.WithActor(context.Background(), u.Actor())
		}
	}
	t.Fatalf("no approver for body %d", body)
	return nil
}

func caseIn(t *testing.T, db *sqlstore.DB, s platform.State) platform.Case {
	t.Helper()
	cs, err := db.Cases(context.Background(), platform.CaseFilter{States: []platform.State{s}})
	if err != nil || len(cs) == 0 {
		t.Fatalf("no demo case in %s: %v", s, err)
	}
	return cs[0]
}

func listed(body string, id platform.ID) bool {
	return strings.Contains(body, `href="/cases/`+strconv.FormatInt(id, 10)+`"`)
}

// A body's changed deadline moves the due date of its open cases, and a
// case past it appears on the overdue list.
func TestOverdueListFollowsBodyDeadlines(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		start := time.Now().Truncate(time.Second)
		svc, clock, officer := demoServer(t, db, start)
		c := caseIn(t, db, platform.StateLGReview)
		p := svc.Procedure()
		appr := approverOf(t, db, c.BodyID)
		dl, err := p.Deadlines(appr, c.BodyID)
		if err != nil {
			t.Fatal(err)
		}
		dl.BodyID = c.BodyID
		if dl.Days == nil {
			dl.Days = map[platform.State]int{}
		}
		dl.Days[platform.StateLGReview] = 400
		if err := p.SetDeadlines(appr, dl); err != nil {
			t.Fatal(err)
		}
		far, _ := db.Case(context.Background(), c.ID)
		dl.Days[platform.StateLGReview] = 2
		if err := p.SetDeadlines(appr, dl); err != nil {
			t.Fatal(err)
		}
		near, _ := db.Case(context.Background(), c.ID)
		if far.DueAt == nil || near.DueAt == nil || far.DueAt.Sub(*near.DueAt) != 398*24*time.Hour {
			t.Fatalf("due date did not follow the deadline: %v then %v", far.DueAt, near.DueAt)
		}
		if _, b := officer().get("/cases/overdue"); listed(b, c.ID) {
			t.Fatalf("case %d overdue before its deadline", c.ID)
		}
		clock.Store(near.DueAt.Add(time.Hour).UnixNano())
		if st, b := officer().get("/cases/overdue"); st != http.StatusOK || !listed(b, c.ID) {
			t.Fatalf("case %d (due %v) not on the overdue list: %d\n%.1500s", c.ID, near.DueAt, st, b)
		}
	})
}

// A case whose use period ends soon is listed; the GET writes no event.
func TestEndingListWritesNothing(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		start := time.Now().Truncate(time.Second)
		_, clock, officer := demoServer(t, db, start)
		c := caseIn(t, db, platform.StateInUse)
		clock.Store(c.UseTo.AddDate(0, 0, -1).UnixNano())
		if st, b := officer().get("/cases/ending"); st != http.StatusOK || !listed(b, c.ID) {
			t.Fatalf("case %d not on the ending list: %d\n%.1500s", c.ID, st, b)
		}
		ev, err := db.Events(context.Background(), c.ProposalID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ev {
			if e.Action == "reminder" {
				t.Fatalf("GET /cases/ending wrote %+v", e)
			}
		}
	})
}
