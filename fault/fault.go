// Package fault holds Tokumei's one error type: a machine code, a safe
// message in English and Japanese, and where the fault lies (file, line,
// column, field). The code is mapped once, here, to an HTTP status and to a
// process exit code. Every package may import it; it imports only the
// standard library.
package fault

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Code is a machine-readable error class.
type Code string

// The error codes. Append only: clients script against them.
const (
	Invalid       Code = "invalid"        // bad input: a file, a form field, a spec
	NotFound      Code = "not_found"      // the thing does not exist (or is not visible to the caller)
	Conflict      Code = "conflict"       // the state does not allow it (illegal transition, duplicate)
	Unauthorized  Code = "unauthorized"   // not logged in, or bad credentials
	Forbidden     Code = "forbidden"      // logged in, but the role or body does not allow it
	TooMany       Code = "too_many"       // throttled
	TooLarge      Code = "too_large"      // input beyond what the method handles
	Unsatisfiable Code = "unsatisfiable"  // no solution meets the stated models or rules
	Internal      Code = "internal"       // a bug or an infrastructure failure; details only in logs
	Unavailable   Code = "unavailable"    // a dependency is down (database, queue)
	SchemaTooNew  Code = "schema_too_new" // the database was migrated by a newer binary
)

// Error is the application error. Message is safe to show to any user; it
// never contains raw data cells. MessageJA is the Japanese text shown in the
// UI (Message is used when it is empty).
type Error struct {
	Code      Code
	Message   string
	MessageJA string
	File      string // input file, when the fault is in one
	Line      int    // 1-based line (or row), 0 when unknown
	Column    int    // 1-based column, 0 when unknown
	Field     string // form field, spec key or column name
	Err       error  // the underlying cause, for logs only
}

// Error formats the location and the message, e.g. "adult.csv:12:3: value ...".
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
			if e.Column > 0 {
				fmt.Fprintf(&b, ":%d", e.Column)
			}
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		fmt.Fprintf(&b, "line %d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ", column %d", e.Column)
		}
		b.WriteString(": ")
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "%s: ", e.Field)
	}
	b.WriteString(e.Message)
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a formatted English message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// New returns an *Error with an English and a Japanese message.
func New(code Code, en, ja string) *Error {
	return &Error{Code: code, Message: en, MessageJA: ja}
}

// At returns a copy of e located in file at line and column.
func (e *Error) At(file string, line, column int) *Error {
	c := *e
	c.File, c.Line, c.Column = file, line, column
	return &c
}

// In returns a copy of e about the named field.
func (e *Error) In(field string) *Error {
	c := *e
	c.Field = field
	return &c
}

// Wrap returns a copy of e with cause err (kept for logs, never shown).
func (e *Error) Wrap(err error) *Error {
	c := *e
	c.Err = err
	return &c
}

// ErrorCode returns the code of err: the code of the first *Error in its
// chain, Internal for any other non-nil error, "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Safe returns the message of err that may be shown to a user: the message
// of its *Error (Japanese when ja is true and one exists, with its location),
// or a fixed text for any other error, whose details must go only to logs.
func Safe(err error, ja bool) string {
	var e *Error
	if !errors.As(err, &e) || e.Code == Internal {
		if ja {
			return "内部エラーが発生しました。管理者に連絡してください。"
		}
		return "Internal error."
	}
	if ja && e.MessageJA != "" {
		c := *e
		c.Message = e.MessageJA
		return c.Error()
	}
	return e.Error()
}

// HTTPStatus maps an error to its HTTP status code.
func HTTPStatus(err error) int {
	switch ErrorCode(err) {
	case "":
		return http.StatusOK
	case Invalid, Unsatisfiable:
		return http.StatusBadRequest
	case NotFound:
		return http.StatusNotFound
	case Conflict:
		return http.StatusConflict
	case Unauthorized:
		return http.StatusUnauthorized
	case Forbidden:
		return http.StatusForbidden
	case TooMany:
		return http.StatusTooManyRequests
	case TooLarge:
		return http.StatusRequestEntityTooLarge
	case Unavailable, SchemaTooNew:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// ExitCode maps an error to the exit code of a tokumei command: 0 success,
// 1 internal, 2 bad input or usage, 3 no solution, 4 not found, 5 conflict or
// refused, 6 unavailable.
func ExitCode(err error) int {
	switch ErrorCode(err) {
	case "":
		return 0
	case Invalid, TooLarge:
		return 2
	case Unsatisfiable:
		return 3
	case NotFound:
		return 4
	case Conflict, Forbidden, Unauthorized, TooMany:
		return 5
	case Unavailable, SchemaTooNew:
		return 6
	default:
		return 1
	}
}
