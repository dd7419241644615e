package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/tokumei/tokumei/fault"
)

func TestMainDispatchAndExitCodes(t *testing.T) {
	Register(Command{Name: "test-fail", Summary: "fails", Run: func(context.Context, *Env, []string) error {
		return fault.Errorf(fault.Invalid, "bad spec")
	}})
	defer delete(commands, "test-fail")
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	if code := Main(context.Background(), []string{"test-fail"}, env); code != 2 {
		t.Fatalf("exit code = %d, want 2", code)
	}
	if !strings.Contains(errb.String(), "bad spec") {
		t.Errorf("stderr %q does not name the fault", errb.String())
	}
	if code := Main(context.Background(), []string{"no-such"}, env); code != 2 {
		t.Errorf("unknown command exit = %d, want 2", code)
	}
	out.Reset()
	Main(context.Background(), nil, env)
	if !strings.Contains(out.String(), "test-fail") {
		t.Errorf("usage does not list commands: %q", out.String())
	}
}
