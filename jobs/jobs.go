// Package jobs runs background work on a persistent queue in the platform's
// own database (River: riverqueue.com), so a restart loses nothing and, with
// several servers on one PostgreSQL database, one job runs on one server.
// On SQLite the queue lives in the same file (riversqlite); on PostgreSQL it
// uses pgx (riverpgxv5), with LISTEN/NOTIFY for prompt pick-up.
//
// Adding a worker (e.g. in jobs/process.go):
//
//	type ProcessArgs struct{ CaseID int64 `json:"case_id"` }
//	func (ProcessArgs) Kind() string { return "process_case" }
//
//	type processWorker struct {
//		river.WorkerDefaults[ProcessArgs]
//		d jobs.Deps
//	}
//	func (w *processWorker) Work(ctx context.Context, job *river.Job[ProcessArgs]) error { … }
//
//	func init() {
//		jobs.Register(func(d jobs.Deps) river.Worker[ProcessArgs] { return &processWorker{d: d} })
//	}
//
// and enqueue with Services.Jobs.Enqueue(ctx, ProcessArgs{CaseID: id}) — job
// args are platform.Job values, so the platform never imports River. A
// worker acts through Services with an actor from JobActor, so its acts are
// checked and audited like a user's. A worker's error retries the job with
// back-off (River's default, up to MaxAttempts); return river.JobCancel(err)
// for errors that retrying cannot fix.
//
// jobs imports platform, sqlstore (for the database handle) and River.
package jobs

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
)

// Deps are what workers may use.
type Deps struct {
	Services *platform.Services
	Store    platform.Store
	Vault    platform.Vault
	Logger   *slog.Logger
}

var (
	regMu    sync.Mutex
	registry []func(Deps, *river.Workers) error
)

// Register adds a worker for job args T, built from Deps when a Queue is
// opened. Call it from init in the file that defines the worker.
func Register[T river.JobArgs](newWorker func(Deps) river.Worker[T]) {
	regMu.Lock()
	defer regMu.Unlock()
	registry = append(registry, func(d Deps, ws *river.Workers) error {
		return river.AddWorkerSafely(ws, newWorker(d))
	})
}

// JobActor is the actor a worker acts as: no account, the given role,
// login "job:<kind>" in the audit chain.
func JobActor(kind string, role platform.Role, body platform.ID) platform.Actor {
	return platform.Actor{UserID: -2, Login: "job:" + kind, Role: role, BodyID: body}
}

// Config configures a Queue.
type Config struct {
	DB     *sqlstore.DB
	Deps   Deps
	Logger *slog.Logger
	// MaxWorkers is the number of jobs one server runs at once (default 2).
	MaxWorkers int
	// PollInterval is how often idle servers look for work (default 1 s;
	// PostgreSQL also wakes on notification).
	PollInterval time.Duration
	// ID names this server in River's tables (default: generated).
	ID string
}

// client is the part of River's generic client we use.
type client interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// Queue is the job queue of one server. It implements platform.JobQueue.
type Queue struct {
	client  client
	working bool // workers are registered
	started bool
	closers []func()
}

var _ platform.JobQueue = (*Queue)(nil)

// lockMigrate is the advisory-lock key serialising River migrations.
const lockMigrate int32 = 0x746f6b10

// Migrate creates or updates River's tables in db.
func Migrate(ctx context.Context, db *sqlstore.DB) error {
	var err error
	switch db.Dialect() {
	case sqlstore.Postgres:
		pool, perr := pgxpool.New(ctx, db.DSN())
		if perr != nil {
			return fault.Errorf(fault.Unavailable, "job queue: cannot connect").Wrap(perr)
		}
		defer pool.Close()
		// Servers starting together take turns (River's migrator does not lock).
		conn, perr := pool.Acquire(ctx)
		if perr != nil {
			return fault.Errorf(fault.Unavailable, "job queue: cannot connect").Wrap(perr)
		}
		defer conn.Release()
		if _, perr := conn.Exec(ctx, "SELECT pg_advisory_lock($1, hashtext(current_schema()))", lockMigrate); perr != nil {
			return fault.Errorf(fault.Unavailable, "job queue: cannot lock").Wrap(perr)
		}
		defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1, hashtext(current_schema()))", lockMigrate)
		err = migrate(ctx, riverpgxv5.New(pool))
	default:
		err = migrate(ctx, riversqlite.New(db.SQL()))
	}
	return err
}

func migrate[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return fault.Errorf(fault.Internal, "job queue migrations").Wrap(err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fault.Errorf(fault.Internal, "job queue migrations failed").Wrap(err)
	}
	return nil
}

// Open migrates River's tables and builds the queue (not yet working: call
// Start). Every registered worker is added.
func Open(ctx context.Context, cfg Config) (*Queue, error) {
	if err := Migrate(ctx, cfg.DB); err != nil {
		return nil, err
	}
	ws := river.NewWorkers()
	regMu.Lock()
	for _, add := range registry {
		if err := add(cfg.Deps, ws); err != nil {
			return nil, fault.Errorf(fault.Internal, "job queue: %v", err).Wrap(err)
		}
	}
	defer regMu.Unlock()
	rc := riverConfig(cfg, ws, len(registry) > 0)
	q := &Queue{working: len(registry) > 0}
	var err error
	switch cfg.DB.Dialect() {
	case sqlstore.Postgres:
		pool, perr := pgxpool.New(ctx, cfg.DB.DSN())
		if perr != nil {
			return nil, fault.Errorf(fault.Unavailable, "job queue: cannot connect").Wrap(perr)
		}
		q.closers = append(q.closers, pool.Close)
		q.client, err = river.NewClient(riverpgxv5.New(pool), rc)
	default:
		// River on SQLite wants one connection; it gets its own pool on
		// the same file and waits on the busy timeout for the store's.
		pool, perr := sql.Open("sqlite", sqlstore.SQLiteDSN(cfg.DB.Path()))
		if perr != nil {
			return nil, fault.Errorf(fault.Unavailable, "job queue: cannot open").Wrap(perr)
		}
		pool.SetMaxOpenConns(1)
		q.closers = append(q.closers, func() { pool.Close() })
		rc.PollOnly = true
		q.client, err = river.NewClient(riversqlite.New(pool), rc)
	}
	if err != nil {
		q.close()
		return nil, fault.Errorf(fault.Internal, "job queue: %v", err).Wrap(err)
	}
	return q, nil
}

func riverConfig(cfg Config, ws *river.Workers, working bool) *river.Config {
	if cfg.MaxWorkers <= 0 {
		cfg.MaxWorkers = 2
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	rc := &river.Config{
		ID:                cfg.ID,
		Logger:            logger,
		FetchPollInterval: cfg.PollInterval,
		FetchCooldown:     min(cfg.PollInterval, 100*time.Millisecond),
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.MaxWorkers}},
		Workers:           ws,
	}
	if !working {
		rc.Queues, rc.Workers = nil, nil // insert-only client
		return rc
	}
	if cfg.Deps.Services == nil {
		return rc // a queue without services (tests) runs only what it is given
	}
	// Daily work is enqueued by River's elected leader only, so several
	// servers on one database do not repeat it.
	rc.PeriodicJobs = []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return UseRemindersJob{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}),
	}
	return rc
}

// Start begins working jobs in the background until Stop.
func (q *Queue) Start(ctx context.Context) error {
	if !q.working {
		return nil // nothing to run; Enqueue still works
	}
	if err := q.client.Start(ctx); err != nil {
		return fault.Errorf(fault.Unavailable, "job queue: cannot start").Wrap(err)
	}
	q.started = true
	return nil
}

// Stop waits for running jobs to finish (until ctx ends) and closes the
// queue's connections.
func (q *Queue) Stop(ctx context.Context) error {
	var err error
	if q.started {
		err = q.client.Stop(ctx)
	}
	q.close()
	return err
}

func (q *Queue) close() {
	for _, c := range q.closers {
		c()
	}
	q.closers = nil
}

// Enqueue stores job for one server to run.
func (q *Queue) Enqueue(ctx context.Context, job platform.Job) error {
	_, err := q.EnqueueOpts(ctx, job, nil)
	return err
}

// EnqueueOpts stores job with River options (queue, schedule, uniqueness)
// and returns its id.
func (q *Queue) EnqueueOpts(ctx context.Context, job platform.Job, opts *river.InsertOpts) (int64, error) {
	res, err := q.client.Insert(ctx, job, opts)
	if err != nil {
		return 0, fault.Errorf(fault.Unavailable, "job queue: cannot enqueue %s", job.Kind()).Wrap(err)
	}
	return res.Job.ID, nil
}
