package standard

import (
	"fmt"
	"math/rand/v2"
)

// person is one generated resident.
type person struct {
	name, kana, myNumber, atena, phone, birth, sex, address, age string
}

var (
	genSurnames = []string{"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田"}
	genGiven    = []string{"太郎", "花子", "一郎", "美咲", "翔", "陽菜", "健太", "結衣", "大輔", "さくら"}
	genKanaS    = []string{"サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ", "ヤマモト", "ナカムラ", "コバヤシ", "カトウ", "ヨシダ", "ヤマダ"}
	genKanaG    = []string{"タロウ", "ハナコ", "イチロウ", "ミサキ", "ショウ", "ヒナ", "ケンタ", "ユイ", "ダイスケ", "サクラ"}
	genTowns    = []string{"鳥取県鳥取市吉方温泉", "鳥取県米子市加茂町", "鳥取県倉吉市上井町", "鳥取県境港市上道町"}
	genEras     = []struct {
		name string
		max  int
	}{{"昭和", 64}, {"平成", 31}}
)

// genMyNumber returns a random valid individual number.
func genMyNumber(rng *rand.Rand) string {
	body := fmt.Sprintf("%011d", rng.Int64N(1e11))
	return body + fmt.Sprint(MyNumberCheckDigit(body))
}

func genPeople(n int, seed uint64) []person {
	rng := rand.New(rand.NewPCG(seed, 99))
	out := make([]person, n)
	for i := range out {
		s, g := rng.IntN(len(genSurnames)), rng.IntN(len(genGiven))
		era := genEras[rng.IntN(len(genEras))]
		y := 1 + rng.IntN(era.max-1)
		phone := fmt.Sprintf("090-%04d-%04d", rng.IntN(10000), rng.IntN(10000))
		if i%3 == 0 {
			phone = fmt.Sprintf("0857-%02d-%04d", rng.IntN(100), rng.IntN(10000))
		}
		out[i] = person{
			name:     genSurnames[s] + "　" + genGiven[g],
			kana:     genKanaS[s] + " " + genKanaG[g],
			myNumber: genMyNumber(rng),
			atena:    fmt.Sprintf("%010d", 3000000+i*7),
			phone:    phone,
			birth:    fmt.Sprintf("%s%d年%d月%d日", era.name, y, 1+rng.IntN(12), 1+rng.IntN(28)),
			sex:      []string{"男", "女"}[rng.IntN(2)],
			address:  fmt.Sprintf("%s%d丁目%d-%d", genTowns[rng.IntN(len(genTowns))], 1+rng.IntN(5), 1+rng.IntN(30), 1+rng.IntN(20)),
			age:      fmt.Sprint(rng.IntN(95)),
		}
	}
	return out
}

func peopleCols(ps []person) [][]string {
	cols := make([][]string, 9)
	for _, p := range ps {
		for j, v := range []string{p.name, p.kana, p.myNumber, p.atena, p.phone, p.birth, p.sex, p.address, p.age} {
			cols[j] = append(cols[j], v)
		}
	}
	return cols
}
