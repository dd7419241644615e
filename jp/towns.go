package jp

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// data/towns.tsv.gz: one municipality a line, its 6-digit code then its 町字
// names (大字・町丁目, as in the Geolonia address data, CC BY 4.0), tab
// separated and front-coded (each name starts with one digit: how many
// leading characters it shares with the previous name); see gen_data.go.
//
//go:embed data/towns.tsv.gz
var townsGz []byte

type townIndex struct {
	names  []string               // canonical names, as in the list
	exact  map[string]int         // normalised (unfolded) name → index
	byKey  map[string]int         // folded name → index; 丁目 also with arabic digits
	chome  map[string]map[int]int // folded base name → 丁目 number → index (梅田 → 1 → 梅田一丁目)
	maxLen int                    // longest key, in runes
}

// add indexes one town name.
func (ix *townIndex) add(name string) {
	nn := addrNormalize(name)
	if _, dup := ix.exact[nn]; dup {
		return
	}
	i := len(ix.names)
	ix.names = append(ix.names, name)
	ix.exact[nn] = i
	k := string(foldRunes([]rune(nn)))
	ix.key(k, i)
	ix.chomeKeys(k, i)
}

// chomeKeys adds the other spellings of a 丁目 name: arabic digits, and
// with or without 目 (堺市 writes 今池町一丁): 梅田一丁目 is also found as
// 梅田1丁目 and 梅田1丁, and its base 梅田 with number 1 for "梅田1-2-3".
func (ix *townIndex) chomeKeys(k string, i int) {
	at := strings.LastIndex(k, "丁")
	if at <= 0 {
		return
	}
	before := []rune(k[:at])
	after := []rune(k[at+len("丁"):])
	if len(after) > 0 && after[0] == '目' {
		after = after[1:]
	}
	j := len(before)
	for j > 0 && isKanjiNumeral(before[j-1]) {
		j--
	}
	if j == len(before) {
		return
	}
	n, ok := ParseNumber(string(before[j:]))
	if !ok || n == 0 {
		return
	}
	base, suffix := string(before[:j]), string(after)
	for _, num := range []string{strconv.Itoa(n), string(before[j:])} {
		ix.key(base+num+"丁目"+suffix, i)
		ix.key(base+num+"丁"+suffix, i)
	}
	if suffix == "" && base != "" {
		if ix.chome[base] == nil {
			ix.chome[base] = map[int]int{}
		}
		if _, dup := ix.chome[base][n]; !dup {
			ix.chome[base][n] = i
		}
	}
}

func (ix *townIndex) key(k string, i int) {
	if _, dup := ix.byKey[k]; !dup {
		ix.byKey[k] = i
	}
	ix.maxLen = max(ix.maxLen, len([]rune(k)))
}

func isKanjiNumeral(r rune) bool {
	_, d := kanjiDigit[r]
	_, u := kanjiUnit[r]
	return d || u
}

var townLines = sync.OnceValue(func() map[string]string {
	zr, err := gzip.NewReader(bytes.NewReader(townsGz))
	if err != nil {
		panic("jp: embedded town list is damaged: " + err.Error())
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		panic("jp: embedded town list is damaged: " + err.Error())
	}
	m := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if len(line) > 7 {
			m[line[:6]] = line[7:]
		}
	}
	return m
})

var (
	townMu    sync.Mutex
	townCache = map[string]*townIndex{}
)

// townsOf returns the town index of a municipality or ward code (nil when
// the list has no towns for it, e.g. a designated city as a whole).
func townsOf(code string) *townIndex {
	townMu.Lock()
	defer townMu.Unlock()
	if ix, ok := townCache[code]; ok {
		return ix
	}
	line, ok := townLines()[code]
	var ix *townIndex
	if ok {
		ix = &townIndex{exact: map[string]int{}, byKey: map[string]int{}, chome: map[string]map[int]int{}}
		var prev []rune
		for _, fc := range strings.Split(line, "\t") {
			if fc == "" || fc[0] < '0' || fc[0] > '9' {
				continue
			}
			p := int(fc[0] - '0')
			name := append(append([]rune(nil), prev[:min(p, len(prev))]...), []rune(fc[1:])...)
			ix.add(string(name))
			prev = name
		}
	}
	townCache[code] = ix
	return ix
}

// Towns returns the 町字 names of a municipality or ward (6-digit code) in
// the shipped list, or nil.
func Towns(code string) []string {
	ix := townsOf(code)
	if ix == nil {
		return nil
	}
	return append([]string(nil), ix.names...)
}

// TownCodes returns, sorted, the codes that have a town list.
func TownCodes() []string {
	m := townLines()
	out := make([]string, 0, len(m))
	for c := range m {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}
