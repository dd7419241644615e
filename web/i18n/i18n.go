// Package i18n holds the message catalogues of the web UI: Japanese (the
// default) and English. Messages live in messages/*.json, one file per area
// of the UI ({"key": {"ja": "…", "en": "…"}}), so each part of the UI adds
// its own file. Every text a page shows goes through T.
//
// It imports only the standard library.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
)

// Lang is a UI language.
type Lang string

// The UI languages; JA is the default.
const (
	JA Lang = "ja"
	EN Lang = "en"
)

// Langs lists the supported languages, default first.
var Langs = []Lang{JA, EN}

// Parse returns the language named by s, or JA.
func Parse(s string) Lang {
	if strings.EqualFold(strings.TrimSpace(s), "en") {
		return EN
	}
	return JA
}

//go:embed messages/*.json
var files embed.FS

type entry struct {
	JA string `json:"ja"`
	EN string `json:"en"`
}

// catalog is loaded on first use: every tokumei command links this package,
// and parsing the catalogues at init cost each of them ~3 ms.
var catalog = sync.OnceValue(mustLoad)

func mustLoad() map[string]entry {
	c, err := load(files)
	if err != nil {
		panic(err)
	}
	return c
}

func load(fsys fs.FS) (map[string]entry, error) {
	names, err := fs.Glob(fsys, "messages/*.json")
	if err != nil {
		return nil, err
	}
	c := map[string]entry{}
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		var m map[string]entry
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", n, err)
		}
		for k, v := range m {
			if _, dup := c[k]; dup {
				return nil, fmt.Errorf("i18n: %s: key %q defined twice", n, k)
			}
			c[k] = v
		}
	}
	return c, nil
}

// T returns the message key in lang, formatted with args (fmt verbs). An
// unknown key returns the key itself (the catalogue test catches it); a
// missing English text falls back to Japanese.
func T(lang Lang, key string, args ...any) string {
	e, ok := catalog()[key]
	if !ok {
		return key
	}
	s := e.JA
	if lang == EN && e.EN != "" {
		s = e.EN
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Has reports whether key is in the catalogue.
func Has(key string) bool {
	_, ok := catalog()[key]
	return ok
}

// Keys returns every key, sorted.
func Keys() []string {
	keys := make([]string, 0, len(catalog()))
	for k := range catalog() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Missing returns the keys lacking a text in either language.
func Missing() []string {
	var out []string
	for _, k := range Keys() {
		if e := catalog()[k]; e.JA == "" || e.EN == "" {
			out = append(out, k)
		}
	}
	return out
}
