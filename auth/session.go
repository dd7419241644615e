package auth

import (
	"context"
	"sync"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

// Session lifetimes.
const (
	SessionTTL  = 12 * time.Hour      // a working day; then log in again
	PendingTTL  = 5 * time.Minute     // between password and TOTP
	APITokenTTL = 90 * 24 * time.Hour // an API bearer token
)

// Throttling: after MaxFailures failed logins for one login name within
// FailureWindow, further attempts are refused until the window passes.
const (
	MaxFailures   = 5
	FailureWindow = 15 * time.Minute
)

// Auth checks credentials and keeps sessions in a platform.Store.
type Auth struct {
	Store platform.Store
	Now   func() time.Time

	// lastStep remembers, per user, the TOTP time step last accepted, so
	// that a code seen once cannot be replayed (in this process; servers
	// sharing a database each keep their own).
	mu       sync.Mutex
	lastStep map[platform.ID]int64
}

// DemoCode returns a code that PassTOTP would accept now for user u with
// secret: the current one, or the next one when the current one has been
// used. Only for demonstration mode, which shows it on the login page.
func (a *Auth) DemoCode(u platform.ID, secret string) (string, error) {
	now := a.now().Unix() / 30
	step := now
	a.mu.Lock()
	if last, ok := a.lastStep[u]; ok && step <= last {
		step = last + 1
	}
	a.mu.Unlock()
	if step > now+1 {
		return "", fault.New(fault.TooMany, "wait for the next code", "次の確認コードまでお待ちください")
	}
	return TOTPCode(secret, time.Unix(step*30, 0))
}

// claimStep records that u used the TOTP step; false when it (or a later
// step) was used already.
func (a *Auth) claimStep(u platform.ID, step int64) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.lastStep == nil {
		a.lastStep = map[platform.ID]int64{}
	}
	if last, ok := a.lastStep[u]; ok && step <= last {
		return false
	}
	a.lastStep[u] = step
	return true
}

func (a *Auth) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

var errBadLogin = fault.New(fault.Unauthorized, "wrong login or password", "ログインIDまたはパスワードが正しくありません")

var errThrottled = fault.New(fault.TooMany, "too many failed logins; try again later",
	"ログインの失敗が続いたため、しばらくログインできません。15分ほど後に再度お試しください")

// dummyHash is checked against when the login does not exist, so that the
// response time does not reveal which logins exist.
// It is computed on first use: hashing at package init cost every tokumei
// command (anonymize included) ~80 ms and 20 MB.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("tokumei-dummy-password")
	return h
})

// CheckLogin verifies login and password, applying throttling. It returns
// the user, or Unauthorized (the same error for an unknown login, a wrong
// password and a disabled account) or TooMany.
func (a *Auth) CheckLogin(ctx context.Context, login, password string) (*platform.User, error) {
	now := a.now()
	n, err := a.Store.LoginFailures(ctx, login, now.Add(-FailureWindow))
	if err != nil {
		return nil, err
	}
	if n >= MaxFailures {
		return nil, errThrottled
	}
	u, err := a.Store.UserByLogin(ctx, login)
	if err != nil && fault.ErrorCode(err) != fault.NotFound {
		return nil, err
	}
	hash := dummyHash()
	if u != nil {
		hash = u.PasswordHash
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return nil, err
	}
	if !ok || u == nil || u.Disabled {
		if err := a.Store.RecordLoginFailure(ctx, login, now); err != nil {
			return nil, err
		}
		return nil, errBadLogin
	}
	return u, nil
}

// Start creates a session for u and returns its cookie token. totpPassed
// says whether the second factor is done (or not needed).
func (a *Auth) Start(ctx context.Context, u *platform.User, totpPassed bool) (string, *platform.Session, error) {
	ttl := SessionTTL
	if !totpPassed {
		ttl = PendingTTL
	}
	return a.start(ctx, u, totpPassed, ttl)
}

// StartAPI issues an API bearer token for u, valid for APITokenTTL. Call it
// only for a user who has logged in fully (second factor included): the
// token carries that login. It is stored hashed, like a session.
func (a *Auth) StartAPI(ctx context.Context, u *platform.User) (string, *platform.Session, error) {
	return a.start(ctx, u, true, APITokenTTL)
}

func (a *Auth) start(ctx context.Context, u *platform.User, totpPassed bool, ttl time.Duration) (string, *platform.Session, error) {
	token, err := NewToken()
	if err != nil {
		return "", nil, err
	}
	csrf, err := NewToken()
	if err != nil {
		return "", nil, err
	}
	now := a.now()
	s := &platform.Session{TokenHash: HashToken(token), UserID: u.ID, CSRF: csrf,
		TOTPPassed: totpPassed, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := a.Store.CreateSession(ctx, s); err != nil {
		return "", nil, err
	}
	return token, s, nil
}

// Lookup returns the live session of token, or Unauthorized. An expired
// session is deleted.
func (a *Auth) Lookup(ctx context.Context, token string) (*platform.Session, error) {
	unauth := fault.New(fault.Unauthorized, "session expired; log in again", "セッションの有効期限が切れました。再度ログインしてください")
	if token == "" {
		return nil, unauth
	}
	h := HashToken(token)
	s, err := a.Store.Session(ctx, h)
	if fault.ErrorCode(err) == fault.NotFound {
		return nil, unauth
	}
	if err != nil {
		return nil, err
	}
	if !a.now().Before(s.ExpiresAt) {
		_ = a.Store.DeleteSession(ctx, h)
		return nil, unauth
	}
	return s, nil
}

// PassTOTP checks code against the user's secret for the pending session of
// token. On success the pending session is replaced by a full one (a new
// token, so a token seen before the second factor is worthless).
func (a *Auth) PassTOTP(ctx context.Context, token string, u *platform.User, code string) (string, *platform.Session, error) {
	if locked, err := a.Throttled(ctx, u.Login); err != nil || locked {
		if err == nil {
			err = errThrottled
		}
		return "", nil, err
	}
	step, ok := matchTOTP(u.TOTPSecret, code, a.now())
	if !ok || !a.claimStep(u.ID, step) {
		if err := a.Store.RecordLoginFailure(ctx, u.Login, a.now()); err != nil {
			return "", nil, err
		}
		return "", nil, fault.New(fault.Unauthorized, "wrong one-time code", "確認コードが正しくありません").In("code")
	}
	if err := a.End(ctx, token); err != nil {
		return "", nil, err
	}
	return a.Start(ctx, u, true)
}

// End deletes the session of token (logout).
func (a *Auth) End(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	err := a.Store.DeleteSession(ctx, HashToken(token))
	if fault.ErrorCode(err) == fault.NotFound {
		return nil
	}
	return err
}

// Throttled reports whether login is currently locked by failures.
func (a *Auth) Throttled(ctx context.Context, login string) (bool, error) {
	n, err := a.Store.LoginFailures(ctx, login, a.now().Add(-FailureWindow))
	return n >= MaxFailures, err
}
