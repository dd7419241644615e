package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnonymizeRecord runs `tokumei anonymize` with a spec that asks for the
// processing record and checks the record against the report the same run
// wrote and against the output file: the transformation, the suppression,
// the row counts and the output's hash agree; the five Rule 62 items are
// present; the public view has no processing-method information and the
// full one (--record-full) has it; the HTML is the Japanese page.
func TestAnonymizeRecord(t *testing.T) {
	dir := t.TempDir()
	var in bytes.Buffer
	in.WriteString("id,age,sex\n")
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&in, "%d,%d,%s\n", i, 20+i%10, []string{"M", "F"}[i%2])
	}
	for i := 0; i < 3; i++ { // a class of 3 below k at every level but the top: suppressed
		fmt.Fprintf(&in, "%d,85,M\n", 300+i)
	}
	os.WriteFile(filepath.Join(dir, "in.csv"), in.Bytes(), 0o600)
	var h bytes.Buffer
	for a := 0; a < 90; a++ {
		fmt.Fprintf(&h, "%d;%d-%d;*\n", a, a/10*10, a/10*10+9)
	}
	os.WriteFile(filepath.Join(dir, "age.csv"), h.Bytes(), 0o600)
	spec := `{"input":{"path":"in.csv"},"attributes":[{"name":"id","type":"identifying"},
	  {"name":"age","type":"quasi","hierarchy":{"file":"age.csv"}},{"name":"sex","type":"insensitive"}],
	  "privacy":[{"model":"k-anonymity","k":5}],"suppression_limit":0.05,
	  "output":{"path":"out.csv","report":"r.json","record":"record.json","record_html":"record.html"}}`
	os.WriteFile(filepath.Join(dir, "job.json"), []byte(spec), 0o600)

	type record struct {
		Items []struct {
			Item    int    `json:"item"`
			TitleJA string `json:"title_ja"`
			Actions []struct {
				Column, Action string
			} `json:"actions"`
		} `json:"items"`
		Input, Output struct {
			SHA256  string `json:"sha256"`
			Records int64  `json:"records"`
		}
		Suppression struct {
			RecordsDeleted int64 `json:"records_deleted"`
		} `json:"suppression"`
		Generalization []struct {
			Column string `json:"column"`
			Level  int    `json:"level"`
		} `json:"generalization"`
		Checks []struct {
			Item int `json:"item"`
		} `json:"checks"`
		Secret *struct {
			Hierarchies map[string]json.RawMessage `json:"hierarchies"`
		} `json:"secret"`
	}
	for _, full := range []bool{false, true} {
		t.Run(fmt.Sprint("full=", full), func(t *testing.T) {
			args := []string{"anonymize", "--quiet", "--spec", filepath.Join(dir, "job.json")}
			if full {
				args = append(args, "--record-full")
			}
			if _, stderr, code := runCmd(t, args...); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var rep struct {
				Transformation    map[string]int `json:"transformation"`
				SuppressedRecords int64          `json:"suppressed_records"`
				Records           int64          `json:"records"`
				OutputRecords     int64          `json:"output_records"`
			}
			var rec record
			for name, v := range map[string]any{"r.json": &rep, "record.json": &rec} {
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(b, v); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
			if rep.SuppressedRecords == 0 || rec.Suppression.RecordsDeleted != rep.SuppressedRecords {
				t.Errorf("suppression: record %d, report %d (want > 0 and equal)", rec.Suppression.RecordsDeleted, rep.SuppressedRecords)
			}
			if len(rec.Generalization) != len(rep.Transformation) {
				t.Errorf("generalization %+v, report transformation %v", rec.Generalization, rep.Transformation)
			}
			for _, g := range rec.Generalization {
				if lv, ok := rep.Transformation[g.Column]; !ok || lv != g.Level {
					t.Errorf("%s: record level %d, report %d (%v)", g.Column, g.Level, lv, ok)
				}
			}
			if len(rec.Items) != 5 || len(rec.Checks) != 5 {
				t.Fatalf("items %d, checks %d, want the five Rule 62 items", len(rec.Items), len(rec.Checks))
			}
			for i, it := range rec.Items {
				if it.Item != i+1 || it.TitleJA == "" {
					t.Errorf("item %d: %+v", i+1, it)
				}
			}
			if a := rec.Items[0].Actions; len(a) != 1 || a[0].Column != "id" || a[0].Action != "delete" {
				t.Errorf("item 1 actions %+v, want id deleted", a)
			}
			out, _ := os.ReadFile(filepath.Join(dir, "out.csv"))
			sum := sha256.Sum256(out)
			if rec.Output.SHA256 != hex.EncodeToString(sum[:]) || rec.Output.Records != rep.OutputRecords || rec.Input.Records != rep.Records {
				t.Errorf("files: record %+v / %+v, report %d/%d rows", rec.Input, rec.Output, rep.Records, rep.OutputRecords)
			}
			if full != (rec.Secret != nil && rec.Secret.Hierarchies["age"] != nil) {
				t.Errorf("full=%v but secret %+v", full, rec.Secret)
			}
			html, _ := os.ReadFile(filepath.Join(dir, "record.html"))
			if !bytes.Contains(html, []byte("加工の記録")) || bytes.Contains(html, []byte("age.csv")) {
				t.Errorf("HTML record (%d bytes) lacks its title or shows the hierarchy", len(html))
			}
		})
	}
	// A record that cannot be written leaves no output behind.
	bad := strings.Replace(spec, `"record":"record.json"`, `"record":"no/such/dir/record.json"`, 1)
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte(bad), 0o600)
	os.Remove(filepath.Join(dir, "out.csv"))
	if _, _, code := runCmd(t, "anonymize", "--quiet", "--spec", filepath.Join(dir, "bad.json")); code == 0 {
		t.Error("an unwritable record was accepted")
	}
	if _, err := os.Stat(filepath.Join(dir, "out.csv")); err == nil {
		t.Error("the output was left behind without its record")
	}
}
