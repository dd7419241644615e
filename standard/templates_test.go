package standard

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"testing"

	"github.com/tokumei/tokumei/anon/risk"
	"github.com/tokumei/tokumei/anon/sdc"
)

// genColumn generates n values for a template column, by its name.
func genColumn(name string, n int, rng *rand.Rand) []string {
	out := make([]string, n)
	pick := func(vs ...string) string { return vs[rng.IntN(len(vs))] }
	for i := range out {
		var v string
		switch name {
		case "宛名番号", "被保険者番号", "納税義務者番号", "受診者番号":
			v = fmt.Sprintf("%010d", 5000000+i*13)
		case "世帯番号":
			v = fmt.Sprintf("H%08d", 100000+i/2)
		case "個人番号":
			v = genMyNumber(rng)
		case "住民票コード":
			v = fmt.Sprintf("%011d", rng.Int64N(1e11))
		case "被保険者証記号番号":
			v = fmt.Sprintf("%d-%06d", 100+rng.IntN(50), rng.IntN(1e6))
		case "氏名":
			v = pick(genSurnames...) + " " + pick(genGiven...)
		case "フリガナ":
			v = pick(genKanaS...) + " " + pick(genKanaG...)
		case "電話番号":
			v = fmt.Sprintf("090-%04d-%04d", rng.IntN(1e4), rng.IntN(1e4))
		case "生年月日":
			v = fmt.Sprintf("昭和%d年%d月%d日", 10+rng.IntN(54), 1+rng.IntN(12), 1+rng.IntN(28))
		case "性別":
			v = pick("男", "女")
		case "住所":
			v = fmt.Sprintf("%s%d丁目%d-%d", pick(genTowns...), 1+rng.IntN(5), 1+rng.IntN(30), 1+rng.IntN(20))
		case "続柄":
			v = pick("世帯主", "妻", "長男", "長女", "子")
		case "国籍":
			v = pick("日本", "日本", "日本", "外国")
		case "転入年月日", "受診年月日", "認定年月日":
			v = fmt.Sprintf("20%02d-%02d-%02d", 10+rng.IntN(15), 1+rng.IntN(12), 1+rng.IntN(28))
		case "診療年月":
			v = fmt.Sprintf("2025-%02d", 1+rng.IntN(12))
		case "市区町村コード":
			v = pick("312011", "312029", "312037", "312045")
		case "年齢":
			v = strconv.Itoa(40 + rng.IntN(50))
		case "傷病名":
			v = pick("E11", "I10", "J45", "K29", "M54")
		case "医療機関名":
			v = pick("中央病院", "北クリニック", "南診療所")
		case "医療費", "給付費", "所得金額", "税額":
			v = strconv.Itoa(int(rng.ExpFloat64()*200000) + 1000)
		case "要介護度":
			v = pick("要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5")
		case "サービス事業所名":
			v = pick("デイサービスひまわり", "訪問介護さくら")
		case "勤務先":
			v = pick("株式会社A", "B商事", "C工業")
		case "業種":
			v = pick("E製造業", "I卸売業", "P医療福祉")
		case "収縮期血圧":
			v = strconv.Itoa(100 + rng.IntN(60))
		case "HbA1c":
			v = fmt.Sprintf("%.1f", 4.8+rng.Float64()*2)
		case "LDLコレステロール":
			v = strconv.Itoa(80 + rng.IntN(100))
		case "BMI":
			v = fmt.Sprintf("%.1f", 17+rng.Float64()*13)
		case "喫煙":
			v = pick("はい", "いいえ")
		default:
			panic("no generator for " + name)
		}
		out[i] = v
	}
	return out
}

var reMuni = regexp.MustCompile(`^(.+?[都道府県])(.+?[市区町村])`)

// generalise is a crude stand-in for the engine: it applies each quasi
// column's hierarchy at a fixed level.
func generalise(a Attribute, col []string) []string {
	out := make([]string, len(col))
	for i, v := range col {
		switch a.Hierarchy.Builder {
		case "interval":
			x, _ := strconv.Atoi(v)
			if top := *a.Hierarchy.Top; float64(x) >= top {
				out[i] = fmt.Sprintf("%g以上", top)
			} else {
				out[i] = fmt.Sprintf("%d-%d", x/5*5, x/5*5+4)
			}
		case "age-band":
			out[i] = strconv.Itoa(YearOf(v) / 10 * 10) // birth decade
		case "date":
			out[i] = v[:4]
		case "address":
			out[i] = reMuni.FindString(v)
		default:
			out[i] = v
		}
	}
	return out
}

func TestTemplatesOnGeneratedData(t *testing.T) {
	for ti, tpl := range Templates() {
		t.Run(tpl.Name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(ti), 5))
			n := 3000
			var names []string
			var cols [][]string
			for _, a := range tpl.Spec.Attributes {
				names = append(names, a.Name)
				cols = append(cols, genColumn(a.Name, n, rng))
			}
			// A peculiar age, as in the Tottori example.
			for j, nm := range names {
				if nm == "年齢" {
					cols[j][17] = "116"
				}
			}
			prof, err := ProfileColumns(names, cols, ProfileOptions{})
			if err != nil {
				t.Fatal(err)
			}
			// The template never keeps what the profile calls an identifier or a code.
			for j, c := range prof.Columns {
				a := tpl.Spec.Attributes[j]
				if rank(c.Class) <= rank(LinkingCode) && a.Type != TypeIdentifying {
					t.Errorf("%s is %s (%s) but the template types it %s", c.Column, c.Class, c.Reason, a.Type)
				}
				if c.Class == QuasiIdentifier && a.Type != TypeQuasi && a.Type != TypeIdentifying {
					t.Errorf("%s is a quasi-identifier, template says %s", c.Column, a.Type)
				}
				if a.Type == TypeQuasi && a.Hierarchy == nil {
					t.Errorf("%s: quasi without hierarchy", a.Name)
				}
			}
			// Apply the template as the pipeline would.
			key := sdc.NewDeliveryKey()
			ps := sdc.NewPseudonymizer(key, "recipient-1")
			var outNames, qiNames []string
			var outCols, qiCols [][]string
			var actions []ColumnAction
			peculiar := map[string]map[string]bool{}
			for _, p := range prof.Peculiars() {
				if peculiar[p.Column] == nil {
					peculiar[p.Column] = map[string]bool{}
				}
				peculiar[p.Column][p.Value] = true
			}
			for j, a := range tpl.Spec.Attributes {
				col := append([]string(nil), cols[j]...)
				switch {
				case a.Action == "delete":
					actions = append(actions, ColumnAction{Item: itemOf(prof.Columns[j].Class), Column: a.Name, Action: "delete"})
					continue
				case a.Action == "pseudonym":
					ps.Column(col)
					actions = append(actions, ColumnAction{Item: ItemLinkingCodes, Column: a.Name, Action: "pseudonym"})
				case a.Type == TypeQuasi:
					col = generalise(a, col)
					actions = append(actions, ColumnAction{Item: ItemDataSpecific, Column: a.Name, Action: "generalize"})
					qiNames = append(qiNames, a.Name)
					qiCols = append(qiCols, col)
				case a.Action == "top-code":
					c := 0
					for i, v := range col {
						if peculiar[a.Name][v] {
							col[i] = "上限超"
							c++
						}
					}
					actions = append(actions, ColumnAction{Item: ItemPeculiar, Column: a.Name, Action: "top-code", Count: c})
				}
				outNames = append(outNames, a.Name)
				outCols = append(outCols, col)
			}
			k := tpl.Spec.Privacy[0].K
			sup, err := sdc.LocalSuppression(qiCols, sdc.SuppressionOptions{K: k, MissingMatchesAll: true})
			if err != nil {
				t.Fatal(err)
			}
			m, err := risk.Measure(qiCols, qiNames, risk.Options{MissingMatchesAll: true})
			if err != nil {
				t.Fatal(err)
			}
			res, err := Check(&Job{Source: prof, SourceCols: cols, OutputNames: outNames, OutputCols: outCols,
				Actions: actions, Risk: &m.Measures, Threshold: tpl.RiskThreshold})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res {
				if !r.Passed {
					t.Errorf("item %d failed: %v", r.Item, r.Findings)
				}
			}
			if m.Prosecutor.Highest > 1/float64(k)+1e-12 {
				t.Errorf("highest risk %v after suppression (%d cells)", m.Prosecutor.Highest, sup.Cells)
			}
			if err := Gate(res, nil, "operator"); err != nil {
				t.Error(err)
			}
		})
	}
}

func itemOf(c Class) int {
	switch c {
	case IdentificationCode:
		return ItemIdentificationCodes
	case LinkingCode:
		return ItemLinkingCodes
	}
	return ItemIdentifiers
}
