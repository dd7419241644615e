package standard

import "testing"

func BenchmarkProfile100k(b *testing.B) {
	cols := peopleCols(genPeople(100_000, 4))
	names := []string{"氏名", "フリガナ", "個人番号", "宛名番号", "電話番号", "生年月日", "性別", "住所", "年齢"}
	for b.Loop() {
		if _, err := ProfileColumns(names, cols, ProfileOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
