package platform

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// textIndex is an in-memory character-bigram inverted index for free-text
// search in Japanese and English: Japanese has no spaces, so words cannot be
// split without a dictionary, while bigrams find any substring of two or
// more characters. A query term's bigram posting lists are intersected and
// the candidates confirmed by substring match on the normalised text.
type textIndex struct {
	text  []string           // normalised text per document
	posts map[uint64][]int32 // bigram → ascending document numbers
}

func newTextIndex(texts []string) *textIndex {
	ix := &textIndex{text: texts, posts: make(map[uint64][]int32)}
	seen := make(map[uint64]struct{})
	for doc, t := range texts {
		clear(seen)
		var prev rune = -1
		for _, r := range t {
			if prev >= 0 && r != ' ' && prev != ' ' {
				k := uint64(prev)<<32 | uint64(r)
				if _, ok := seen[k]; !ok {
					seen[k] = struct{}{}
					ix.posts[k] = append(ix.posts[k], int32(doc))
				}
			}
			prev = r
		}
	}
	return ix
}

// normalizeText folds full-width ASCII and the ideographic space to ASCII,
// lower-cases, and collapses white space, so that "ＡＥＤ　設置" matches "aed 設置".
func normalizeText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		switch {
		case r == '\u3000' || unicode.IsSpace(r):
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		}
		b.WriteRune(unicode.ToLower(r))
		space = false
	}
	return strings.TrimSuffix(b.String(), " ")
}

// queryTerms splits a free-text query into normalised terms; quoted
// phrases stay one term.
func queryTerms(q string) []string {
	q = normalizeText(q)
	var terms []string
	for q != "" {
		q = strings.TrimLeft(q, " ")
		if q == "" {
			break
		}
		if q[0] == '"' {
			end := strings.IndexByte(q[1:], '"')
			if end < 0 {
				end = len(q) - 1
			}
			if t := strings.TrimSpace(q[1 : end+1]); t != "" {
				terms = append(terms, t)
			}
			q = q[min(end+2, len(q)):]
			continue
		}
		end := strings.IndexByte(q, ' ')
		if end < 0 {
			end = len(q)
		}
		terms = append(terms, q[:end])
		q = q[end:]
	}
	return terms
}

// match returns the ascending documents containing every term, or nil with
// all=true when there are no terms (every document matches).
func (ix *textIndex) match(terms []string) (docs []int32, all bool) {
	if len(terms) == 0 {
		return nil, true
	}
	var cand []int32
	first := true
	for _, t := range terms {
		p, ok := ix.candidates(t)
		if !ok { // too short for bigrams: checked by substring below
			continue
		}
		if first {
			cand, first = p, false
		} else {
			cand = intersect(cand, p)
		}
		if len(cand) == 0 {
			return []int32{}, false
		}
	}
	exact := !first
	for _, t := range terms {
		if utf8.RuneCountInString(t) != 2 || strings.Contains(t, " ") {
			exact = false // a two-character term's bigram list is already the exact answer
		}
	}
	if exact {
		return cand, false
	}
	out := make([]int32, 0, 64)
	check := func(d int32) {
		for _, t := range terms {
			if !strings.Contains(ix.text[d], t) {
				return
			}
		}
		out = append(out, d)
	}
	if first {
		for d := range ix.text {
			check(int32(d))
		}
	} else {
		for _, d := range cand {
			check(d)
		}
	}
	return out, false
}

// candidates intersects the posting lists of the term's bigrams (shortest
// first); ok is false for terms of one character.
func (ix *textIndex) candidates(term string) ([]int32, bool) {
	var keys []uint64
	var prev rune = -1
	for _, r := range term {
		if prev >= 0 && r != ' ' && prev != ' ' {
			keys = append(keys, uint64(prev)<<32|uint64(r))
		}
		prev = r
	}
	if len(keys) == 0 {
		return nil, false
	}
	lists := make([][]int32, len(keys))
	for i, k := range keys {
		lists[i] = ix.posts[k]
	}
	slices.SortFunc(lists, func(a, b []int32) int { return len(a) - len(b) })
	cand := lists[0]
	for _, l := range lists[1:] {
		if len(cand) == 0 {
			break
		}
		cand = intersect(cand, l)
	}
	return cand, true
}

// intersect returns the common elements of two ascending lists.
func intersect(a, b []int32) []int32 {
	out := make([]int32, 0, min(len(a), len(b)))
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}
