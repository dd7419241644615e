// Package pipeline runs an anonymisation job described by an anon.Spec:
// it reads the input (CSV in any encoding, or XLSX, through dataio), builds
// the hierarchies (files, anon's builders, jp's Japanese builders), runs the
// engine, writes the output and the JSON report (with risk measures from
// anon/risk). The CLI and the platform's job worker both call Run.
//
// pipeline imports anon, anon/risk, dataio, jp and fault.
package pipeline

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/anon/risk"
	"github.com/tokumei/tokumei/fault"
)

// Options let a caller supply files from elsewhere (the platform's vault)
// and receive the output as a stream.
type Options struct {
	// Open opens an input or auxiliary file named in the spec (already
	// resolved against the spec's directory). Nil means os.Open.
	Open func(path string) (io.ReadCloser, error)
	// Output, when set, receives the output table instead of the file
	// spec.Output.Path (which may then be empty).
	Output io.Writer
	// Progress is called now and then during the search.
	Progress func(done, total int64)
	// Status, when set, is called now and then in every phase (see Status).
	Status func(Status)
	// Exhaustive forces the exhaustive search (tests).
	Exhaustive bool
}

// Phases of a job, as Status reports them.
const (
	PhaseReading   = "reading"   // Done/Total: bytes of the input (Total 0 when unknown)
	PhaseEncoding  = "encoding"  // hierarchies, compiling, grouping the rows
	PhaseSearching = "searching" // Done/Total: transformations visited / lattice size
	PhaseWriting   = "writing"   // Done/Total: rows written / input rows
)

// Status is a progress report: the phase and how far it is.
type Status struct {
	Phase       string
	Done, Total int64
}

// statusFunc calls Options.Status when it is set.
type statusFunc func(Status)

func (f *statusFunc) report(phase string, done, total int64) {
	if f != nil && *f != nil {
		(*f)(Status{Phase: phase, Done: done, Total: total})
	}
}

// Elapsed is the time spent in each phase, in milliseconds.
type Elapsed struct {
	Parse  float64 `json:"parse"`
	Encode float64 `json:"encode"`
	Search float64 `json:"search"`
	Output float64 `json:"output"`
}

// RiskReport holds the re-identification risk before and after.
type RiskReport struct {
	Input  risk.Measures `json:"input"`
	Output risk.Measures `json:"output"`
}

// Report is the JSON report of a job (DESIGN.md contract keys first).
type Report struct {
	Transformation     map[string]int `json:"transformation"`
	SuppressedRecords  int64          `json:"suppressed_records"`
	EquivalenceClasses int            `json:"equivalence_classes"`
	MinClassSize       int64          `json:"min_class_size"`
	Metric             string         `json:"metric"`
	InformationLoss    float64        `json:"information_loss"`
	NodesChecked       int64          `json:"nodes_checked"`
	LatticeSize        int64          `json:"lattice_size"`
	Optimal            bool           `json:"optimal"`
	ElapsedMS          Elapsed        `json:"elapsed_ms"`
	Risk               RiskReport     `json:"risk"`

	Records          int64   `json:"records"`
	OutputRecords    int64   `json:"output_records"`
	SuppressionLimit float64 `json:"suppression_limit"`
	Suppressed       string  `json:"suppressed"` // "star" or "remove"
	Search           string  `json:"search"`     // "optimal", "exhaustive", "time-limited"
	Monotonicity     string  `json:"monotonicity"`
}

// Result is what Run returns.
type Result struct {
	Report Report
	Anon   *anon.Result
}

// Run executes the job with default options (files from disk).
func Run(ctx context.Context, spec *anon.Spec, progress func(done, total int64)) (*Result, error) {
	return RunWith(ctx, spec, Options{Progress: progress})
}

// RunWith executes the job. Nothing is left at the output paths when it
// fails: the output and the report are written to temporary files and
// renamed into place.
func RunWith(ctx context.Context, spec *anon.Spec, o Options) (*Result, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if o.Open == nil {
		o.Open = osOpen
	}
	st := statusFunc(o.Status)
	t0 := time.Now()
	st.report(PhaseReading, 0, 0)
	restore := func() {}
	large := sync.OnceFunc(func() { restore = lowerGC() })
	defer func() { restore() }()
	tab, name, err := readInput(spec, o, &st, large)
	if err != nil {
		return nil, err
	}
	if tab.Rows >= largeJobRows {
		large()
	}
	t1 := time.Now()
	st.report(PhaseEncoding, 0, 0)
	p, err := problem(ctx, spec, tab, name, o)
	if err != nil {
		return nil, err
	}
	p.Progress = o.Progress
	if o.Status != nil {
		p.Progress = func(done, total int64) {
			st.report(PhaseSearching, done, total)
			if o.Progress != nil {
				o.Progress(done, total)
			}
		}
	}
	tab.ReleaseQICodes = true // the output is written from the engine's classes
	t2 := time.Now()
	ar, err := anon.Anonymize(ctx, p)
	if err != nil {
		return nil, err
	}
	t3 := time.Now()
	rep := report(spec, ar)
	rep.ElapsedMS.Parse = ms(t1.Sub(t0))
	rep.ElapsedMS.Encode = ms(t2.Sub(t1) + ar.EncodeTime)
	rep.ElapsedMS.Search = ms(ar.SearchTime)
	n, err := writeOutput(spec, ar, o, &st)
	if err != nil {
		return nil, err
	}
	rep.OutputRecords = n
	rep.ElapsedMS.Output = ms(time.Since(t3))
	res := &Result{Report: rep, Anon: ar}
	if spec.Output.Report != "" {
		if err := writeJSON(spec.Path(spec.Output.Report), rep); err != nil {
			if o.Output == nil {
				os.Remove(spec.Path(spec.Output.Path)) // no output without its report
			}
			return nil, err
		}
	}
	return res, nil
}

func osOpen(p string) (io.ReadCloser, error) { return os.Open(p) }

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func report(spec *anon.Spec, ar *anon.Result) Report {
	r := Report{
		Transformation: ar.Levels(), SuppressedRecords: ar.SuppressedRecords,
		EquivalenceClasses: ar.EquivalenceClasses, MinClassSize: ar.MinClassSize,
		Metric: ar.Metric, InformationLoss: ar.InformationLoss, NodesChecked: ar.NodesChecked,
		LatticeSize: ar.LatticeSize, Optimal: ar.Optimal, Records: ar.Records,
		SuppressionLimit: spec.SuppressionLimit, Suppressed: "star", Search: "optimal",
		Monotonicity: ar.Monotonicity,
	}
	if spec.Suppressed == "remove" {
		r.Suppressed = "remove"
	}
	switch {
	case spec.Search == "exhaustive":
		r.Search = "exhaustive"
	case spec.TimeLimitMS > 0:
		r.Search = "time-limited"
	}
	r.Risk.Input = risk.FromClassSizes(ar.InputClassSizes(), risk.Options{})
	r.Risk.Output = risk.FromClassSizes(ar.ClassSizes(), risk.Options{})
	return r
}

// writeJSON writes v to path through a temporary file.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fault.Errorf(fault.Internal, "cannot encode the report").Wrap(err)
	}
	return WriteFileAtomic(path, append(b, '\n'),
		fault.New(fault.Invalid, "cannot create the report file", "レポートファイルを作れません").At(path, 0, 0),
		fault.New(fault.Internal, "cannot write the report", "レポートを書き込めません").At(path, 0, 0))
}

// WriteFileAtomic writes b to path through a temporary file in the same
// folder (mode 0600), renamed into place, so that nothing is left at path
// when it fails. It returns notCreated when the temporary file cannot be
// created and notWritten when writing or renaming fails, each wrapping the
// cause.
func WriteFileAtomic(path string, b []byte, notCreated, notWritten *fault.Error) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return notCreated.Wrap(err)
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return notWritten.Wrap(err)
	}
	return nil
}
