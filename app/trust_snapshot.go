package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
)

// TrustSnapshotFormat names the snapshot format, and starts its signed text.
const TrustSnapshotFormat = "assay.trust-snapshot/v1"

// trustSnapshotMaxAge is how long an unchanged snapshot is served again;
// a changed figure makes a new one, but at most one every
// trustSnapshotMinAge, so that figures moving by the minute (uptime)
// cannot make the kept snapshots grow with every request.
const (
	trustSnapshotMaxAge = 24 * time.Hour
	trustSnapshotMinAge = 10 * time.Minute
)

// TrustSnapshotPayload is what a snapshot attests: the trust center's
// figures and statements as they were, tied to a ledger checkpoint.
type TrustSnapshotPayload struct {
	Format        string                    `json:"format"`
	Company       string                    `json:"company"`
	GeneratedAt   time.Time                 `json:"generated_at"`
	Tiles         []assay.TrustTile         `json:"tiles"`
	Compliance    []TrustAttestation        `json:"compliance"`
	Services      []TrustSnapshotService    `json:"services"`
	Subprocessors []assay.TrustSubprocessor `json:"subprocessors"`
	Documents     []TrustSnapshotDocument   `json:"documents"`
	Policies      []TrustSnapshotPolicy     `json:"policies"`
	Checkpoint    *TrustCheckpoint          `json:"checkpoint,omitempty"`
	// ContentSHA256 is the digest of the payload with its times left out:
	// equal between two snapshots when nothing shown changed.
	ContentSHA256 string `json:"content_sha256"`
}

// TrustSnapshotService is a public service's figures as attested: the
// uptime percentages by window, this month's SLA and the daily bars.
type TrustSnapshotService struct {
	Name      string             `json:"name"`
	Status    string             `json:"status"`
	Uptime    map[string]float64 `json:"uptime_percent"` // by window (24h, 7d, 30d, 90d, 1y); -1: not measured
	SLAMonth  string             `json:"sla_month"`
	SLATarget float64            `json:"sla_target"`
	SLAUptime float64            `json:"sla_uptime_percent"`
	SLAMet    bool               `json:"sla_met"`
	Days      map[string]float64 `json:"days_percent"` // by date
}

// TrustSnapshotDocument is an offered document's title and digest.
type TrustSnapshotDocument struct {
	Title  string `json:"title"`
	SHA256 string `json:"sha256"`
	NDA    bool   `json:"nda"`
}

// TrustSnapshotPolicy is a public policy's version and the digest of its text.
type TrustSnapshotPolicy struct {
	Title   string `json:"title"`
	Version string `json:"version"`
	SHA256  string `json:"sha256"`
}

// TrustSnapshotFile is the published file: the payload, its SHA-256 and
// the ledger key's signature over both (a signed note whose text is the
// format line and the digest).
type TrustSnapshotFile struct {
	Payload       json.RawMessage `json:"payload"`
	PayloadSHA256 string          `json:"payload_sha256"`
	Signature     string          `json:"signature"`
	PublicKey     string          `json:"public_key"`
}

// round3 keeps three decimals: enough for an SLA, and steady between
// two snapshots of the same figures.
func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

func digestHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// snapshotPayload is the payload of the page as built.
func snapshotPayload(p *TrustPage) (TrustSnapshotPayload, error) {
	out := TrustSnapshotPayload{Format: TrustSnapshotFormat, Company: p.Company, GeneratedAt: p.AsOf.UTC(), Tiles: p.Tiles, Compliance: p.Compliance,
		Services: []TrustSnapshotService{}, Subprocessors: p.Subprocessors, Checkpoint: p.Checkpoint, Documents: []TrustSnapshotDocument{}, Policies: []TrustSnapshotPolicy{}}
	for _, sv := range p.Services {
		ss := TrustSnapshotService{Name: sv.Name, Status: sv.Status, Uptime: map[string]float64{}, Days: map[string]float64{}, SLAMonth: sv.SLA.Month,
			SLATarget: sv.SLA.Target, SLAUptime: round3(sv.SLA.Percent), SLAMet: sv.SLA.Met}
		for _, w := range sv.Uptime {
			ss.Uptime[w.Name] = round3(w.Percent)
		}
		for _, d := range sv.Days {
			ss.Days[d.Date] = round3(d.Percent)
		}
		out.Services = append(out.Services, ss)
	}
	for _, d := range p.Documents {
		out.Documents = append(out.Documents, TrustSnapshotDocument{Title: d.Title, SHA256: d.SHA256, NDA: d.NDA})
	}
	for _, pol := range p.Policies {
		out.Policies = append(out.Policies, TrustSnapshotPolicy{Title: pol.Title, Version: pol.Version, SHA256: digestHex([]byte(pol.Body))})
	}
	// The content digest leaves out every time, so that the same figures
	// at another moment are the same content.
	timeless := out
	timeless.GeneratedAt = time.Time{}
	timeless.Checkpoint = nil
	timeless.Tiles = make([]assay.TrustTile, len(out.Tiles))
	for i, t := range out.Tiles {
		t.AsOf = time.Time{}
		timeless.Tiles[i] = t
	}
	b, err := json.Marshal(timeless)
	if err != nil {
		return out, err
	}
	out.ContentSHA256 = digestHex(b)
	return out, nil
}

// TrustSnapshot is the current signed snapshot of the public trust
// center: the latest kept one when nothing shown has changed in the last
// day, else a new one, signed and kept.
func (a *App) TrustSnapshot(ctx context.Context) ([]byte, error) {
	key, err := a.signingKey()
	if err != nil {
		return nil, err
	}
	page, err := a.PublicTrust(ctx)
	if err != nil {
		return nil, err
	}
	a.trust.mu.Lock()
	if a.trust.snapPage == page {
		doc := a.trust.snapDoc
		a.trust.mu.Unlock()
		return doc, nil
	}
	a.trust.mu.Unlock()
	doc, err := a.trustSnapshotFor(ctx, page, key)
	if err != nil {
		return nil, err
	}
	a.trust.mu.Lock()
	a.trust.snapPage, a.trust.snapDoc = page, doc
	a.trust.mu.Unlock()
	return doc, nil
}

// trustSnapshotFor is the snapshot of one built page: the latest kept one
// when it says the same (or is under ten minutes old), else a new one.
func (a *App) trustSnapshotFor(ctx context.Context, page *TrustPage, key *ledger.Key) ([]byte, error) {
	payload, err := snapshotPayload(page)
	if err != nil {
		return nil, err
	}
	org := a.store.Org(page.OrgID)
	kept, err := org.TrustSnapshots(ctx, 1)
	if err != nil {
		return nil, err
	}
	if len(kept) == 1 && a.clock.Now().Sub(kept[0].CreatedAt) < trustSnapshotMaxAge {
		_, doc, err := org.TrustSnapshot(ctx, kept[0].ID)
		if err != nil {
			return nil, err
		}
		var f TrustSnapshotFile
		var old TrustSnapshotPayload
		fresh := a.clock.Now().Sub(kept[0].CreatedAt) < trustSnapshotMinAge
		if fresh || json.Unmarshal(doc, &f) == nil && json.Unmarshal(f.Payload, &old) == nil && old.ContentSHA256 == payload.ContentSHA256 {
			return doc, nil
		}
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		return nil, err
	}
	sum := digestHex(raw)
	sig, err := key.SignNote(TrustSnapshotFormat + "\n" + sum + "\n")
	if err != nil {
		return nil, err
	}
	doc, err := json.MarshalIndent(TrustSnapshotFile{Payload: raw, PayloadSHA256: sum, Signature: sig, PublicKey: key.VerifierKey}, "", "  ")
	if err != nil {
		return nil, err
	}
	if _, err := org.SaveTrustSnapshot(ctx, sum, doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// signingKey is the ledger's key, loaded once.
func (a *App) signingKey() (*ledger.Key, error) {
	if a.ledgerKey == nil {
		return nil, assay.Errorf(assay.ENOTFOUND, "This server signs no snapshots.")
	}
	a.signer.once.Do(func() { a.signer.key, a.signer.err = a.ledgerKey() })
	return a.signer.key, a.signer.err
}

// keyLoader loads the signing key once.
type keyLoader struct {
	once sync.Once
	key  *ledger.Key
	err  error
}

// TrustSnapshotsKept lists the kept snapshots, newest first.
func (a *App) TrustSnapshotsKept(ctx context.Context, limit int) ([]assay.TrustSnapshotRef, error) {
	orgID, err := a.store.PublicTrustOrg(ctx)
	if err != nil {
		return nil, err
	}
	return a.store.Org(orgID).TrustSnapshots(ctx, limit)
}

// KeptTrustSnapshot is one kept snapshot's file.
func (a *App) KeptTrustSnapshot(ctx context.Context, id int64) ([]byte, error) {
	orgID, err := a.store.PublicTrustOrg(ctx)
	if err != nil {
		return nil, err
	}
	_, doc, err := a.store.Org(orgID).TrustSnapshot(ctx, id)
	return doc, err
}

// VerifyTrustSnapshot checks a snapshot file offline against the ledger's
// public key (never the key inside the file): the payload's digest, the
// signature over it, and the checkpoint's own signature. It returns the
// payload that was signed.
func VerifyTrustSnapshot(file []byte, verifierKey string) (TrustSnapshotPayload, error) {
	var f TrustSnapshotFile
	if err := json.Unmarshal(file, &f); err != nil {
		return TrustSnapshotPayload{}, fmt.Errorf("not a trust snapshot: %w", err)
	}
	if strings.TrimSpace(verifierKey) == "" {
		return TrustSnapshotPayload{}, errors.New("give the company's public key; the key inside the file proves nothing")
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, f.Payload); err != nil {
		return TrustSnapshotPayload{}, fmt.Errorf("payload: %w", err)
	}
	sum := digestHex(compact.Bytes())
	if sum != f.PayloadSHA256 {
		return TrustSnapshotPayload{}, fmt.Errorf("the payload's SHA-256 is %s, not the %s the file states: the payload was changed", sum, f.PayloadSHA256)
	}
	text, err := ledger.OpenNote(f.Signature, verifierKey)
	if err != nil {
		return TrustSnapshotPayload{}, fmt.Errorf("the signature does not verify with this key: %w", err)
	}
	if text != TrustSnapshotFormat+"\n"+sum+"\n" {
		return TrustSnapshotPayload{}, errors.New("the signature is over another payload")
	}
	var p TrustSnapshotPayload
	if err := json.Unmarshal(compact.Bytes(), &p); err != nil {
		return p, fmt.Errorf("payload: %w", err)
	}
	if p.Format != TrustSnapshotFormat {
		return p, fmt.Errorf("unknown snapshot format %q", p.Format)
	}
	if p.Checkpoint != nil {
		if _, err := ledger.OpenNote(p.Checkpoint.Note, verifierKey); err != nil {
			return p, fmt.Errorf("the ledger checkpoint does not verify with this key: %w", err)
		}
	}
	return p, nil
}
