package standard

import (
	"regexp"
	"strings"
	"sync"
)

// lazyRegexp returns a regexp compiled on first use, so that the package
// costs nothing at start-up for commands that do not profile.
func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}

// Class is the role of a column under the processing standard.
type Class string

// Column classes (the values of "class" in `tokumei profile`).
const (
	Identifier         Class = "identifier"          // 特定の個人を識別できる記述 (Rule 62 item 1)
	IdentificationCode Class = "identification-code" // 個人識別符号 (item 2)
	LinkingCode        Class = "linking-code"        // 連結符号 (item 3)
	QuasiIdentifier    Class = "quasi-identifier"    // 準識別子 (item 5)
	Sensitive          Class = "sensitive"           // 機微な属性
	Other              Class = "other"
)

// Kind is the finer detector result, which drives the draft hierarchy.
type Kind string

// Column kinds.
const (
	KindName      Kind = "name"
	KindKana      Kind = "kana"
	KindPhone     Kind = "phone"
	KindEmail     Kind = "email"
	KindAddress   Kind = "address"
	KindMyNumber  Kind = "my-number"
	KindCode      Kind = "code"
	KindBirthDate Kind = "birth-date"
	KindDate      Kind = "date"
	KindAge       Kind = "age"
	KindSex       Kind = "sex"
	KindCategory  Kind = "category"
	KindNumber    Kind = "number"
	KindArea      Kind = "area"
	KindPostal    Kind = "postal-code"
	KindText      Kind = "text"
)

type headerRule struct {
	re         *regexp.Regexp
	class      Class
	kind       Kind
	reason, ja string
}

func hr(pattern string, c Class, k Kind, en, ja string) headerRule {
	return headerRule{regexp.MustCompile(`(?i)` + pattern), c, k, en, ja}
}

// headerRules are tried in order on the folded, lower-cased header. They
// are compiled on first use, not at start-up.
var headerRules = sync.OnceValue(func() []headerRule { return headerRuleList() })

func headerRuleList() []headerRule {
	return []headerRule{
		hr(`マイナンバー|個人番号|my_?number|individual_?number`, IdentificationCode, KindMyNumber, "header names the individual number (My Number)", "列名が個人番号（マイナンバー）を示す"),
		hr(`住民票コード|resident_?record_?code`, IdentificationCode, KindCode, "header names the resident-record code", "列名が住民票コードを示す"),
		hr(`基礎年金番号|年金番号|pension_?(no|number)`, IdentificationCode, KindCode, "header names the basic pension number", "列名が基礎年金番号を示す"),
		hr(`旅券|パスポート|passport`, IdentificationCode, KindCode, "header names a passport number", "列名が旅券番号を示す"),
		hr(`運転免許|免許証|driv(ing|er'?s?)_?licen[cs]e`, IdentificationCode, KindCode, "header names a driving-licence number", "列名が運転免許証番号を示す"),
		hr(`被保険者証|保険証|記号.?番号|insurance_?card`, IdentificationCode, KindCode, "header names a health-insurance card symbol/number", "列名が被保険者証の記号・番号を示す"),
		hr(`在留カード|residence_?card`, IdentificationCode, KindCode, "header names a residence-card number", "列名が在留カード番号を示す"),
		hr(`宛名番号|宛名コード|宛名id|addressee`, LinkingCode, KindCode, "header names the addressee number used to link the body's systems", "列名が宛名番号（団体内の連結に用いる符号）を示す"),
		hr(`世帯番号|世帯コード|世帯id|household_?(id|no|number|code)`, LinkingCode, KindCode, "header names a household number", "列名が世帯番号を示す"),
		hr(`被保険者番号|insured_?(no|number|id)`, LinkingCode, KindCode, "header names an insured number used as an internal key", "列名が被保険者番号（内部の連結符号）を示す"),
		hr(`フリガナ|ふりがな|カナ|かな|kana|furigana`, Identifier, KindKana, "header names a name in kana", "列名がカナ氏名を示す"),
		hr(`氏名|名前|姓|^名$|full_?name|^name$|first_?name|last_?name|family_?name|given_?name`, Identifier, KindName, "header names a person's name", "列名が氏名を示す"),
		hr(`電話|^tel|phone|携帯|fax`, Identifier, KindPhone, "header names a telephone number", "列名が電話番号を示す"),
		hr(`メール|mail`, Identifier, KindEmail, "header names an e-mail address", "列名がメールアドレスを示す"),
		hr(`勤務先|事業所名|employer|company_?name`, Identifier, KindText, "header names an employer", "列名が勤務先名を示す"),
		hr(`生年月日|誕生日|birth|dob`, QuasiIdentifier, KindBirthDate, "birth date", "生年月日"),
		hr(`年齢|^age$|^age_|_age$`, QuasiIdentifier, KindAge, "age", "年齢"),
		hr(`性別|^sex$|gender`, QuasiIdentifier, KindSex, "sex", "性別"),
		hr(`郵便番号|postal|zip`, QuasiIdentifier, KindPostal, "postal code", "郵便番号"),
		hr(`住所|所在地|address|居所`, QuasiIdentifier, KindAddress, "address", "住所"),
		hr(`市区町村|町丁|地区|地域|校区|団体コード|area|municipality|city|prefecture|都道府県`, QuasiIdentifier, KindArea, "area of residence", "居住地域"),
		hr(`国籍|nationality`, QuasiIdentifier, KindCategory, "nationality", "国籍"),
		hr(`続柄|relationship`, QuasiIdentifier, KindCategory, "relationship to the household head", "続柄"),
		hr(`世帯人数|世帯員数|household_?size`, QuasiIdentifier, KindNumber, "household size", "世帯人数"),
		hr(`職業|occupation|業種|industry`, QuasiIdentifier, KindCategory, "occupation or industry", "職業・業種"),
		hr(`転入|転出|異動|移動|届出日|認定日|受診日|資格取得|資格喪失|date|年月日|年月`, QuasiIdentifier, KindDate, "date of an event", "事象の日付"),
		hr(`病名|傷病|診断|疾病|疾患|icd|disease|diagnos`, Sensitive, KindCategory, "health condition", "病歴・傷病（要配慮個人情報）"),
		hr(`要介護|介護度|要支援|care_?level`, Sensitive, KindCategory, "long-term care level", "要介護度"),
		hr(`障害|障がい|disabilit`, Sensitive, KindCategory, "disability", "障害"),
		hr(`生活保護|welfare`, Sensitive, KindCategory, "public assistance", "生活保護"),
		hr(`所得|収入|income|税額|課税|tax_?amount|給与|salary`, Sensitive, KindNumber, "income or tax amount", "所得・税額"),
		hr(`医療費|点数|給付|benefit|claim|費用額`, Sensitive, KindNumber, "medical or benefit amount", "医療費・給付額"),
		hr(`血圧|hba1c|血糖|ldl|hdl|中性脂肪|bmi|腹囲|egfr|体重|身長|喫煙|飲酒`, Sensitive, KindNumber, "health-check measurement", "健診結果"),
		hr(`納税義務者番号|納税者番号|taxpayer_?(id|no|number)|受給者番号|個人コード|住民コード|管理番号|person_?id|patient_?id|^id$|_id$|^no$|番号$`, LinkingCode, KindCode, "header names an internal record number", "列名が内部の管理番号を示す"),
	}
}

func normHeader(h string) string {
	f := strings.ToLower(fold(h))
	return strings.NewReplacer(" ", "_", "-", "_", "　", "").Replace(f)
}

func matchHeader(h string) *headerRule {
	n := normHeader(h)
	rules := headerRules()
	for i := range rules {
		if rules[i].re.MatchString(n) {
			return &rules[i]
		}
	}
	return nil
}
