package apiclient

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
)

// Log keeps the responses a collection read, in order, as its evidence.
type Log struct {
	mu      sync.Mutex
	entries []Entry
}

// Entry is one response: what was asked, the status and the body as sent.
type Entry struct {
	Method     string          `json:"method"`
	URL        string          `json:"url"`
	Status     int             `json:"status"`
	APIVersion string          `json:"api_version,omitempty"`
	Operation  string          `json:"operation,omitempty"` // an RPC API's action (AWS: "iam:ListUsers")
	Body       json.RawMessage `json:"body,omitempty"`
	Text       string          `json:"text,omitempty"` // a body that is not JSON
}

// APIVersionHeaders are the request headers that name an API version.
var APIVersionHeaders = []string{"X-GitHub-Api-Version", "Accept"}

func (l *Log) add(req *http.Request, resp *http.Response, body []byte) {
	if l == nil {
		return
	}
	e := Entry{Method: req.Method, URL: req.URL.String(), Status: resp.StatusCode}
	for _, h := range APIVersionHeaders {
		if v := req.Header.Get(h); v != "" {
			e.APIVersion = h + ": " + v
			break
		}
	}
	if json.Valid(body) {
		e.Body = json.RawMessage(body)
	} else if len(body) > 0 {
		e.Text = string(body)
	}
	l.mu.Lock()
	l.entries = append(l.entries, e)
	l.mu.Unlock()
}

// Add keeps an entry a collector recorded itself (the AWS collector, whose
// SDK sends each action in the request body).
func (l *Log) Add(e Entry) {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.entries = append(l.entries, e)
	l.mu.Unlock()
}

// Entries returns a copy of what was kept.
func (l *Log) Entries() []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Entry(nil), l.entries...)
}

// Provenance is what a run says about where its resources came from.
type Provenance struct {
	Collector string  `json:"collector"` // "github/1"
	Endpoint  string  `json:"endpoint"`  // the API's base URL
	Requests  int     `json:"requests"`
	Rows      int     `json:"rows"` // resources produced
	Responses []Entry `json:"responses"`
}

// Document is the provenance as canonical JSON with its SHA-256 (hex).
func (p Provenance) Document() ([]byte, string, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, "", fmt.Errorf("encode the raw responses: %w", err)
	}
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:]), nil
}

// APIVersion is the first API version a request named ("" when none did).
func (p Provenance) APIVersion() string {
	for _, e := range p.Responses {
		if e.APIVersion != "" {
			return e.APIVersion
		}
	}
	return ""
}
