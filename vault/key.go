package vault

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/tokumei/tokumei/fault"
)

// KeyFile is the name of the master-key file in the data directory.
const KeyFile = "master.key"

// EnvMasterKey names the variable that may hold the master key (base64 of
// 32 bytes); it takes precedence over the key file.
const EnvMasterKey = "TOKUMEI_MASTER_KEY"

// LoadMasterKey returns the master key: from value (the content of
// TOKUMEI_MASTER_KEY) when set, else from dataDir/master.key. When neither
// exists and create is true, a random key is written to the file (mode 0600)
// and created reports it. Servers sharing one PostgreSQL database must use
// the same key: pass create=false there.
func LoadMasterKey(value, dataDir string, create bool) (key []byte, created bool, err error) {
	if value != "" {
		key, err := decodeKey(value)
		return key, false, err
	}
	path := filepath.Join(dataDir, KeyFile)
	b, err := os.ReadFile(path)
	if err == nil {
		key, err := decodeKey(string(b))
		if err != nil {
			e := err.(*fault.Error)
			return nil, false, e.At(path, 1, 0)
		}
		return key, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, false, fault.Errorf(fault.Unavailable, "cannot read the master key file %s", path).Wrap(err)
	}
	if !create {
		return nil, false, fault.New(fault.Invalid,
			"no master key: set TOKUMEI_MASTER_KEY (base64 of 32 bytes) or put "+KeyFile+" in the data directory",
			"マスター鍵がありません。TOKUMEI_MASTER_KEY を設定するか、データディレクトリに "+KeyFile+" を置いてください").In(EnvMasterKey)
	}
	key = make([]byte, 32)
	rand.Read(key)
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, false, fault.Errorf(fault.Unavailable, "cannot create %s", dataDir).Wrap(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, false, fault.Errorf(fault.Unavailable, "cannot create the master key file %s", path).Wrap(err)
	}
	defer f.Close()
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		return nil, false, fault.Errorf(fault.Unavailable, "cannot write the master key file %s", path).Wrap(err)
	}
	return key, true, f.Sync()
}

func decodeKey(s string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(key) != 32 {
		return nil, fault.New(fault.Invalid, "the master key must be base64 of 32 bytes", "マスター鍵は32バイトをbase64で表したものです").In(EnvMasterKey)
	}
	return key, nil
}

// NewKey returns a fresh master key in base64, for operators.
func NewKey() string {
	key := make([]byte, 32)
	rand.Read(key)
	return base64.StdEncoding.EncodeToString(key)
}
