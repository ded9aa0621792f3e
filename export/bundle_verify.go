package export

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/assay-platform/assay/ledger"
)

// BundleReport is what VerifyBundle checked.
type BundleReport struct {
	Organization string `json:"organization"`
	Period       string `json:"period"`
	Items        int    `json:"items"`
	Files        int    `json:"files"`
	Bytes        int64  `json:"bytes"`
	Proofs       int    `json:"proofs"`
	TreeSize     int64  `json:"tree_size"`
	Root         string `json:"root_hash"`
	Origin       string `json:"origin"`
	PublicKey    string `json:"public_key"`
	// KeyChecked is true when the bundled key was compared with a key
	// the caller holds; without it the bundle is only self-consistent.
	KeyChecked bool `json:"key_checked"`
	// Populations are the engagement's sampled populations checked.
	Populations []PopulationReport `json:"populations,omitempty"`
}

// BundleError is a bundle that does not verify: Sentence says why.
type BundleError struct{ Sentence string }

func (e *BundleError) Error() string { return e.Sentence }

func fail(format string, args ...any) error {
	return &BundleError{Sentence: fmt.Sprintf(format, args...)}
}

// VerifyBundle checks an evidence bundle offline: the checkpoint's
// signature with the bundled key (and, when expectedKey is not empty, that
// the bundled key is that key), each ledger entry's leaf hash and inclusion
// proof against the checkpoint's root, that each entry records its item
// with the manifest's digest, and each file's size and SHA-256.
func VerifyBundle(r io.ReaderAt, size int64, expectedKey string) (BundleReport, error) {
	var rep BundleReport
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return rep, fail("The file is not a readable zip archive (%v).", err)
	}
	entries := map[string]*zip.File{}
	for _, f := range zr.File {
		if entries[f.Name] != nil {
			return rep, fail("The bundle holds %s twice.", f.Name)
		}
		entries[f.Name] = f
	}
	read := func(name string) ([]byte, error) {
		f := entries[name]
		if f == nil {
			return nil, fail("The bundle has no %s.", name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fail("%s cannot be read (%v).", name, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, 256<<20))
		if err != nil {
			return nil, fail("%s cannot be read (%v).", name, err)
		}
		return b, nil
	}

	// The key and the checkpoint it signed.
	keyText, err := read(PublicKeyPath)
	if err != nil {
		return rep, err
	}
	rep.PublicKey = strings.TrimSpace(string(keyText))
	if expectedKey != "" {
		if rep.PublicKey != strings.TrimSpace(expectedKey) {
			return rep, fail("The bundled public key %q is not the expected key %q, so the bundle was not signed by the ledger you trust.", rep.PublicKey, strings.TrimSpace(expectedKey))
		}
		rep.KeyChecked = true
	}
	verifier, err := ledger.NewVerifier(rep.PublicKey)
	if err != nil {
		return rep, fail("The bundled public key cannot be read (%v).", err)
	}
	rep.Origin = verifier.Name()
	note, err := read(CheckpointPath)
	if err != nil {
		return rep, err
	}
	tree, _, err := ledger.OpenCheckpoint(string(note), verifier)
	if err != nil {
		return rep, fail("The checkpoint's signature does not verify with the bundled public key (%v).", err)
	}
	rep.TreeSize, rep.Root = tree.Size, tree.Root.String()

	// The manifest.
	raw, err := read(ManifestPath)
	if err != nil {
		return rep, err
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return rep, fail("manifest.json is not valid JSON (%v).", err)
	}
	if m.Format != BundleFormat {
		return rep, fail("manifest.json has format %q, not %q.", m.Format, BundleFormat)
	}
	if m.Checkpoint.TreeSize != tree.Size || m.Checkpoint.RootHash != tree.Root.String() {
		return rep, fail("manifest.json names a checkpoint of %d entries with root %s, but the signed checkpoint is %d entries with root %s.",
			m.Checkpoint.TreeSize, m.Checkpoint.RootHash, tree.Size, tree.Root)
	}
	rep.Organization, rep.Period, rep.Items = m.Organization, m.Period.From+" to "+m.Period.To, len(m.Items)

	// The proofs, each against the signed root.
	raw, err = read(ProofsPath)
	if err != nil {
		return rep, err
	}
	var proofs []ledger.Inclusion
	if err := json.Unmarshal(raw, &proofs); err != nil {
		return rep, fail("%s is not valid JSON (%v).", ProofsPath, err)
	}
	bySeq := map[int64]ledger.Inclusion{}
	for _, p := range proofs {
		if p.TreeSize != tree.Size || p.Root != tree.Root {
			return rep, fail("The proof for ledger entry #%d is against a tree of %d entries, not the signed checkpoint's %d.", p.Seq, p.TreeSize, tree.Size)
		}
		if err := p.Check(); err != nil {
			return rep, fail("The ledger entry #%d (leaf %d) does not check against the signed checkpoint: %v.", p.Seq, p.Index, err)
		}
		bySeq[p.Seq] = p
	}
	rep.Proofs = len(proofs)

	// Each item: its recording entry, and its file.
	listed := map[string]bool{}
	for _, it := range m.Items {
		p, ok := bySeq[it.LedgerSeq]
		if !ok {
			return rep, fail("Evidence %d names ledger entry #%d, but the bundle has no proof for it.", it.EvidenceID, it.LedgerSeq)
		}
		if p.Index != it.LedgerIndex {
			return rep, fail("Evidence %d names leaf %d, but its entry's proof is for leaf %d.", it.EvidenceID, it.LedgerIndex, p.Index)
		}
		if err := leafRecords(p, it); err != nil {
			return rep, err
		}
		if it.Path == "" {
			continue
		}
		listed[it.Path] = true
		n, err := checkFile(entries[it.Path], it)
		if err != nil {
			return rep, err
		}
		rep.Files++
		rep.Bytes += n
	}
	for name := range entries {
		if strings.HasPrefix(name, filesDir) && !listed[name] {
			return rep, fail("The bundle holds %s, which manifest.json does not list.", name)
		}
	}
	if rep.Populations, err = verifyPopulations(m, read, verifier); err != nil {
		return rep, err
	}
	return rep, nil
}

// leafRecords checks that the entry is the evidence.create of the item,
// with the manifest's digest and size.
func leafRecords(p ledger.Inclusion, it ManifestItem) error {
	var leaf struct {
		Action   string `json:"action"`
		ObjectID string `json:"object_id"`
		After    struct {
			ID     int64  `json:"id"`
			Kind   string `json:"kind"`
			SHA256 string `json:"sha256"`
			Size   int64  `json:"size"`
		} `json:"after"`
	}
	if err := json.Unmarshal([]byte(p.Leaf), &leaf); err != nil {
		return fail("Ledger entry #%d is not valid JSON (%v).", p.Seq, err)
	}
	if leaf.Action != "evidence.create" || leaf.ObjectID != strconv.FormatInt(it.EvidenceID, 10) {
		return fail("Ledger entry #%d records %s of %q, not the creation of evidence %d.", p.Seq, leaf.Action, leaf.ObjectID, it.EvidenceID)
	}
	if leaf.After.SHA256 != it.SHA256 || leaf.After.Size != it.Size || leaf.After.Kind != it.Kind {
		return fail("manifest.json gives evidence %d the digest %q (%d bytes), but the ledger recorded %q (%d bytes).",
			it.EvidenceID, it.SHA256, it.Size, leaf.After.SHA256, leaf.After.Size)
	}
	return nil
}

func checkFile(f *zip.File, it ManifestItem) (int64, error) {
	if f == nil {
		return 0, fail("Evidence %d's file %s is missing from the bundle.", it.EvidenceID, it.Path)
	}
	rc, err := f.Open()
	if err != nil {
		return 0, fail("%s cannot be read (%v).", it.Path, err)
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil && !errors.Is(err, zip.ErrChecksum) {
		return n, fail("%s cannot be read (%v).", it.Path, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != it.SHA256 || n != it.Size {
		return n, fail("%s has SHA-256 %s (%d bytes), but manifest.json and the ledger say %s (%d bytes): the file was changed.", it.Path, got, n, it.SHA256, it.Size)
	}
	if err != nil {
		return n, fail("%s fails the zip's own checksum (%v).", it.Path, err)
	}
	return n, nil
}
