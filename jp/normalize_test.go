package jp

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct{ in, width, norm string }{
		{"ＡＢＣ１２３", "ABC123", "ABC123"},
		{"ｶﾞｷﾞｸﾞ ﾊﾟﾝ", "ガギグ パン", "ガギグ パン"},
		{"千日前２丁目", "千日前2丁目", "千日前2丁目"},
		{"山田　太郎", "山田 太郎", "山田 太郎"},
		{"  a 　 b  ", "  a   b  ", "a b"},
		{"㈱山田①", "㈱山田①", "㈱山田①"}, // meaning-changing NFKC forms are kept
		{"平成㍻", "平成㍻", "平成㍻"},
		{"１０㎡", "10㎡", "10㎡"},
		{"Ⅳ½²", "Ⅳ½²", "Ⅳ½²"},
		{"ﾃﾞｰﾀ", "データ", "データ"},
		{"神\uFA19", "神\uFA19", "神\u795E"}, // CJK compatibility ideograph → unified
		{"か\u3099", "が", "が"},             // combining voiced mark composes
	}
	for _, tt := range tests {
		if got := NormalizeWidth(tt.in); got != tt.width {
			t.Errorf("NormalizeWidth(%q) = %q, want %q", tt.in, got, tt.width)
		}
		n := Normalize(tt.in)
		if n.Original != tt.in || n.Normalized != tt.norm {
			t.Errorf("Normalize(%q) = %+v, want %q", tt.in, n, tt.norm)
		}
	}
}

func TestFoldForMatchAndMissing(t *testing.T) {
	pairs := [][2]string{{"旭ヶ丘", "旭ケ丘"}, {"１－２", "1‐2"}, {"〜", "～"}, {"ｹ", "ケ"}, {"A−B", "A-B"}}
	for _, p := range pairs {
		if FoldForMatch(p[0]) != FoldForMatch(p[1]) {
			t.Errorf("FoldForMatch(%q) = %q, FoldForMatch(%q) = %q", p[0], FoldForMatch(p[0]), p[1], FoldForMatch(p[1]))
		}
	}
	if FoldForMatch("東京") == FoldForMatch("京都") {
		t.Error("FoldForMatch joins different words")
	}
	for _, m := range []string{"", " ", "不明", "不詳", "無回答", "-", "－", "*", "＊", "NA", "―"} {
		if !IsMissing(m) {
			t.Errorf("IsMissing(%q) = false", m)
		}
	}
	for _, v := range []string{"0", "なし", "不明者", "大阪"} {
		if IsMissing(v) {
			t.Errorf("IsMissing(%q) = true", v)
		}
	}
}
