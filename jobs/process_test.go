package jobs_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokumei/tokumei/jobs"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
	"github.com/tokumei/tokumei/standard"
	"github.com/tokumei/tokumei/vault"
)

// processingCase stores a case in PROCESSING with a 600-record extract in
// the vault, as the procedure leaves it after start_processing.
func processingCase(t *testing.T, db *sqlstore.DB, svc *platform.Services) (*platform.Case, *platform.User) {
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
	body := &platform.Body{LGCode: "011002", Kind: platform.BodyMayor, Name: "札幌市長", CreatedAt: now}
	ok(db.CreateBody(ctx, body))
	biz := &platform.Business{Name: "株式会社A", CreatedAt: now}
	ok(db.CreateBusiness(ctx, biz))
	proc := &platform.User{Login: "proc", Role: platform.RoleProcessor, CreatedAt: now}
	ok(db.CreateUser(ctx, proc))
	e := &platform.RegisterEntry{BodyID: body.ID, FileName: "要介護認定ファイル", Purpose: "介護保険", Kind: platform.FileComputer,
		Items: []platform.RecordItem{{Name: "生年月日", Type: platform.ItemDate}, {Name: "性別", Type: platform.ItemCode}, {Name: "要介護度", Type: platform.ItemText}}}
	ok(db.CreateRegisterEntry(ctx, e, proc.ID))
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"生年月日", "性別", "要介護度"})
	for i := range 600 {
		w.Write([]string{fmt.Sprintf("19%02d-%02d-%02d", 30+i%40, 1+i%12, 1+i%28), []string{"男", "女"}[i%2], fmt.Sprint("要介護", 1+i%5)})
	}
	w.Flush()
	obj, err := svc.Vault.Put(ctx, "extract.csv", strings.NewReader(b.String()))
	ok(err)
	pr := &platform.Proposal{BusinessID: biz.ID, State: platform.StateForked, CreatedAt: now, UpdatedAt: now}
	ok(db.CreateProposal(ctx, pr))
	c := &platform.Case{ProposalID: pr.ID, BodyID: body.ID, BusinessID: biz.ID, Kind: platform.KindNew, State: platform.StateProcessing,
		Targets: []platform.Target{{BodyID: body.ID, EntryID: e.ID, Items: []platform.ItemRequest{
			{Item: "生年月日", Type: platform.ItemDate, Granularity: platform.GranMonth},
			{Item: "性別", Type: platform.ItemCode, Granularity: platform.GranAsIs},
			{Item: "要介護度", Type: platform.ItemText, Granularity: platform.GranAsIs}}}},
		Extract:    &platform.Extract{VaultID: obj.ID, Name: "extract.csv", SHA256: obj.SHA256, Rows: 600, Columns: []string{"生年月日", "性別", "要介護度"}},
		Processing: &platform.ProcessingRun{StartedBy: proc.ID, StartedAt: now}, CreatedAt: now, UpdatedAt: now}
	ok(db.CreateCase(ctx, c))
	return c, proc
}

func newServices(t *testing.T, db *sqlstore.DB) *platform.Services {
	v, err := vault.New(db, bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return &platform.Services{Store: db, Vault: v}
}

func processQueue(t *testing.T, db *sqlstore.DB, svc *platform.Services, id string) *jobs.Queue {
	t.Helper()
	q, err := jobs.Open(context.Background(), jobs.Config{DB: db, PollInterval: 50 * time.Millisecond, ID: id,
		Deps: jobs.Deps{Services: svc, Store: db, Vault: svc.Vault}})
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

// Two servers on one database, the job enqueued twice: the engine's result
// is stored once, the case moves to RISK_CHECK, the output is k-anonymous
// on the generalised columns and the record is in the vault.
func TestProcessingJobOnceAcrossServers(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		svc := newServices(t, db)
		c, proc := processingCase(t, db, svc)
		other := sqlstoretest.SecondHandle(t, db)
		svc2 := newServices(t, other)
		q1 := processQueue(t, db, svc, "server1")
		q2 := processQueue(t, other, svc2, "server2")
		job := platform.ProcessCaseJob{CaseID: c.ID, UserID: proc.ID}
		if err := q1.Enqueue(context.Background(), job); err != nil {
			t.Fatal(err)
		}
		if err := q2.Enqueue(context.Background(), job); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		deadline := time.Now().Add(60 * time.Second)
		var got *platform.Case
		for time.Now().Before(deadline) {
			var err error
			if got, err = db.Case(ctx, c.ID); err != nil {
				t.Fatal(err)
			}
			if got.State != platform.StateProcessing {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		time.Sleep(500 * time.Millisecond) // a second run would show now
		if got.State != platform.StateRiskCheck {
			t.Fatalf("case in %s (processing error %q)", got.State, got.Processing.Error)
		}
		events, err := db.Events(ctx, c.ProposalID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range events {
			if e.Action == platform.ActFinishProcessing {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("processing finished %d times", n)
		}
		if got.Processing.MinClass < 5 || got.Processing.OutputRows == 0 {
			t.Errorf("output min class %d, rows %d", got.Processing.MinClass, got.Processing.OutputRows)
		}
		rc, err := svc.Vault.Open(ctx, got.Processing.OutputVault)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := io.ReadAll(rc)
		rc.Close()
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) < 2 || strings.Contains(lines[1], "-15") || strings.Count(lines[1], "-") > 1 {
			t.Errorf("birth date not generalised to month or coarser: %q", lines[1])
		}
		rc, err = svc.Vault.Open(ctx, got.Processing.RecordVault)
		if err != nil {
			t.Fatal(err)
		}
		rec, _ := io.ReadAll(rc)
		rc.Close()
		var sr standard.Record
		if err := json.Unmarshal(rec, &sr); err != nil {
			t.Fatal(err)
		}
		if sr.Input.SHA256 != c.Extract.SHA256 || sr.Output.SHA256 != got.Processing.OutputSHA256 || len(sr.Items) != 5 || len(sr.Checks) != 5 || sr.Operator != "proc" {
			t.Errorf("processing record: input %+v output %+v, %d items, %d checks, operator %q", sr.Input, sr.Output, len(sr.Items), len(sr.Checks), sr.Operator)
		}
	})
}

// The path of the server: a processor starts processing through the
// procedure service, which queues the job; the worker finishes it.
func TestStartProcessingQueuesTheJob(t *testing.T) {
	db := sqlstoretest.SQLite(t)
	svc := newServices(t, db)
	c, proc := processingCase(t, db, svc)
	ctx := context.Background()
	c.State, c.Processing = platform.StateSourceReceived, nil
	if err := db.UpdateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	svc.Jobs = processQueue(t, db, svc, "server")
	pctx := platform.WithActor(ctx, proc.Actor())
	if _, err := svc.Procedure().StartProcessing(pctx, c.ID); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		got, err := db.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State == platform.StateRiskCheck {
			if got.Processing.JobID == "" || got.Processing.StartedBy != proc.ID || got.Processing.OutputSHA256 == "" {
				t.Fatalf("processing run %+v", got.Processing)
			}
			if len(got.Processing.ChecksFailed) > 0 {
				t.Errorf("Rule 62 checks failed on a clean output: %v", got.Processing.ChecksFailed)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the queued job did not finish processing")
}

// progressStore records the progress writes of the job.
type progressStore struct {
	platform.Store
	mu     sync.Mutex
	writes []platform.JobProgress
}

func (s *progressStore) SetJobProgress(ctx context.Context, id platform.ID, p platform.JobProgress) error {
	s.mu.Lock()
	s.writes = append(s.writes, p)
	s.mu.Unlock()
	return s.Store.SetJobProgress(ctx, id, p)
}

// The job writes its progress as it runs: phases in order, percentages
// between 0 and 100 that never go back, and 100 (done) at the end, which
// the store returns with the case.
func TestProcessingJobProgress(t *testing.T) {
	old := jobs.ProgressInterval
	jobs.ProgressInterval = 0
	t.Cleanup(func() { jobs.ProgressInterval = old })
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		svc := newServices(t, db)
		c, proc := processingCase(t, db, svc)
		ps := &progressStore{Store: db}
		svc.Store = ps
		if err := jobs.RunProcessJob(context.Background(), svc, platform.ProcessCaseJob{CaseID: c.ID, UserID: proc.ID}); err != nil {
			t.Fatal(err)
		}
		if len(ps.writes) < 3 {
			t.Fatalf("%d progress writes: %+v", len(ps.writes), ps.writes)
		}
		between, searching := 0, 0
		for i, w := range ps.writes {
			if i > 0 && w.Percent < ps.writes[i-1].Percent {
				t.Errorf("progress went back: %+v after %+v", w, ps.writes[i-1])
			}
			if w.Percent > 0 && w.Percent < 100 {
				between++
			}
			if w.Phase == platform.PhaseSearching {
				searching++
			}
		}
		last := ps.writes[len(ps.writes)-1]
		if between == 0 || searching == 0 || last.Percent != 100 || last.Phase != platform.PhaseDone {
			t.Errorf("writes %+v: want values between 0 and 100, a searching phase, and done at 100 last", ps.writes)
		}
		got, err := db.Case(context.Background(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != platform.StateRiskCheck || got.Progress == nil || got.Progress.Percent != 100 || got.Progress.Phase != platform.PhaseDone {
			t.Errorf("stored case %s, progress %+v", got.State, got.Progress)
		}
		// A second run of the same job finds the case processed and leaves the progress alone.
		jobs.RunProcessJob(context.Background(), svc, platform.ProcessCaseJob{CaseID: c.ID, UserID: proc.ID})
		if again, _ := db.Case(context.Background(), c.ID); again.Progress == nil || again.Progress.Phase != platform.PhaseDone {
			t.Errorf("a repeated job changed the progress to %+v", again.Progress)
		}
	})
}
