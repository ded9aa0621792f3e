package export

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/assay-platform/assay/ledger"
)

// The bundle's layout.
const (
	BundleFormat    = "assay-evidence-bundle/1"
	ManifestPath    = "manifest.json"
	ProofsPath      = "ledger/proofs.json"
	CheckpointPath  = "ledger/checkpoint.txt"
	PublicKeyPath   = "ledger/public-key.txt"
	ReadmePath      = "README.txt"
	filesDir        = "files/"
	maxSafeNameLen  = 100
	bundleCopyBlock = 1 << 20
)

// Manifest is manifest.json: what the bundle holds.
type Manifest struct {
	Format       string         `json:"format"`
	Organization string         `json:"organization"`
	OrgSlug      string         `json:"organization_slug"`
	Period       ManifestPeriod `json:"period"`
	GeneratedAt  time.Time      `json:"generated_at"`
	Checkpoint   ManifestTree   `json:"checkpoint"`
	Items        []ManifestItem `json:"items"`
	// Populations are the engagement's sampled populations (an export for
	// an engagement), each in populations/ with ledger/range.json proving
	// those that come from the ledger complete.
	Populations []ManifestPopulation `json:"populations,omitempty"`
}

// ManifestPeriod is the period as dates.
type ManifestPeriod struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// ManifestTree names the checkpoint the proofs are against.
type ManifestTree struct {
	Path     string `json:"path"`
	TreeSize int64  `json:"tree_size"`
	RootHash string `json:"root_hash"`
}

// ManifestItem is one evidence item. Files have Path, SHA256 and Size.
type ManifestItem struct {
	EvidenceID int64    `json:"evidence_id"`
	Kind       string   `json:"kind"`
	Title      string   `json:"title"`
	Path       string   `json:"path,omitempty"`
	SHA256     string   `json:"sha256,omitempty"`
	Size       int64    `json:"size,omitempty"`
	URL        string   `json:"url,omitempty"`
	Controls   []string `json:"controls"`
	// PeriodStart and PeriodEnd (dates) and CollectedAt are what the item
	// covers: its effective dates. ReceivedAt is when it reached Assay.
	PeriodStart string    `json:"period_start,omitempty"`
	PeriodEnd   string    `json:"period_end,omitempty"`
	CollectedAt time.Time `json:"collected_at"`
	ReceivedAt  time.Time `json:"received_at"`
	ExpiresAt   time.Time `json:"expires_at"`
	Superseded  bool      `json:"superseded,omitempty"`
	// LedgerSeq and LedgerIndex name the entry that recorded the item
	// (evidence.create); its proof is in ledger/proofs.json.
	LedgerSeq   int64 `json:"ledger_seq"`
	LedgerIndex int64 `json:"ledger_index"`
}

// BundleSource is where the bundle's content comes from besides Data.
type BundleSource struct {
	// OpenBlob opens a stored file by digest, checking its content as it
	// is read (evidence.FS.Open).
	OpenBlob func(digest string, size int64) (io.ReadCloser, error)
	// Proof proves the activity entry seq is in the tree of treeSize
	// (store.OrgLedger.LedgerProof).
	Proof func(ctx context.Context, seq, treeSize int64) (ledger.Inclusion, error)
	// Checkpoint is the signed checkpoint the proofs are against: issue a
	// fresh one at export time. PublicKey is the key that signed it.
	Checkpoint ledger.Checkpoint
	PublicKey  string
	// Populations and Range are the engagement's sampled populations and
	// the ledger range that proves them (AuditPopulations); nil for a
	// period's export.
	Populations []PopulationRecord
	Range       *ledger.RangeProof
}

// SafeFilename keeps letters, digits, dot, dash and underscore.
func SafeFilename(name string) string {
	var b strings.Builder
	for _, r := range name {
		if b.Len() >= maxSafeNameLen {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), ".")
	if s == "" {
		s = "file"
	}
	return s
}

// BuildManifest collects the manifest and the proofs for d.
func BuildManifest(ctx context.Context, d *Data, src BundleSource) (Manifest, []ledger.Inclusion, error) {
	m := Manifest{Format: BundleFormat, Organization: d.Org.Name, OrgSlug: d.Org.Slug,
		Period:      ManifestPeriod{From: d.Period.From.Format(time.DateOnly), To: d.Period.To.Format(time.DateOnly)},
		GeneratedAt: d.GeneratedAt.UTC(),
		Checkpoint:  ManifestTree{Path: CheckpointPath, TreeSize: src.Checkpoint.Size, RootHash: src.Checkpoint.Root.String()},
		Items:       []ManifestItem{}}
	if src.Checkpoint.Size == 0 {
		return m, nil, fmt.Errorf("export: no signed checkpoint to prove the evidence against")
	}
	var proofs []ledger.Inclusion
	for _, it := range d.Evidence {
		if it.Seq == 0 {
			return m, nil, fmt.Errorf("export: evidence %d has no evidence.create entry in the activity trail", it.ID)
		}
		p, err := src.Proof(ctx, it.Seq, src.Checkpoint.Size)
		if err != nil {
			return m, nil, fmt.Errorf("export: proof for activity entry #%d: %w", it.Seq, err)
		}
		p.Checkpoint = nil
		proofs = append(proofs, p)
		mi := ManifestItem{EvidenceID: it.ID, Kind: string(it.Kind), Title: it.Title, URL: it.URL, Controls: it.Controls,
			CollectedAt: it.CollectedAt.UTC(), ReceivedAt: it.CreatedAt.UTC(), ExpiresAt: it.ExpiresAt.UTC(), Superseded: it.SupersededBy != 0,
			LedgerSeq: it.Seq, LedgerIndex: p.Index}
		if it.PeriodStart != nil && it.PeriodEnd != nil {
			mi.PeriodStart, mi.PeriodEnd = it.PeriodStart.Format(time.DateOnly), it.PeriodEnd.Format(time.DateOnly)
		}
		if mi.Controls == nil {
			mi.Controls = []string{}
		}
		if it.SHA256 != "" {
			mi.SHA256, mi.Size = it.SHA256, it.Size
			mi.Path = filesDir + it.SHA256 + "-" + SafeFilename(it.Filename)
		}
		m.Items = append(m.Items, mi)
	}
	for _, p := range src.Populations {
		rows := ""
		if p.Population.Provenance != nil {
			rows = p.Population.Provenance.RowsDigest
		}
		m.Populations = append(m.Populations, ManifestPopulation{Path: p.path(), SampleID: p.SampleID, Kind: p.Population.Kind,
			ControlID: p.Population.ControlID, Count: len(p.Population.Items), Digest: p.Population.Digest, RowsDigest: rows,
			FromLedger: FromLedger(p.Population.Kind)})
	}
	return m, proofs, nil
}

var copyBufs = sync.Pool{New: func() any { b := make([]byte, bundleCopyBlock); return &b }}

// WriteBundle streams the evidence bundle to w: manifest.json, every file
// (copied from its blob, never held in memory), the ledger entries that
// recorded the items with an inclusion proof each, the signed checkpoint
// and the public key.
func WriteBundle(ctx context.Context, w io.Writer, d *Data, src BundleSource) error {
	m, proofs, err := BuildManifest(ctx, d, src)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	mod := d.GeneratedAt.UTC()
	writeDoc := func(name string, v any) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: mod})
		if err != nil {
			return err
		}
		if s, ok := v.(string); ok {
			_, err = io.WriteString(f, s)
			return err
		}
		enc := json.NewEncoder(f)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	if err := writeDoc(ManifestPath, m); err != nil {
		return err
	}
	written := map[string]bool{}
	bp := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(bp)
	for _, it := range m.Items {
		if it.Path == "" || written[it.Path] {
			continue
		}
		written[it.Path] = true
		if err := ctx.Err(); err != nil {
			return err
		}
		// Files are stored, not deflated: evidence is mostly compressed
		// already, and storing keeps the stream fast.
		f, err := zw.CreateHeader(&zip.FileHeader{Name: it.Path, Method: zip.Store, Modified: mod})
		if err != nil {
			return err
		}
		r, err := src.OpenBlob(it.SHA256, it.Size)
		if err != nil {
			return fmt.Errorf("export: evidence %d: %w", it.EvidenceID, err)
		}
		_, err = io.CopyBuffer(f, struct{ io.Reader }{r}, *bp)
		r.Close()
		if err != nil {
			return fmt.Errorf("export: evidence %d: %w", it.EvidenceID, err)
		}
	}
	if proofs == nil {
		proofs = []ledger.Inclusion{}
	}
	for _, doc := range []struct {
		name string
		v    any
	}{{ProofsPath, proofs}, {CheckpointPath, src.Checkpoint.Note}, {PublicKeyPath, strings.TrimSpace(src.PublicKey) + "\n"}, {ReadmePath, bundleReadme}} {
		if err := writeDoc(doc.name, doc.v); err != nil {
			return err
		}
	}
	for _, p := range src.Populations {
		if err := writeDoc(p.path(), p); err != nil {
			return err
		}
	}
	if src.Range != nil {
		if err := writeDoc(RangePath, src.Range); err != nil {
			return err
		}
	}
	return zw.Close()
}

const bundleReadme = `Assay evidence bundle

manifest.json          the organisation, the period, and every evidence item: its file's path,
                       SHA-256 and size, its controls, and the ledger entry that recorded it
files/                 the evidence files, named <sha256>-<file name>
ledger/proofs.json     each recording entry's canonical leaf (JSON) with an inclusion proof
                       (RFC 6962 Merkle tree, as golang.org/x/mod/sumdb/tlog builds it)
ledger/checkpoint.txt  the signed checkpoint (a signed note) the proofs are against
ledger/public-key.txt  the key that signed it
populations/           (an engagement's export) each sample with the population it was drawn
                       from, as frozen then, and the population's provenance
ledger/range.json      (with populations) every ledger entry from a checkpoint signed before the
                       engagement's period to the checkpoint above, with both signed checkpoints:
                       verify lists each ledger-based population again from it

Check it offline with:  assay verify BUNDLE.zip --key '<the public key you got from the organisation>'

Without --key the bundle is only checked against its own key, which proves it is consistent, not
who made it: compare the key with one you obtained separately (assay ledger key, or the Activity page).
`
