package jobs

import (
	"context"
	"sync"
	"time"

	"github.com/tokumei/tokumei/pipeline"
	"github.com/tokumei/tokumei/platform"
)

// progress writes the processing job's progress to the store for the case
// page: every change of phase, and within a phase at most once per
// interval and only when the percentage has grown by 1 or more. Writes
// are best effort: a failed write does not stop the job.
type progress struct {
	store    platform.CaseStore
	caseID   platform.ID
	interval time.Duration
	now      func() time.Time

	mu     sync.Mutex
	phase  platform.JobPhase
	pct    int
	at     time.Time
	wrote  bool
	writes int
}

// ProgressInterval is the least time between two progress writes within
// one phase.
var ProgressInterval = time.Second

func newProgress(s platform.CaseStore, caseID platform.ID) *progress {
	return &progress{store: s, caseID: caseID, interval: ProgressInterval, now: time.Now}
}

// set records phase at pct (0–100; it never goes back within a phase).
func (p *progress) set(ctx context.Context, phase platform.JobPhase, pct int) {
	if p == nil {
		return
	}
	pct = min(max(pct, 0), 100)
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if p.wrote && phase == p.phase && (pct < p.pct+1 || now.Sub(p.at) < p.interval) {
		return
	}
	if p.wrote && phase == p.phase && pct < p.pct {
		return
	}
	p.phase, p.pct, p.at, p.wrote = phase, pct, now, true
	p.writes++
	_ = p.store.SetJobProgress(context.WithoutCancel(ctx), p.caseID, platform.JobProgress{Phase: phase, Percent: pct, UpdatedAt: now})
}

// engine maps the pipeline's status reports (its own reading, encoding,
// search and writing, each with done of total where known) into the
// percentages from pctEncoding to pctChecking.
func (p *progress) engine(ctx context.Context) func(pipeline.Status) {
	return func(st pipeline.Status) {
		frac := func(lo, hi int) int {
			if st.Total <= 0 {
				return lo
			}
			return lo + int(int64(hi-lo)*min(st.Done, st.Total)/st.Total)
		}
		switch st.Phase {
		case pipeline.PhaseReading:
			p.set(ctx, platform.PhaseEncoding, frac(pctEncoding, pctEncoded))
		case pipeline.PhaseEncoding:
			p.set(ctx, platform.PhaseEncoding, pctEncoded)
		case pipeline.PhaseSearching:
			p.set(ctx, platform.PhaseSearching, frac(pctSearching, pctWriting))
		case pipeline.PhaseWriting:
			p.set(ctx, platform.PhaseWriting, frac(pctWriting, pctChecking))
		}
	}
}

// The percentage at which each phase starts.
const (
	pctReading   = 0
	pctProfiling = 5
	pctPseudonym = 10
	pctEncoding  = 15 // the engine reads the prepared extract …
	pctEncoded   = 22 // … and builds the hierarchies
	pctSearching = 25
	pctWriting   = 80
	pctChecking  = 85
	pctStoring   = 95
)

// last returns the last percentage written.
func (p *progress) last() int {
	if p == nil {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pct
}
