package demo_test

import (
	"context"
	"testing"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/demo"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

func TestSeed(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		svc := &platform.Services{Store: db}
		w, seeded, err := demo.Seed(ctx, svc)
		if err != nil || !seeded {
			t.Fatalf("seed: %v %v", seeded, err)
		}
		lgs, _ := db.LocalGovernments(ctx, "")
		if len(lgs) < 1788 {
			t.Errorf("%d local governments", len(lgs))
		}
		sapporo, _ := db.LocalGovernment(ctx, "011002")
		if !sapporo.SchemeMandatory || !sapporo.SchemeAdopted || sapporo.OrdinanceStatus != "enacted" {
			t.Errorf("札幌市 %+v", sapporo)
		}
		roles := map[platform.Role]bool{}
		for _, l := range w.Logins {
			u, err := db.UserByLogin(ctx, l.Login)
			if err != nil {
				t.Fatal(err)
			}
			if ok, _ := auth.CheckPassword(u.PasswordHash, demo.Password); !ok {
				t.Errorf("%s: demo password does not match", l.Login)
			}
			roles[u.Role] = true
		}
		for _, r := range platform.AllRoles {
			if !roles[r] {
				t.Errorf("no demo user with role %s", r)
			}
		}
		// the Sapporo reviewer sees Sapporo's register only
		rev := w.As(ctx, "sapporo-reviewer")
		own, err := svc.RegisterEntries(rev, 0)
		if err != nil || len(own) != 3 {
			t.Errorf("sapporo register: %d, %v", len(own), err)
		}
		if _, err := svc.RegisterEntries(rev, w.Bodies["福岡県知事"].ID); err == nil {
			t.Error("sapporo reviewer read Fukuoka's register")
		}
		if n, _, err := db.VerifyAudit(ctx); err != nil || n == 0 {
			t.Errorf("audit after seed: %d, %v", n, err)
		}
		_, seeded, err = demo.Seed(ctx, svc)
		if err != nil || seeded {
			t.Errorf("second seed: seeded=%v %v", seeded, err)
		}
		us, _ := db.Users(ctx)
		if len(us) != len(w.Logins) {
			t.Errorf("%d users after second seed", len(us))
		}
	})
}
