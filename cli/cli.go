// Package cli holds the tokumei subcommands. Each command lives in its own
// file and registers itself in init with Register; Main dispatches on the
// first argument and maps errors to exit codes through package fault. cli is
// the wiring layer: it may import every other package of the module.
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/tokumei/tokumei/fault"
)

// Env is what a command may touch of the process: its streams and its
// environment. Tests pass their own.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Process is true when the command is the whole process (OSEnv): it
	// may then tune the Go runtime for its one run.
	Process bool
}

// OSEnv returns the Env of the running process.
func OSEnv() *Env {
	return &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Process: true}
}

// Command is one tokumei subcommand.
type Command struct {
	Name    string
	Summary string // one line, shown by "tokumei help"
	Run     func(ctx context.Context, env *Env, args []string) error
}

var commands = map[string]Command{}

// Register adds a command; it panics on a duplicate name (a programming error).
func Register(c Command) {
	if _, dup := commands[c.Name]; dup {
		panic("cli: duplicate command " + c.Name)
	}
	commands[c.Name] = c
}

// Main runs the command named by args[0] and returns the process exit code.
func Main(ctx context.Context, args []string, env *Env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "tokumei: unknown command %q (see \"tokumei help\")\n", args[0])
		return 2
	}
	if err := c.Run(ctx, env, args[1:]); err != nil {
		fmt.Fprintf(env.Stderr, "tokumei %s: %s\n", c.Name, fault.Safe(err, false))
		if fault.ErrorCode(err) == fault.Internal {
			fmt.Fprintf(env.Stderr, "  cause: %v\n", err)
		}
		return fault.ExitCode(err)
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "tokumei — anonymised data and statistics from local-government files (匿名加工情報)")
	fmt.Fprintln(w, "\nUsage: tokumei <command> [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].Summary)
	}
	fmt.Fprintln(w, "\nRun \"tokumei <command> -h\" for the flags of a command.")
}

// UsageError returns an Invalid fault for a bad command line.
func UsageError(format string, args ...any) error {
	return fault.Errorf(fault.Invalid, format, args...)
}
