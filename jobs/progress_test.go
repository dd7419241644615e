package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/tokumei/tokumei/pipeline"
	"github.com/tokumei/tokumei/platform"
)

type memProgress struct {
	platform.CaseStore
	got []platform.JobProgress
}

func (m *memProgress) SetJobProgress(_ context.Context, _ platform.ID, p platform.JobProgress) error {
	m.got = append(m.got, p)
	return nil
}

// Within a phase a write needs both a second and one percent more; a new
// phase is always written.
func TestProgressThrottle(t *testing.T) {
	m := &memProgress{}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := &progress{store: m, interval: time.Second, now: func() time.Time { return now }}
	ctx := context.Background()
	steps := []struct {
		after time.Duration
		phase platform.JobPhase
		pct   int
		write bool
	}{
		{0, platform.PhaseReading, 0, true},
		{100 * time.Millisecond, platform.PhaseProfiling, 5, true},   // new phase
		{100 * time.Millisecond, platform.PhaseSearching, 15, true},  // new phase
		{100 * time.Millisecond, platform.PhaseSearching, 40, false}, // too soon
		{2 * time.Second, platform.PhaseSearching, 40, true},         // a second later
		{2 * time.Second, platform.PhaseSearching, 40, false},        // no progress
		{2 * time.Second, platform.PhaseSearching, 41, true},         // 1 % more
		{2 * time.Second, platform.PhaseSearching, 30, false},        // never back
		{10 * time.Millisecond, platform.PhaseDone, 100, true},       // new phase
	}
	n := 0
	for i, s := range steps {
		now = now.Add(s.after)
		p.set(ctx, s.phase, s.pct)
		if s.write {
			n++
		}
		if len(m.got) != n {
			t.Fatalf("step %d (%s %d): %d writes, want %d", i, s.phase, s.pct, len(m.got), n)
		}
	}
	// The engine's reports map done/total into each phase's span.
	p.interval = 0
	rep := p.engine(ctx)
	for _, tc := range []struct {
		st    pipeline.Status
		phase platform.JobPhase
		pct   int
	}{
		{pipeline.Status{Phase: pipeline.PhaseReading, Done: 50, Total: 100}, platform.PhaseEncoding, (pctEncoding + pctEncoded) / 2},
		{pipeline.Status{Phase: pipeline.PhaseEncoding}, platform.PhaseEncoding, pctEncoded},
		{pipeline.Status{Phase: pipeline.PhaseSearching, Done: 1, Total: 2}, platform.PhaseSearching, (pctSearching + pctWriting) / 2},
		{pipeline.Status{Phase: pipeline.PhaseWriting, Done: 10, Total: 10}, platform.PhaseWriting, pctChecking},
	} {
		rep(tc.st)
		if last := m.got[len(m.got)-1]; last.Phase != tc.phase || last.Percent != tc.pct {
			t.Errorf("%+v wrote %+v, want %s %d", tc.st, last, tc.phase, tc.pct)
		}
	}
}
