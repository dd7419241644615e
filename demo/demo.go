// Package demo seeds demonstration data: every local government from the
// shipped code list, executive bodies of a few of them, a business, users of
// every role with known passwords, and file-register entries. Other areas add
// their own demonstration data (calls, proposals, cases in each state) with
// Extend; Seed runs them after the base data, once.
//
// demo is wiring, like cli: it imports platform, auth and jp.
package demo

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/jp"
	"github.com/tokumei/tokumei/platform"
)

// Password is the password of every demo user. TOTPSecret is the second
// factor of every demo officer (the UI shows the current code in demo mode).
const (
	Password   = "tokumei-demo"
	TOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
)

// Login is one demo account, for printing.
type Login struct {
	Login, Password string
	Role            platform.Role
	Org             string // body or business name, "" for operator staff
}

// World is the seeded data, handed to extensions.
type World struct {
	Services   *platform.Services
	Now        time.Time
	Bodies     map[string]*platform.Body          // by name, e.g. "札幌市長"
	Users      map[string]*platform.User          // by login
	Business   *platform.Business                 // the demo proposer
	Entries    map[string]*platform.RegisterEntry // by body name + "/" + file name
	Logins     []Login
	adminActor platform.Actor
}

// As returns a context acting as the demo user login (the system
// administrator when login is "").
func (w *World) As(ctx context.Context, login string) context.Context {
	if u, ok := w.Users[login]; ok {
		return platform.WithActor(ctx, u.Actor())
	}
	return platform.WithActor(ctx, w.adminActor)
}

var (
	extMu      sync.Mutex
	extensions []extension
)

type extension struct {
	name string
	fn   func(ctx context.Context, w *World) error
}

// Extend adds a seeding step run after the base data (call from init).
func Extend(name string, fn func(ctx context.Context, w *World) error) {
	extMu.Lock()
	defer extMu.Unlock()
	extensions = append(extensions, extension{name, fn})
}

// Seed fills an empty store through svc and returns the world. When the
// demo data is already there (the user "admin" exists) it changes nothing
// and returns the logins with Seeded false.
func Seed(ctx context.Context, svc *platform.Services) (w *World, seeded bool, err error) {
	w = &World{Services: svc, Now: time.Now(), Bodies: map[string]*platform.Body{}, Users: map[string]*platform.User{},
		Entries: map[string]*platform.RegisterEntry{}, adminActor: platform.SystemActor("demo")}
	if svc.Now != nil {
		w.Now = svc.Now()
	}
	w.Logins = logins()
	if _, err := svc.Store.UserByLogin(ctx, "admin"); err == nil {
		return w, false, nil
	} else if fault.ErrorCode(err) != fault.NotFound {
		return nil, false, err
	}
	steps := []struct {
		name string
		fn   func(context.Context, *World) error
	}{{"local governments", seedLocalGovernments}, {"bodies", seedBodies}, {"users", seedUsers}, {"registers", seedRegisters}}
	extMu.Lock()
	for _, e := range extensions {
		steps = append(steps, struct {
			name string
			fn   func(context.Context, *World) error
		}{e.name, e.fn})
	}
	extMu.Unlock()
	// One transaction: a failed or concurrent seed (two servers starting
	// with --demo on one database) leaves nothing half-written.
	err = svc.Store.Atomic(ctx, func(st platform.Store) error {
		tx := *svc
		tx.Store = st
		w.Services = &tx
		for _, s := range steps {
			if err := s.fn(ctx, w); err != nil {
				return fmt.Errorf("demo: %s: %w", s.name, err)
			}
		}
		return nil
	})
	w.Services = svc
	if fault.ErrorCode(err) == fault.Conflict {
		if _, uerr := svc.Store.UserByLogin(ctx, "admin"); uerr == nil {
			return w, false, nil // another server seeded first
		}
	}
	if err != nil {
		return nil, false, err
	}
	return w, true, nil
}

func seedLocalGovernments(ctx context.Context, w *World) error {
	var lgs []platform.LocalGovernment
	for _, lg := range jp.LocalGovernments() {
		lgs = append(lgs, platform.LocalGovernment{Code: lg.Code, Name: lg.Name, Kana: lg.Kana, PrefCode: lg.PrefCode,
			Pref: lg.Pref, Kind: string(lg.Kind), SchemeMandatory: jp.SchemeMandatory(lg)})
	}
	admin := w.As(ctx, "")
	if err := w.Services.ImportLocalGovernments(admin, lgs); err != nil {
		return err
	}
	enacted := time.Date(2023, 4, 1, 0, 0, 0, 0, platform.JST)
	opened := time.Date(2024, 10, 1, 0, 0, 0, 0, platform.JST)
	for _, code := range []string{"010006", "011002", "400009", "401307", "131016"} {
		lg, err := w.Services.LocalGovernment(ctx, code)
		if err != nil {
			return err
		}
		lg.SchemeAdopted, lg.OrdinanceStatus, lg.OrdinanceDate = true, "enacted", &enacted
		if code == "011002" || code == "400009" {
			lg.OpenDataStatus, lg.OpenDataDate = "published", &opened
		} else {
			lg.OpenDataStatus = "none"
		}
		if err := w.Services.UpdateSchemeStatus(admin, lg); err != nil {
			return err
		}
	}
	return nil
}

// demoBodies are the executive bodies seeded: local-government code, kind, name, unit.
var demoBodies = []platform.Body{
	{LGCode: "010006", Kind: platform.BodyGovernor, Name: "北海道知事", Unit: "総務部法務・法人局法制文書課"},
	{LGCode: "010006", Kind: platform.BodyBoardEducation, Name: "北海道教育委員会", Unit: "総務政策局教育政策課"},
	{LGCode: "011002", Kind: platform.BodyMayor, Name: "札幌市長", Unit: "総務局行政部行政情報課"},
	{LGCode: "011002", Kind: platform.BodyBoardEducation, Name: "札幌市教育委員会", Unit: "総務部総務課"},
	{LGCode: "011002", Kind: platform.BodyElectionBoard, Name: "札幌市選挙管理委員会", Unit: "事務局選挙課"},
	{LGCode: "400009", Kind: platform.BodyGovernor, Name: "福岡県知事", Unit: "総務部行政経営企画課"},
	{LGCode: "400009", Kind: platform.BodyBoardEducation, Name: "福岡県教育委員会", Unit: "教育総務部総務課"},
	{LGCode: "401307", Kind: platform.BodyMayor, Name: "福岡市長", Unit: "総務企画局行政部情報公開室"},
	{LGCode: "131016", Kind: platform.BodyMayor, Name: "千代田区長", Unit: "政策経営部総務課"},
}

func seedBodies(ctx context.Context, w *World) error {
	admin := w.As(ctx, "")
	for _, b := range demoBodies {
		b.Email = "privacy@example.jp"
		if err := w.Services.CreateBody(admin, &b); err != nil {
			return err
		}
		w.Bodies[b.Name] = &b
	}
	w.Business = &platform.Business{Name: "株式会社トクメイ分析（デモ）", Address: "東京都千代田区丸の内1-1-1", Corporate: "1234567890123"}
	return w.Services.CreateBusiness(admin, w.Business)
}

// logins lists the demo accounts: login, role, organisation.
func logins() []Login {
	return []Login{
		{"admin", Password, platform.RoleAdmin, ""},
		{"officer", Password, platform.RoleWindowOfficer, ""},
		{"sapporo-reviewer", Password, platform.RoleBodyReviewer, "札幌市長"},
		{"sapporo-approver", Password, platform.RoleBodyApprover, "札幌市長"},
		{"fukuoka-reviewer", Password, platform.RoleBodyReviewer, "福岡県知事"},
		{"fukuoka-approver", Password, platform.RoleBodyApprover, "福岡県知事"},
		{"processor", Password, platform.RoleProcessor, ""},
		{"risk", Password, platform.RoleRiskAssessor, ""},
		{"auditor", Password, platform.RoleAuditor, ""},
		{"business", Password, platform.RoleBusiness, "株式会社トクメイ分析（デモ）"},
	}
}

func seedUsers(ctx context.Context, w *World) error {
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return err
	}
	admin := w.As(ctx, "")
	for _, l := range w.Logins {
		u := &platform.User{Login: l.Login, Name: l.Login + "（デモ）", Role: l.Role, PasswordHash: hash,
			Email: l.Login + "@example.jp"}
		if b, ok := w.Bodies[l.Org]; ok {
			u.BodyID = b.ID
		}
		if l.Role == platform.RoleBusiness {
			u.BusinessID = w.Business.ID
		}
		if l.Role.Officer() {
			u.TOTPSecret = TOTPSecret
		}
		if err := w.Services.CreateUser(admin, u); err != nil {
			return err
		}
		w.Users[u.Login] = u
	}
	return nil
}
