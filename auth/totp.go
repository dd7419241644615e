package auth

import (
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/tokumei/tokumei/fault"
)

// TOTPIssuer names Tokumei in authenticator apps.
const TOTPIssuer = "Tokumei"

// TOTPKey is a new second-factor secret for enrolment.
type TOTPKey struct {
	Secret string // base32, to store in User.TOTPSecret and to type by hand
	URL    string // otpauth:// URL for authenticator apps
}

// NewTOTP generates a TOTP secret (RFC 6238: SHA-1, 6 digits, 30 s) for login.
func NewTOTP(login string) (TOTPKey, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: login})
	if err != nil {
		return TOTPKey{}, fault.Errorf(fault.Internal, "generate TOTP secret").Wrap(err)
	}
	return TOTPKey{Secret: k.Secret(), URL: k.URL()}, nil
}

var totpOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// CheckTOTP reports whether code is valid for secret at t, allowing one
// period of clock skew either way. Spaces in code are ignored.
func CheckTOTP(secret, code string, t time.Time) bool {
	_, ok := matchTOTP(secret, code, t)
	return ok
}

// matchTOTP returns the time step (Unix time / 30 s) whose code is code,
// within one step of t.
func matchTOTP(secret, code string, t time.Time) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if secret == "" || len(code) != 6 {
		return 0, false
	}
	step := t.Unix() / 30
	found, at := false, int64(0)
	for _, s := range []int64{step - 1, step, step + 1} {
		c, err := totp.GenerateCodeCustom(secret, time.Unix(s*30, 0), totpOpts)
		if err == nil && Equal(c, code) && !found {
			found, at = true, s
		}
	}
	return at, found
}

// TOTPCode returns the code of secret at t (for tests and the CLI).
func TOTPCode(secret string, t time.Time) (string, error) {
	c, err := totp.GenerateCodeCustom(secret, t, totpOpts)
	if err != nil {
		return "", fault.Errorf(fault.Invalid, "bad TOTP secret").Wrap(err)
	}
	return c, nil
}
