package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/fault"
)

// TestBadInput checks that bad input gives a located fault and leaves no
// output file behind.
func TestBadInput(t *testing.T) {
	const hier = "a;x;*\nb;x;*\nc;y;*\n"
	cases := []struct {
		name, input, hier, spec string
		file                    string
		line, col               int
		code                    fault.Code
	}{
		{"value missing from hierarchy", "id,q\n1,a\n2,zz\n", hier, "", "in.csv", 3, 2, fault.Invalid},
		{"wrong field count", "id,q\n1,a\n2,b,9\n", hier, "", "in.csv", 3, 3, fault.Invalid},
		{"uneven hierarchy", "id,q\n1,a\n", "a;x;*\nb;*\n", "", "h.csv", 2, 3, fault.Invalid},
		{"unknown column", "id,r\n1,a\n", hier, "", "in.csv", 1, 0, fault.Invalid},
		{"impossible spec", "id,q\n1,a\n", hier, `{"input":{"path":"in.csv"},"attributes":[{"name":"q","type":"quasi","hierarchy":{"file":"h.csv"}}],"privacy":[{"model":"k-anonymity","k":0}],"output":{"path":"out.csv"}}`, "job.json", 0, 0, fault.Invalid},
		{"no solution", "id,q\n1,a\n", hier, `{"input":{"path":"in.csv"},"attributes":[{"name":"q","type":"quasi","hierarchy":{"file":"h.csv"}}],"privacy":[{"model":"k-anonymity","k":5}],"output":{"path":"out.csv","report":"r.json"}}`, "", 0, 0, fault.Unsatisfiable},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "in.csv"), []byte(c.input), 0o600)
			os.WriteFile(filepath.Join(dir, "h.csv"), []byte(c.hier), 0o600)
			spec := c.spec
			if spec == "" {
				spec = `{"input":{"path":"in.csv"},"attributes":[{"name":"id","type":"identifying"},{"name":"q","type":"quasi","hierarchy":{"file":"h.csv"}}],"privacy":[{"model":"k-anonymity","k":1}],"output":{"path":"out.csv","report":"r.json"}}`
			}
			os.WriteFile(filepath.Join(dir, "job.json"), []byte(spec), 0o600)
			s, err := anon.ReadSpecFile(filepath.Join(dir, "job.json"))
			if err == nil {
				_, err = Run(context.Background(), s, nil)
			}
			var fe *fault.Error
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a fault", err)
			}
			if fe.Code != c.code {
				t.Errorf("code %s, want %s (%v)", fe.Code, c.code, err)
			}
			if c.file != "" && (filepath.Base(fe.File) != c.file || fe.Line != c.line || fe.Column != c.col) {
				t.Errorf("located at %s:%d:%d, want %s:%d:%d (%v)", fe.File, fe.Line, fe.Column, c.file, c.line, c.col, err)
			}
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if n := e.Name(); n != "in.csv" && n != "h.csv" && n != "job.json" {
					t.Errorf("left %s behind", n)
				}
			}
		})
	}
}
