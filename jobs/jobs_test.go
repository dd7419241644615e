package jobs_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tokumei/tokumei/jobs"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

type countArgs struct {
	Test string `json:"test"`
	N    int    `json:"n"`
}

func (countArgs) Kind() string { return "test_count" }

// runs counts executions per test and job number.
var runs = struct {
	sync.Mutex
	m map[string]map[int]int
}{m: map[string]map[int]int{}}

type countWorker struct {
	river.WorkerDefaults[countArgs]
}

func (countWorker) Work(ctx context.Context, job *river.Job[countArgs]) error {
	time.Sleep(5 * time.Millisecond)
	runs.Lock()
	defer runs.Unlock()
	if runs.m[job.Args.Test] == nil {
		runs.m[job.Args.Test] = map[int]int{}
	}
	runs.m[job.Args.Test][job.Args.N]++
	return nil
}

func init() {
	jobs.Register(func(jobs.Deps) river.Worker[countArgs] { return countWorker{} })
}

func openQueue(t *testing.T, db *sqlstore.DB, id string) *jobs.Queue {
	t.Helper()
	q, err := jobs.Open(context.Background(), jobs.Config{DB: db, PollInterval: 50 * time.Millisecond, ID: id})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		q.Stop(ctx)
	})
	return q
}

// Two servers on one database: every job enqueued once runs exactly once.
func TestRunOnceAcrossServers(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		other := sqlstoretest.SecondHandle(t, db)
		q1 := openQueue(t, db, "server1")
		q2 := openQueue(t, other, "server2")
		const n = 30
		for i := range n {
			q := q1
			if i%2 == 1 {
				q = q2
			}
			if err := q.Enqueue(context.Background(), countArgs{Test: t.Name(), N: i}); err != nil {
				t.Fatal(err)
			}
		}
		deadline := time.Now().Add(60 * time.Second)
		for {
			runs.Lock()
			done := len(runs.m[t.Name()])
			runs.Unlock()
			if done == n || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		time.Sleep(300 * time.Millisecond) // a duplicate run would show up now
		runs.Lock()
		defer runs.Unlock()
		got := runs.m[t.Name()]
		if len(got) != n {
			t.Fatalf("%d of %d jobs ran", len(got), n)
		}
		for i, c := range got {
			if c != 1 {
				t.Errorf("job %d ran %d times", i, c)
			}
		}
	})
}

// A job enqueued while no server works survives until one starts.
func TestJobSurvivesRestart(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		q, err := jobs.Open(context.Background(), jobs.Config{DB: db})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Enqueue(context.Background(), countArgs{Test: t.Name(), N: 1}); err != nil {
			t.Fatal(err)
		}
		q.Stop(context.Background()) // never started: the job waits in the table
		openQueue(t, sqlstoretest.SecondHandle(t, db), "later")
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			runs.Lock()
			c := runs.m[t.Name()][1]
			runs.Unlock()
			if c == 1 {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatal("the stored job never ran")
	})
}
