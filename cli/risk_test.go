package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	code := Main(context.Background(), args, env)
	return out.String(), errb.String(), code
}

func TestRiskCommand(t *testing.T) {
	dir := t.TempDir()
	in := "name,age,sex,area\n" +
		"a,30,M,X\nb,30,M,X\nc,30,M,X\nd,40,F,Y\ne,40,F,Y\nf,50,F,Z\n"
	out := "age,sex,area\n30-39,M,X\n30-39,M,X\n30-39,M,X\n40-59,F,*\n40-59,F,*\n40-59,F,*\n"
	os.WriteFile(filepath.Join(dir, "in.csv"), []byte(in), 0o600)
	os.WriteFile(filepath.Join(dir, "out.csv"), []byte(out), 0o600)
	spec := `{"input":{"path":"in.csv"},"attributes":[{"name":"name","type":"identifying"},
	{"name":"age","type":"quasi"},{"name":"sex","type":"quasi"},{"name":"area","type":"quasi"}],
	"output":{"path":"out.csv"},"risk":{"threshold":0.4}}`
	sp := filepath.Join(dir, "job.json")
	os.WriteFile(sp, []byte(spec), 0o600)

	stdout, stderr, code := runCmd(t, "risk", "--spec", sp)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	// Classes on the input: {3, 2, 1}.
	if r["records"].(float64) != 6 || r["equivalence_classes"].(float64) != 3 || r["sample_uniques"].(float64) != 1.0/6 {
		t.Errorf("input figures %v", stdout)
	}
	p := r["prosecutor"].(map[string]any)
	if p["highest"].(float64) != 1 || p["average"].(float64) != 0.5 || p["records_at_highest"].(float64) != 1.0/6 {
		t.Errorf("prosecutor %v", p)
	}
	for _, k := range []string{"journalist", "marketer", "attribute_contributions", "missing_values"} {
		if _, ok := r[k]; !ok {
			t.Errorf("missing key %s", k)
		}
	}

	stdout, stderr, code = runCmd(t, "risk", "--spec", sp, "--output", "--missing", "matches-any")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var o map[string]any
	json.Unmarshal([]byte(stdout), &o)
	if o["file"] != "out.csv" || o["equivalence_classes"].(float64) != 2 || o["prosecutor"].(map[string]any)["highest"].(float64) != 1.0/3 {
		t.Errorf("output figures %v", stdout)
	}
	if o["missing_values"] != "matches-any" || o["input"].(map[string]any)["file"] != "in.csv" {
		t.Errorf("side by side / missing mode: %v", stdout)
	}

	// A population table: 1/F per record.
	pop := "age,sex,area,count\n30,M,X,30\n40,F,Y,4\n50,F,Z,1\n"
	os.WriteFile(filepath.Join(dir, "pop.csv"), []byte(pop), 0o600)
	withPop := strings.Replace(spec, `"risk":{"threshold":0.4}`, `"risk":{"threshold":0.4,"population_table":{"path":"pop.csv"}}`, 1)
	os.WriteFile(sp, []byte(withPop), 0o600)
	stdout, stderr, code = runCmd(t, "risk", "--spec", sp)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var pt map[string]any
	json.Unmarshal([]byte(stdout), &pt)
	j := pt["journalist"].(map[string]any)
	if pt["journalist_basis"] != "population-table" || math.Abs(j["average"].(float64)-(3.0/30+2.0/4+1.0/1)/6) > 1e-12 || j["highest"].(float64) != 1 {
		t.Errorf("population table: %v", j)
	}

	os.WriteFile(sp, []byte(`{"input":{"path":"in.csv"},"attributes":[{"name":"nope","type":"quasi"}]}`), 0o600)
	_, stderr, code = runCmd(t, "risk", "--spec", sp)
	if code != 2 || !strings.Contains(stderr, "nope") {
		t.Errorf("unknown column: exit %d %s", code, stderr)
	}
	_, _, code = runCmd(t, "risk")
	if code != 2 {
		t.Errorf("no spec: exit %d", code)
	}
}
