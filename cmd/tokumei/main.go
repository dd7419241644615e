// Command tokumei is the single Tokumei binary: the anonymisation engine's
// commands (anonymize, risk, profile, tabulate, hierarchy) and the platform
// (serve, migrate, user, audit, backup). All wiring lives in package cli.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/tokumei/tokumei/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.OSEnv())
	stop()
	os.Exit(code)
}
