package fault_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/tokumei/tokumei/fault"
)

func TestMapping(t *testing.T) {
	cases := []struct {
		err    error
		status int
		exit   int
	}{
		{nil, 200, 0},
		{fault.Errorf(fault.Invalid, "x"), 400, 2},
		{fault.Errorf(fault.NotFound, "x"), 404, 4},
		{fault.Errorf(fault.Forbidden, "x"), 403, 5},
		{fault.Errorf(fault.Unsatisfiable, "x"), 400, 3},
		{fmt.Errorf("wrapped: %w", fault.Errorf(fault.Conflict, "x")), 409, 5},
		{errors.New("boom"), 500, 1},
	}
	for _, c := range cases {
		if got := fault.HTTPStatus(c.err); got != c.status {
			t.Errorf("HTTPStatus(%v) = %d, want %d", c.err, got, c.status)
		}
		if got := fault.ExitCode(c.err); got != c.exit {
			t.Errorf("ExitCode(%v) = %d, want %d", c.err, got, c.exit)
		}
	}
}

func TestLocationAndSafeMessage(t *testing.T) {
	e := fault.New(fault.Invalid, "value not in hierarchy", "階層にない値です").At("adult.csv", 12, 3)
	if got, want := e.Error(), "adult.csv:12:3: value not in hierarchy"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := fault.Safe(e, true), "adult.csv:12:3: 階層にない値です"; got != want {
		t.Errorf("Safe(ja) = %q, want %q", got, want)
	}
	if got := fault.Safe(errors.New("pq: secret table"), false); got != "Internal error." {
		t.Errorf("internal error leaked: %q", got)
	}
}
