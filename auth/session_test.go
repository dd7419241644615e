package auth

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

// memStore implements the user and session parts of platform.Store.
type memStore struct {
	platform.Store // nil: other methods panic
	mu             sync.Mutex
	users          map[string]*platform.User
	sessions       map[string]platform.Session
	failures       map[string][]time.Time
}

func newMemStore(users ...*platform.User) *memStore {
	m := &memStore{users: map[string]*platform.User{}, sessions: map[string]platform.Session{}, failures: map[string][]time.Time{}}
	for _, u := range users {
		m.users[u.Login] = u
	}
	return m
}

func (m *memStore) UserByLogin(_ context.Context, login string) (*platform.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if u, ok := m.users[login]; ok {
		c := *u
		return &c, nil
	}
	return nil, fault.Errorf(fault.NotFound, "user not found")
}
func (m *memStore) LoginFailures(_ context.Context, login string, since time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, t := range m.failures[login] {
		if !t.Before(since) {
			n++
		}
	}
	return n, nil
}
func (m *memStore) RecordLoginFailure(_ context.Context, login string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failures[login] = append(m.failures[login], at)
	return nil
}
func (m *memStore) CreateSession(_ context.Context, s *platform.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions[s.TokenHash] = *s
	return nil
}
func (m *memStore) Session(_ context.Context, h string) (*platform.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.sessions[h]; ok {
		return &s, nil
	}
	return nil, fault.Errorf(fault.NotFound, "session not found")
}
func (m *memStore) DeleteSession(_ context.Context, h string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sessions, h)
	return nil
}

func mustUser(t *testing.T, login, pw string, role platform.Role) *platform.User {
	t.Helper()
	h, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	return &platform.User{ID: 7, Login: login, Role: role, PasswordHash: h}
}

func TestCheckLoginAndThrottle(t *testing.T) {
	now := time.Date(2026, 4, 1, 9, 0, 0, 0, platform.JST)
	st := newMemStore(mustUser(t, "tanaka", "password-123", platform.RoleBodyReviewer))
	a := &Auth{Store: st, Now: func() time.Time { return now }}
	ctx := context.Background()

	if u, err := a.CheckLogin(ctx, "tanaka", "password-123"); err != nil || u.Login != "tanaka" {
		t.Fatalf("good login: %v, %v", u, err)
	}
	for i := 0; i < MaxFailures; i++ {
		_, err := a.CheckLogin(ctx, "tanaka", "wrong")
		if fault.ErrorCode(err) != fault.Unauthorized {
			t.Fatalf("failure %d: code %q, want unauthorized", i, fault.ErrorCode(err))
		}
	}
	// Locked now, even with the right password.
	if _, err := a.CheckLogin(ctx, "tanaka", "password-123"); fault.ErrorCode(err) != fault.TooMany {
		t.Fatalf("after %d failures: %v, want too_many", MaxFailures, err)
	}
	// Unlocked once the window has passed.
	now = now.Add(FailureWindow + time.Second)
	if _, err := a.CheckLogin(ctx, "tanaka", "password-123"); err != nil {
		t.Fatalf("after window: %v", err)
	}
	// Unknown login gives the same error as a wrong password.
	_, err := a.CheckLogin(ctx, "nobody", "x")
	if fault.ErrorCode(err) != fault.Unauthorized || fault.Safe(err, true) != fault.Safe(errBadLogin, true) {
		t.Errorf("unknown login: %v", err)
	}
}

func TestSessionsAndTOTP(t *testing.T) {
	now := time.Date(2026, 4, 1, 9, 0, 0, 0, platform.JST)
	u := mustUser(t, "sato", "password-123", platform.RoleWindowOfficer)
	key, err := NewTOTP(u.Login)
	if err != nil {
		t.Fatal(err)
	}
	u.TOTPSecret = key.Secret
	st := newMemStore(u)
	a := &Auth{Store: st, Now: func() time.Time { return now }}
	ctx := context.Background()

	pending, s, err := a.Start(ctx, u, false)
	if err != nil || s.TOTPPassed || s.CSRF == "" {
		t.Fatalf("start: %+v %v", s, err)
	}
	if _, ok := st.sessions[pending]; ok {
		t.Fatal("store keeps the clear token")
	}
	if _, _, err := a.PassTOTP(ctx, pending, u, "000000"); fault.ErrorCode(err) != fault.Unauthorized {
		t.Fatalf("wrong code: %v", err)
	}
	code, _ := TOTPCode(u.TOTPSecret, now)
	full, s2, err := a.PassTOTP(ctx, pending, u, code)
	if err != nil || !s2.TOTPPassed || full == pending {
		t.Fatalf("pass: %v %+v", err, s2)
	}
	if _, err := a.Lookup(ctx, pending); err == nil {
		t.Error("pending token still valid after TOTP")
	}
	got, err := a.Lookup(ctx, full)
	if err != nil || !CheckCSRF(got, s2.CSRF) || CheckCSRF(got, s.CSRF) {
		t.Fatalf("lookup: %v", err)
	}
	now = now.Add(SessionTTL)
	if _, err := a.Lookup(ctx, full); fault.ErrorCode(err) != fault.Unauthorized {
		t.Errorf("expired session accepted: %v", err)
	}
	if len(st.sessions) != 0 {
		t.Errorf("expired session not deleted")
	}
}

func TestCheckTOTPSkew(t *testing.T) {
	key, _ := NewTOTP("x")
	t0 := time.Unix(1_700_000_000, 0)
	code, _ := TOTPCode(key.Secret, t0)
	for _, c := range []struct {
		d    time.Duration
		want bool
	}{{0, true}, {30 * time.Second, true}, {-30 * time.Second, true}, {90 * time.Second, false}} {
		if got := CheckTOTP(key.Secret, code, t0.Add(c.d)); got != c.want {
			t.Errorf("skew %v: %v, want %v", c.d, got, c.want)
		}
	}
	if CheckTOTP(key.Secret, "12345", t0) || CheckTOTP("", code, t0) {
		t.Error("malformed input accepted")
	}
}

func TestTOTPReplay(t *testing.T) {
	now := time.Date(2026, 4, 1, 9, 0, 0, 0, platform.JST)
	u := mustUser(t, "ito", "password-123", platform.RoleAuditor)
	key, _ := NewTOTP(u.Login)
	u.TOTPSecret = key.Secret
	a := &Auth{Store: newMemStore(u), Now: func() time.Time { return now }}
	ctx := context.Background()
	code, _ := TOTPCode(u.TOTPSecret, now)
	p1, _, _ := a.Start(ctx, u, false)
	if _, _, err := a.PassTOTP(ctx, p1, u, code); err != nil {
		t.Fatalf("first use: %v", err)
	}
	p2, _, _ := a.Start(ctx, u, false)
	if _, _, err := a.PassTOTP(ctx, p2, u, code); fault.ErrorCode(err) != fault.Unauthorized {
		t.Fatalf("replayed code accepted: %v", err)
	}
	now = now.Add(30 * time.Second)
	next, _ := TOTPCode(u.TOTPSecret, now)
	if _, _, err := a.PassTOTP(ctx, p2, u, next); err != nil {
		t.Fatalf("next code: %v", err)
	}
}

func TestDemoCodeIsFresh(t *testing.T) {
	now := time.Date(2026, 4, 1, 9, 0, 0, 0, platform.JST)
	u := mustUser(t, "demo", "password-123", platform.RoleAdmin)
	key, _ := NewTOTP(u.Login)
	u.TOTPSecret = key.Secret
	a := &Auth{Store: newMemStore(u), Now: func() time.Time { return now }}
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		code, err := a.DemoCode(u.ID, u.TOTPSecret)
		if err != nil {
			t.Fatal(err)
		}
		p, _, _ := a.Start(ctx, u, false)
		if _, _, err := a.PassTOTP(ctx, p, u, code); err != nil {
			t.Fatalf("login %d with the demo code: %v", i+1, err)
		}
	}
}
