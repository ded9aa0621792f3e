package httpkit

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestClientAddr(t *testing.T) {
	trusted, err := ParseTrustedProxies("10.0.0.0/8, 192.168.1.1 ::1")
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		remote  string
		xff     []string
		trusted bool
		want    string
	}{
		"no proxies: header ignored":     {"203.0.113.9:5555", []string{"198.51.100.1"}, false, "203.0.113.9"},
		"untrusted peer: header ignored": {"203.0.113.9:5555", []string{"198.51.100.1"}, true, "203.0.113.9"},
		"trusted proxy":                  {"10.1.2.3:5555", []string{"198.51.100.1"}, true, "198.51.100.1"},
		"spoofed left part ignored":      {"10.1.2.3:5555", []string{"1.1.1.1, 198.51.100.1"}, true, "198.51.100.1"},
		"chain of trusted proxies":       {"10.1.2.3:5555", []string{"198.51.100.1, 192.168.1.1", "10.9.9.9"}, true, "198.51.100.1"},
		"garbage hop stops the walk":     {"10.1.2.3:5555", []string{"1.1.1.1, not-an-ip"}, true, "10.1.2.3"},
		"every hop trusted":              {"10.1.2.3:5555", []string{"10.0.0.1"}, true, "10.0.0.1"},
		"no header from a trusted proxy": {"10.1.2.3:5555", nil, true, "10.1.2.3"},
		"ipv6 peer trusted, port in hop": {"[::1]:5555", []string{"[2001:db8::7]:443"}, true, "2001:db8::7"},
		"mapped ipv4":                    {"[::ffff:10.1.2.3]:5555", []string{"198.51.100.1"}, true, "198.51.100.1"},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = c.remote
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		var tp = trusted
		if !c.trusted {
			tp = nil
		}
		var got string
		ClientAddress(tp, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = ClientAddr(r) })).ServeHTTP(httptest.NewRecorder(), r)
		if got != c.want {
			t.Errorf("%s: %q, want %q", name, got, c.want)
		}
	}
	if _, err := ParseTrustedProxies("10.0.0.0/33"); err == nil {
		t.Error("a bad prefix was accepted")
	}
	if _, err := ParseTrustedProxies("proxy.example"); err == nil {
		t.Error("a host name was accepted")
	}
}
