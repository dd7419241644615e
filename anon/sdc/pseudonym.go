package sdc

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strings"

	"github.com/tokumei/tokumei/fault"
)

// DeliveryKey is the secret key of one delivery (提供) from which every
// pseudonym (仮ID) of that delivery is derived. It is processing-method
// information (加工方法等情報): kept encrypted with the case, never written to
// an output file or a published record. Only its KeyID is recorded.
type DeliveryKey [32]byte

// NewDeliveryKey returns a fresh key from crypto/rand.
func NewDeliveryKey() DeliveryKey {
	var k DeliveryKey
	if _, err := rand.Read(k[:]); err != nil {
		panic("sdc: crypto/rand failed: " + err.Error())
	}
	return k
}

// ParseDeliveryKey reads a key written by Hex.
func ParseDeliveryKey(h string) (DeliveryKey, error) {
	var k DeliveryKey
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != len(k) {
		return k, fault.New(fault.Invalid, "delivery key must be 64 hexadecimal digits", "提供鍵は16進数64桁で指定してください").In("key")
	}
	copy(k[:], b)
	return k, nil
}

// Hex returns the key in hex, for the encrypted processing-method store only.
func (k DeliveryKey) Hex() string { return hex.EncodeToString(k[:]) }

// KeyID returns a public identifier of the key (a hash that does not reveal
// it), for the processing record.
func (k DeliveryKey) KeyID() string {
	h := sha256.Sum256(append([]byte("tokumei key id\x00"), k[:]...))
	return hex.EncodeToString(h[:8])
}

// Pseudonymizer turns identifiers or linking codes (宛名番号, 被保険者番号 …)
// into pseudonyms: HMAC-SHA256 keyed by a per-recipient subkey of the
// delivery key, so that the same source value gets the same pseudonym in
// every file of one delivery, a different one for another recipient or
// delivery, and cannot be reversed or recomputed without the key.
type Pseudonymizer struct {
	sub    [32]byte
	Length int // characters of output (base32), default 16 (80 bits)
}

// NewPseudonymizer derives the subkey for recipient from the delivery key.
func NewPseudonymizer(key DeliveryKey, recipient string) *Pseudonymizer {
	m := hmac.New(sha256.New, key[:])
	m.Write([]byte("tokumei pseudonym recipient\x00"))
	m.Write([]byte(recipient))
	p := &Pseudonymizer{Length: 16}
	copy(p.sub[:], m.Sum(nil))
	return p
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// Pseudonym returns the pseudonym of value. Leading and trailing spaces are
// ignored so that "00123 " and "00123" agree; an empty value stays empty.
func (p *Pseudonymizer) Pseudonym(value string) string {
	v := strings.TrimSpace(value)
	if v == "" {
		return ""
	}
	m := hmac.New(sha256.New, p.sub[:])
	m.Write([]byte(v))
	s := b32.EncodeToString(m.Sum(nil))
	n := p.Length
	if n <= 0 || n > len(s) {
		n = 16
	}
	return s[:n]
}

// Column replaces every cell of col by its pseudonym in place.
func (p *Pseudonymizer) Column(col []string) {
	for i, v := range col {
		col[i] = p.Pseudonym(v)
	}
}
