package jp

import "testing"

func BenchmarkParseAddress(b *testing.B) {
	ParseAddress("大阪府大阪市北区梅田1丁目") // load the lists once
	in := []string{"大阪府大阪市北区梅田１－２－３　梅田ビル5F", "三重県三重郡川越町大字豊田123番地4",
		"北海道札幌市中央区旭ヶ丘一丁目", "東京都千代田区霞ヶ関二丁目1番1号"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ParseAddress(in[i%len(in)])
		i++
	}
}

func BenchmarkParseDate(b *testing.B) {
	in := []string{"令和6年4月1日", "S45.3.2", "2024-04-01", "平成三十一年四月三十日"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ParseDate(in[i%len(in)], DateOptions{})
		i++
	}
}

func BenchmarkLookupLG(b *testing.B) {
	LookupLG("011002")
	b.ReportAllocs()
	for b.Loop() {
		LookupLG("271284")
	}
}
