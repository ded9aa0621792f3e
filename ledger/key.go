package ledger

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// KeyFile is the name of the signing key in the data folder.
const KeyFile = "ledger.key"

// OriginPrefix starts every Assay ledger's name; a random installation id
// follows it.
const OriginPrefix = "assay.ledger/"

// Key signs checkpoints. Its name is the ledger's origin line,
// "assay.ledger/<installation id>".
type Key struct {
	signer   note.Signer
	verifier note.Verifier
	// VerifierKey is the public key in note form (name+hash+base64 key):
	// what auditors are given to check checkpoints.
	VerifierKey string
}

// Origin is the checkpoints' origin line: the key's name.
func (k *Key) Origin() string { return k.signer.Name() }

// Verifier checks signatures made by the key.
func (k *Key) Verifier() note.Verifier { return k.verifier }

// Sign returns the signed checkpoint note for a tree, signed at the time.
func (k *Key) Sign(t Tree, at time.Time) (string, error) {
	msg, err := note.Sign(&note.Note{Text: CheckpointText(k.Origin(), t, at)}, k.signer)
	if err != nil {
		return "", fmt.Errorf("sign checkpoint: %w", err)
	}
	return string(msg), nil
}

// NewKey makes a key for a new installation and returns it with its
// private form (to be kept secret).
func NewKey() (*Key, string, error) {
	var id [8]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, "", err
	}
	skey, _, err := note.GenerateKey(rand.Reader, OriginPrefix+hex.EncodeToString(id[:]))
	if err != nil {
		return nil, "", fmt.Errorf("generate ledger key: %w", err)
	}
	k, err := ParseKey(skey)
	return k, skey, err
}

// ParseKey reads a private key in note form (PRIVATE+KEY+name+hash+key).
func ParseKey(skey string) (*Key, error) {
	skey = strings.TrimSpace(skey)
	signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("ledger key: %w", err)
	}
	// The public half: the key is alg byte 1 (ed25519) and the 32-byte seed.
	// (base64 may itself contain "+", so split off the first four fields only).
	parts := strings.SplitN(skey, "+", 5)
	raw, err := base64.StdEncoding.DecodeString(parts[len(parts)-1])
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return nil, errors.New("ledger key: not an ed25519 key")
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(signer.Name(), pub)
	if err != nil {
		return nil, err
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, err
	}
	return &Key{signer: signer, verifier: verifier, VerifierKey: vkey}, nil
}

// LoadKey reads the key from the data folder.
func LoadKey(dir string) (*Key, error) {
	b, err := os.ReadFile(filepath.Join(dir, KeyFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no ledger key in %s: it is made the first time `assay serve` starts there", dir)
	} else if err != nil {
		return nil, fmt.Errorf("read ledger key: %w", err)
	}
	return ParseKey(string(b))
}

// LoadOrCreateKey reads the key from the data folder, making it (with
// permissions 0600) on first use.
func LoadOrCreateKey(dir string) (k *Key, created bool, err error) {
	k, err = LoadKey(dir)
	if err == nil {
		return k, false, nil
	}
	if _, statErr := os.Stat(filepath.Join(dir, KeyFile)); !errors.Is(statErr, fs.ErrNotExist) {
		return nil, false, err
	}
	k, skey, err := NewKey()
	if err != nil {
		return nil, false, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, fmt.Errorf("create data folder: %w", err)
	}
	// Written whole to a temporary file, then linked into place: the key
	// file is never partial, and of two processes starting together the
	// first one's key wins.
	tmp, err := writeTemp(dir, ".ledger.key-*", []byte(skey+"\n"))
	if err != nil {
		return nil, false, fmt.Errorf("write ledger key: %w", err)
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, filepath.Join(dir, KeyFile)); errors.Is(err, fs.ErrExist) {
		k, err = LoadKey(dir)
		return k, false, err
	} else if err != nil {
		return nil, false, fmt.Errorf("write ledger key: %w", err)
	}
	return k, true, nil
}

// writeTemp writes data to a new file in dir (mode 0600), synced to disk,
// and returns its path.
func writeTemp(dir, pattern string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, pattern) // CreateTemp makes files 0600
	if err != nil {
		return "", err
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	if err := errors.Join(werr, serr, f.Close()); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// NewVerifier reads a public key in note form, as `assay ledger key` prints it.
func NewVerifier(vkey string) (note.Verifier, error) {
	v, err := note.NewVerifier(strings.TrimSpace(vkey))
	if err != nil {
		return nil, fmt.Errorf("ledger public key: %w", err)
	}
	return v, nil
}

// SignNote signs text (which must end in a newline) as a note with the
// ledger key: how documents other than checkpoints, such as the trust
// center's snapshots, are signed.
func (k *Key) SignNote(text string) (string, error) {
	msg, err := note.Sign(&note.Note{Text: text}, k.signer)
	if err != nil {
		return "", fmt.Errorf("sign note: %w", err)
	}
	return string(msg), nil
}

// OpenNote checks a signed note against a verifier key (the public key in
// note form) and returns its text.
func OpenNote(msg, verifierKey string) (string, error) {
	v, err := note.NewVerifier(strings.TrimSpace(verifierKey))
	if err != nil {
		return "", fmt.Errorf("public key: %w", err)
	}
	n, err := note.Open([]byte(msg), note.VerifierList(v))
	if err != nil {
		return "", fmt.Errorf("signature: %w", err)
	}
	return n.Text, nil
}
