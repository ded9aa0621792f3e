package alert_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor/alert"
	"github.com/assay-platform/assay/secret"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/sqlite"
	"github.com/assay-platform/assay/store/sqlstore"
)

var epoch = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

var admin = assay.Actor{Name: "Ada Admin", Via: "cli"}

// world is a real SQLite store with one organisation and a notifier.
type world struct {
	t   *testing.T
	ctx context.Context
	db  *sqlstore.DB
	os  store.OrgStore
	n   *alert.Notifier
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	clock := &assay.FixedClock{T: epoch}
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "assay.db"), sqlstore.Config{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	org, err := db.CreateOrganization(ctx, admin, "Acme", "acme", assay.Scope{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	key := make([]byte, secret.KeySize)
	_, _ = rand.Read(key)
	box, err := secret.New(key)
	if err != nil {
		t.Fatal(err)
	}
	n := &alert.Notifier{Store: db, Box: box, Clock: clock, BaseURL: "https://assay.example", Logger: slog.New(slog.DiscardHandler),
		Backoff: func(int) time.Duration { return time.Millisecond },
		Checks: func(context.Context, int64) (map[string]assay.Check, error) {
			return map[string]assay.Check{
				"http-tls-min": {ID: "http-tls-min", Title: "Endpoints refuse old TLS", Severity: assay.SeverityHigh},
				"http-hsts":    {ID: "http-hsts", Title: "Endpoints send HSTS", Severity: assay.SeverityMedium},
			}, nil
		}}
	return &world{t: t, ctx: ctx, db: db, os: db.Org(org.ID), n: n}
}

func (w *world) channel(kind assay.AlertKind, name string, settings, secrets map[string]string) assay.AlertChannel {
	w.t.Helper()
	c, err := w.n.CreateChannel(w.ctx, w.os, admin, assay.NewAlertChannel{Kind: kind, Name: name, Settings: settings, Enabled: true}, secrets)
	if err != nil {
		w.t.Fatalf("create %s channel: %v", kind, err)
	}
	return c
}

var source = assay.Source{ID: 4, Name: "Public API", Kind: "http"}

// run returns a run and its changes: one new failure, one recovery and one
// change alerts ignore (a first pass).
func run(id int64) (assay.MonitorRun, []assay.RunChange) {
	r := assay.MonitorRun{ID: id, SourceID: 4, Trigger: assay.TriggerSchedule, StartedAt: epoch, EndedAt: epoch.Add(time.Minute), Status: assay.RunOK}
	return r, []assay.RunChange{
		{Check: "http-hsts", SourceID: 4, Resource: "https://www.acme.example", Name: "www.acme.example:443", From: assay.CheckFail, To: assay.CheckPass},
		{Check: "http-tls-min", SourceID: 4, Resource: "https://api.acme.example", Name: "api.acme.example:443", From: assay.CheckPass, To: assay.CheckFail,
			Reason: "TLS 1.0 accepted on api.acme.example:443"},
		{Check: "http-hsts", SourceID: 4, Resource: "https://new.acme.example", Name: "new.acme.example:443", From: "", To: assay.CheckPass},
	}
}

func (w *world) deliveries() []assay.AlertDelivery {
	w.t.Helper()
	ds, err := w.os.AlertDeliveries(w.ctx, 0, 0)
	if err != nil {
		w.t.Fatal(err)
	}
	return ds
}

// selfSigned makes a certificate for 127.0.0.1 and localhost, and a pool
// that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test mail server"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}, pool
}

// mailbox is a real SMTP server (go-smtp) that keeps what it receives.
type mailbox struct {
	mu    sync.Mutex
	mails []mailItem
	user  string
	pass  string
	tls   bool // a message came over TLS
}

type mailItem struct {
	from    string
	to      []string
	data    []byte
	overTLS bool
	authed  string
}

type mailSession struct {
	box    *mailbox
	conn   *smtp.Conn
	cur    mailItem
	authed string
}

func (s *mailSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *mailSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.box.user || pass != s.box.pass {
			return errors.New("bad credentials")
		}
		s.authed = user
		return nil
	}), nil
}
func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error { s.cur.from = from; return nil }
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.to = append(s.cur.to, to)
	return nil
}
func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, overTLS := s.conn.TLSConnectionState()
	s.cur.data, s.cur.overTLS, s.cur.authed = b, overTLS, s.authed
	s.box.mu.Lock()
	s.box.mails = append(s.box.mails, s.cur)
	s.box.mu.Unlock()
	return nil
}
func (s *mailSession) Reset()        { s.cur = mailItem{} }
func (s *mailSession) Logout() error { return nil }

func (m *mailbox) received() []mailItem {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]mailItem(nil), m.mails...)
}

// startSMTP starts the server on addr ("127.0.0.1:0"); with cert it offers
// STARTTLS. It returns the port.
func startSMTP(t *testing.T, addr string, cert *tls.Certificate, box *mailbox) string {
	t.Helper()
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &mailSession{box: box, conn: c}, nil
	}))
	srv.Domain = "mail.test"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	if cert != nil {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}}
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { srv.Close() })
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}
