package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tokumei/tokumei/auth"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/standard"
	"github.com/tokumei/tokumei/vault"
)

// caseInState moves case id to state with a processing run started by
// processor, as the procedure leaves it.
func caseInState(t *testing.T, f *fixture, id platform.ID, state platform.State, run *platform.ProcessingRun) {
	t.Helper()
	ctx := context.Background()
	c, err := f.db.Case(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	c.State, c.Processing = state, run
	if err := f.db.UpdateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
}

// officer adds an officer with a second factor.
func officer(t *testing.T, f *fixture, login string, role platform.Role) *platform.User {
	t.Helper()
	hash, _ := auth.HashPassword(testPassword)
	k, err := auth.NewTOTP(login)
	if err != nil {
		t.Fatal(err)
	}
	u := &platform.User{Login: login, Name: login, Role: role, PasswordHash: hash, TOTPSecret: k.Secret, CreatedAt: f.now}
	if err := f.db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	f.secrets[login] = k.Secret
	return u
}

// The case page of a case in PROCESSING shows the stored progress of the
// job as a determinate progress bar with its percentage and phase, and
// the case API returns it.
func TestCasePageShowsJobProgress(t *testing.T) {
	f, _, cs := caseFixture(t)
	proc := officer(t, f, "proc", platform.RoleProcessor)
	for i, c := range cs {
		caseInState(t, f, c.ID, platform.StateProcessing, &platform.ProcessingRun{StartedBy: proc.ID, StartedAt: f.now})
		if i == 0 {
			if err := f.db.SetJobProgress(context.Background(), c.ID, platform.JobProgress{Phase: platform.PhaseSearching, Percent: 37, UpdatedAt: f.now}); err != nil {
				t.Fatal(err)
			}
		}
	}
	w := f.login("window")
	tests := []struct {
		id      platform.ID
		percent string
		phase   string
	}{{cs[0].ID, "37", "一般化の探索"}, {cs[1].ID, "0", "順番待ち"}}
	for _, tc := range tests {
		path := "/cases/" + strconv.FormatInt(tc.id, 10)
		st, body := w.get(path)
		if st != http.StatusOK {
			t.Fatalf("case page %d", st)
		}
		for _, want := range []string{`<progress id="job-progress" max="100" value="` + tc.percent + `"`, `>` + tc.percent + `%<`, tc.phase, "progress.js"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: page lacks %q", path, want)
			}
		}
		res, err := w.http.Get(f.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if csp := res.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("CSP of a processing case page %q: the progress script cannot run", csp)
		}
		st, body = w.get("/api/v1" + path + "/progress")
		var p apiProgress
		if st != http.StatusOK || json.Unmarshal([]byte(body), &p) != nil {
			t.Fatalf("progress API %d %s", st, body)
		}
		if strconv.Itoa(p.Percent) != tc.percent || p.PhaseLabel != tc.phase || p.State != platform.StateProcessing {
			t.Errorf("progress API %+v, want %s%% %s", p, tc.percent, tc.phase)
		}
	}
	_, body := w.get("/api/v1/cases/" + strconv.FormatInt(cs[0].ID, 10))
	var got platform.Case
	if err := json.Unmarshal([]byte(body), &got); err != nil || got.Progress == nil || got.Progress.Percent != 37 || got.Progress.Phase != platform.PhaseSearching {
		t.Errorf("case API progress %+v (%v)", got.Progress, err)
	}
}

// withCaseVault restarts the fixture's server with an encrypted vault.
func withCaseVault(t *testing.T, f *fixture) *vault.Vault {
	t.Helper()
	v, err := vault.New(f.db, bytes.Repeat([]byte{1}, 32))
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return f.now }
	s, err := New(Deps{Store: f.db, Services: &platform.Services{Store: f.db, Vault: v, Now: clock},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Close()
	f.srv = httptest.NewServer(s.Handler())
	t.Cleanup(f.srv.Close)
	return v
}

// The risk assessor's screen shows the standard processing record (public
// view: the 仮ID key never leaves the vault) and releases an output that
// fails a Rule 62 item only with a reason for that item.
func TestRiskApprovalShowsRecordAndGates(t *testing.T) {
	f, _, cs := caseFixture(t)
	v := withCaseVault(t, f)
	proc := officer(t, f, "proc", platform.RoleProcessor)
	officer(t, f, "risk", platform.RoleRiskAssessor)
	const key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	rec := &standard.Record{RunID: "r1", CaseID: strconv.FormatInt(cs[0].ID, 10), Operator: "proc",
		Checks: []standard.CheckResult{{Item: 1, TitleJA: "識別記述", Passed: true}, {Item: 4, TitleJA: "特異な記述", Passed: false, Findings: []string{"column \"年齢\": peculiar value"},
			FindingsJA: []string{"列「年齢」：特異な記述（高齢）が1件残っています"}}},
		Generalization: []standard.Generalization{{Column: "住所", Builder: "address", Level: 2, MaxLevel: 5, Description: "市区町村"}},
		Pseudonyms:     []standard.PseudonymInfo{{Column: "宛名番号", Scheme: "HMAC", KeyID: "k1"}},
		Secret:         &standard.MethodInfo{Keys: map[string]string{"k1": key}}}
	var buf bytes.Buffer
	rec.WriteJSON(&buf)
	ctx := context.Background()
	recObj, err := v.Put(ctx, "record.json", &buf)
	if err != nil {
		t.Fatal(err)
	}
	outObj, err := v.Put(ctx, "output.csv", strings.NewReader("住所\n北海道札幌市\n"))
	if err != nil {
		t.Fatal(err)
	}
	caseInState(t, f, cs[0].ID, platform.StateRiskCheck, &platform.ProcessingRun{StartedBy: proc.ID, StartedAt: f.now,
		OutputVault: outObj.ID, RecordVault: recObj.ID, ChecksFailed: []string{"第4号：column \"年齢\": peculiar value"}})
	path := "/cases/" + strconv.FormatInt(cs[0].ID, 10)
	risk := f.login("risk")
	st, body := risk.get(path)
	if st != http.StatusOK {
		t.Fatalf("case page %d", st)
	}
	for _, want := range []string{"加工基準の自動確認", "不適合", "特異な記述（高齢）が1件残っています", `name="override_4"`, path + "/record", "市区町村"} {
		if !strings.Contains(body, want) {
			t.Errorf("approval screen lacks %q", want)
		}
	}
	if strings.Contains(body, `name="override_1"`) {
		t.Error("an override is offered for a passed item")
	}
	for _, p := range []string{path, path + "/record", path + "/files/record", "/api/v1" + path + "/record"} {
		st, b := risk.get(p)
		if st != http.StatusOK || strings.Contains(b, key) {
			t.Errorf("%s: status %d, or the 仮ID key is shown", p, st)
		}
		if p == path+"/record" && !strings.Contains(b, "加工の記録") {
			t.Errorf("printable record lacks its title")
		}
	}
	if st, _ := risk.post(path+"/act/approve_risk", url.Values{"note": {"確認した"}}); st != http.StatusConflict {
		t.Fatalf("approved a failing output without an override: %d", st)
	}
	risk.get(path)
	if st, b := risk.post(path+"/act/approve_risk", url.Values{"note": {"確認した"}, "override_4": {"年齢は90歳以上に丸め済み"}}); st != http.StatusSeeOther {
		t.Fatalf("approve with override %d\n%s", st, b)
	}
	c, err := f.db.Case(ctx, cs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.State != platform.StateLGAcceptance || len(c.Processing.Overrides) != 1 || c.Processing.Overrides[0].ApprovedBy != "risk" ||
		c.Processing.Overrides[0].RequestedBy != "proc" || c.Processing.Overrides[0].Item != 4 {
		t.Errorf("case %s overrides %+v", c.State, c.Processing.Overrides)
	}
}
