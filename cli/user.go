package cli

import (
	"bufio"
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"strings"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/platform"
)

func init() {
	Register(Command{Name: "user", Summary: "create and list accounts (user create --login L --role admin)", Run: runUser})
}

func runUser(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return UsageError("usage: tokumei user create|list [flags]")
	}
	switch args[0] {
	case "create":
		return userCreate(ctx, env, args[1:])
	case "list":
		return userList(ctx, env, args[1:])
	}
	return UsageError("unknown user subcommand %q (create, list)", args[0])
}

func userCreate(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	so := addStoreFlags(fs, env)
	login := fs.String("login", "", "login name (required)")
	role := fs.String("role", "", "role: "+roleNames())
	body := fs.Int64("body", 0, "body id, for body_reviewer and body_approver")
	business := fs.Int64("business", 0, "business id, for business users")
	name := fs.String("name", "", "display name")
	email := fs.String("email", "", "e-mail address")
	stdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (else one is generated and printed)")
	if err := fs.Parse(args); err != nil {
		return UsageError("%v", err)
	}
	if *login == "" || *role == "" {
		return UsageError("user create needs --login and --role")
	}
	pw, generated := "", false
	if *stdin {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		pw = strings.TrimRight(line, "\r\n")
		if pw == "" && err != nil {
			return UsageError("no password on standard input")
		}
		if err := auth.CheckPasswordPolicy(pw); err != nil {
			return err
		}
	} else {
		pw, generated = rand.Text(), true
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	db, _, err := so.open(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := &platform.Services{Store: db}
	u := &platform.User{Login: *login, Role: platform.Role(*role), BodyID: *body, BusinessID: *business,
		Name: *name, Email: *email, PasswordHash: hash}
	if err := svc.CreateUser(platform.WithActor(ctx, platform.SystemActor("cli")), u); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created user %d %q (%s)\n", u.ID, u.Login, u.Role)
	if generated {
		fmt.Fprintf(env.Stdout, "password: %s\n", pw)
	}
	if u.Role.Officer() {
		fmt.Fprintln(env.Stdout, "the user enrols a TOTP second factor at first login")
	}
	return nil
}

func roleNames() string {
	var s []string
	for _, r := range platform.AllRoles {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

func userList(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("user list", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	so := addStoreFlags(fs, env)
	if err := fs.Parse(args); err != nil {
		return UsageError("%v", err)
	}
	db, _, err := so.open(ctx, false)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := &platform.Services{Store: db}
	us, err := svc.Users(platform.WithActor(ctx, platform.SystemActor("cli")))
	if err != nil {
		return err
	}
	for _, u := range us {
		state := ""
		if u.Disabled {
			state = " (disabled)"
		}
		fmt.Fprintf(env.Stdout, "%d\t%s\t%s\tbody=%d\tbusiness=%d%s\n", u.ID, u.Login, u.Role, u.BodyID, u.BusinessID, state)
	}
	return nil
}
