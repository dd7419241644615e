package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/tokumei/tokumei/fault"
)

// Argon2id parameters (OWASP 2024 minimum profile: m=19 MiB, t=2, p=1).
// They are stored in every hash, so raising them later keeps old hashes valid.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MaxPasswordLen bounds the password length so hashing cannot be abused.
const MaxPasswordLen = 1024

// MinPasswordLen is the shortest password accepted for new accounts.
const MinPasswordLen = 10

var b64 = base64.RawStdEncoding

// HashPassword returns the argon2id hash of pw in PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(pw string) (string, error) {
	if len(pw) > MaxPasswordLen {
		return "", fault.New(fault.Invalid, "password too long", "パスワードが長すぎます").In("password")
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fault.Errorf(fault.Internal, "random salt").Wrap(err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches the PHC-format argon2id hash.
// A malformed hash is an Internal error (it is a stored value, not input).
func CheckPassword(hash, pw string) (bool, error) {
	if len(pw) > MaxPasswordLen {
		return false, nil
	}
	p, err := parsePHC(hash)
	if err != nil {
		return false, err
	}
	key := argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1, nil
}

type phc struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

func parsePHC(hash string) (phc, error) {
	var p phc
	bad := func(why string) (phc, error) {
		return phc{}, fault.Errorf(fault.Internal, "malformed password hash: %s", why)
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return bad("not argon2id PHC")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return bad("version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return bad("parameters")
	}
	if p.memory == 0 || p.time == 0 || p.threads == 0 || p.memory > 1<<22 || p.time > 64 {
		return bad("parameters out of range")
	}
	var err error
	if p.salt, err = b64.DecodeString(parts[4]); err != nil || len(p.salt) < 8 {
		return bad("salt")
	}
	if p.key, err = b64.DecodeString(parts[5]); err != nil || len(p.key) < 16 || len(p.key) > 128 {
		return bad("key")
	}
	return p, nil
}

// CheckPasswordPolicy returns an Invalid fault when pw is too weak for a new
// account: shorter than MinPasswordLen characters or longer than MaxPasswordLen bytes.
func CheckPasswordPolicy(pw string) error {
	if n := len([]rune(pw)); n < MinPasswordLen {
		return fault.New(fault.Invalid,
			fmt.Sprintf("password must have at least %d characters", MinPasswordLen),
			fmt.Sprintf("パスワードは%d文字以上にしてください", MinPasswordLen)).In("password")
	}
	if len(pw) > MaxPasswordLen {
		return fault.New(fault.Invalid, "password too long", "パスワードが長すぎます").In("password")
	}
	return nil
}
