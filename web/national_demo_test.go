package web

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tokumei/tokumei/demo"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/sqlstore/sqlstoretest"
)

// TestDemoNationalView: the demo's national view lists all 47 prefectures
// and 1,741 municipalities (no designated-city wards), in HTML and CSV.
func TestDemoNationalView(t *testing.T) {
	ctx := context.Background()
	db := sqlstoretest.SQLite(t)
	svc := &platform.Services{Store: db, Now: time.Now}
	if _, _, err := demo.Seed(ctx, svc); err != nil {
		t.Fatal(err)
	}
	s, err := New(Deps{Store: db, Services: svc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	f := &fixture{t: t, srv: srv}
	st, csv := f.anon().get("/national.csv")
	if st != 200 {
		t.Fatalf("national.csv: %d", st)
	}
	prefs, munis := 0, 0
	for _, line := range strings.Split(strings.TrimSpace(csv), "\r\n")[1:] {
		code := line[:6]
		switch {
		case strings.HasSuffix(code[2:5], "000"):
			prefs++
		default:
			munis++
		}
	}
	if prefs != 47 || munis != 1741 {
		t.Fatalf("demo national view: %d prefectures, %d municipalities; want 47 and 1,741", prefs, munis)
	}
	st, page := f.anon().get("/national")
	if st != 200 || strings.Count(page, "<tr><td>") != 47+1741 || !strings.Contains(page, "札幌市") {
		t.Fatalf("national page: %d, %d rows", st, strings.Count(page, "<tr><td>"))
	}
}
