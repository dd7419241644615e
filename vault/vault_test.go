package vault_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/vault"
)

var ctx = context.Background()

func key(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func newVault(t testing.TB, m vault.Backend, k []byte) *vault.Vault {
	t.Helper()
	v, err := vault.New(m, k)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func data(n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(uint64(n), 7))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func readAll(v *vault.Vault, id string) ([]byte, error) {
	rc, err := v.Open(ctx, id)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func TestRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, vault.SegmentSize - 1, vault.SegmentSize, vault.SegmentSize + 1, 3*vault.SegmentSize + 17} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			m := vault.NewMemory()
			v := newVault(t, m, key(1))
			in := data(n)
			obj, err := v.Put(ctx, "extract.csv", bytes.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(in)
			if obj.Size != int64(n) || obj.SHA256 != hex.EncodeToString(sum[:]) || obj.Name != "extract.csv" {
				t.Fatalf("object %+v", obj)
			}
			wantSegs := n/vault.SegmentSize + 1
			if n > 0 && n%vault.SegmentSize == 0 {
				wantSegs = n / vault.SegmentSize
			}
			if got := len(m.Segments(obj.ID)); got != wantSegs {
				t.Errorf("%d segments, want %d", got, wantSegs)
			}
			for _, seg := range m.Segments(obj.ID) {
				if n >= 16 && bytes.Contains(seg, in[:16]) {
					t.Fatal("clear text stored")
				}
			}
			out, err := readAll(v, obj.ID)
			if err != nil || !bytes.Equal(out, in) {
				t.Fatalf("round trip: %d bytes, %v", len(out), err)
			}
		})
	}
}

func TestTamperAndTruncation(t *testing.T) {
	n := 3*vault.SegmentSize + 100 // 4 segments
	cases := []struct {
		name string
		do   func(segs map[int64][]byte, other map[int64][]byte)
		want string
	}{
		{"flip a byte", func(s, _ map[int64][]byte) { s[1][10] ^= 1 }, "segment 1 altered"},
		{"flip the tag", func(s, _ map[int64][]byte) { s[3][len(s[3])-1] ^= 1 }, "segment 3 altered"},
		{"swap segments", func(s, _ map[int64][]byte) { s[0], s[1] = s[1], s[0] }, "segment 0 altered"},
		{"drop last segment", func(s, _ map[int64][]byte) { delete(s, 3) }, "truncated"},
		{"drop middle segment", func(s, _ map[int64][]byte) { delete(s, 2) }, "truncated"},
		{"cut last segment", func(s, _ map[int64][]byte) { s[3] = s[3][:20] }, "segment 3 altered"},
		{"segment from another file", func(s, o map[int64][]byte) { s[1] = o[1] }, "segment 1 altered"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := vault.NewMemory()
			v := newVault(t, m, key(1))
			obj, _ := v.Put(ctx, "a", bytes.NewReader(data(n)))
			other, _ := v.Put(ctx, "b", bytes.NewReader(data(n)))
			c.do(m.Segments(obj.ID), m.Segments(other.ID))
			_, err := readAll(v, obj.ID)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("read after %s: %v, want error containing %q", c.name, err, c.want)
			}
		})
	}
}

// A file whose length is an exact number of segments, cut after a whole
// segment, is still detected (the remaining last segment is not final).
func TestTruncationAtSegmentBoundary(t *testing.T) {
	m := vault.NewMemory()
	v := newVault(t, m, key(1))
	obj, _ := v.Put(ctx, "a", bytes.NewReader(data(2*vault.SegmentSize)))
	delete(m.Segments(obj.ID), 1)
	if _, err := readAll(v, obj.ID); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("got %v", err)
	}
}

func TestWrongMasterKey(t *testing.T) {
	m := vault.NewMemory()
	obj, err := newVault(t, m, key(1)).Put(ctx, "a", strings.NewReader("secret"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = newVault(t, m, key(2)).Open(ctx, obj.ID)
	if fault.ErrorCode(err) != fault.Unavailable || !strings.Contains(err.Error(), "another master key") {
		t.Fatalf("open with wrong master key: %v", err)
	}
	if _, err := vault.New(m, []byte("short")); fault.ErrorCode(err) != fault.Invalid {
		t.Fatalf("short key: %v", err)
	}
}

func TestDelete(t *testing.T) {
	m := vault.NewMemory()
	v := newVault(t, m, key(1))
	obj, _ := v.Put(ctx, "a", strings.NewReader("secret"))
	if err := v.Delete(ctx, obj.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Open(ctx, obj.ID); fault.ErrorCode(err) != fault.NotFound {
		t.Fatalf("open deleted: %v", err)
	}
	o, _ := m.VaultObject(ctx, obj.ID)
	if o.WrappedKey != nil || o.DeletedAt == nil || len(m.Segments(obj.ID)) != 0 {
		t.Fatalf("after delete: key %v, deleted %v, %d segments", o.WrappedKey, o.DeletedAt, len(m.Segments(obj.ID)))
	}
}

func TestLoadMasterKey(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := vault.LoadMasterKey("", dir, false); fault.ErrorCode(err) != fault.Invalid {
		t.Fatalf("no key, no create: %v", err)
	}
	k1, created, err := vault.LoadMasterKey("", dir, true)
	if err != nil || !created || len(k1) != 32 {
		t.Fatalf("create: %v %v", created, err)
	}
	st, _ := os.Stat(filepath.Join(dir, vault.KeyFile))
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", st.Mode())
	}
	k2, created, _ := vault.LoadMasterKey("", dir, true)
	if created || !bytes.Equal(k1, k2) {
		t.Error("second load did not read the same key")
	}
	env := vault.NewKey()
	k3, _, err := vault.LoadMasterKey(env, dir, true)
	if err != nil || bytes.Equal(k3, k1) {
		t.Errorf("env key: %v", err)
	}
	if _, _, err := vault.LoadMasterKey("bm90IDMyIGJ5dGVz", dir, true); fault.ErrorCode(err) != fault.Invalid {
		t.Errorf("bad env key: %v", err)
	}
}

// dirBackend keeps segments in files, so large streams do not sit in memory.
type dirBackend struct {
	*vault.Memory // metadata only
	dir           string
	peak          atomic.Uint64
}

func (d *dirBackend) sample() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.HeapAlloc > d.peak.Load() {
		d.peak.Store(ms.HeapAlloc)
	}
}

func (d *dirBackend) path(id string, n int64) string {
	return filepath.Join(d.dir, id+"."+strconv.FormatInt(n, 10))
}

func (d *dirBackend) PutVaultSegment(_ context.Context, id string, n int64, b []byte) error {
	if n%64 == 0 {
		d.sample()
	}
	return os.WriteFile(d.path(id, n), b, 0o600)
}

func (d *dirBackend) VaultSegment(_ context.Context, id string, n int64) ([]byte, error) {
	if n%64 == 0 {
		d.sample()
	}
	b, err := os.ReadFile(d.path(id, n))
	if os.IsNotExist(err) {
		return nil, fault.New(fault.NotFound, "no segment", "なし")
	}
	return b, err
}

// stream is a reader of left generated bytes that allocates nothing.
type stream struct{ left int64 }

func (s *stream) Read(p []byte) (int, error) {
	if s.left == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > s.left {
		p = p[:s.left]
	}
	for i := range p {
		p[i] = byte(s.left - int64(i))
	}
	s.left -= int64(len(p))
	return len(p), nil
}

func TestMemoryBounded(t *testing.T) {
	const size = 128 << 20
	d := &dirBackend{Memory: vault.NewMemory(), dir: t.TempDir()}
	v := newVault(t, d, key(1))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	obj, err := v.Put(ctx, "big", &stream{left: size})
	if err != nil || obj.Size != size {
		t.Fatalf("put: %v", err)
	}
	rc, _ := v.Open(ctx, obj.ID)
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil || n != size || hex.EncodeToString(h.Sum(nil)) != obj.SHA256 {
		t.Fatalf("read back %d bytes: %v", n, err)
	}
	growth := int64(d.peak.Load()) - int64(base)
	t.Logf("heap growth while streaming %d MiB: %d KiB", size>>20, growth>>10)
	if growth > 24<<20 {
		t.Fatalf("heap grew by %d MiB while streaming %d MiB: not bounded", growth>>20, size>>20)
	}
}

// discard keeps no segments: BenchmarkPut measures the vault, not a disk.
type discard struct{ *vault.Memory }

func (discard) PutVaultSegment(context.Context, string, int64, []byte) error { return nil }

func BenchmarkPut(b *testing.B) {
	const size = 64 << 20
	v := newVault(b, discard{vault.NewMemory()}, key(1))
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Put(ctx, "big", &stream{left: size}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	const size = 64 << 20
	d := &dirBackend{Memory: vault.NewMemory(), dir: b.TempDir()}
	v := newVault(b, d, key(1))
	obj, _ := v.Put(ctx, "big", &stream{left: size})
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		rc, _ := v.Open(ctx, obj.ID)
		if _, err := io.Copy(io.Discard, rc); err != nil {
			b.Fatal(err)
		}
	}
}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, io.ErrClosedPipe
	}
	n := min(len(p), f.n)
	f.n -= n
	return n, nil
}

// A failed upload leaves no ciphertext and no key behind.
func TestPutFailureCleansUp(t *testing.T) {
	m := vault.NewMemory()
	v := newVault(t, m, key(1))
	_, err := v.Put(ctx, "a", &failingReader{n: 3 * vault.SegmentSize})
	if fault.ErrorCode(err) != fault.Invalid {
		t.Fatalf("put from a failing reader: %v", err)
	}
	if len(m.Objects()) != 1 {
		t.Fatalf("%d objects recorded", len(m.Objects()))
	}
	for id := range m.Objects() {
		o, _ := m.VaultObject(ctx, id)
		if o.WrappedKey != nil || o.DeletedAt == nil || len(m.Segments(id)) != 0 {
			t.Fatalf("partial object left: key %v, deleted %v, %d segments", o.WrappedKey != nil, o.DeletedAt, len(m.Segments(id)))
		}
	}
}
