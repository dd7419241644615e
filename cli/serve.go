package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/tokumei/tokumei/demo"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/jobs"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
	"github.com/tokumei/tokumei/vault"
	"github.com/tokumei/tokumei/web"
)

func init() {
	Register(Command{Name: "serve", Summary: "run the platform (serve --addr 127.0.0.1:8080 --data DIR [--demo])", Run: runServe})
}

type serveOpts struct {
	addr    string
	demo    bool
	workers int
	store   *storeOpts
}

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	o := &serveOpts{store: addStoreFlags(fs, env)}
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on (host:port)")
	fs.BoolVar(&o.demo, "demo", false, "seed demonstration data on first start and print the demo logins")
	fs.IntVar(&o.workers, "workers", 2, "background jobs this server runs at once")
	if err := fs.Parse(args); err != nil {
		return UsageError("%v", err)
	}
	log := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	return serve(ctx, env, o, log)
}

// serve opens the store (migrating it), the vault and the job queue, seeds
// the demo, and serves HTTP until ctx ends (SIGTERM or interrupt), then
// shuts down in order: HTTP (in-flight requests finish), jobs, database.
func serve(ctx context.Context, env *Env, o *serveOpts, log *slog.Logger) error {
	db, applied, err := o.store.open(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, m := range applied {
		log.Info("migration applied", "name", m.Name)
	}
	v, err := openVault(env, o.store, db, log)
	if err != nil {
		return err
	}
	svc := &platform.Services{Store: db, Vault: v, Now: time.Now}
	q, err := jobs.Open(ctx, jobs.Config{DB: db, Logger: log, MaxWorkers: o.workers,
		Deps: jobs.Deps{Services: svc, Store: db, Vault: v, Logger: log}})
	if err != nil {
		return err
	}
	svc.Jobs = q
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if err := q.Stop(stopCtx); err != nil {
			log.Warn("job queue stop", "error", err)
		}
	}()
	var world *demo.World
	if o.demo {
		var seeded bool
		if world, seeded, err = demo.Seed(ctx, svc); err != nil {
			return err
		}
		log.Info("demo data", "seeded_now", seeded)
	}
	// Work starts after seeding: on SQLite the seed holds the write lock.
	if err := q.Start(ctx); err != nil {
		return err
	}
	ws, err := web.New(web.Deps{Services: svc, Store: db, Logger: log, Now: time.Now, Demo: o.demo})
	if err != nil {
		return err
	}
	if err := ws.Start(ctx); err != nil { // the public catalogue is built before the server listens
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fault.Errorf(fault.Unavailable, "cannot listen on %s", o.addr).Wrap(err)
	}
	printBanner(env, o, ln.Addr().String(), world)
	go sweepSessions(ctx, db, log)
	return runHTTP(ctx, ln, ws.Handler(), log)
}

func openVault(env *Env, so *storeOpts, db *sqlstore.DB, log *slog.Logger) (*vault.Vault, error) {
	key, created, err := vault.LoadMasterKey(env.Getenv(vault.EnvMasterKey), so.data, db.Dialect() == sqlstore.SQLite)
	if err != nil {
		if fault.ErrorCode(err) == fault.Invalid && db.Dialect() == sqlstore.Postgres {
			return nil, fault.New(fault.Invalid,
				"PostgreSQL servers share one master key: set TOKUMEI_MASTER_KEY (e.g. from: head -c 32 /dev/urandom | base64) on every server, or put the same master.key in each --data directory",
				"PostgreSQL では全サーバーで同じマスター鍵が必要です。TOKUMEI_MASTER_KEY を設定してください").In(vault.EnvMasterKey).Wrap(err)
		}
		return nil, err
	}
	if created {
		log.Warn("created a new vault master key; back it up apart from the database", "file", so.data+"/"+vault.KeyFile)
	}
	return vault.New(db, key)
}

func printBanner(env *Env, o *serveOpts, addr string, w *demo.World) {
	fmt.Fprintf(env.Stdout, "Tokumei is running at http://%s/  (%s; Ctrl-C to stop)\n", addr, o.store.where())
	if w == nil {
		return
	}
	fmt.Fprintf(env.Stdout, "\nDemo logins (password %q for all; officers' TOTP code is shown on the login page in demo mode):\n", demo.Password)
	for _, l := range w.Logins {
		org := l.Org
		if org == "" {
			org = "—"
		}
		fmt.Fprintf(env.Stdout, "  %-18s %-15s %s\n", l.Login, l.Role, org)
	}
}

// runHTTP serves until ctx ends, then lets in-flight requests finish.
func runHTTP(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fault.Errorf(fault.Unavailable, "http server stopped").Wrap(err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fault.Errorf(fault.Unavailable, "http shutdown").Wrap(err)
	}
	return nil
}

// sweepSessions deletes expired sessions every ten minutes.
func sweepSessions(ctx context.Context, st platform.SessionStore, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if err := st.DeleteExpiredSessions(ctx, now); err != nil && ctx.Err() == nil {
				log.Warn("session sweep", "error", err)
			}
		}
	}
}
