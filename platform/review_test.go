package platform

import (
	"strings"
	"testing"
	"time"
)

func pledged() Pledge {
	return Pledge{NotApplicable: [6]bool{true, true, true, true, true, true}, SignedBy: "代表 山田", SignedAt: time.Now()}
}

func TestSuggestFindings(t *testing.T) {
	from := time.Date(2026, 4, 1, 0, 0, 0, 0, JST)
	until := from.AddDate(1, 0, 0)
	tests := []struct {
		name     string
		subjects int64
		file     int64
		months   int
		disq     *time.Time
		want     map[int]bool
	}{
		{"all fine", 5000, 10000, 24, nil, map[int]bool{1: true, 2: true, 5: true}},
		{"too few", 999, 10000, 24, nil, map[int]bool{2: false}},
		{"exactly 1000", 1000, 10000, 24, nil, map[int]bool{2: true}},
		{"more than file", 20000, 10000, 24, nil, map[int]bool{2: false}},
		{"too long", 5000, 10000, 6, nil, map[int]bool{5: false}},
		{"disqualified", 5000, 10000, 24, &until, map[int]bool{1: false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &Proposal{Kind: KindNew, Subjects: tc.subjects, UseFrom: from, UseTo: from.AddDate(1, 0, 0), Pledge: pledged()}
			r := Review{Findings: SuggestFindings(p, tc.file, tc.months, tc.disq)}
			for no, met := range tc.want {
				f := r.Finding(no)
				if f == nil || f.Met != met || f.Reason == "" {
					t.Errorf("criterion %d: %+v, want met=%v", no, f, met)
				}
			}
		})
	}
}

func TestReviewCompleteAndNotice(t *testing.T) {
	r := &Review{}
	for _, c := range Criteria {
		r.Findings = append(r.Findings, Finding{c.No, true, "適合"})
	}
	if err := r.Complete(KindNew); err != nil || !r.Conforming() {
		t.Fatalf("complete review refused: %v", err)
	}
	r.Findings[1] = Finding{2, false, "本人の数が1,000人未満である"}
	if r.Conforming() {
		t.Fatal("failing criterion not seen")
	}
	reuse := &Review{Findings: []Finding{{1, true, "x"}, {4, true, "x"}, {5, true, "x"}, {6, true, "x"}, {7, true, "x"}}}
	if err := reuse.Complete(KindReuse); err != nil {
		t.Errorf("reuse review needs only 1, 4–7: %v", err)
	}
	if err := reuse.Complete(KindNew); err == nil {
		t.Error("new-creation review without criteria 2, 3 accepted")
	}
	n := Notice{Result: NoticeNonConforming, Title: "健診データ", Findings: r.Findings}
	text := strings.Join(n.Paragraphs(), "\n")
	if !strings.Contains(text, "第114条") || !strings.Contains(text, "基準第2号") || !strings.Contains(text, "1,000人未満") {
		t.Errorf("non-conforming notice lacks reasons:\n%s", text)
	}
}

func TestCallPeriod(t *testing.T) {
	open := time.Date(2026, 5, 1, 0, 0, 0, 0, JST)
	c := Call{Title: "令和8年度", EntryIDs: []ID{1}, Office: "窓口", MaxUseMonths: 24, OpensAt: open, ClosesAt: open.AddDate(0, 0, 29)}
	if err := c.Validate(); err == nil {
		t.Error("29-day call accepted")
	}
	c.ClosesAt = open.AddDate(0, 0, 30)
	if err := c.Validate(); err != nil {
		t.Errorf("30-day call refused: %v", err)
	}
	if c.State(open) != CallDraft {
		t.Error("unpublished call not draft")
	}
	c.Published = true
	for _, tc := range []struct {
		at   time.Time
		want State
	}{{open.Add(-time.Second), CallPublished}, {open, CallOpen}, {c.ClosesAt.Add(-time.Second), CallOpen}, {c.ClosesAt, CallClosed}} {
		if got := c.State(tc.at); got != tc.want {
			t.Errorf("at %v: %s, want %s", tc.at, got, tc.want)
		}
	}
	if c.Open(open, 2) {
		t.Error("call open for a file it does not cover")
	}
}

func TestMatrixAndProposal(t *testing.T) {
	e := &RegisterEntry{Items: []RecordItem{{Name: "氏名", Type: ItemName}, {Name: "生年月日", Type: ItemDate}, {Name: "住所", Type: ItemAddress}, {Name: "宛名番号", Type: ItemIDNumber}}}
	m := MatrixFromRegister(e)
	if len(m) != 4 || m[0].Granularity != GranDelete {
		t.Fatalf("matrix %+v", m)
	}
	if err := ValidateMatrix(m, e); err != nil {
		t.Fatalf("default matrix refused: %v", err)
	}
	bad := append([]ItemRequest(nil), m...)
	bad[0].Granularity = GranAsIs
	if err := ValidateMatrix(bad, e); err == nil {
		t.Error("name requested as is")
	}
	if err := ValidateMatrix([]ItemRequest{{Item: "年収", Granularity: GranAsIs}}, e); err == nil {
		t.Error("unknown item accepted")
	}
	from := time.Date(2026, 4, 1, 0, 0, 0, 0, JST)
	p := Proposal{Kind: KindNew, Proposer: ProposerInfo{Name: "株式会社A", Address: "東京都"}, Purpose: "p", Method: "m",
		Business: "b", SafetyMeasures: "s", Subjects: 2000, UseFrom: from, UseTo: from.AddDate(1, 0, 0),
		Targets: []Target{{BodyID: 1, EntryID: 1, Items: m, Subset: Subset{Kind: SubsetSample, SampleRate: 0.1}}}}
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "pledge") {
		t.Errorf("missing pledge not refused: %v", err)
	}
	p.Pledge = pledged()
	if err := p.Validate(); err != nil {
		t.Errorf("valid proposal refused: %v", err)
	}
	p.Targets[0].Subset.SampleRate = 1.5
	if err := p.Validate(); err == nil {
		t.Error("sample rate 1.5 accepted")
	}
	if err := CheckColumns([]string{"生年月日", "住所"}, []string{"生年月日", "住所", "宛名番号"}); err == nil {
		t.Error("missing column accepted")
	}
	if err := CheckColumns([]string{"生年月日", "氏名"}, []string{"生年月日"}); err == nil {
		t.Error("extra column accepted")
	}
}
