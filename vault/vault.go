// Package vault stores files encrypted: source extracts from local
// governments, outputs, processing-method information. It implements
// platform.Vault.
//
// Format. Each file gets a fresh random 256-bit key. The file key is
// wrapped (AES-256-GCM, random nonce, the object id as associated data) by
// the master key from configuration; the wrapped key records the master
// key's id so a wrong master key is reported as such. The clear text is cut
// into segments of SegmentSize (64 KiB) bytes, each sealed with AES-256-GCM
// under the file key with the 12-byte nonce
//
//	zero (3 bytes) ‖ segment index (8 bytes, big endian) ‖ final flag (1 byte)
//
// and the object id as associated data (the STREAM construction). A segment
// moved to another place or another file fails to open (index and id are
// authenticated); a file cut short fails because its last remaining segment
// is not marked final; an empty file is one empty final segment. Put and
// Open hold two segments in memory, whatever the file size.
//
// Storage. Segments and wrapped keys live in a Backend; the production one
// is the database (package sqlstore): several servers on one PostgreSQL
// database then share the files without a shared disk, a backup of the
// database holds everything, and deletion is a transaction. Delete removes
// the segments and the wrapped key (crypto-shredding: without the key, any
// copy of the segments left in old backups cannot be read) and keeps the
// metadata with its deletion time.
//
// vault imports platform (for the interface it implements), fault and the
// standard library.
package vault

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

// SegmentSize is the clear-text size of a segment.
const SegmentSize = 64 << 10

// Object is a stored object as the backend keeps it.
type Object struct {
	platform.VaultObject
	WrappedKey []byte // nil once deleted
	Segments   int64
	Complete   bool // all segments written
}

// Backend keeps objects and their ciphertext segments. Object returns
// fault.NotFound for an unknown id.
type Backend interface {
	CreateVaultObject(ctx context.Context, o *Object) error
	PutVaultSegment(ctx context.Context, id string, n int64, data []byte) error
	CompleteVaultObject(ctx context.Context, id, sha256 string, size, segments int64) error
	VaultObject(ctx context.Context, id string) (*Object, error)
	VaultSegment(ctx context.Context, id string, n int64) ([]byte, error)
	// DeleteVaultObject removes the segments and the wrapped key and sets DeletedAt.
	DeleteVaultObject(ctx context.Context, id string, at time.Time) error
}

// Vault encrypts into a Backend under a master key.
type Vault struct {
	backend Backend
	master  cipher.AEAD
	keyID   []byte // 8 bytes identifying the master key
	Now     func() time.Time
}

var _ platform.Vault = (*Vault)(nil)

// New returns a vault over backend with a 32-byte master key.
func New(backend Backend, masterKey []byte) (*Vault, error) {
	if len(masterKey) != 32 {
		return nil, fault.New(fault.Invalid, "the master key must be 32 bytes", "マスター鍵は32バイトです").In("TOKUMEI_MASTER_KEY")
	}
	aead, err := newAEAD(masterKey)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(append([]byte("tokumei-vault-key-id:"), masterKey...))
	return &Vault{backend: backend, master: aead, keyID: sum[:8], Now: time.Now}, nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// wrap seals the file key: version(1) ‖ key id(8) ‖ nonce(12) ‖ sealed key.
func (v *Vault) wrap(id string, fileKey []byte) []byte {
	out := append([]byte{1}, v.keyID...)
	nonce := make([]byte, v.master.NonceSize())
	rand.Read(nonce)
	out = append(out, nonce...)
	return v.master.Seal(out, nonce, fileKey, []byte("key:"+id))
}

var errWrongMaster = fault.New(fault.Unavailable,
	"the vault object was encrypted under another master key (check TOKUMEI_MASTER_KEY or the key file)",
	"保管ファイルは別のマスター鍵で暗号化されています（鍵の設定を確認してください）")

func (v *Vault) unwrap(id string, w []byte) ([]byte, error) {
	ns := v.master.NonceSize()
	if len(w) < 1+8+ns || w[0] != 1 {
		return nil, fault.Errorf(fault.Internal, "vault object %s: bad wrapped key", id)
	}
	if string(w[1:9]) != string(v.keyID) {
		return nil, errWrongMaster
	}
	key, err := v.master.Open(nil, w[9:9+ns], w[9+ns:], []byte("key:"+id))
	if err != nil {
		return nil, fault.Errorf(fault.Internal, "vault object %s: wrapped key altered", id).Wrap(err)
	}
	return key, nil
}

func segmentNonce(n int64, final bool) []byte {
	nonce := make([]byte, 12)
	binary.BigEndian.PutUint64(nonce[3:11], uint64(n))
	if final {
		nonce[11] = 1
	}
	return nonce
}

func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Put encrypts r under a fresh key, segment by segment.
func (v *Vault) Put(ctx context.Context, name string, r io.Reader) (*platform.VaultObject, error) {
	fileKey := make([]byte, 32)
	rand.Read(fileKey)
	aead, err := newAEAD(fileKey)
	if err != nil {
		return nil, err
	}
	o := &Object{VaultObject: platform.VaultObject{ID: newID(), Name: name, CreatedAt: v.Now().UTC()}}
	o.WrappedKey = v.wrap(o.ID, fileKey)
	if err := v.backend.CreateVaultObject(ctx, o); err != nil {
		return nil, err
	}
	obj, err := v.write(ctx, o, aead, r)
	if err != nil {
		// Leave no partial ciphertext behind (the object stays, deleted).
		v.backend.DeleteVaultObject(context.WithoutCancel(ctx), o.ID, v.Now().UTC())
		return nil, err
	}
	return obj, nil
}

// write stores the segments of r and completes the object.
func (v *Vault) write(ctx context.Context, o *Object, aead cipher.AEAD, r io.Reader) (*platform.VaultObject, error) {
	h := sha256.New()
	cur, next := make([]byte, SegmentSize), make([]byte, SegmentSize)
	out := make([]byte, 0, SegmentSize+aead.Overhead())
	cn, err := readFull(r, cur)
	if err != nil {
		return nil, err
	}
	var n, size int64
	for {
		nn := 0
		if cn == SegmentSize {
			if nn, err = readFull(r, next); err != nil {
				return nil, err
			}
		}
		final := nn == 0
		h.Write(cur[:cn])
		size += int64(cn)
		out = aead.Seal(out[:0], segmentNonce(n, final), cur[:cn], []byte(o.ID))
		if err := v.backend.PutVaultSegment(ctx, o.ID, n, out); err != nil {
			return nil, err
		}
		n++
		if final {
			break
		}
		cur, next, cn = next, cur, nn
	}
	o.SHA256, o.Size = hex.EncodeToString(h.Sum(nil)), size
	if err := v.backend.CompleteVaultObject(ctx, o.ID, o.SHA256, size, n); err != nil {
		return nil, err
	}
	obj := o.VaultObject
	return &obj, nil
}

// readFull reads until buf is full or the input ends.
func readFull(r io.Reader, buf []byte) (int, error) {
	n, err := io.ReadFull(r, buf)
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return n, nil
	}
	if err != nil {
		return n, fault.Errorf(fault.Invalid, "reading the file to store failed").Wrap(err)
	}
	return n, nil
}

// Stat returns the metadata of an object (deleted ones included).
func (v *Vault) Stat(ctx context.Context, id string) (*platform.VaultObject, error) {
	o, err := v.backend.VaultObject(ctx, id)
	if err != nil {
		return nil, err
	}
	obj := o.VaultObject
	return &obj, nil
}

// Open returns a reader of the clear text. Reading fails with an error
// when a segment was altered, moved, or the file cut short.
func (v *Vault) Open(ctx context.Context, id string) (io.ReadCloser, error) {
	o, err := v.backend.VaultObject(ctx, id)
	if err != nil {
		return nil, err
	}
	if o.DeletedAt != nil || o.WrappedKey == nil {
		return nil, fault.New(fault.NotFound, "the file was deleted", "このファイルは削除されています").In("vault_object")
	}
	if !o.Complete {
		return nil, fault.New(fault.NotFound, "the file was not stored completely", "このファイルは保存が完了していません").In("vault_object")
	}
	key, err := v.unwrap(id, o.WrappedKey)
	if err != nil {
		return nil, err
	}
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	return &reader{ctx: ctx, v: v, id: id, aead: aead}, nil
}

// Delete destroys the ciphertext and the wrapped key.
func (v *Vault) Delete(ctx context.Context, id string) error {
	return v.backend.DeleteVaultObject(ctx, id, v.Now().UTC())
}

type reader struct {
	ctx   context.Context
	v     *Vault
	id    string
	aead  cipher.AEAD
	n     int64
	buf   []byte
	clear []byte
	done  bool
	err   error
}

func (r *reader) Read(p []byte) (int, error) {
	for len(r.clear) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if r.done {
			return 0, io.EOF
		}
		r.err = r.next()
	}
	n := copy(p, r.clear)
	r.clear = r.clear[n:]
	return n, nil
}

// next opens segment r.n, accepting it as final or not.
func (r *reader) next() error {
	ct, err := r.v.backend.VaultSegment(r.ctx, r.id, r.n)
	if fault.ErrorCode(err) == fault.NotFound {
		return fault.Errorf(fault.Internal, "vault object %s: truncated (segment %d missing, no final segment seen)", r.id, r.n)
	}
	if err != nil {
		return err
	}
	for _, final := range []bool{false, true} {
		clear, err := r.aead.Open(r.buf[:0], segmentNonce(r.n, final), ct, []byte(r.id))
		if err == nil {
			r.buf, r.clear, r.done = clear, clear, final
			r.n++
			return nil
		}
	}
	return fault.Errorf(fault.Internal, "vault object %s: segment %d altered or out of place", r.id, r.n)
}

func (r *reader) Close() error { r.err = errors.New("vault: reader closed"); return nil }

// WithBackend returns the vault over another backend under the same master
// key, e.g. a store bound to the transaction that seeds the demo data.
func (v *Vault) WithBackend(b Backend) *Vault {
	c := *v
	c.backend = b
	return &c
}
