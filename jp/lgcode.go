package jp

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/tokumei/tokumei/fault"
)

// Kind is the kind of a local government (地方公共団体の種類).
type Kind string

// The kinds of local government in the shipped list.
const (
	KindPrefecture     Kind = "prefecture"      // 都道府県
	KindDesignatedCity Kind = "designated-city" // 指定都市 (政令市)
	KindWard           Kind = "ward"            // 行政区 of a designated city (not a local government proper)
	KindCity           Kind = "city"            // 市 (incl. 中核市, 施行時特例市)
	KindTown           Kind = "town"            // 町
	KindVillage        Kind = "village"         // 村
	KindSpecialWard    Kind = "special-ward"    // 特別区 (Tokyo's 23 wards)
)

// LocalGov is one entry of the local-government list.
type LocalGov struct {
	Code     string // 6-digit 全国地方公共団体コード with check digit, e.g. "011002"
	Name     string // e.g. 札幌市, 札幌市中央区, 北海道
	Kana     string // reading in hiragana
	PrefCode string // 2-digit prefecture code, e.g. "01"
	Pref     string // prefecture name, e.g. 北海道
	Kind     Kind
}

// ListSource names the data the embedded lists were built from, for
// provenance: codes change with mergers, so say which list was used.
const ListSource = "code4fukui/localgovjp@232edc3 (CC0), Geolonia japanese-addresses@c3999f7 (CC BY 4.0)"

//go:embed data/lg.tsv
var lgData string

type lgTable struct {
	list     []LocalGov
	byCode   map[string]int    // 6-digit code → index
	district map[string]string // code → 郡 name for towns and villages
}

var lgOnce = sync.OnceValue(func() *lgTable {
	t := &lgTable{byCode: map[string]int{}, district: map[string]string{}}
	prefName := map[string]string{}
	for _, line := range strings.Split(lgData, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		lg := LocalGov{Code: f[0], Kind: Kind(f[1]), Name: f[2], Kana: f[3], PrefCode: f[0][:2]}
		if lg.Kind == KindPrefecture {
			prefName[lg.PrefCode] = lg.Name
		}
		lg.Pref = prefName[lg.PrefCode]
		if f[4] != "" {
			t.district[lg.Code] = f[4]
		}
		t.byCode[lg.Code] = len(t.list)
		t.list = append(t.list, lg)
	}
	return t
})

// LocalGovernments returns a copy of the shipped list: the 47 prefectures
// first, then the municipalities and designated-city wards in code order.
func LocalGovernments() []LocalGov {
	return append([]LocalGov(nil), lgOnce().list...)
}

// District returns the 郡 (district) a town or village belongs to, e.g.
// 石狩郡 for 当別町, or "" (cities, wards, and the Tokyo islands have none).
func District(code string) string {
	return lgOnce().district[code]
}

// CheckDigit returns the check digit of a 5-digit local-government code:
// with S = 6d1+5d2+4d3+3d4+2d5, the digit is (11 − S mod 11) mod 10.
func CheckDigit(first5 string) (int, error) {
	if len(first5) != 5 || !allDigits(first5) {
		return 0, fault.New(fault.Invalid,
			"a local-government code needs exactly 5 digits before the check digit",
			"地方公共団体コードの先頭は5桁の数字でなければなりません")
	}
	s := 0
	for i := 0; i < 5; i++ {
		s += int(first5[i]-'0') * (6 - i)
	}
	return (11 - s%11) % 10, nil
}

// ValidLGCode checks the form of a 6-digit code: six ASCII digits, a
// prefecture 01–47 and the right check digit. It does not consult the list;
// use LookupLG for that.
func ValidLGCode(code string) error {
	if len(code) != 6 || !allDigits(code) {
		return fault.New(fault.Invalid,
			"a local-government code must be 6 digits (全国地方公共団体コード)",
			"地方公共団体コードは6桁の数字でなければなりません")
	}
	if p := code[:2]; p < "01" || p > "47" {
		return fault.New(fault.Invalid,
			"a local-government code must start with a prefecture code 01–47",
			"地方公共団体コードの先頭2桁は都道府県コード（01〜47）でなければなりません")
	}
	d, _ := CheckDigit(code[:5])
	if int(code[5]-'0') != d {
		return fault.Errorf(fault.Invalid,
			"the check digit of local-government code %s is wrong (expected %d)", code, d)
	}
	return nil
}

// LookupLG finds a local government by its 6-digit code or 5-digit form
// (without the check digit). Surrounding spaces and full-width digits are
// accepted. A 5-digit value not found as a 5-digit code is also tried as a
// 6-digit code that lost its leading zero in a spreadsheet (10006 → 010006).
// A well-formed code absent from the list (e.g. retired in a merger) gives a
// fault.NotFound error.
func LookupLG(code string) (LocalGov, error) {
	c := foldDigits(strings.TrimSpace(code))
	t := lgOnce()
	switch len(c) {
	case 5:
		if !allDigits(c) {
			break
		}
		d, _ := CheckDigit(c)
		if i, ok := t.byCode[c+string(rune('0'+d))]; ok {
			return t.list[i], nil
		}
		if ValidLGCode("0"+c) == nil {
			if i, ok := t.byCode["0"+c]; ok {
				return t.list[i], nil
			}
		}
		return LocalGov{}, notFoundLG(c)
	case 6:
		if err := ValidLGCode(c); err != nil {
			return LocalGov{}, err
		}
		if i, ok := t.byCode[c]; ok {
			return t.list[i], nil
		}
		return LocalGov{}, notFoundLG(c)
	}
	return LocalGov{}, fault.New(fault.Invalid,
		"a local-government code must be 6 digits, or 5 without the check digit",
		"地方公共団体コードは6桁（またはチェックデジットを除く5桁）の数字でなければなりません")
}

func notFoundLG(c string) *fault.Error {
	return fault.New(fault.NotFound,
		"local-government code "+c+" is not in the current list (it may have been retired in a merger, or never existed)",
		"地方公共団体コード "+c+" は現行の一覧にありません（合併で廃止されたか、存在しないコードです）")
}

// Region returns the region (地方) of a prefecture code ("01"…"47"; a longer
// code is read from its first two digits, a one-digit code is zero-padded):
// 北海道, 東北, 関東, 中部, 近畿, 中国, 四国 or 九州・沖縄; "" when unknown.
func Region(prefCode string) string {
	p := foldDigits(strings.TrimSpace(prefCode))
	if len(p) == 1 {
		p = "0" + p
	}
	if len(p) < 2 || !allDigits(p[:2]) {
		return ""
	}
	n := int(p[0]-'0')*10 + int(p[1]-'0')
	switch {
	case n == 1:
		return "北海道"
	case n >= 2 && n <= 7:
		return "東北"
	case n >= 8 && n <= 14:
		return "関東"
	case n >= 15 && n <= 23:
		return "中部"
	case n >= 24 && n <= 30:
		return "近畿"
	case n >= 31 && n <= 35:
		return "中国"
	case n >= 36 && n <= 39:
		return "四国"
	case n >= 40 && n <= 47:
		return "九州・沖縄"
	}
	return ""
}

// SchemeMandatory reports whether the local government must run the
// anonymised-information scheme (行政機関等匿名加工情報, APPI §§109–123 as
// applied since 2023-04): prefectures and designated cities; others may opt in.
func SchemeMandatory(lg LocalGov) bool {
	return lg.Kind == KindPrefecture || lg.Kind == KindDesignatedCity
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// foldDigits turns full-width digits ０–９ into ASCII digits.
func foldDigits(s string) string {
	if !strings.ContainsAny(s, "０１２３４５６７８９") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
}
