// Package auth holds Tokumei's credentials: argon2id password hashes in PHC
// format, TOTP second factors (RFC 6238), random session tokens stored only
// as hashes, CSRF tokens bound to a session, and login throttling.
//
// It may import the standard library, golang.org/x/crypto, pquerna/otp,
// fault and platform. It knows nothing of HTTP.
package auth
