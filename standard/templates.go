package standard

import "github.com/tokumei/tokumei/fault"

// Template is a ready spec for a typical local-government file
// (domain.md §4.3). The column names are those of a usual extract; users
// rename them to their file's.
type Template struct {
	Name          string       `json:"name"`
	NameJA        string       `json:"name_ja"`
	Spec          Spec         `json:"spec"`
	Plan          []ColumnPlan `json:"plan"`           // per column: Rule 62 action and comment
	RiskThreshold float64      `json:"risk_threshold"` // highest acceptable prosecutor risk (1/k)
}

func del(name, why string) Attribute {
	return Attribute{Name: name, Type: TypeIdentifying, Action: "delete", Comment: why}
}

func pseudo(name, why string) Attribute {
	return Attribute{Name: name, Type: TypeIdentifying, Action: "pseudonym", Comment: why}
}

func quasi(name string, h *Hierarchy, why string) Attribute {
	return Attribute{Name: name, Type: TypeQuasi, Hierarchy: h, Comment: why}
}

func sensitive(name, action, why string) Attribute {
	return Attribute{Name: name, Type: TypeSensitive, Action: action, Comment: why}
}

func ageBands(top float64) *Hierarchy {
	return &Hierarchy{Builder: "interval", Widths: []float64{5, 10, 20}, Top: ptr(top)}
}

var sexGroups = &Hierarchy{Builder: "groups", Groups: []map[string][]string{{"*": {"男", "女"}}}}

func spec(name string, k int, attrs ...Attribute) Spec {
	return Spec{
		Template:         name,
		Input:            Input{Path: name + ".csv", Encoding: "auto"},
		Attributes:       attrs,
		Privacy:          []Model{{Model: "k-anonymity", K: k}},
		SuppressionLimit: 0.02,
		Metric:           "loss",
		Output:           Output{Path: name + "-anonymized.csv", Report: name + "-report.json"},
	}
}

func tpl(name, ja string, s Spec) Template {
	return Template{Name: name, NameJA: ja, Spec: s, Plan: s.Plan(), RiskThreshold: 1 / float64(s.Privacy[0].K)}
}

// Templates returns the ready specs: 住民基本台帳, 国民健康保険, 介護保険,
// 地方税, 特定健診.
func Templates() []Template {
	return []Template{
		tpl("resident-register", "住民基本台帳", spec("resident-register", 5,
			pseudo("宛名番号", "連結符号（第3号）: 提供ごとの仮IDに置換"),
			pseudo("世帯番号", "連結符号（第3号）: 提供ごとの仮IDに置換"),
			del("個人番号", "個人識別符号（第2号）"),
			del("住民票コード", "個人識別符号（第2号）"),
			del("氏名", "識別記述（第1号）"),
			del("フリガナ", "識別記述（第1号）"),
			del("電話番号", "識別記述（第1号）"),
			quasi("生年月日", &Hierarchy{Builder: "age-band", ReferenceDate: "2026-04-01"}, "5歳階級、90歳以上はトップコーディング"),
			quasi("性別", sexGroups, "そのまま"),
			Attribute{Name: "住所", Type: TypeQuasi, Hierarchy: &Hierarchy{Builder: "address"}, MinLevel: ptr(1), Comment: "番地以下は削除（第1号）、市区町村または町字まで"},
			quasi("続柄", &Hierarchy{Builder: "groups", Groups: []map[string][]string{
				{"世帯主": {"世帯主"}, "配偶者": {"妻", "夫"}, "子": {"子", "長男", "長女", "次男", "次女"}, "その他": {"父", "母", "孫", "同居人"}},
				{"*": {"世帯主", "配偶者", "子", "その他"}}}}, "世帯主・配偶者・子・その他に統合"),
			quasi("国籍", &Hierarchy{Builder: "groups", Groups: []map[string][]string{{"*": {"日本", "外国"}}}}, "日本・外国の2区分（少数の国籍は削除）"),
			quasi("転入年月日", &Hierarchy{Builder: "date", Steps: []string{"month", "year"}}, "年月まで"),
		)),
		tpl("national-health-insurance", "国民健康保険", spec("national-health-insurance", 10,
			del("被保険者証記号番号", "個人識別符号（第2号）"),
			del("個人番号", "個人識別符号（第2号）"),
			pseudo("被保険者番号", "連結符号（第3号）"),
			del("氏名", "識別記述（第1号）"),
			del("住所", "識別記述（第1号）、地域は市区町村コードで示す"),
			quasi("市区町村コード", &Hierarchy{Builder: "lgcode"}, "市区町村"),
			quasi("年齢", ageBands(90), "5歳階級、90歳以上"),
			quasi("性別", sexGroups, "そのまま"),
			sensitive("傷病名", "", "ICD-10 3桁分類、希少疾病はその他またはレコード削除（第4号）"),
			del("医療機関名", "削除または二次医療圏へ一般化"),
			quasi("診療年月", &Hierarchy{Builder: "date", Steps: []string{"year"}}, "年月"),
			sensitive("医療費", "top-code", "99.9パーセンタイルでトップコーディング"),
		)),
		tpl("long-term-care", "介護保険", spec("long-term-care", 5,
			pseudo("被保険者番号", "連結符号（第3号）"),
			del("氏名", "識別記述（第1号）"),
			del("住所", "識別記述（第1号）"),
			quasi("市区町村コード", &Hierarchy{Builder: "lgcode"}, "市区町村"),
			quasi("年齢", ageBands(95), "5歳階級、95歳以上"),
			quasi("性別", sexGroups, "そのまま"),
			sensitive("要介護度", "", "7区分のまま（年齢・地域との組合せが希少なら統合）"),
			del("サービス事業所名", "削除または事業所種別のみ"),
			sensitive("給付費", "top-code", "トップコーディング"),
			quasi("認定年月日", &Hierarchy{Builder: "date", Steps: []string{"month", "year"}}, "年月まで"),
		)),
		tpl("local-tax", "地方税", spec("local-tax", 5,
			pseudo("納税義務者番号", "連結符号（第3号）"),
			del("氏名", "識別記述（第1号）"),
			del("住所", "識別記述（第1号）"),
			quasi("市区町村コード", &Hierarchy{Builder: "lgcode"}, "市区町村以上"),
			quasi("年齢", ageBands(90), "5歳階級"),
			quasi("性別", sexGroups, "そのまま"),
			del("勤務先", "削除、業種のみ残す"),
			quasi("業種", &Hierarchy{Builder: "mask", Chars: 1}, "大分類まで"),
			sensitive("所得金額", "top-code", "99パーセンタイル以上をトップコーディング"),
			sensitive("税額", "top-code", "トップコーディング"),
		)),
		tpl("health-checkup", "特定健診", spec("health-checkup", 5,
			pseudo("受診者番号", "連結符号（第3号）"),
			del("被保険者証記号番号", "個人識別符号（第2号）"),
			del("氏名", "識別記述（第1号）"),
			del("住所", "識別記述（第1号）"),
			quasi("市区町村コード", &Hierarchy{Builder: "lgcode"}, "市区町村"),
			quasi("年齢", ageBands(75), "5歳階級（特定健診は40〜74歳）"),
			quasi("性別", sexGroups, "そのまま"),
			quasi("受診年月日", &Hierarchy{Builder: "date", Steps: []string{"month", "year"}}, "年月まで"),
			sensitive("収縮期血圧", "top-code", "極端な値をトップ・ボトムコーディング"),
			sensitive("HbA1c", "top-code", "極端な値をトップ・ボトムコーディング"),
			sensitive("LDLコレステロール", "top-code", "極端な値をトップ・ボトムコーディング"),
			sensitive("BMI", "top-code", "極端な値をトップ・ボトムコーディング"),
			sensitive("喫煙", "", "そのまま"),
		)),
	}
}

// TemplateByName returns the named template.
func TemplateByName(name string) (*Template, error) {
	for _, t := range Templates() {
		if t.Name == name || t.NameJA == name {
			return &t, nil
		}
	}
	return nil, fault.Errorf(fault.NotFound, "no template %q", name).In("template")
}
