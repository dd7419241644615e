package demo_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/tokumei/tokumei/demo"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
	"github.com/tokumei/tokumei/vault"
)

// The demo holds a proposal or a case in every state of DESIGN.md, and the
// audit chain of all that verifies.
func TestSeedHasEveryState(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		v, err := vault.New(db, bytes.Repeat([]byte{9}, 32))
		if err != nil {
			t.Fatal(err)
		}
		svc := &platform.Services{Store: db, Vault: v}
		if _, seeded, err := demo.Seed(ctx, svc); err != nil || !seeded {
			t.Fatalf("seed: %v %v", seeded, err)
		}
		have := map[platform.State]bool{}
		ps, err := db.Proposals(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			have[p.State] = true
		}
		cs, err := db.Cases(ctx, platform.CaseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			have[c.State] = true
		}
		calls, err := db.Calls(ctx, 0)
		if err != nil || len(calls) < 2 {
			t.Fatalf("calls %d %v", len(calls), err)
		}
		for _, c := range calls {
			have[c.State(time.Now())] = true
		}
		for _, s := range platform.AllStates {
			if !have[s] {
				t.Errorf("no proposal or case in state %s", s)
			}
		}
		if n, _, err := db.VerifyAudit(ctx); err != nil || n < 200 {
			t.Errorf("audit chain: %d records, %v", n, err)
		}
		pub, err := svc.Procedure().PublishedCommissions(ctx)
		if err != nil || len(pub) != 1 {
			t.Errorf("published commissions %v %v", pub, err)
		}
	})
}
