package web

import (
	"errors"
	"net/url"
	"strconv"
)

func urlQuery(s string) string { return url.QueryEscape(s) }
func urlPath(s string) string  { return url.PathEscape(s) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func asErr[T error](err error, target *T) bool { return errors.As(err, target) }
