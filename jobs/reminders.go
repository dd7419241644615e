package jobs

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/tokumei/tokumei/platform"
)

// UseRemindersJob records a reminder on every case whose use period ends
// within its body's reminder days (once per case). Every working queue
// schedules it daily as a River periodic job (see riverConfig) and once at
// start; it acts as the window.
type UseRemindersJob struct{}

// Kind names the job's worker.
func (UseRemindersJob) Kind() string { return "use_reminders" }

type remindersWorker struct {
	river.WorkerDefaults[UseRemindersJob]
	d Deps
}

func init() {
	Register(func(d Deps) river.Worker[UseRemindersJob] { return &remindersWorker{d: d} })
}

// Work records the reminders.
func (w *remindersWorker) Work(ctx context.Context, job *river.Job[UseRemindersJob]) error {
	ctx = platform.WithActor(ctx, JobActor(job.Kind, platform.RoleWindowOfficer, 0))
	_, err := w.d.Services.Procedure().UseReminders(ctx)
	return err
}
