package jp

import "testing"

func TestGaijiUserDefinedArea(t *testing.T) {
	// F040 is the first and F9FC the last user-defined CP932 character.
	tests := []struct {
		in   []byte
		want string
	}{
		{[]byte{0xF0, 0x40}, "\uE000"},
		{[]byte{0xF0, 0x7E}, "\uE03E"},
		{[]byte{0xF0, 0x80}, "\uE03F"},
		{[]byte{0xF9, 0xFC}, "\uE757"},
		{[]byte{0x8E, 0x52, 0xF0, 0x41, 0x91, 0xBE, 0x98, 0x59}, "山\uE001太郎"},
		{[]byte{0x83, 0x5C, 0xF0, 0x40}, "ソ\uE000"}, // 0x5C as a trail byte is not a lead
	}
	d, _ := NewDecoder(CP932)
	for _, tt := range tests {
		got, err := d.Decode(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Decode(%x) = %q, %v; want %q", tt.in, got, err, tt.want)
			continue
		}
		back, err := Encode(got, CP932)
		if err != nil || string(back) != string(tt.in) {
			t.Errorf("Encode(%q) = %x, %v; want %x", got, back, err, tt.in)
		}
	}
	if n := CountGaiji("山\uE001太郎〓"); n != 2 {
		t.Errorf("CountGaiji = %d, want 2", n)
	}
	// A private-use character outside CP932's range still cannot be written.
	if _, err := Encode("\uE758", CP932); err == nil {
		t.Error("U+E758 encoded to CP932")
	}
	// A lone user-defined lead byte is still undecodable.
	if _, err := d.Decode([]byte{'a', 0xF0}); err == nil {
		t.Error("lone 0xF0 decoded")
	}
}
