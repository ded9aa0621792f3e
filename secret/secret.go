// Package secret encrypts the secrets of monitoring sources (passwords,
// DSNs, API tokens) before they reach the database, with AES-256-GCM.
//
// The key is 32 random bytes. It comes from the environment variable
// ASSAY_SECRET_KEY (standard base64) when set, otherwise from the file
// DATA/secret.key (base64, mode 0600), which is created on first use.
// With PostgreSQL the database holds only ciphertext and the key still
// lives in the data folder (or the environment): back it up apart from
// the database, and give every process that serves the same database the
// same key (one shared data folder or the same ASSAY_SECRET_KEY).
//
// A sealed blob is
//
//	version (1 byte, 1) | nonce (12 random bytes) | AES-GCM ciphertext+tag
//
// and the GCM additional data names what the secrets belong to (an
// organisation and a source, see SourceAAD), so a blob copied to another
// source or organisation does not open.
package secret

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// EnvKey is the environment variable that may hold the key (base64).
const EnvKey = "ASSAY_SECRET_KEY"

// KeyFile is the key's file name in the data folder.
const KeyFile = "secret.key"

// KeySize is the key length in bytes (AES-256).
const KeySize = 32

const version1 byte = 1

// ErrOpen is returned when a blob does not open: it was changed, sealed
// with another key, or sealed for something else.
var ErrOpen = errors.New("secret: cannot open sealed secrets (wrong key, wrong owner or tampered)")

// Box seals and opens secrets with one key. It is safe for concurrent use.
type Box struct {
	aead cipher.AEAD
}

// New returns a box for a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret: key has %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	return &Box{aead: aead}, nil
}

// ParseKey decodes a base64 key (standard or URL alphabet, padded or not).
func ParseKey(s string) ([]byte, error) {
	s = string(bytes.TrimSpace([]byte(s)))
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil {
			if len(k) != KeySize {
				return nil, fmt.Errorf("secret: key has %d bytes, want %d", len(k), KeySize)
			}
			return k, nil
		}
	}
	return nil, errors.New("secret: key is not base64")
}

// SourceAAD is the additional data for a monitoring source's secrets.
func SourceAAD(orgID, sourceID int64) []byte {
	return AAD(orgID, "source:"+strconv.FormatInt(sourceID, 10))
}

// AAD is the additional data binding secrets to an organisation and a
// purpose ("source:12", "alert:3").
func AAD(orgID int64, purpose string) []byte {
	return []byte("assay-secret/v1|org:" + strconv.FormatInt(orgID, 10) + "|" + purpose)
}

// Seal encrypts m for the owner named by aad. An empty map seals too (the
// owner simply has no secrets).
func (b *Box) Seal(aad []byte, m map[string]string) ([]byte, error) {
	if m == nil {
		m = map[string]string{}
	}
	plain, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("secret: encode: %w", err)
	}
	ns := b.aead.NonceSize()
	out := make([]byte, 1+ns, 1+ns+len(plain)+b.aead.Overhead())
	out[0] = version1
	if _, err := rand.Read(out[1 : 1+ns]); err != nil {
		return nil, fmt.Errorf("secret: nonce: %w", err)
	}
	return b.aead.Seal(out, out[1:1+ns], plain, aad), nil
}

// Open decrypts a blob Seal made for the same aad. It fails with ErrOpen
// (never revealing anything about the content) when the blob was changed,
// sealed with another key or for another owner.
func (b *Box) Open(aad []byte, sealed []byte) (map[string]string, error) {
	ns := b.aead.NonceSize()
	if len(sealed) < 1+ns+b.aead.Overhead() {
		return nil, fmt.Errorf("%w: blob too short", ErrOpen)
	}
	if sealed[0] != version1 {
		return nil, fmt.Errorf("%w: unknown version %d", ErrOpen, sealed[0])
	}
	plain, err := b.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], aad)
	if err != nil {
		return nil, ErrOpen
	}
	m := map[string]string{}
	if err := json.Unmarshal(plain, &m); err != nil {
		return nil, fmt.Errorf("%w: bad content", ErrOpen)
	}
	return m, nil
}
