package availability_test

import (
	"context"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/availability"
)

// TestProbeKinds probes real local servers with each kind: http (status,
// keyword, latency threshold), tcp, tls (the handshake and the
// certificate's validity at the prober's clock) and dns.
func TestProbeKinds(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			time.Sleep(300 * time.Millisecond)
		}
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("healthy"))
	}))
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	tlsConf := srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	tlsConf.RootCAs = pool
	now := time.Now()
	probes := availability.Probes{TLS: tlsConf, Now: func() time.Time { return now }}
	host := strings.TrimPrefix(srv.URL, "https://")
	ctx := context.Background()
	cases := []struct {
		svc  assay.Service
		ok   bool
		want string
	}{
		{assay.Service{Kind: assay.ProbeHTTP, Target: srv.URL + "/", ExpectStatus: 200, Keyword: "healthy"}, true, ""},
		{assay.Service{Kind: assay.ProbeHTTP, Target: srv.URL + "/", Keyword: "sick"}, false, "does not contain"},
		{assay.Service{Kind: assay.ProbeHTTP, Target: srv.URL + "/missing"}, false, "status 404"},
		{assay.Service{Kind: assay.ProbeHTTP, Target: srv.URL + "/missing", ExpectStatus: 404}, true, ""},
		{assay.Service{Kind: assay.ProbeHTTP, Target: srv.URL + "/slow", LatencyMillis: 100}, false, "over the 100 ms threshold"},
		{assay.Service{Kind: assay.ProbeTCP, Target: host}, true, ""},
		{assay.Service{Kind: assay.ProbeTLS, Target: host}, true, ""},
		{assay.Service{Kind: assay.ProbeDNS, Target: "localhost"}, true, ""},
	}
	for _, c := range cases {
		c.svc.TimeoutSecs = 5
		o := probes.Probe(ctx, c.svc)
		if o.OK != c.ok || !strings.Contains(o.Err, c.want) {
			t.Errorf("%s %s: %+v", c.svc.Kind, c.svc.Target, o)
		}
	}
	// At a clock past the certificate's end, the TLS probe fails on it.
	late := availability.Probes{TLS: tlsConf, Now: func() time.Time { return srv.Certificate().NotAfter.Add(time.Hour) }}
	if o := late.Probe(ctx, assay.Service{Kind: assay.ProbeTLS, Target: host, TimeoutSecs: 5}); o.OK || o.Network || !strings.Contains(o.Err, "certificate") {
		t.Errorf("expired certificate: %+v", o)
	}
	// Without the test CA, the certificate does not verify.
	bare := availability.Probes{}
	if o := bare.Probe(ctx, assay.Service{Kind: assay.ProbeTLS, Target: host, TimeoutSecs: 5}); o.OK || !strings.Contains(o.Err, "certificate") {
		t.Errorf("unknown authority: %+v", o)
	}
}
