package auth

import "github.com/tokumei/tokumei/platform"

// CheckCSRF reports whether token is the CSRF token of session s. The token
// is random per session and compared in constant time.
func CheckCSRF(s *platform.Session, token string) bool {
	return s != nil && Equal(s.CSRF, token)
}
