package web

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// wrkLoad drives the server at base with wrk (a C load generator in its own
// process, as `wrk -c200` is the usual reading of "200 concurrent clients"):
// 200 connections back to back for d, over the same request mix as runLoad
// (2,000 URLs of kind from benchURL). It returns wrk's p99 in ms and the
// requests per second; ok is false when wrk is not installed
// (TOKUMEI_BENCH_WRK=1 asks for this phase; Debian's package is wrk).
func wrkLoad(b *testing.B, base, kind string, d time.Duration, seed uint64) (p99, rps float64, ok bool) {
	bin, err := exec.LookPath("wrk")
	if err != nil {
		b.Logf("wrk not installed (apt-get install wrk): the wrk phase is skipped")
		return 0, 0, false
	}
	var script bytes.Buffer
	script.WriteString("local paths = {\n")
	rnd := rand.New(rand.NewPCG(seed, 42))
	for range 2000 {
		// benchURL escapes its query values, so a path holds no quote or backslash.
		fmt.Fprintf(&script, "  %q,\n", benchURL(rnd, kind))
	}
	script.WriteString("}\nlocal i = math.random(#paths)\n" +
		"request = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n")
	path := filepath.Join(b.TempDir(), kind+".lua")
	if err := os.WriteFile(path, script.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	out, err := exec.Command(bin, "-t2", "-c200", "-d"+d.String(), "--latency", "-s", path, base).CombinedOutput()
	if err != nil {
		b.Fatalf("wrk: %v\n%s", err, out)
	}
	p99, rps, bad, err := parseWrk(out)
	if err != nil || bad > 0 {
		b.Fatalf("wrk: %v, %d responses not 2xx/3xx\n%s", err, bad, out)
	}
	return p99, rps, true
}

// parseWrk reads the 99 % latency (in ms), the requests per second and the
// count of non-2xx/3xx responses from wrk --latency output.
func parseWrk(out []byte) (p99, rps float64, bad int, err error) {
	p99, rps = -1, -1
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "99%":
			d, perr := time.ParseDuration(f[1])
			if perr != nil {
				return 0, 0, 0, fmt.Errorf("99%% latency %q: %w", f[1], perr)
			}
			p99 = float64(d.Microseconds()) / 1000
		case len(f) == 2 && f[0] == "Requests/sec:":
			rps, _ = strconv.ParseFloat(f[1], 64)
		case len(f) == 5 && f[0] == "Non-2xx":
			bad, _ = strconv.Atoi(f[4])
		}
	}
	if p99 < 0 || rps < 0 {
		return 0, 0, 0, fmt.Errorf("no latency distribution in wrk's output")
	}
	return p99, rps, bad, nil
}

func TestParseWrk(t *testing.T) {
	out := []byte(`Running 15s test @ http://127.0.0.1:40000
  2 threads and 200 connections
  Latency Distribution
     50%  610.00us
     75%    1.20ms
     90%    4.51ms
     99%   23.47ms
  171234 requests in 15.00s, 1.90GB read
  Non-2xx or 3xx responses: 3
Requests/sec:  11415.52
Transfer/sec:    129.80MB
`)
	p99, rps, bad, err := parseWrk(out)
	if err != nil || p99 != 23.47 || rps != 11415.52 || bad != 3 {
		t.Fatalf("parseWrk = %v, %v, %v, %v", p99, rps, bad, err)
	}
	if _, _, _, err := parseWrk([]byte("connection refused")); err == nil {
		t.Fatal("output without a latency distribution must be an error")
	}
}
