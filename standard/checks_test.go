package standard

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tokumei/tokumei/anon/risk"
	"github.com/tokumei/tokumei/anon/sdc"
	"github.com/tokumei/tokumei/fault"
)

func residentJob(t *testing.T) (*Profile, []string, [][]string) {
	t.Helper()
	names := []string{"氏名", "フリガナ", "個人番号", "宛名番号", "電話番号", "生年月日", "性別", "住所", "年齢"}
	cols := peopleCols(genPeople(200, 3))
	cols[8][5] = "116"
	p, err := ProfileColumns(names, cols, ProfileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p, names, cols
}

func TestChecksDetectEachFailure(t *testing.T) {
	p, names, cols := residentJob(t)
	band := func(col []string) []string {
		out := make([]string, len(col))
		for i := range out {
			out[i] = "40-44"
		}
		return out
	}
	good := func() *Job {
		ps := sdc.NewPseudonymizer(sdc.NewDeliveryKey(), "r")
		atena := append([]string(nil), cols[3]...)
		ps.Column(atena)
		m := risk.FromClassSizes([]int64{100, 100}, risk.Options{})
		return &Job{Source: p, SourceCols: cols,
			OutputNames: []string{"宛名番号", "性別", "年齢"},
			OutputCols:  [][]string{atena, cols[6], band(cols[8])},
			Actions:     []ColumnAction{{Item: 3, Column: "宛名番号", Action: "pseudonym"}},
			Risk:        &m}
	}
	cases := []struct {
		name   string
		mutate func(j *Job)
		failed []int
	}{
		{"all handled", func(j *Job) {}, nil},
		{"name kept", func(j *Job) {
			j.OutputNames = append(j.OutputNames, "氏名")
			j.OutputCols = append(j.OutputCols, cols[0])
		}, []int{1}},
		{"phone under another header", func(j *Job) {
			j.OutputNames = append(j.OutputNames, "memo")
			j.OutputCols = append(j.OutputCols, cols[4])
		}, []int{1}},
		{"my number kept", func(j *Job) {
			j.OutputNames = append(j.OutputNames, "個人番号")
			j.OutputCols = append(j.OutputCols, cols[2])
		}, []int{2}},
		{"linking code kept raw", func(j *Job) { j.OutputCols[0] = cols[3]; j.Actions = nil }, []int{3}},
		{"pseudonym that is not one", func(j *Job) { j.OutputCols[0] = cols[3] }, []int{3}},
		{"age 116 kept", func(j *Job) { j.OutputCols[2] = cols[8] }, []int{4}},
		{"risk too high", func(j *Job) { m := risk.FromClassSizes([]int64{1, 50}, risk.Options{}); j.Risk = &m }, []int{5}},
		{"risk not measured", func(j *Job) { j.Risk = nil }, []int{5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			j := good()
			c.mutate(j)
			res, err := Check(j)
			if err != nil {
				t.Fatal(err)
			}
			want := map[int]bool{}
			for _, i := range c.failed {
				want[i] = true
			}
			for _, r := range res {
				if r.Passed == want[r.Item] {
					t.Errorf("item %d passed=%v findings %v", r.Item, r.Passed, r.Findings)
				}
			}
			for _, r := range res {
				if len(r.FindingsJA) != len(r.Findings) || !r.Passed && len(r.FindingsJA) == 0 {
					t.Errorf("item %d: %d findings, %d in Japanese", r.Item, len(r.Findings), len(r.FindingsJA))
				}
				for _, f := range append(append([]string(nil), r.Findings...), r.FindingsJA...) {
					for _, v := range cols[0][:20] {
						if strings.Contains(f, v) {
							t.Errorf("finding discloses a name: %s", f)
						}
					}
				}
			}
		})
	}
	_ = names
}

func TestGate(t *testing.T) {
	res := []CheckResult{{Item: 1, Passed: true}, {Item: 4, Passed: false}, {Item: 5, Passed: false}}
	now := time.Now()
	cases := []struct {
		name string
		ov   []Override
		ok   bool
	}{
		{"no override", nil, false},
		{"one item only", []Override{{Item: 4, Reason: "x", RequestedBy: "a", ApprovedBy: "b", At: now}}, false},
		{"self approval", []Override{{Item: 4, Reason: "x", RequestedBy: "a", ApprovedBy: "a"}, {Item: 5, Reason: "x", RequestedBy: "a", ApprovedBy: "a"}}, false},
		{"operator approves", []Override{{Item: 4, Reason: "x", RequestedBy: "a", ApprovedBy: "op"}, {Item: 5, Reason: "x", RequestedBy: "a", ApprovedBy: "op"}}, false},
		{"no reason", []Override{{Item: 4, RequestedBy: "a", ApprovedBy: "b"}, {Item: 5, Reason: "x", RequestedBy: "a", ApprovedBy: "b"}}, false},
		{"second person", []Override{{Item: 4, Reason: "確認済み", RequestedBy: "a", ApprovedBy: "b"}, {Item: 5, Reason: "確認済み", RequestedBy: "a", ApprovedBy: "c"}}, true},
	}
	for _, c := range cases {
		err := Gate(res, c.ov, "op")
		if (err == nil) != c.ok {
			t.Errorf("%s: %v", c.name, err)
		}
		var fe *fault.Error
		if err != nil && (!errors.As(err, &fe) || fe.Code != fault.Conflict) {
			t.Errorf("%s: not a conflict: %v", c.name, err)
		}
	}
}

func TestRecordPublicAndHTML(t *testing.T) {
	key := sdc.NewDeliveryKey()
	seed := sdc.NewSeed()
	before := risk.FromClassSizes([]int64{1, 1, 3, 40}, risk.Options{})
	after := risk.FromClassSizes([]int64{5, 40}, risk.Options{})
	r := &Record{RunID: "run-1", CaseID: "case-9", Body: "鳥取市長", Operator: "山田", Reviewer: "佐藤",
		CreatedAt:  time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC),
		Input:      FileInfo{Name: "juki.csv", SHA256: strings.Repeat("a", 64), Records: 45, Columns: 9},
		Output:     FileInfo{Name: "out.csv", SHA256: strings.Repeat("b", 64), Records: 45, Columns: 4},
		Pseudonyms: []PseudonymInfo{{Column: "宛名番号", Scheme: "HMAC-SHA256", KeyID: key.KeyID()}},
		RiskBefore: &before, RiskAfter: &after,
		Parameters: Parameters{Privacy: json.RawMessage(`[{"model":"k-anonymity","k":5}]`), SuppressionLimit: 0.02, Metric: "loss", MissingValues: risk.MissingOwnCategory},
		Utility: Utility{Metric: "loss", Value: 0.25, Distributions: Distributions([]string{"年齢"},
			[][]string{{"34", "34", "34", "34", "34", "116", "<script>"}}, [][]string{{"30-34", "30-34", "30-34", "30-34", "30-34", "90以上", "*"}}, 12)},
		Secret: &MethodInfo{Keys: map[string]string{key.KeyID(): key.Hex()}, Seeds: map[string]string{"shuffle": seed.String()}},
	}
	r.SetActions([]ColumnAction{{Item: 1, Column: "氏名", Action: "delete"}, {Item: 3, Column: "宛名番号", Action: "pseudonym"}, {Item: 4, Column: "年齢", Action: "top-code", Count: 1}})
	if len(r.Items) != 5 || len(r.Items[0].Actions) != 1 || len(r.Items[1].Actions) != 0 {
		t.Fatalf("items %+v", r.Items)
	}
	var full, pub, page bytes.Buffer
	r.WriteJSON(&full)
	r.Public().WriteJSON(&pub)
	if err := r.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(full.String(), key.Hex()) {
		t.Error("full record lacks the secret (it is the secure copy)")
	}
	for name, b := range map[string]string{"public json": pub.String(), "html": page.String()} {
		if strings.Contains(b, key.Hex()) || strings.Contains(b, seed.String()) {
			t.Errorf("%s discloses processing-method information", name)
		}
		if strings.Contains(b, "116") {
			t.Errorf("%s discloses a rare source value", name)
		}
		if !strings.Contains(b, key.KeyID()) {
			t.Errorf("%s lacks the key id", name)
		}
	}
	h := page.String()
	for _, want := range []string{"加工の記録", "<svg", "第4号", "トップコーディング", "鳥取市長", "2026年4月1日 10:00", "5件未満の区分"} {
		if !strings.Contains(h, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	if strings.Contains(h, "<script>") {
		t.Error("label not escaped")
	}
	if r.Secret == nil {
		t.Error("Public modified the record")
	}
}

func TestDraftSpec(t *testing.T) {
	p, _, _ := residentJob(t)
	s := DraftSpec(p, DraftOptions{InputPath: "juki.csv", ReferenceDate: "2026-04-01"})
	var buf bytes.Buffer
	if err := s.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	if err := json.Unmarshal(buf.Bytes(), &generic); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"input", "attributes", "privacy", "suppression_limit", "metric", "output"} {
		if _, ok := generic[k]; !ok {
			t.Errorf("draft lacks %q", k)
		}
	}
	want := map[string]string{"氏名": "identifying", "フリガナ": "identifying", "個人番号": "identifying", "宛名番号": "identifying",
		"電話番号": "identifying", "生年月日": "quasi", "性別": "quasi", "住所": "quasi", "年齢": "quasi"}
	for _, a := range s.Attributes {
		if a.Type != want[a.Name] {
			t.Errorf("%s: %s", a.Name, a.Type)
		}
		if a.Type == "quasi" && (a.Hierarchy == nil || a.Hierarchy.Builder == "") {
			t.Errorf("%s: no hierarchy", a.Name)
		}
	}
	if b := s.Attributes[5].Hierarchy.Builder; b != "age-band" {
		t.Errorf("birth date builder %s", b)
	}
	if s.Attributes[7].MinLevel == nil || *s.Attributes[7].MinLevel < 1 {
		t.Error("detailed address must not be kept at level 0")
	}
}
