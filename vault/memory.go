package vault

import (
	"context"
	"sync"
	"time"

	"github.com/tokumei/tokumei/fault"
)

// Memory is a Backend in memory, for tests and tools.
type Memory struct {
	mu       sync.Mutex
	objects  map[string]*Object
	segments map[string]map[int64][]byte
}

// NewMemory returns an empty in-memory backend.
func NewMemory() *Memory {
	return &Memory{objects: map[string]*Object{}, segments: map[string]map[int64][]byte{}}
}

func (m *Memory) CreateVaultObject(_ context.Context, o *Object) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := *o
	m.objects[o.ID] = &c
	m.segments[o.ID] = map[int64][]byte{}
	return nil
}

func (m *Memory) PutVaultSegment(_ context.Context, id string, n int64, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.segments[id][n] = append([]byte(nil), data...)
	return nil
}

func (m *Memory) CompleteVaultObject(_ context.Context, id, sha string, size, segments int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	o := m.objects[id]
	o.SHA256, o.Size, o.Segments, o.Complete = sha, size, segments, true
	return nil
}

func (m *Memory) VaultObject(_ context.Context, id string) (*Object, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.objects[id]
	if !ok {
		return nil, fault.New(fault.NotFound, "vault object not found", "ファイルが見つかりません")
	}
	c := *o
	return &c, nil
}

func (m *Memory) VaultSegment(_ context.Context, id string, n int64) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.segments[id][n]
	if !ok {
		return nil, fault.New(fault.NotFound, "vault segment not found", "ファイルが見つかりません")
	}
	return b, nil
}

func (m *Memory) DeleteVaultObject(_ context.Context, id string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.objects[id]
	if !ok {
		return fault.New(fault.NotFound, "vault object not found", "ファイルが見つかりません")
	}
	o.WrappedKey, o.DeletedAt = nil, &at
	delete(m.segments, id)
	return nil
}

// Segments returns the stored ciphertext segments of id (tests tamper with them).
func (m *Memory) Segments(id string) map[int64][]byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.segments[id]
}

// Objects returns the ids of every object, deleted ones included.
func (m *Memory) Objects() map[string]bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids := map[string]bool{}
	for id := range m.objects {
		ids[id] = true
	}
	return ids
}
