package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

// A working queue schedules the use-period reminders itself (daily, and
// once at start) and the worker completes them: nobody has to enqueue them.
func TestRemindersScheduled(t *testing.T) {
	db := sqlstoretest.SQLite(t)
	svc := newServices(t, db)
	processQueue(t, db, svc, "server-reminders")
	deadline := time.Now().Add(30 * time.Second)
	for {
		var state string
		err := db.SQL().QueryRowContext(context.Background(),
			"SELECT state FROM river_job WHERE kind = 'use_reminders' ORDER BY id LIMIT 1").Scan(&state)
		if err == nil && state == "completed" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no completed use_reminders job after 30 s (state %q, err %v)", state, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
