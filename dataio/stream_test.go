package dataio

import (
	"bytes"
	"io"
	"runtime"
	"strconv"
	"testing"

	"github.com/tokumei/tokumei/jp"
)

// genCSV produces a CP932 CSV of n data rows on the fly, never holding it.
type genCSV struct {
	n, i int
	buf  []byte
}

func (g *genCSV) Read(p []byte) (int, error) {
	for len(g.buf) == 0 {
		if g.i > g.n {
			return 0, io.EOF
		}
		var line string
		if g.i == 0 {
			line = "番号,市区町村コード,町丁目,発生年月日,被害者の年齢,備考\r\n"
		} else {
			line = strconv.Itoa(g.i) + ",271284,千日前２丁目,2018-0" + strconv.Itoa(1+g.i%9) + "-15,50歳代,\"施錠した、～駐輪場\"\r\n"
		}
		b, err := jp.Encode(line, jp.CP932)
		if err != nil {
			panic(err)
		}
		g.buf = b
		g.i++
	}
	n := copy(p, g.buf)
	g.buf = g.buf[n:]
	return n, nil
}

// TestStreamingMemory reads about 40 MB of CP932 CSV and checks that the
// live heap (measured after a GC) does not grow with what has been read.
func TestStreamingMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 40 MB")
	}
	const rows = 500_000
	liveHeap := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	r, err := NewReader(&genCSV{n: rows}, "gen.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Encoding().Name != jp.CP932 {
		t.Fatalf("encoding %v", r.Encoding())
	}
	base := liveHeap()
	peak, n := uint64(0), 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		if rec[2] != "千日前２丁目" {
			t.Fatalf("row %d: %q", n, rec)
		}
		if n%50_000 == 0 {
			peak = max(peak, liveHeap())
		}
	}
	if n != rows {
		t.Errorf("%d rows, want %d", n, rows)
	}
	t.Logf("live heap %d KiB before, at most %d KiB while streaming", base>>10, peak>>10)
	if peak > base+4<<20 {
		t.Errorf("live heap grew from %d KiB to %d KiB while streaming", base>>10, peak>>10)
	}
}

func BenchmarkReadCP932(b *testing.B) {
	data, err := io.ReadAll(&genCSV{n: 100_000})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data), "gen.csv", Options{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := r.Read(); err != nil {
				break
			}
		}
	}
}

func BenchmarkWriteCP932(b *testing.B) {
	row := []string{"1", "271284", "千日前２丁目", "2018-01-15", "50歳代", "施錠した、～駐輪場"}
	b.ReportAllocs()
	for b.Loop() {
		w, _ := NewWriter(io.Discard, WriteOptions{Encoding: "cp932"})
		for range 10_000 {
			w.Write(row)
		}
		w.Commit()
	}
}
