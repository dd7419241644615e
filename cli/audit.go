package cli

import (
	"context"
	"flag"
	"fmt"
)

func init() {
	Register(Command{Name: "audit", Summary: "verify the audit chain (audit verify) or list records (audit list)", Run: runAudit})
}

func runAudit(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "list") {
		return UsageError("usage: tokumei audit verify|list [--data DIR]")
	}
	fs := flag.NewFlagSet("audit "+args[0], flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	so := addStoreFlags(fs, env)
	from := fs.Int64("from", 1, "list: first record")
	limit := fs.Int64("n", 100, "list: number of records")
	if err := fs.Parse(args[1:]); err != nil {
		return UsageError("%v", err)
	}
	db, _, err := so.open(ctx, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "list" {
		recs, err := db.AuditRecords(ctx, *from, *from+*limit)
		if err != nil {
			return err
		}
		for _, r := range recs {
			fmt.Fprintf(env.Stdout, "%d\t%s\t%s\tbody=%d\t%s\n", r.Seq, r.At.Format("2006-01-02T15:04:05.000000Z"), r.ActorLogin, r.BodyID, r.Summary())
		}
		return nil
	}
	n, head, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "audit chain intact: %d records\nhead: %s\n", n, head)
	fmt.Fprintln(env.Stdout, "(keep the head hash outside the database, e.g. in the operations log, to anchor the chain)")
	return nil
}
