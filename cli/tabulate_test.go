package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTabInput(t *testing.T, dir string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("lg,sex,age,income\n")
	// 131016 千代田区, 131024 中央区, 131032 港区 (Tokyo).
	counts := map[string][]int{"131016": {2, 7, 9}, "131024": {8, 12, 6}, "131032": {11, 9, 14}}
	for _, lg := range []string{"131016", "131024", "131032"} {
		for a, n := range counts[lg] {
			for i := 0; i < n; i++ {
				fmt.Fprintf(&b, "%s,%s,a%d,%d\n", lg, []string{"M", "F"}[i%2], a, 100+i)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "in.csv"), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

func runTab(t *testing.T, dir, spec string, args ...string) (string, string, int) {
	t.Helper()
	p := filepath.Join(dir, "spec.json")
	os.WriteFile(p, []byte(spec), 0o600)
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	code := Main(context.Background(), append([]string{"tabulate", "--spec", p}, args...), env)
	return out.String(), errb.String(), code
}

func TestTabulateJSONAndCSV(t *testing.T) {
	dir := t.TempDir()
	writeTabInput(t, dir)
	spec := `{"input": {"path": "in.csv"},
	  "dimensions": [{"column": "lg", "lgcode": true}, {"column": "age"}],
	  "measure": {"type": "count"},
	  "protection": {"rules": [{"rule": "threshold", "min": 5}], "secondary": "auto"},
	  "output": {"path": "out.csv", "report": "report.json"}}`
	out, errs, code := runTab(t, dir, spec, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var cells []struct {
		Key    map[string]string `json:"key"`
		Value  *float64          `json:"value"`
		Status string            `json:"status"`
	}
	if err := json.Unmarshal([]byte(out), &cells); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	if len(cells) != 4*4 {
		t.Fatalf("%d cells, want 16", len(cells))
	}
	st := map[string]int{}
	for _, c := range cells {
		st[c.Status]++
		if (c.Value == nil) != (c.Status == "primary" || c.Status == "secondary") {
			t.Errorf("cell %v: value %v with status %s", c.Key, c.Value, c.Status)
		}
		if c.Key["lg"] == "131016" && c.Key["age"] == "a0" && c.Status != "primary" {
			t.Errorf("the cell of 2 is %s", c.Status)
		}
		if c.Key["lg"] == "Total" && c.Key["age"] == "Total" && (c.Value == nil || *c.Value != 78 || c.Status != "total") {
			t.Errorf("grand total %v %s", c.Value, c.Status)
		}
	}
	if st["primary"] != 1 || st["secondary"] < 3 {
		t.Errorf("statuses %v", st)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "out.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(csv, []byte("\xef\xbb\xbf全国地方公共団体コード,地方公共団体名,age,value,status")) {
		t.Errorf("CSV header: %q", string(csv[:80]))
	}
	if !strings.Contains(string(csv), "131016,千代田区,a0,,primary") {
		t.Errorf("CSV lacks the suppressed 千代田区 cell:\n%s", csv)
	}
	var rep map[string]any
	b, _ := os.ReadFile(filepath.Join(dir, "report.json"))
	if err := json.Unmarshal(b, &rep); err != nil || rep["audit"].(map[string]any)["passed"] != true {
		t.Errorf("report: %v %s", err, b)
	}
}

func TestTabulateBadInputAndDP(t *testing.T) {
	dir := t.TempDir()
	writeTabInput(t, dir)
	bad := `{"input": {"path": "in.csv"}, "dimensions": [{"column": "sex", "values": ["M"]}], "measure": {"type": "count"},
	  "protection": {"rules": [{"rule": "threshold", "min": 3}]}}`
	_, errs, code := runTab(t, dir, bad)
	if code == 0 || !strings.Contains(errs, "in.csv:") || !strings.Contains(errs, `"F"`) {
		t.Errorf("unknown value: exit %d, %s", code, errs)
	}
	dpSpec := `{"input": {"path": "in.csv"}, "dimensions": [{"column": "sex", "values": ["M", "F"]}], "measure": {"type": "count"},
	  "protection": {"dp": {"mechanism": "discrete-laplace", "epsilon": 0.7, "max_partitions": 1, "max_rows": 1,
	     "ledger": "ledger.json", "dataset": "ds1", "release": "r", "limit_epsilon": 1}}}`
	if _, errs, code := runTab(t, dir, dpSpec, "--format", "json"); code != 0 {
		t.Fatalf("dp: %d %s", code, errs)
	}
	if _, errs, code := runTab(t, dir, dpSpec); code == 0 || !strings.Contains(errs, "budget") {
		t.Errorf("second DP release within a budget of 1: exit %d %s", code, errs)
	}
}

func TestTabulateXLSXAndCP932(t *testing.T) {
	dir := t.TempDir()
	writeTabInput(t, dir)
	for _, tc := range []struct{ out, enc, want string }{
		{"out.xlsx", "", "PK"},
		{"out.csv", "cp932", "\x91\x53\x8d\x91"}, // 全国 in CP932
	} {
		spec := `{"input": {"path": "in.csv"}, "dimensions": [{"column": "lg", "lgcode": true}], "measure": {"type": "count"},
		  "protection": {"rounding": {"method": "controlled", "base": 5}},
		  "output": {"path": "` + tc.out + `", "encoding": "` + tc.enc + `"}}`
		if _, errs, code := runTab(t, dir, spec); code != 0 {
			t.Fatalf("%s: exit %d %s", tc.out, code, errs)
		}
		b, err := os.ReadFile(filepath.Join(dir, tc.out))
		if err != nil || !bytes.HasPrefix(b, []byte(tc.want)) {
			t.Errorf("%s: starts %q (%v)", tc.out, b[:min(8, len(b))], err)
		}
	}
}

// TestTabulateOptimalAndControlled3D runs the exact secondary suppression
// and 3-D controlled rounding through the spec.
func TestTabulateOptimalAndControlled3D(t *testing.T) {
	dir := t.TempDir()
	writeTabInput(t, dir)
	spec := `{"input": {"path": "in.csv"},
	  "dimensions": [{"column": "lg"}, {"column": "age"}],
	  "measure": {"type": "count"},
	  "protection": {"rules": [{"rule": "threshold", "min": 7}], "secondary": "optimal",
	     "optimal": {"cost": "unity", "max_nodes": 500, "time_limit_s": 20}},
	  "output": {"report": "report.json"}}`
	out, errs, code := runTab(t, dir, spec, "--format", "json")
	if code != 0 || !strings.Contains(errs, "optimal (proven)") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var cells []struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal([]byte(out), &cells); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Secondary int `json:"secondary"`
		Optimal   struct {
			Cost      string  `json:"cost"`
			Status    string  `json:"status"`
			Objective float64 `json:"objective"`
			Proven    bool    `json:"proven"`
		} `json:"optimal"`
		Audit struct {
			Passed bool `json:"passed"`
		} `json:"audit"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, "report.json"))
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	sec := 0
	for _, c := range cells {
		if c.Status == "secondary" {
			sec++
		}
	}
	if !rep.Audit.Passed || !rep.Optimal.Proven || rep.Optimal.Cost != "unity" || float64(sec) != rep.Optimal.Objective || rep.Secondary != sec {
		t.Errorf("report %+v, %d secondary cells in the output", rep, sec)
	}
	bad := strings.Replace(spec, `"cost": "unity"`, `"cost": "yen"`, 1)
	if _, errs, code := runTab(t, dir, bad); code == 0 || !strings.Contains(errs, "protection.optimal.cost") {
		t.Errorf("unknown cost: exit %d %s", code, errs)
	}

	round := `{"input": {"path": "in.csv"},
	  "dimensions": [{"column": "lg"}, {"column": "sex"}, {"column": "age"}],
	  "measure": {"type": "count"},
	  "protection": {"rounding": {"method": "controlled", "base": 5}},
	  "output": {"report": "round.json"}}`
	out, errs, code = runTab(t, dir, round, "--format", "json")
	if code != 0 || strings.Contains(errs, "fallback") {
		t.Fatalf("controlled 3-D: exit %d %s", code, errs)
	}
	var rc []struct {
		Key   map[string]string `json:"key"`
		Value float64           `json:"value"`
	}
	if err := json.Unmarshal([]byte(out), &rc); err != nil {
		t.Fatal(err)
	}
	// Additivity recomputed from the output: every cell equals the sum of
	// the inner cells (no Total in the key) it covers.
	for _, c := range rc {
		sum := 0.0
		for _, in := range rc {
			inner, covered := true, true
			for d, v := range in.Key {
				inner = inner && v != "Total"
				covered = covered && (c.Key[d] == "Total" || c.Key[d] == v)
			}
			if inner && covered {
				sum += in.Value
			}
		}
		if sum != c.Value || int(c.Value)%5 != 0 {
			t.Fatalf("cell %v = %g, inner cells sum to %g", c.Key, c.Value, sum)
		}
	}
	b, _ = os.ReadFile(filepath.Join(dir, "round.json"))
	if !strings.Contains(string(b), `"solver": "branch-and-bound"`) || !strings.Contains(string(b), `"additive": true`) {
		t.Errorf("rounding report: %s", b)
	}
}
