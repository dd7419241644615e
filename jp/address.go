package jp

import (
	"strconv"
	"strings"
	"sync"

	"github.com/tokumei/tokumei/fault"
)

// Address is a parsed Japanese address (住所). Matched parts are given in
// the spelling of the shipped lists; what could not be matched is left in
// Rest and explained in Note — nothing is guessed.
type Address struct {
	Input    string // as given
	Pref     string // 都道府県, e.g. 大阪府
	District string // 郡 of a town or village, e.g. 三重郡 (filled from the list)
	City     string // 市区町村 with the ward of a designated city, e.g. 大阪市北区, 川越町
	LGCode   string // 6-digit code of City (the ward's code for a designated-city ward)
	Town     string // 大字・町丁目 as in the town list, e.g. 梅田一丁目
	Chome    int    // 丁目 number when Town has one
	Block    string // 街区符号 or 番地, e.g. "1" of 1番2号 or 1-2
	Number   string // 住居番号 or 枝番, e.g. "2"
	Rest     string // what follows (building, room), or the unmatched part
	Level    int    // how far it matched: 0 nothing, 1 prefecture, 2 municipality, 3 town
	Note     string // why matching stopped early, when it did
}

type muniIndex struct {
	byKey  map[string][]int // folded name (with or without 郡) → indices into the LG list
	maxLen int
	prefs  []prefName
}

type prefName struct {
	key, short, code, name string
}

var muniOnce = sync.OnceValue(func() *muniIndex {
	t := lgOnce()
	m := &muniIndex{byKey: map[string][]int{}}
	add := func(name string, i int) {
		k := addrKey(name)
		m.byKey[k] = append(m.byKey[k], i)
		m.maxLen = max(m.maxLen, len([]rune(k)))
	}
	for i, lg := range t.list {
		if lg.Kind == KindPrefecture {
			short := strings.TrimRight(lg.Name, "都府県")
			if lg.Name == "北海道" {
				short = lg.Name
			}
			m.prefs = append(m.prefs, prefName{addrKey(lg.Name), addrKey(short), lg.PrefCode, lg.Name})
			continue
		}
		add(lg.Name, i)
		if d := t.district[lg.Code]; d != "" {
			add(d+lg.Name, i)
		}
	}
	return m
})

// ParseAddress splits an address into prefecture, municipality (with 郡 and
// designated-city ward), town (大字・町丁目), block and number, and the rest.
// Arabic, full-width and kanji numerals for 丁目 (1丁目, １丁目, 一丁目), the
// forms 1-2-3 / 1丁目2番3号 / 2番地3, ヶ/ケ/が and common old kanji are
// recognised. A prefecture may be omitted when the municipality is unique.
// The error is non-nil only for an empty input; partial matches are
// reported through Level, Rest and Note.
func ParseAddress(s string) (Address, error) {
	a := Address{Input: s}
	n := []rune(addrNormalize(s))
	if len(n) == 0 {
		return a, fault.New(fault.Invalid, "the address is empty", "住所が空です")
	}
	k := foldRunes(n)
	pos := a.matchPrefAndCity(k)
	if a.Level < 2 {
		a.Rest = string(n[pos:])
		return a, nil
	}
	pos = a.matchTown(n, k, pos)
	a.parseBlock(n, k, pos)
	return a, nil
}

// matchPrefAndCity fills Pref, City, District, LGCode; returns the position
// after what matched.
func (a *Address) matchPrefAndCity(k []rune) int {
	m := muniOnce()
	t := lgOnce()
	for _, p := range m.prefs {
		if hasPrefix(k, p.key) {
			a.Pref, a.Level = p.name, 1
			pos := runeLen(p.key)
			if end, idx := a.matchCity(k, pos, p.code); idx >= 0 {
				a.setCity(t.list[idx])
				return end
			}
			if pos < len(k) {
				a.Note = "municipality not recognised in " + p.name
			}
			return pos
		}
	}
	// No full prefecture name: a municipality alone, or a short prefecture
	// name (大阪, 東京) and a municipality of it; the longer match wins
	// (大阪狭山市 is a city, not 大阪 + 狭山市).
	bestEnd, bestIdx := a.matchCity(k, 0, "")
	note := a.Note
	for _, p := range m.prefs {
		if p.short != p.key && hasPrefix(k, p.short) {
			pos := runeLen(p.short)
			if end, idx := a.matchCity(k, pos, p.code); idx >= 0 && end > bestEnd {
				bestEnd, bestIdx, note = end, idx, ""
			}
		}
	}
	a.Note = note
	if bestIdx >= 0 {
		a.Note = ""
		a.Pref = t.list[bestIdx].Pref
		a.setCity(t.list[bestIdx])
		return bestEnd
	}
	if a.Note == "" {
		a.Note = "prefecture and municipality not recognised"
	}
	return 0
}

func (a *Address) setCity(lg LocalGov) {
	a.City, a.LGCode, a.Level = lg.Name, lg.Code, 2
	a.District = District(lg.Code)
}

// matchCity finds the longest municipality name at pos (within the
// prefecture when pref is set). It returns the end position and the list
// index, or -1; an ambiguous name (府中市 in 東京都 and 広島県) sets Note.
func (a *Address) matchCity(k []rune, pos int, pref string) (int, int) {
	m := muniOnce()
	t := lgOnce()
	for l := min(m.maxLen, len(k)-pos); l > 0; l-- {
		cands := m.byKey[string(k[pos:pos+l])]
		var hit []int
		for _, i := range cands {
			if pref == "" || t.list[i].PrefCode == pref {
				hit = append(hit, i)
			}
		}
		if len(hit) == 1 {
			return pos + l, hit[0]
		}
		if len(hit) > 1 {
			var in []string
			for _, i := range hit {
				in = append(in, t.list[i].Pref)
			}
			a.Note = "municipality " + t.list[hit[0]].Name + " is ambiguous (" + strings.Join(in, ", ") + "); give the prefecture"
			return 0, -1
		}
	}
	// A 郡 the list does not know for this town: skip it and try again.
	if g := indexRune(k[pos:], '郡'); g > 0 && g <= 6 {
		return a.matchCity(k, pos+g+1, pref)
	}
	return 0, -1
}

// matchTown matches the 町字 after the municipality; for a designated city
// given without its ward, the towns of all its wards are searched.
func (a *Address) matchTown(n, k []rune, pos int) int {
	if pos == len(k) {
		return pos // the address ends with the municipality
	}
	codes := []string{a.LGCode}
	lg, _ := LookupLG(a.LGCode)
	if lg.Kind == KindDesignatedCity {
		codes = nil
		for _, w := range LocalGovernments() {
			if w.Kind == KindWard && strings.HasPrefix(w.Name, lg.Name) && w.PrefCode == lg.PrefCode {
				codes = append(codes, w.Code)
			}
		}
	}
	best, bestEnd, bestCode, ambiguous := -1, pos, "", false
	for _, c := range codes {
		ix := townsOf(c)
		if ix == nil {
			continue
		}
		i, end := ix.match(n, k, pos)
		if i < 0 {
			continue
		}
		if end > bestEnd || best < 0 {
			best, bestEnd, bestCode, ambiguous = i, end, c, false
		} else if end == bestEnd {
			ambiguous = true
		}
	}
	if best < 0 {
		a.Note = "town (大字・町丁目) not found in " + a.City
		return pos
	}
	if ambiguous {
		a.Note = "town is in more than one ward of " + a.City + "; give the ward"
		return pos
	}
	if bestCode != a.LGCode {
		w, _ := LookupLG(bestCode)
		a.City, a.LGCode = w.Name, w.Code
	}
	a.Town, a.Level = townsOf(bestCode).names[best], 3
	a.Chome = chomeOf(a.Town)
	return bestEnd
}

// match finds the town at pos: the longest listed name (also after a 大字
// or 字 the list leaves out, or before one it has), or a 丁目 written as the
// first number of 1-2-3. It returns the index and the end, or -1.
func (ix *townIndex) match(n, k []rune, pos int) (int, int) {
	best, bestEnd := -1, pos
	try := func(prefix string, from int) {
		for l := min(ix.maxLen, len(k)-from); l > 0; l-- {
			i, ok := ix.exact[prefix+string(n[from:from+l])]
			if !ok {
				i, ok = ix.byKey[prefix+string(k[from:from+l])]
			}
			if ok {
				if from+l > bestEnd {
					best, bestEnd = i, from+l
				}
				break
			}
		}
		// 丁目 as the first number: base + digits + ('-' | end).
		for l := min(ix.maxLen, len(k)-from); l > 0; l-- {
			byN := ix.chome[prefix+string(k[from:from+l])]
			if byN == nil {
				continue
			}
			d := from + l
			for d < len(k) && k[d] >= '0' && k[d] <= '9' {
				d++
			}
			if d == from+l || d-(from+l) > 3 || (d < len(k) && k[d] != '-') {
				continue
			}
			num, _ := strconv.Atoi(string(k[from+l : d]))
			if i, ok := byN[num]; ok {
				end := d
				if end < len(k) {
					end++ // the '-'
				}
				if end > bestEnd {
					best, bestEnd = i, end
				}
				break
			}
		}
	}
	try("", pos)
	if hasPrefixAt(k, pos, "大字") {
		try("", pos+2)
	} else if hasPrefixAt(k, pos, "字") {
		try("", pos+1)
	}
	if best < 0 {
		try("大字", pos)
		try("字", pos)
	}
	return best, bestEnd
}

func chomeOf(town string) int {
	at := strings.LastIndex(town, "丁")
	if at <= 0 {
		return 0
	}
	rs := []rune(town[:at])
	j := len(rs)
	for j > 0 && isKanjiNumeral(rs[j-1]) {
		j--
	}
	n, _ := ParseNumber(string(rs[j:]))
	return n
}

// parseBlock reads 街区符号/番地 and 住居番号/枝番 after the town: 1-2,
// 1番2号, 1番地2, 1の2, 一番二号; the rest goes to Rest.
func (a *Address) parseBlock(n, k []rune, pos int) {
	i := pos
	if i < len(k) && k[i] == '-' && a.Level == 3 {
		i++
	}
	num := func() (string, bool) {
		j := i
		for j < len(k) && (k[j] >= '0' && k[j] <= '9') {
			j++
		}
		if j == i {
			for j < len(k) && isKanjiNumeral(k[j]) {
				j++
			}
			if j == i {
				return "", false
			}
			v, ok := ParseNumber(string(k[i:j]))
			if !ok || !(j < len(k) && (k[j] == '番' || k[j] == '号')) {
				return "", false
			}
			i = j
			return strconv.Itoa(v), true
		}
		if j-i > 8 {
			return "", false
		}
		v, _ := strconv.Atoi(string(k[i:j]))
		i = j
		return strconv.Itoa(v), true
	}
	start := i
	if hasPrefixAt(k, i, "丁目") {
		i += 2
	}
	if b, ok := num(); ok {
		a.Block = b
		switch {
		case hasPrefixAt(k, i, "番地の"):
			i += 3
		case hasPrefixAt(k, i, "番地"), hasPrefixAt(k, i, "番の"):
			i += 2
		case i < len(k) && (k[i] == '番' || k[i] == '-' || k[i] == 'の'):
			i++
		}
		save := i
		if nb, ok := num(); ok {
			a.Number = nb
			if i < len(k) && k[i] == '号' {
				i++
			}
		} else {
			i = save
		}
	} else {
		i = start
	}
	for i < len(k) && k[i] == '-' {
		i++
	}
	a.Rest = string(n[i:])
}

func hasPrefix(k []rune, p string) bool { return hasPrefixAt(k, 0, p) }

func hasPrefixAt(k []rune, pos int, p string) bool {
	pr := []rune(p)
	if pos+len(pr) > len(k) {
		return false
	}
	for i, r := range pr {
		if k[pos+i] != r {
			return false
		}
	}
	return true
}

func runeLen(s string) int { return len([]rune(s)) }

func indexRune(k []rune, r rune) int {
	for i, c := range k {
		if c == r {
			return i
		}
	}
	return -1
}
