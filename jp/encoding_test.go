package jp

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/tokumei/tokumei/fault"
)

func TestCP932PitfallsMapConsistently(t *testing.T) {
	// Each pair (JIS/Unicode form, Microsoft form) encodes to the same bytes,
	// and the bytes decode to the Microsoft form.
	pairs := []struct{ jis, ms string }{
		{"〜", "～"}, {"−", "－"}, {"‖", "∥"}, {"¢", "￠"}, {"£", "￡"}, {"¬", "￢"}, {"—", "―"},
	}
	d, _ := NewDecoder("cp932")
	for _, p := range pairs {
		a, err1 := Encode(p.jis, CP932)
		b, err2 := Encode(p.ms, CP932)
		if err1 != nil || err2 != nil || string(a) != string(b) || len(a) != 2 {
			t.Errorf("%s/%s encode to %x/%x (%v %v)", p.jis, p.ms, a, b, err1, err2)
			continue
		}
		s, err := d.Decode(a)
		if err != nil || s != p.ms {
			t.Errorf("%x decodes to %q (%v), want %q", a, s, err, p.ms)
		}
		if FoldForMatch(p.jis) != FoldForMatch(p.ms) {
			t.Errorf("FoldForMatch does not fold %s and %s together", p.jis, p.ms)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		enc       string
		in        []byte
		line, col int
	}{
		{"cp932", []byte("ab\n\x82\xa0c\x85\x40"), 2, 3},
		{"cp932", []byte{0x80}, 1, 1},
		{"euc-jp", []byte("x\xa4\xa2\xa1"), 1, 3},
		{"utf-8", []byte("あ\nい\xffう"), 2, 2},
		{"utf-8", []byte("\xe3\x81"), 1, 1},
	}
	for _, tt := range tests {
		d, err := NewDecoder(tt.enc)
		if err != nil {
			t.Fatal(err)
		}
		_, err = d.Decode(tt.in)
		var fe *fault.Error
		if !errors.As(err, &fe) || fe.Line != tt.line || fe.Column != tt.col || fe.Code != fault.Invalid {
			t.Errorf("%s %x: error %v, want line %d column %d", tt.enc, tt.in, err, tt.line, tt.col)
		}
	}
}

func TestDetectEncoding(t *testing.T) {
	text := "市区町村コード,町丁目,発生年月日\n271284,千日前２丁目,2017-03-08\n"
	sj, _ := Encode(text, CP932)
	eu, _ := Encode(text, EUCJP)
	kana, _ := Encode("ｱｲｳｴｵ,ｶｷｸｹｺ\n", CP932) // half-width kana only: legal in both
	tests := []struct {
		in   []byte
		want string
		min  float64
	}{
		{[]byte(text), UTF8, 0.9},
		{append([]byte{0xEF, 0xBB, 0xBF}, text...), UTF8BOM, 1},
		{[]byte{0xFF, 0xFE, 'a', 0}, UTF16LE, 1},
		{sj, CP932, 0.9},
		{eu, EUCJP, 0.9},
		{[]byte("a,b\n1,2\n"), UTF8, 0.5},
		{kana, CP932, 0.5},
		{append([]byte(text), sj[:len(sj)-3]...), CP932, 0},
		{append(append([]byte{}, sj...), 0xF0, 0x40, '\n'), CP932, 0.9}, // with a 外字
	}
	for i, tt := range tests {
		d := DetectEncoding(tt.in)
		if d.Name != tt.want || d.Confidence < tt.min || d.Confidence > 1 {
			t.Errorf("case %d: %+v, want %s ≥ %.2f", i, d, tt.want, tt.min)
		}
	}
}

func TestEncodeColumn(t *testing.T) {
	_, err := Encode("ab髙𠮷", CP932)
	var fe *fault.Error
	if !errors.As(err, &fe) || fe.Column != 4 {
		t.Fatalf("error %v, want column 4", err)
	}
	if _, err := Encode("x", "latin1"); fault.ErrorCode(err) != fault.Invalid {
		t.Errorf("unknown encoding: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{"", "a,b\n", "髙橋,①\r\n", "〜～−－", "\x82\xa0\x85\x40", "\x8e\xb1\xa4\xa2", "\xef\xbb\xbfx", "\xff\xfe"} {
		f.Add([]byte(s))
		if b, err := Encode(s, CP932); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		det := DetectEncoding(b)
		if _, err := CanonicalEncoding(det.Name); err != nil || det.Confidence < 0 || det.Confidence > 1 {
			t.Fatalf("detection %+v", det)
		}
		for _, enc := range []string{UTF8, CP932, EUCJP} {
			d, _ := NewDecoder(enc)
			s, err := d.Decode(b)
			if err != nil {
				var fe *fault.Error
				if !errors.As(err, &fe) || fe.Line < 1 || fe.Column < 1 {
					t.Fatalf("%s: unlocated error %v", enc, err)
				}
				continue
			}
			if !utf8.ValidString(s) {
				t.Fatalf("%s: invalid UTF-8 output", enc)
			}
			if enc == UTF8 {
				if s != string(b) {
					t.Fatalf("utf-8 decode changed the text")
				}
				continue
			}
			// What was decoded encodes again, and decodes to the same text.
			e, err := Encode(s, enc)
			if err != nil {
				t.Fatalf("%s: decoded text %q does not re-encode: %v", enc, s, err)
			}
			s2, err := d.Decode(e)
			if err != nil || s2 != s {
				t.Fatalf("%s: %q re-decodes to %q (%v)", enc, s, s2, err)
			}
		}
	})
}
