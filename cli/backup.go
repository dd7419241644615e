package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/sqlstore"
)

func init() {
	Register(Command{Name: "backup", Summary: "write a consistent copy of the SQLite database (backup --out FILE)", Run: runBackup})
}

func runBackup(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	so := addStoreFlags(fs, env)
	out := fs.String("out", "", "file to write (must not exist)")
	if err := fs.Parse(args); err != nil {
		return UsageError("%v", err)
	}
	if *out == "" {
		return UsageError("backup needs --out FILE")
	}
	db, _, err := so.open(ctx, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if db.Dialect() == sqlstore.Postgres {
		return fault.New(fault.Invalid,
			"on PostgreSQL use pg_dump (see docs/operations.md), e.g. pg_dump -Fc -f tokumei.dump \"$TOKUMEI_DATABASE_URL\"",
			"PostgreSQL では pg_dump を使ってください（docs/operations.md 参照）")
	}
	if _, err := os.Stat(*out); err == nil {
		return fault.New(fault.Conflict, "the output file exists", "出力先のファイルが既にあります").At(*out, 0, 0)
	}
	abs, err := filepath.Abs(*out)
	if err != nil {
		return UsageError("bad --out: %v", err)
	}
	if err := db.Backup(ctx, abs); err != nil {
		return err
	}
	st, _ := os.Stat(abs)
	fmt.Fprintf(env.Stdout, "backup written: %s (%d bytes)\n", abs, st.Size())
	fmt.Fprintln(env.Stdout, "the vault's master key is not in the backup: keep "+filepath.Join(so.data, "master.key")+" (or TOKUMEI_MASTER_KEY) safe and apart")
	return nil
}
