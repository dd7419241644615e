package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/tokumei/tokumei/jobs"
	"github.com/tokumei/tokumei/sqlstore"
)

// Store options shared by every command that touches the database:
// --data DIR (TOKUMEI_DATA_DIR, default ./tokumei-data) holds the SQLite file
// and the master-key file; TOKUMEI_DATABASE_URL=postgres://… selects
// PostgreSQL instead of the SQLite file.
type storeOpts struct {
	data string
	url  string
}

// DefaultDataDir is the data directory when neither --data nor
// TOKUMEI_DATA_DIR is given.
const DefaultDataDir = "./tokumei-data"

func addStoreFlags(fs *flag.FlagSet, env *Env) *storeOpts {
	o := &storeOpts{url: env.Getenv("TOKUMEI_DATABASE_URL")}
	def := env.Getenv("TOKUMEI_DATA_DIR")
	if def == "" {
		def = DefaultDataDir
	}
	fs.StringVar(&o.data, "data", def, "data directory: SQLite database and master key (env TOKUMEI_DATA_DIR)")
	return o
}

// open opens the store; with migrate it applies pending migrations (the
// store's and the job queue's) first. It refuses a schema newer than the
// binary either way.
func (o *storeOpts) open(ctx context.Context, migrate bool) (*sqlstore.DB, []sqlstore.Migration, error) {
	db, err := sqlstore.Open(ctx, sqlstore.Config{URL: o.url, DataDir: o.data})
	if err != nil {
		return nil, nil, err
	}
	if !migrate {
		return db, nil, nil
	}
	applied, err := db.Migrate(ctx)
	if err == nil {
		err = jobs.Migrate(ctx, db)
	}
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, applied, nil
}

func (o *storeOpts) where() string {
	if o.url != "" {
		return "PostgreSQL (TOKUMEI_DATABASE_URL)"
	}
	return "SQLite in " + o.data
}

func init() {
	Register(Command{Name: "migrate", Summary: "apply database migrations (also done by serve)", Run: runMigrate})
}

func runMigrate(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	so := addStoreFlags(fs, env)
	status := fs.Bool("status", false, "only list pending migrations")
	if err := fs.Parse(args); err != nil {
		return UsageError("%v", err)
	}
	if *status {
		db, _, err := so.open(ctx, false)
		if err != nil {
			return err
		}
		defer db.Close()
		pending, err := db.Pending(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s: %d pending migrations\n", so.where(), len(pending))
		for _, m := range pending {
			fmt.Fprintf(env.Stdout, "  %s\n", m.Name)
		}
		return nil
	}
	db, applied, err := so.open(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, m := range applied {
		fmt.Fprintf(env.Stdout, "applied %s\n", m.Name)
	}
	fmt.Fprintf(env.Stdout, "%s: schema at version %04d (%d applied now)\n", so.where(), sqlstore.LatestVersion(db.Dialect()), len(applied))
	return nil
}
