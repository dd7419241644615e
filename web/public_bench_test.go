package web

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tokumei/tokumei/ckan/ckantest"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore"
)

// BenchmarkPublicCatalog measures the public catalogue pages and CKAN
// searches with 2,000 local governments × 50 files and 10,000 datasets, at
// 200 concurrent clients over loopback HTTP, on SQLite and (when
// TOKUMEI_TEST_POSTGRES is set) PostgreSQL. Run with
//
//	go test ./web -run '^$' -bench PublicCatalog -benchtime=1x -timeout 40m
//
// (about 1–2 minutes per store on an idle 2-core machine). Phases, per kind
// (pages, CKAN):
//
//   - The server is started as `tokumei serve` starts it (Server.Start
//     builds the catalogue before the listener opens).
//   - Warm-up, excluded: 200 clients send 3 requests each back to back,
//     drawn with other random seeds than the measured phase. A server that
//     has been up for a while has seen the frequent requests; the long tail
//     (deep pages, package_show of 10,000 ids) stays mostly cold, as it
//     would in production. Its p99 is reported as warmup-p99-ms.
//   - Measured: 200 clients, each sending TOKUMEI_BENCH_REQS requests
//     (default 15) about once a second (pause 0.5–1.5 s), while another
//     "server" publishes a dataset straight into the store every
//     TOKUMEI_BENCH_PUBLISH (default 10s; 0 for none), so that snapshots
//     are rebuilt and swapped under load. Reported: p50, p95, p99 and max
//     in ms as the clients see them, p99 of the time spent inside the
//     server's handler (handler-p99-ms), process CPU per request
//     (cpu-ms/req: server and clients), and the number of snapshot swaps.
//   - With TOKUMEI_BENCH_SAT=1, also saturation: 200 clients back to back.
//
// TOKUMEI_BENCH_SMALL=1 uses 300 local governments and 2,000 datasets (for
// profiling).
func BenchmarkPublicCatalog(b *testing.B) {
	dbs := map[string]func(testing.TB) *sqlstore.DB{"sqlite": benchSQLite}
	if os.Getenv("TOKUMEI_TEST_POSTGRES") != "" {
		dbs["postgres"] = benchPostgres
	}
	perClient := 15
	if n, err := strconv.Atoi(os.Getenv("TOKUMEI_BENCH_REQS")); err == nil && n > 0 {
		perClient = n
	}
	publish := 10 * time.Second
	if d, err := time.ParseDuration(os.Getenv("TOKUMEI_BENCH_PUBLISH")); err == nil {
		publish = d
	}
	for _, name := range []string{"sqlite", "postgres"} {
		open, ok := dbs[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) {
			db := open(b)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			start := time.Now()
			nLG, nDS := 2000, 10000
			if os.Getenv("TOKUMEI_BENCH_SMALL") != "" { // for profiling only
				nLG, nDS = 300, 2000
			}
			benchDatasets = nDS
			if err := ckantest.Bulk(ctx, db, nLG, 50, nDS); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: loaded %d LGs × 50 files, %d datasets in %v", name, nLG, nDS, time.Since(start))
			s, err := New(Deps{Store: db, Services: &platform.Services{Store: db}, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				b.Fatal(err)
			}
			start = time.Now()
			if err := s.Start(ctx); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: catalogue built in %v (before listening)", name, time.Since(start))
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			var srvMu sync.Mutex
			var srvLat []time.Duration // time inside the handler, per request
			h := s.Handler()
			timed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				t0 := time.Now()
				h.ServeHTTP(w, r)
				d := time.Since(t0)
				srvMu.Lock()
				srvLat = append(srvLat, d)
				srvMu.Unlock()
			})
			hs := &http.Server{Handler: timed, ReadHeaderTimeout: 10 * time.Second}
			go hs.Serve(ln)
			defer hs.Close()
			base := "http://" + ln.Addr().String()
			for _, kind := range []string{"pages", "ckan"} { // one client: the cost of a request without queueing
				lat, _ := runLoad(b, base, kind, 1, 100, 0, 7)
				b.Logf("%s: one client, cold: p50 %.2f ms, p99 %.2f ms", kind, pct(lat, 0.50), pct(lat, 0.99))
			}
			b.ResetTimer()
			for range b.N {
				for _, kind := range []string{"pages", "ckan"} {
					lat, _ := runLoad(b, base, kind, 200, 3, 0, 1000)
					b.ReportMetric(pct(lat, 0.99), kind+"-warmup-p99-ms")
					swaps0 := s.catalog().Swaps()
					stop := publishEvery(ctx, b, db, publish)
					cpu0 := cpuTime()
					srvMu.Lock()
					srvLat = srvLat[:0]
					srvMu.Unlock()
					lat, _ = runLoad(b, base, kind, 200, perClient, time.Second, 0)
					srvMu.Lock()
					b.ReportMetric(pct(srvLat, 0.99), kind+"-handler-p99-ms")
					srvMu.Unlock()
					b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(len(lat)), kind+"-cpu-ms/req")
					stop()
					b.ReportMetric(pct(lat, 0.50), kind+"-p50-ms")
					b.ReportMetric(pct(lat, 0.95), kind+"-p95-ms")
					b.ReportMetric(pct(lat, 0.99), kind+"-p99-ms")
					b.ReportMetric(pct(lat, 1), kind+"-max-ms")
					b.ReportMetric(float64(s.catalog().Swaps()-swaps0), kind+"-swaps")
					if os.Getenv("TOKUMEI_BENCH_WRK") != "" {
						stop := publishEvery(ctx, b, db, publish)
						if p99, rps, ok := wrkLoad(b, base, kind, 15*time.Second, 77); ok {
							b.ReportMetric(p99, kind+"-wrk200-p99-ms")
							b.ReportMetric(rps, kind+"-wrk200-req/s")
						}
						stop()
					}
					if os.Getenv("TOKUMEI_BENCH_SAT") != "" {
						lat, elapsed := runLoad(b, base, kind, 200, 10, 0, 2000)
						b.ReportMetric(float64(len(lat))/elapsed.Seconds(), kind+"-max-req/s")
						b.ReportMetric(pct(lat, 0.99), kind+"-sat-p99-ms")
					}
				}
			}
		})
	}
}

// pct returns the p-quantile of lat in ms (sorting lat).
func pct(lat []time.Duration, p float64) float64 {
	slices.Sort(lat)
	return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
}

// cpuTime returns the CPU time of the process (server and clients: both
// run here, so cpu-ms/req is an upper bound on the server's cost).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// publishEvery publishes a new dataset straight into the store (as another
// server would) every interval until stop is called.
func publishEvery(ctx context.Context, b *testing.B, db *sqlstore.DB, every time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	if every <= 0 {
		close(done)
		return func() { cancel(); <-done }
	}
	bodies, err := db.Bodies(ctx, "011002")
	if err != nil || len(bodies) == 0 {
		b.Fatalf("no body to publish for: %v", err)
	}
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for i := 0; ; i++ {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			now := time.Now().UTC()
			d := platform.CatalogDataset{ID: platform.StableUUID("bench-live", strconv.FormatInt(now.UnixNano(), 10)),
				Name: fmt.Sprintf("live-%d", now.UnixNano()), Kind: platform.DatasetStatistics, Title: "新着の統計表",
				LGCode: "011002", BodyID: bodies[0].ID, LicenseID: "cc-by-4.0", State: platform.PublishPublished,
				CreatedAt: now, ModifiedAt: now, PublishedAt: &now}
			if err := db.PutCatalogDataset(ctx, &d); err != nil && ctx.Err() == nil {
				b.Errorf("publish: %v", err)
			}
		}
	}()
	return func() { cancel(); <-done }
}

func benchSQLite(tb testing.TB) *sqlstore.DB {
	db, err := sqlstore.Open(context.Background(), sqlstore.Config{DataDir: tb.TempDir()})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func benchPostgres(tb testing.TB) *sqlstore.DB {
	base := os.Getenv("TOKUMEI_TEST_POSTGRES")
	admin, err := sqlOpenPgx(base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("tk_bench_%d", time.Now().UnixNano())
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		tb.Fatal(err)
	}
	u, _ := url.Parse(base)
	u.Path = "/" + name
	db, err := sqlstore.Open(context.Background(), sqlstore.Config{URL: u.String()})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		db.Close()
		if a, err := sqlOpenPgx(base); err == nil {
			a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			a.Close()
		}
	})
	return db
}

// benchDatasets is the number of generated datasets (package_show ids).
var benchDatasets = 10000

var benchTerms = []string{"国民健康保険", "介護", "住民基本台帳", "学齢簿", "予防接種", "課税", "児童手当", "生活保護",
	"後期高齢者", "固定資産", "札幌", "横浜市", "ファイル7", "氏名", "病名", "事務", "北海道", "大阪", "福岡", "沖縄"}

// benchURL returns a request of the mix: catalogue pages (files with
// paging, filters and search; dataset lists) or CKAN searches (q, fq,
// facets, sort, deep paging, package_show).
func benchURL(rnd *rand.Rand, kind string) string {
	term := url.QueryEscape(benchTerms[rnd.IntN(len(benchTerms))])
	pref := fmt.Sprintf("%02d", 1+rnd.IntN(47))
	if kind == "pages" {
		switch rnd.IntN(5) {
		case 0:
			return fmt.Sprintf("/portal/files?page=%d", 1+rnd.IntN(2000))
		case 1:
			return fmt.Sprintf("/portal/files?pref=%s&invited=1&page=%d", pref, 1+rnd.IntN(5))
		case 2:
			return "/portal/files?q=" + term
		case 3:
			return "/portal/files?item=" + url.QueryEscape("病名") + "&special_care=yes&pref=" + pref
		default:
			return fmt.Sprintf("/datasets?page=%d", 1+rnd.IntN(150))
		}
	}
	switch rnd.IntN(5) {
	case 0:
		return fmt.Sprintf("/api/3/action/package_search?q=%s&rows=20&start=%d", term, 20*rnd.IntN(10))
	case 1:
		return fmt.Sprintf("/api/3/action/package_search?fq=groups:pref-%s&facet.field=%%5B%%22tags%%22,%%22organization%%22,%%22res_format%%22%%5D", pref)
	case 2:
		return fmt.Sprintf("/api/3/action/package_search?sort=metadata_modified+asc&rows=100&start=%d", 100*rnd.IntN(benchDatasets/100))
	case 3:
		return fmt.Sprintf("/api/3/action/package_search?q=tags:%s+%s&fq=license_id:contract", url.QueryEscape("医療"), term)
	default:
		return fmt.Sprintf("/api/3/action/package_show?id=bulk-%05d", rnd.IntN(benchDatasets))
	}
}

// runLoad runs clients goroutines (random streams chosen by seed), each sending perClient requests one
// after another with a random pause of 0.5–1.5 × think between them (0: a
// closed loop at full speed), and returns every latency.
func runLoad(b *testing.B, base, kind string, clients, perClient int, think time.Duration, seed uint64) ([]time.Duration, time.Duration) {
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	lat := make([]time.Duration, clients*perClient)
	var wg sync.WaitGroup
	var failed sync.Once
	start := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(c)+seed<<20, 42))
			for i := range perClient {
				if think > 0 {
					time.Sleep(think/2 + time.Duration(rnd.Int64N(int64(think))))
				}
				u := base + benchURL(rnd, kind)
				t0 := time.Now()
				resp, err := hc.Get(u)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				lat[c*perClient+i] = time.Since(t0)
				if err != nil || resp.StatusCode != 200 {
					failed.Do(func() { b.Errorf("%s: %v %v", u, err, resp) })
				}
			}
		}()
	}
	wg.Wait()
	return lat, time.Since(start)
}

func sqlOpenPgx(dsn string) (*sql.DB, error) { return sql.Open("pgx", dsn) }
