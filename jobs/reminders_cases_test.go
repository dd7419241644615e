package jobs

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/tokumei/tokumei/demo"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
	"github.com/tokumei/tokumei/vault"
)

// The daily reminders job records one reminder on a case whose use period
// ends within its body's reminder days, and none on the others.
func TestRemindersJobRecordsEndingCases(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		v, err := vault.New(db, bytes.Repeat([]byte{5}, 32))
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().Truncate(time.Second)
		svc := &platform.Services{Store: db, Vault: v, Now: func() time.Time { return now }}
		if _, _, err := demo.Seed(ctx, svc); err != nil {
			t.Fatal(err)
		}
		cs, err := db.Cases(ctx, platform.CaseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var ending platform.Case
		for _, c := range cs {
			if c.State == platform.StateInUse {
				ending = c
			}
		}
		if ending.ID == 0 {
			t.Fatal("no demo case in use")
		}
		now = ending.UseTo.AddDate(0, 0, -1)
		w := &remindersWorker{d: Deps{Services: svc, Store: db}}
		job := &river.Job[UseRemindersJob]{JobRow: &rivertype.JobRow{ID: 1, Kind: UseRemindersJob{}.Kind()}}
		for range 2 { // the second run adds nothing
			if err := w.Work(ctx, job); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range cs {
			ev, err := db.Events(ctx, c.ProposalID)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, e := range ev {
				if e.CaseID == c.ID && e.Action == "reminder" {
					n++
				}
			}
			inUse := c.State == platform.StateInUse || c.State == platform.StateChangeProposed
			switch {
			case c.ID == ending.ID && n != 1:
				t.Errorf("case %d (ending %v): %d reminders, want 1", c.ID, c.UseTo, n)
			case c.ID != ending.ID && (!inUse || c.UseTo.After(now.AddDate(0, 0, 90))) && n != 0:
				t.Errorf("case %d (%s, ending %v): %d reminders, want none", c.ID, c.State, c.UseTo, n)
			}
		}
	})
}
