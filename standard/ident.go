package standard

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// ValidMyNumber reports whether s is a valid individual number (マイナンバー,
// 個人番号): 12 digits whose last digit is the check digit of the first 11
// (総務省令 check-digit rule: weights 2–7 then 2–6 from the right, modulus 11).
// Hyphens and spaces are ignored; full-width digits are accepted.
func ValidMyNumber(s string) bool {
	d := digitsOnly(s)
	if len(d) != 12 {
		return false
	}
	return int(d[11]-'0') == myNumberCheck(d[:11])
}

// MyNumberCheckDigit returns the check digit of an 11-digit body (-1 when
// the body is not 11 digits).
func MyNumberCheckDigit(body string) int {
	d := digitsOnly(body)
	if len(d) != 11 {
		return -1
	}
	return myNumberCheck(d)
}

func myNumberCheck(d string) int {
	sum := 0
	for n := 1; n <= 11; n++ {
		p := int(d[11-n] - '0')
		q := n + 1
		if n >= 7 {
			q = n - 5
		}
		sum += p * q
	}
	r := sum % 11
	if r <= 1 {
		return 0
	}
	return 11 - r
}

// fold maps full-width ASCII to half-width and half-width katakana to
// full-width, and trims spaces.
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return strings.TrimSpace(width.Fold.String(s))
		}
	}
	return strings.TrimSpace(s)
}

// digitsOnly returns the digits of s after folding when s holds only digits,
// hyphens and spaces; otherwise "".
func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range fold(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '-' || r == ' ' || r == 'ー' || r == '‐' || r == '−':
		default:
			return ""
		}
	}
	return b.String()
}

var (
	reEmail    = lazyRegexp(`^[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}$`)
	rePension  = lazyRegexp(`^\d{4}-\d{6}$`)
	rePassport = lazyRegexp(`^[A-Z]{2}\d{7}$`)
	reEraDate  = lazyRegexp(`^(明治|大正|昭和|平成|令和|[MTSHRmtshr])\s*(元|\d{1,2})\s*[年.\-/]\s*\d{1,2}\s*[月.\-/]\s*\d{1,2}\s*日?$`)
	reDate     = lazyRegexp(`^(\d{4})\s*[年.\-/]\s*\d{1,2}\s*[月.\-/]\s*\d{1,2}\s*日?$`)
	reKanjiNm  = lazyRegexp(`^[\p{Han}々ヶ]{1,4}[ 　]?[\p{Han}\p{Hiragana}\p{Katakana}々ー]{1,5}$`)
	reSpacedNm = lazyRegexp(`^[\p{Han}々ヶ]{1,4}[ 　][\p{Han}\p{Hiragana}\p{Katakana}々ー]{1,5}$`)
	reKana     = lazyRegexp(`^[\p{Katakana}ー]+[ 　]?[\p{Katakana}ー]*$`)
	rePrefix   = lazyRegexp(`^(北海道|東京都|大阪府|京都府|.{2,3}県)`)
	reAddrTail = lazyRegexp(`[市区町村郡].*(\d|[一二三四五六七八九十]+丁目|番地|番|号)`)
	reNumber   = lazyRegexp(`^-?\d+(\.\d+)?$`)
	reIDLike   = lazyRegexp(`^[A-Za-z0-9\-]{6,20}$`)
)

var parens = strings.NewReplacer("(", "-", ")", "-", "（", "-", "）", "-")

// IsPhone reports whether s looks like a Japanese telephone number: 10 or 11
// digits starting with 0, optionally with hyphens or parentheses.
func IsPhone(s string) bool {
	f := parens.Replace(fold(s))
	d := digitsOnly(f)
	if len(d) < 10 || len(d) > 11 || d[0] != '0' {
		return false
	}
	// A bare 12-digit run is not a phone; require a separator or the 0X0 mobile form.
	return strings.ContainsAny(f, "-") || strings.HasPrefix(d, "070") || strings.HasPrefix(d, "080") || strings.HasPrefix(d, "090")
}

// IsEmail reports whether s looks like an e-mail address.
func IsEmail(s string) bool { return reEmail().MatchString(fold(s)) }

// IsEraDate reports whether s is a date in the Japanese era calendar (和暦),
// e.g. 昭和45年3月1日, S45.3.1, 令和元年5月1日.
func IsEraDate(s string) bool { return reEraDate().MatchString(fold(s)) }

// IsDate reports whether s is a Gregorian date (2006-01-02, 2006/1/2,
// 2006年1月2日) or an era date.
func IsDate(s string) bool {
	f := fold(s)
	return reDate().MatchString(f) || reEraDate().MatchString(f)
}

// IsAddress reports whether s looks like a Japanese address: it starts
// with a prefecture or names a municipality followed by a block or house
// number.
func IsAddress(s string) bool {
	f := fold(s)
	return rePrefix().MatchString(f) || reAddrTail().MatchString(f)
}

// IsDetailedAddress reports whether s carries a block or house number
// (番地, 丁目, digits), i.e. identifies a dwelling.
func IsDetailedAddress(s string) bool { return reAddrTail().MatchString(fold(s)) }

// IsPersonName reports whether s looks like a person's name in kanji:
// starting with a common surname, or a kanji family name, a space and a
// given name.
func IsPersonName(s string) bool {
	f := fold(s)
	if !reKanjiNm().MatchString(f) || IsAddress(f) || strings.ContainsAny(string([]rune(f)[len([]rune(f))-1]), "都道府県市区町村郡") {
		return false
	}
	for _, sn := range surnames {
		if strings.HasPrefix(f, sn) && len([]rune(f)) > len([]rune(sn)) {
			return true
		}
	}
	// Registers write a name as family name, space, given name.
	return reSpacedNm().MatchString(f)
}

// IsKanaName reports whether s is written in katakana only (a furigana
// name), at least three characters long.
func IsKanaName(s string) bool {
	f := fold(s)
	return len([]rune(f)) >= 3 && reKana().MatchString(f)
}

// surnames are common Japanese family names used to recognise name columns.
var surnames = strings.Fields(`佐々木 長谷川 五十嵐 久保田 佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田
山田 山口 松本 井上 木村 斎藤 清水 山崎 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 藤田
後藤 近藤 村上 遠藤 青木 坂本 斉藤 福田 太田 西村 藤井 金子 岡本 藤原 中野 三浦 原田 中川 松田
竹内 小野 田村 中山 和田 石田 森田 上田 内田 柴田 酒井 宮崎 横山 高木 安藤 宮本 大野 小島 谷口
今井 工藤 高田 増田 丸山 杉山 村田 大塚 新井 小山 平野 藤本 河野 上野 野口 武田 松井 千葉 岩崎
菅原 木下 久保 佐野 野村 松尾 市川 菊地 杉本 古川 大西 島田 水野 桜井 高野 渡部 吉川 山内 西田
飯田 菊池 西川 小松 北村 安田 川口 平田 中田 服部 岩田 土屋 川崎 福島 本田 樋口 秋山 林 森 原 関
東 辻 堀 南 北 西`)

func isSex(s string) bool {
	switch strings.ToLower(fold(s)) {
	case "男", "女", "男性", "女性", "m", "f", "male", "female":
		return true
	}
	return false
}

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
