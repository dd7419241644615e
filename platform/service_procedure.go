package platform

import (
	"context"
	"io"
	"strconv"

	"github.com/tokumei/tokumei/dataio"
	"github.com/tokumei/tokumei/fault"
)

// Procedure returns the procedure service over the same store, vault, clock
// and job queue.
func (s *Services) Procedure() *Procedure {
	p := &Procedure{Store: s.Store, Vault: s.Vault, Clock: s.Now, Inspect: InspectTable}
	if s.Jobs != nil {
		p.Queue = jobQueue{s.Jobs}
	}
	return p
}

// ProcessCaseJob is the processing job of one case (run by package jobs);
// UserID is the processor who started it, on whose behalf it runs.
type ProcessCaseJob struct {
	CaseID ID `json:"case_id"`
	UserID ID `json:"user_id"`
}

// Kind names the job's worker.
func (ProcessCaseJob) Kind() string { return "process_case" }

type jobQueue struct{ q JobQueue }

func (j jobQueue) EnqueueProcessing(ctx context.Context, caseID ID, a Actor) (string, error) {
	if err := j.q.Enqueue(ctx, ProcessCaseJob{CaseID: caseID, UserID: a.UserID}); err != nil {
		return "", err
	}
	return "process_case:" + strconv.FormatInt(caseID, 10), nil
}

// InspectTable reads an extract (CSV in UTF-8, CP932 …, or XLSX) with
// dataio: its header, the number of records and the encoding used.
func InspectTable(name string, r io.Reader) (*ExtractInfo, error) {
	rd, err := dataio.NewReader(r, name, dataio.Options{Encoding: "auto"})
	if err != nil {
		return nil, err
	}
	info := &ExtractInfo{Columns: append([]string(nil), rd.Header()...)}
	for {
		_, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		info.Rows++
	}
	info.Encoding = rd.Encoding().Name
	if info.Rows == 0 {
		return nil, fault.New(fault.Invalid, "the extract has no records", "抽出データにレコードがありません").At(name, 0, 0)
	}
	return info, nil
}
