package web

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/tokumei/tokumei/fault"
)

// decodeJSON reads one JSON value into v, refusing unknown fields.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 4<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fault.New(fault.Invalid, "request body is not valid JSON for this resource: "+jsonProblem(err),
			"リクエストの JSON が正しくありません").Wrap(err)
	}
	return nil
}

// jsonProblem describes a decoding error without echoing values.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case asErr(err, &te):
		return "field " + te.Field + " has the wrong type"
	case asErr(err, &se):
		return "syntax error"
	case err == io.EOF:
		return "empty body"
	}
	if s := err.Error(); len(s) < 80 && len(s) > 0 && s[:4] == "json" {
		return s
	}
	return "malformed"
}
