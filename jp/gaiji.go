package jp

import (
	"unicode/utf8"
)

// 外字 (gaiji): characters a vendor or a government defined itself. In CP932
// they sit in the user-defined area, lead bytes 0xF0–0xF9, which Microsoft
// maps to the Private Use Area U+E000–U+E757; that mapping is used here in
// both directions, so such characters are kept (never dropped or replaced)
// and can be counted with CountGaiji and mapped with a table the government
// supplies.

const (
	udaFirstLead = 0xF0
	udaLastLead  = 0xF9
	udaPUAStart  = 0xE000
	udaPUAEnd    = 0xE757 // 10 lead bytes × 188 trail bytes − 1
)

// IsGaiji reports whether r is a private-use character (外字 from CP932's
// user-defined area or a vendor system) or 〓 (U+3013), the placeholder
// printed for a character that could not be represented.
func IsGaiji(r rune) bool {
	return (r >= 0xE000 && r <= 0xF8FF) || r >= 0xF0000 || r == '〓'
}

// CountGaiji counts the IsGaiji characters of s.
func CountGaiji(s string) int {
	n := 0
	for _, r := range s {
		if IsGaiji(r) {
			n++
		}
	}
	return n
}

// hasUDA reports whether CP932 bytes contain a user-defined-area character.
func hasUDA(b []byte) bool {
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= udaFirstLead && c <= udaLastLead && i+1 < len(b) && isTrail(b[i+1]):
			return true
		case isLead(c) && i+1 < len(b):
			i++
		}
	}
	return false
}

func isLead(c byte) bool  { return (c >= 0x81 && c <= 0x9F) || (c >= 0xE0 && c <= 0xFC) }
func isTrail(c byte) bool { return c >= 0x40 && c <= 0xFC && c != 0x7F }

// udaRune maps a user-defined CP932 pair to its PUA code point.
func udaRune(lead, trail byte) rune {
	t := int(trail) - 0x40
	if trail >= 0x80 {
		t--
	}
	return rune(udaPUAStart + int(lead-udaFirstLead)*188 + t)
}

// udaBytes maps a PUA code point back to CP932 bytes.
func udaBytes(r rune) (byte, byte, bool) {
	if r < udaPUAStart || r > udaPUAEnd {
		return 0, 0, false
	}
	n := int(r - udaPUAStart)
	lead, t := byte(udaFirstLead+n/188), n%188
	trail := byte(0x40 + t)
	if trail >= 0x7F {
		trail++
	}
	return lead, trail, true
}

// decodeCP932UDA decodes CP932 with user-defined characters: runs of
// ordinary bytes go through the x/text decoder, user-defined pairs become
// PUA characters.
func (d *Decoder) decodeCP932UDA(src []byte) ([]byte, error) {
	var out []byte
	start := 0
	flush := func(end int) error {
		if end > start {
			b, err := d.transform(src[start:end])
			if err != nil {
				return err
			}
			out = append(out, b...)
		}
		return nil
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c >= udaFirstLead && c <= udaLastLead && i+1 < len(src) && isTrail(src[i+1]) {
			if err := flush(i); err != nil {
				return nil, err
			}
			out = utf8.AppendRune(out, udaRune(c, src[i+1]))
			i++
			start = i + 1
			continue
		}
		if isLead(c) && i+1 < len(src) {
			i++
		}
	}
	if err := flush(len(src)); err != nil {
		return nil, err
	}
	return out, nil
}
