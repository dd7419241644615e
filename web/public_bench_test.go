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
	"sync"
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
//	go test ./web -run '^$' -bench PublicCatalog -benchtime=1x -timeout 30m
//
// It reports p50/p99 latency (ms) and throughput for pages and for CKAN.
func BenchmarkPublicCatalog(b *testing.B) {
	dbs := map[string]func(testing.TB) *sqlstore.DB{"sqlite": benchSQLite}
	if os.Getenv("TOKUMEI_TEST_POSTGRES") != "" {
		dbs["postgres"] = benchPostgres
	}
	for _, name := range []string{"sqlite", "postgres"} {
		open, ok := dbs[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) {
			db := open(b)
			ctx := context.Background()
			start := time.Now()
			nLG, nDS := 2000, 10000
			if os.Getenv("TOKUMEI_BENCH_SMALL") != "" { // for profiling only
				nLG, nDS = 300, 2000
			}
			benchDatasets = nDS
			if err := ckantest.Bulk(ctx, db, nLG, 50, nDS); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: loaded 2,000 LGs × 50 files, 10,000 datasets in %v", name, time.Since(start))
			s, err := New(Deps{Store: db, Services: &platform.Services{Store: db}, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				b.Fatal(err)
			}
			start = time.Now()
			if _, err := s.catalog().Index(ctx); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: index built in %v", name, time.Since(start))
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			hs := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
			go hs.Serve(ln)
			defer hs.Close()
			srv := struct{ URL string }{"http://" + ln.Addr().String()}
			for _, kind := range []string{"pages", "ckan"} { // one client: the cost of a request without queueing
				lat, _ := runLoad(b, srv.URL, kind, 1, 100, 0)
				slices.Sort(lat)
				b.Logf("%s: one client: p50 %v, p99 %v", kind, lat[50], lat[98])
			}
			b.ResetTimer()
			for range b.N {
				for _, kind := range []string{"pages", "ckan"} {
					// 200 users, each reading a page about once a second.
					lat, _ := runLoad(b, srv.URL, kind, 200, 15, time.Second)
					slices.Sort(lat)
					q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
					b.ReportMetric(q(0.50), kind+"-p50-ms")
					b.ReportMetric(q(0.99), kind+"-p99-ms")
					// Saturation: 200 clients sending back to back.
					lat, elapsed := runLoad(b, srv.URL, kind, 200, 10, 0)
					slices.Sort(lat)
					b.ReportMetric(float64(len(lat))/elapsed.Seconds(), kind+"-max-req/s")
					b.ReportMetric(q(0.99), kind+"-sat-p99-ms")
				}
			}
		})
	}
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

// runLoad runs clients goroutines, each sending perClient requests one
// after another with a random pause of 0.5–1.5 × think between them (0: a
// closed loop at full speed), and returns every latency.
func runLoad(b *testing.B, base, kind string, clients, perClient int, think time.Duration) ([]time.Duration, time.Duration) {
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
			rnd := rand.New(rand.NewPCG(uint64(c), 42))
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
