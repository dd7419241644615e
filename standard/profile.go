package standard

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/tokumei/tokumei/fault"
)

// ProfileOptions configure profiling.
type ProfileOptions struct {
	// K is the class size below which a category is rare (default 5).
	K int
	// OldAge is the age from which a value is peculiar (default 105).
	OldAge float64
	// MissingTokens are extra cell values read as missing besides "" and "*".
	MissingTokens []string
	// ReferenceYear is used to turn birth dates into ages for the old-age
	// check (default: the year of the latest date is not guessed; 0 skips it).
	ReferenceYear int
}

func (o ProfileOptions) k() int {
	if o.K <= 0 {
		return 5
	}
	return o.K
}

func (o ProfileOptions) oldAge() float64 {
	if o.OldAge <= 0 {
		return 105
	}
	return o.OldAge
}

// ColumnProfile is the verdict on one column.
type ColumnProfile struct {
	Column   string     `json:"column"`
	Class    Class      `json:"class"`
	Reason   string     `json:"reason"`
	ReasonJA string     `json:"reason_ja"`
	Kind     Kind       `json:"kind"`
	Distinct int        `json:"distinct"`
	Missing  int        `json:"missing"`
	Values   []string   `json:"-"` // distinct values, for draft hierarchies (small columns only)
	Peculiar []Peculiar `json:"peculiar,omitempty"`
}

// Peculiar is a peculiar description (特異な記述) found in a column.
type Peculiar struct {
	Column string `json:"column"`
	Value  string `json:"value"`
	Count  int    `json:"count"`
	Kind   string `json:"kind"` // "old-age", "rare-category", "outlier"
	Reason string `json:"reason"`
}

// Profile is the result of profiling a file.
type Profile struct {
	Records int             `json:"records"`
	Columns []ColumnProfile `json:"columns"`
}

// Peculiars returns every peculiar value of every column.
func (p *Profile) Peculiars() []Peculiar {
	var out []Peculiar
	for _, c := range p.Columns {
		out = append(out, c.Peculiar...)
	}
	return out
}

// Column returns the profile of the named column, or nil.
func (p *Profile) Column(name string) *ColumnProfile {
	for i := range p.Columns {
		if p.Columns[i].Column == name {
			return &p.Columns[i]
		}
	}
	return nil
}

// ProfileColumns classifies each column (cols[j] holds the values of
// names[j]) by its header and its values, and lists peculiar values.
func ProfileColumns(names []string, cols [][]string, o ProfileOptions) (*Profile, error) {
	if len(names) != len(cols) {
		return nil, fault.Errorf(fault.Invalid, "profile: %d names for %d columns", len(names), len(cols))
	}
	p := &Profile{}
	if len(cols) > 0 {
		p.Records = len(cols[0])
	}
	missing := map[string]bool{"": true, "*": true}
	for _, t := range o.MissingTokens {
		missing[t] = true
	}
	for j, name := range names {
		if len(cols[j]) != p.Records {
			return nil, fault.Errorf(fault.Invalid, "profile: column has %d values, want %d", len(cols[j]), p.Records).In(name)
		}
		p.Columns = append(p.Columns, profileColumn(name, cols[j], missing, o))
	}
	return p, nil
}

type colStats struct {
	vals     []string // non-missing values
	freq     map[string]int
	order    []string // distinct values in order of first appearance
	missing  int
	distinct int
}

// maxDetect bounds the distinct values the detectors look at.
const maxDetect = 20000

func stats(col []string, missing map[string]bool) colStats {
	s := colStats{freq: map[string]int{}}
	for _, v := range col {
		v = strings.TrimSpace(v)
		if missing[v] {
			s.missing++
			continue
		}
		s.vals = append(s.vals, v)
		if s.freq[v] == 0 {
			s.order = append(s.order, v)
		}
		s.freq[v]++
	}
	s.distinct = len(s.freq)
	return s
}

// share returns the fraction of non-missing values satisfying f, testing
// each distinct value once (the first maxDetect distinct values).
func (s colStats) share(f func(string) bool) float64 {
	n, tot := 0, 0
	for i, v := range s.order {
		if i == maxDetect {
			break
		}
		c := s.freq[v]
		tot += c
		if f(v) {
			n += c
		}
	}
	if tot == 0 {
		return 0
	}
	return float64(n) / float64(tot)
}

func profileColumn(name string, col []string, missing map[string]bool, o ProfileOptions) ColumnProfile {
	s := stats(col, missing)
	cp := ColumnProfile{Column: name, Distinct: s.distinct, Missing: s.missing}
	byValue := classifyValues(s)
	if r := matchHeader(name); r != nil {
		cp.Class, cp.Kind, cp.Reason, cp.ReasonJA = r.class, r.kind, r.reason, r.ja
		// Values can make a header verdict stronger (a "番号" column holding
		// valid My Numbers) but never weaker.
		if byValue != nil && byValue.kind != KindCode && rank(byValue.class) < rank(cp.Class) {
			cp.Class, cp.Kind = byValue.class, byValue.kind
			cp.Reason, cp.ReasonJA = byValue.reason+" (header: "+r.reason+")", byValue.ja+"（列名: "+r.ja+"）"
		} else if byValue != nil && byValue.class == cp.Class {
			cp.Reason += "; " + byValue.reason
			cp.ReasonJA += "、" + byValue.ja
		}
	} else if byValue != nil {
		cp.Class, cp.Kind, cp.Reason, cp.ReasonJA = byValue.class, byValue.kind, byValue.reason, byValue.ja
	} else {
		cp.Class, cp.Kind, cp.Reason, cp.ReasonJA = Other, KindText, "no detector matched", "該当する検出規則なし"
	}
	if cp.Kind == KindAddress && cp.Class == QuasiIdentifier && s.share(IsDetailedAddress) >= 0.5 {
		cp.Reason += "; holds block and house numbers: generalise to the municipality or town (Rule 62 item 1)"
		cp.ReasonJA += "。番地まで含むため市区町村または町字まで一般化すること（規則第62条第1号）"
	}
	if s.distinct <= 200 {
		for v := range s.freq {
			cp.Values = append(cp.Values, v)
		}
		sort.Strings(cp.Values)
	}
	cp.Peculiar = peculiar(name, cp, s, o)
	return cp
}

// rank orders classes from the most to the least identifying.
func rank(c Class) int {
	switch c {
	case IdentificationCode:
		return 0
	case Identifier:
		return 1
	case LinkingCode:
		return 2
	case QuasiIdentifier:
		return 3
	case Sensitive:
		return 4
	}
	return 5
}

type verdict struct {
	class      Class
	kind       Kind
	reason, ja string
}

func pct(f float64) string { return strconv.Itoa(int(math.Round(f*100))) + "%" }

// classifyValues looks at the values alone.
func classifyValues(s colStats) *verdict {
	if len(s.vals) == 0 {
		return nil
	}
	const most = 0.8
	v := func(c Class, k Kind, share float64, en, ja string) *verdict {
		return &verdict{c, k, fmt.Sprintf("%s of the values are %s", pct(share), en), fmt.Sprintf("値の%sが%s", pct(share), ja)}
	}
	twelve := s.share(func(x string) bool { return len(digitsOnly(x)) == 12 })
	if f := s.share(ValidMyNumber); twelve >= most && f >= 0.95 && len(s.vals) >= 5 {
		return v(IdentificationCode, KindMyNumber, f, "12-digit numbers with a valid My Number check digit", "検査用数字の正しい12桁の個人番号")
	}
	if f := s.share(func(x string) bool { return rePension().MatchString(fold(x)) }); f >= most {
		return v(IdentificationCode, KindCode, f, "in the basic pension number layout (4-6 digits)", "基礎年金番号の形式（4桁-6桁）")
	}
	if f := s.share(func(x string) bool { return rePassport().MatchString(fold(x)) }); f >= most {
		return v(IdentificationCode, KindCode, f, "in the passport number layout", "旅券番号の形式")
	}
	if f := s.share(IsEmail); f >= most {
		return v(Identifier, KindEmail, f, "e-mail addresses", "メールアドレス")
	}
	if f := s.share(IsPhone); f >= most {
		return v(Identifier, KindPhone, f, "telephone numbers", "電話番号")
	}
	if f := s.share(IsPersonName); f >= 0.6 && s.distinct*10 >= 3*len(s.vals) {
		return v(Identifier, KindName, f, "personal names", "氏名")
	}
	if f := s.share(IsKanaName); f >= most && s.distinct*10 >= 3*len(s.vals) {
		return v(Identifier, KindKana, f, "names in katakana", "カタカナの氏名")
	}
	if f := s.share(IsEraDate); f >= most {
		return v(QuasiIdentifier, KindDate, f, "dates in the Japanese era calendar (和暦)", "和暦の日付")
	}
	if f := s.share(IsDate); f >= most {
		return v(QuasiIdentifier, KindDate, f, "dates", "日付")
	}
	if f := s.share(IsAddress); f >= most {
		return v(QuasiIdentifier, KindAddress, f, "addresses", "住所")
	}
	if f := s.share(isSex); f >= 0.95 && s.distinct <= 6 {
		return v(QuasiIdentifier, KindSex, f, "sex codes", "性別")
	}
	idLike := s.share(func(x string) bool { return reIDLike().MatchString(fold(x)) })
	if idLike >= 0.95 && len(s.vals) >= 20 && float64(s.distinct) >= 0.95*float64(len(s.vals)) && codeShaped(s) {
		return &verdict{LinkingCode, KindCode,
			fmt.Sprintf("%s of the values are code-like and %s are distinct: a record key", pct(idLike), pct(float64(s.distinct)/float64(len(s.vals)))),
			fmt.Sprintf("値の%sが符号の形式で%sが相異なる：レコードを特定する符号", pct(idLike), pct(float64(s.distinct)/float64(len(s.vals))))}
	}
	return nil
}

// codeShaped reports whether a column's values look like codes rather than
// measurements: letters, or digits of one fixed length with leading zeros
// or at least 8 digits.
func codeShaped(s colStats) bool {
	lengths := map[int]int{}
	letters, zeros, total := 0, 0, 0
	for i, v := range s.order {
		if i == maxDetect {
			break
		}
		f := fold(v)
		total++
		lengths[len(f)]++
		if strings.IndexFunc(f, func(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' }) >= 0 {
			letters++
		}
		if strings.HasPrefix(f, "0") && len(f) > 1 {
			zeros++
		}
	}
	if total == 0 {
		return false
	}
	if float64(letters) >= 0.95*float64(total) {
		return true
	}
	modal, ml := 0, 0
	for l, c := range lengths {
		if c > modal {
			modal, ml = c, l
		}
	}
	return float64(modal) >= 0.95*float64(total) && (zeros > 0 || ml >= 8)
}
