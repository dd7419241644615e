package sqlstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

// A case with a download grant for one user, on every database.
func caseWithGrant(t *testing.T, db *sqlstore.DB, expires time.Time) (*platform.Case, *platform.User) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	ok := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ok(db.UpsertLocalGovernments(ctx, []platform.LocalGovernment{{Code: "011002", Name: "札幌市", PrefCode: "01", Pref: "北海道", Kind: "designated-city"}}))
	b := &platform.Body{LGCode: "011002", Kind: platform.BodyMayor, Name: "札幌市長", CreatedAt: now}
	ok(db.CreateBody(ctx, b))
	biz := &platform.Business{Name: "A", CreatedAt: now}
	ok(db.CreateBusiness(ctx, biz))
	u := &platform.User{Login: "u", Role: platform.RoleBusiness, BusinessID: biz.ID, CreatedAt: now}
	ok(db.CreateUser(ctx, u))
	pr := &platform.Proposal{BusinessID: biz.ID, State: platform.StateForked, CreatedAt: now, UpdatedAt: now}
	ok(db.CreateProposal(ctx, pr))
	c := &platform.Case{ProposalID: pr.ID, BodyID: b.ID, BusinessID: biz.ID, State: platform.StateProvided, CreatedAt: now, UpdatedAt: now}
	ok(db.CreateCase(ctx, c))
	ok(db.CreateDownload(ctx, &platform.Download{CaseID: c.ID, UserID: u.ID, ExpiresAt: expires, CreatedAt: now}))
	return c, u
}

// Two servers race for one single-use download: exactly one wins.
func TestDownloadSingleUseAcrossServers(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		c, u := caseWithGrant(t, db, time.Now().Add(time.Hour))
		other := sqlstoretest.SecondHandle(t, db)
		var wg sync.WaitGroup
		results := make([]error, 8)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				h := db
				if i%2 == 1 {
					h = other
				}
				_, results[i] = h.UseDownload(context.Background(), c.ID, u.ID, time.Now())
			}()
		}
		wg.Wait()
		wins := 0
		for _, err := range results {
			switch fault.ErrorCode(err) {
			case "":
				wins++
			case fault.Conflict, fault.Unavailable:
			default:
				t.Errorf("unexpected error %v", err)
			}
		}
		if wins != 1 {
			t.Fatalf("%d downloads succeeded, want 1", wins)
		}
	})
}

func TestDownloadExpiredAndVersions(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		c, u := caseWithGrant(t, db, time.Now().Add(-time.Minute))
		if _, err := db.UseDownload(ctx, c.ID, u.ID, time.Now()); fault.ErrorCode(err) != fault.Conflict {
			t.Fatalf("expired grant used: %v", err)
		}
		if _, err := db.UseDownload(ctx, c.ID, u.ID+99, time.Now()); fault.ErrorCode(err) != fault.NotFound {
			t.Fatalf("grant of nobody: %v", err)
		}
		a, _ := db.Case(ctx, c.ID)
		b, _ := db.Case(ctx, c.ID)
		a.State = platform.StateInUse
		if err := db.UpdateCase(ctx, a); err != nil {
			t.Fatal(err)
		}
		b.State = platform.StateCancelled
		if err := db.UpdateCase(ctx, b); fault.ErrorCode(err) != fault.Conflict {
			t.Fatalf("stale update accepted: %v", err)
		}
		got, _ := db.Cases(ctx, platform.CaseFilter{States: []platform.State{platform.StateInUse}, BusinessID: c.BusinessID})
		if len(got) != 1 || got[0].Version != 2 {
			t.Fatalf("cases by state: %+v", got)
		}
	})
}
