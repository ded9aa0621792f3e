// Package oidctest runs a real OpenID provider for tests: zitadel/oidc's
// op package (OpenID-certified) over an in-memory storage, with one web
// client, users with groups, a login step the test drives, and signing
// key rotation.
package oidctest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// User is a person the provider knows.
type User struct {
	ID, Username, Password, Email, Name string
	EmailVerified                       bool
	Groups                              []string
}

// Provider is a running OpenID provider.
type Provider struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// GroupsClaim is the claim groups are sent in ("groups").
	GroupsClaim string

	srv   *httptest.Server
	store *memStore
	op    op.OpenIDProvider
}

// Start runs a provider whose one web client may redirect to
// redirectURIs. It stops when the test ends.
func Start(t testing.TB, redirectURIs ...string) *Provider {
	t.Helper()
	p := &Provider{ClientID: "assay", ClientSecret: "assay-client-secret", GroupsClaim: "groups"}
	var handler http.Handler = http.NotFoundHandler()
	var mu sync.RWMutex
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.RLock()
		h := handler
		mu.RUnlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	p.Issuer = p.srv.URL
	users := &userStore{users: map[string]*storage.User{}}
	clients := map[string]*storage.Client{p.ClientID: storage.WebClient(p.ClientID, p.ClientSecret, redirectURIs...)}
	p.store = &memStore{Storage: storage.NewStorageWithClients(users, clients), users: users, groups: map[string][]string{}}
	p.store.rotate()
	var key [32]byte
	_, _ = rand.Read(key[:])
	provider, err := op.NewProvider(&op.Config{CryptoKey: key, CodeMethodS256: true, AuthMethodPost: true},
		p.store, op.StaticIssuer(p.Issuer), op.WithAllowInsecure(), op.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatalf("oidctest: %v", err)
	}
	p.op = provider
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login/username", p.loginPage)
	mux.HandleFunc("POST /login/username", p.login)
	mux.Handle("/", provider)
	mu.Lock()
	handler = mux
	mu.Unlock()
	return p
}

// AddUser makes a user known.
func (p *Provider) AddUser(u User) {
	p.store.users.mu.Lock()
	p.store.users.users[u.ID] = &storage.User{ID: u.ID, Username: u.Username, Password: u.Password, Email: u.Email,
		EmailVerified: u.EmailVerified, FirstName: u.Name}
	p.store.users.mu.Unlock()
	p.store.mu.Lock()
	p.store.groups[u.ID] = u.Groups
	p.store.mu.Unlock()
}

// RotateKey makes a new signing key; tokens are signed with it from now
// on, and the key set publishes it beside the old one.
func (p *Provider) RotateKey() string { return p.store.rotate() }

// KeyID is the current signing key's id.
func (p *Provider) KeyID() string {
	p.store.mu.Lock()
	defer p.store.mu.Unlock()
	return p.store.keys[len(p.store.keys)-1].id
}

var loginForm = template.Must(template.New("login").Parse(`<!doctype html><title>Test provider sign-in</title>
<form method="post" action="/login/username"><input type="hidden" name="id" value="{{.}}">
<label>Username <input name="username" id="op-username"></label>
<label>Password <input name="password" id="op-password" type="password"></label>
<button type="submit" id="op-submit">Sign in</button></form>`))

// loginPage is the provider's sign-in step: the test (or a browser it
// drives) posts a username and password to it.
func (p *Provider) loginPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = loginForm.Execute(w, r.URL.Query().Get("authRequestID"))
}

func (p *Provider) login(w http.ResponseWriter, r *http.Request) {
	id := r.PostFormValue("id")
	if err := p.store.CheckUsernamePassword(r.PostFormValue("username"), r.PostFormValue("password"), id); err != nil {
		http.Error(w, "wrong username or password", http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, op.AuthCallbackURL(p.op)(r.Context(), id), http.StatusFound)
}

// userStore is the example storage's user lookup over test users.
type userStore struct {
	mu    sync.Mutex
	users map[string]*storage.User
}

func (u *userStore) GetUserByID(id string) *storage.User {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.users[id]
}

func (u *userStore) GetUserByUsername(name string) *storage.User {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, x := range u.users {
		if x.Username == name {
			return x
		}
	}
	return nil
}

func (u *userStore) ExampleClientID() string { return "" }

// memStore is zitadel's in-memory example storage with rotating signing
// keys and a groups claim.
type memStore struct {
	*storage.Storage
	users  *userStore
	mu     sync.Mutex
	keys   []*signingKey // the last is current
	groups map[string][]string
}

type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k *signingKey) Key() any                                    { return k.key }
func (k *signingKey) ID() string                                  { return k.id }

type publicKey struct{ k *signingKey }

func (k publicKey) ID() string                         { return k.k.id }
func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return &k.k.key.PublicKey }

func (s *memStore) rotate() string {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := &signingKey{id: fmt.Sprintf("key-%d", len(s.keys)+1), key: key}
	s.keys = append(s.keys, k)
	return k.id
}

func (s *memStore) SigningKey(context.Context) (op.SigningKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keys[len(s.keys)-1], nil
}

func (s *memStore) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *memStore) KeySet(context.Context) ([]op.Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]op.Key, 0, len(s.keys))
	for _, k := range s.keys {
		out = append(out, publicKey{k})
	}
	return out, nil
}

// addClaims puts the user's e-mail and groups in an ID token or the
// userinfo answer.
func (s *memStore) addClaims(ui *oidc.UserInfo, userID string) {
	if u := s.users.GetUserByID(userID); u != nil {
		ui.Email, ui.EmailVerified, ui.Name = u.Email, oidc.Bool(u.EmailVerified), u.FirstName
	}
	s.mu.Lock()
	groups := s.groups[userID]
	s.mu.Unlock()
	if groups != nil {
		ui.AppendClaims("groups", groups)
	}
}

func (s *memStore) SetUserinfoFromScopes(ctx context.Context, ui *oidc.UserInfo, userID, clientID string, scopes []string) error {
	if err := s.Storage.SetUserinfoFromScopes(ctx, ui, userID, clientID, scopes); err != nil {
		return err
	}
	s.addClaims(ui, userID)
	return nil
}

func (s *memStore) SetUserinfoFromRequest(ctx context.Context, ui *oidc.UserInfo, token op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, ui, token, scopes); err != nil {
		return err
	}
	s.addClaims(ui, token.GetSubject())
	return nil
}

func (s *memStore) SetUserinfoFromToken(ctx context.Context, ui *oidc.UserInfo, tokenID, subject, origin string) error {
	if err := s.Storage.SetUserinfoFromToken(ctx, ui, tokenID, subject, origin); err != nil {
		return err
	}
	s.addClaims(ui, ui.Subject)
	return nil
}
