package standard

import (
	"fmt"
	"testing"
)

func TestMyNumberCheckDigit(t *testing.T) {
	cases := []struct {
		in   string
		want bool
	}{
		{"123456789018", true}, // the published sample number
		{"123456789017", false},
		{"1234 5678 9018", true},
		{"１２３４５６７８９０１８", true},
		{"12345678901", false},
		{"12345678901a", false},
	}
	for _, c := range cases {
		if got := ValidMyNumber(c.in); got != c.want {
			t.Errorf("ValidMyNumber(%q) = %v", c.in, got)
		}
	}
	// Recount the rule by brute force: exactly one digit in 0..9 completes a body.
	for _, body := range []string{"00000000000", "98765432109", "31415926535"} {
		n := 0
		for d := '0'; d <= '9'; d++ {
			if ValidMyNumber(body + string(d)) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: %d valid check digits", body, n)
		}
	}
}

func TestProfileGeneratedResidents(t *testing.T) {
	cols := peopleCols(genPeople(300, 1))
	want := []Class{Identifier, Identifier, IdentificationCode, LinkingCode, Identifier, QuasiIdentifier, QuasiIdentifier, QuasiIdentifier, QuasiIdentifier}
	wantKind := []Kind{KindName, KindKana, KindMyNumber, KindCode, KindPhone, "", KindSex, KindAddress, KindAge}
	headerSets := map[string][]string{
		"japanese": {"氏名", "フリガナ", "個人番号", "宛名番号", "電話番号", "生年月日", "性別", "住所", "年齢"},
		"english":  {"name", "kana", "my_number", "addressee_no", "phone", "date_of_birth", "sex", "address", "age"},
		// Opaque headers: the values alone must give the verdict (except age).
		"opaque": {"c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"},
	}
	for setName, headers := range headerSets {
		t.Run(setName, func(t *testing.T) {
			p, err := ProfileColumns(headers, cols, ProfileOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for j, c := range p.Columns {
				w := want[j]
				if setName == "opaque" && j == 8 {
					w = Other // a bare number column is not recognised as age without its header
				}
				if c.Class != w {
					t.Errorf("%s: class %s, want %s (%s)", c.Column, c.Class, w, c.Reason)
				}
				if wantKind[j] != "" && w != Other && c.Kind != wantKind[j] {
					t.Errorf("%s: kind %s, want %s", c.Column, c.Kind, wantKind[j])
				}
				if c.Reason == "" || c.ReasonJA == "" {
					t.Errorf("%s: no reason", c.Column)
				}
			}
		})
	}
}

func TestDetectors(t *testing.T) {
	cases := []struct {
		name string
		f    func(string) bool
		yes  []string
		no   []string
	}{
		{"phone", IsPhone, []string{"090-1234-5678", "03-1234-5678", "0857(22)1234", "09012345678"}, []string{"123456789018", "1234-5678", "abc"}},
		{"email", IsEmail, []string{"taro@example.jp", "a.b+c@city.tottori.lg.jp"}, []string{"taro@", "田中"}},
		{"era", IsEraDate, []string{"昭和45年3月1日", "S45.3.1", "令和元年5月1日", "平成 3年 12月 31日", "Ｈ３．１．１"}, []string{"2020-01-01", "昭和"}},
		{"date", IsDate, []string{"2020-01-01", "2020/1/2", "2020年1月2日", "昭和45年3月1日"}, []string{"20200101x"}},
		{"address", IsAddress, []string{"東京都新宿区西新宿2丁目8-1", "鳥取市東町1丁目220", "大阪府"}, []string{"男", "佐藤太郎"}},
		{"name", IsPersonName, []string{"佐藤 太郎", "鈴木花子", "長谷川　健", "福本　美和", "米原 さくら"}, []string{"佐藤", "東京都", "男性", "abc", "福本美和", "鳥取市 東町"}},
		{"kana", IsKanaName, []string{"サトウ タロウ", "ｻﾄｳ ﾀﾛｳ"}, []string{"さとう", "サ", "佐藤"}},
	}
	for _, c := range cases {
		for _, v := range c.yes {
			if !c.f(v) {
				t.Errorf("%s(%q) = false", c.name, v)
			}
		}
		for _, v := range c.no {
			if c.f(v) {
				t.Errorf("%s(%q) = true", c.name, v)
			}
		}
	}
	if y := YearOf("令和元年5月1日"); y != 2019 {
		t.Error(y)
	}
	if y := YearOf("S45.3.1"); y != 1970 {
		t.Error(y)
	}
}

func TestMeasurementsAreNotCodes(t *testing.T) {
	var income, id []string
	for i := 0; i < 100; i++ {
		income = append(income, fmt.Sprint(2000000+i*37111))
		id = append(id, fmt.Sprintf("%08d", 100+i*3))
	}
	p, err := ProfileColumns([]string{"所得", "c2", "c3"}, [][]string{income, income, id}, ProfileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Class{Sensitive, Other, LinkingCode}
	for j, c := range p.Columns {
		if c.Class != want[j] {
			t.Errorf("%s: %s (%s), want %s", c.Column, c.Class, c.Reason, want[j])
		}
	}
}

func TestPeculiarValues(t *testing.T) {
	var age, job, income []string
	for i := 0; i < 200; i++ {
		age = append(age, []string{"34", "56", "71", "80", "45"}[i%5])
		job = append(job, []string{"会社員", "自営業", "無職", "学生"}[i%4])
		income = append(income, []string{"300", "320", "350", "400", "410", "380"}[i%6])
	}
	age[7], age[8], age[9] = "116", "116", "105"
	job[3], job[11] = "宇宙飛行士", "宇宙飛行士"
	income[5] = "98000"
	p, err := ProfileColumns([]string{"年齢", "職業", "所得"}, [][]string{age, job, income}, ProfileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Peculiar{}
	for _, x := range p.Peculiars() {
		got[x.Column+"="+x.Value] = x
	}
	want := map[string]struct {
		kind  string
		count int
	}{
		"年齢=116": {"old-age", 2}, "年齢=105": {"old-age", 1},
		"職業=宇宙飛行士": {"rare-category", 2}, "所得=98000": {"outlier", 1},
	}
	if len(got) != len(want) {
		t.Errorf("got %v", got)
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || g.Kind != w.kind || g.Count != w.count {
			t.Errorf("%s: got %+v, want %+v", k, g, w)
		}
	}
	// Old birth dates given a reference year.
	bd := []string{"昭和45年3月1日", "明治43年1月1日", "平成2年2月2日"}
	p2, _ := ProfileColumns([]string{"生年月日"}, [][]string{bd}, ProfileOptions{ReferenceYear: 2026})
	if ps := p2.Peculiars(); len(ps) != 1 || ps[0].Value != "明治43年1月1日" {
		t.Errorf("birth dates: %+v", ps)
	}
}

func TestRareSurnamesByValues(t *testing.T) {
	fam := []string{"福本", "米原", "岸本", "音田", "入江", "湯浅", "門脇", "景山"}
	giv := []string{"美和", "健二", "さくら", "隆", "由美子", "翔太", "一樹"}
	var col []string
	for i := 0; i < 56; i++ {
		col = append(col, fam[i%8]+"　"+giv[i%7])
	}
	p, err := ProfileColumns([]string{"c1"}, [][]string{col}, ProfileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Columns[0]; c.Class != Identifier || c.Kind != KindName {
		t.Errorf("%s %s (%s)", c.Class, c.Kind, c.Reason)
	}
}
