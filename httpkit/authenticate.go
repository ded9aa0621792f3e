package httpkit

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/store"
)

// Authenticate finds who is asking: a bearer token on /api/, or a session
// cookie. It never turns a request away for lack of one; the web and API
// adapters decide what each route needs. A malformed or unknown bearer
// token is refused at once.
func Authenticate(st store.Store, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p *Principal
		if h := r.Header.Get("Authorization"); h != "" && strings.HasPrefix(r.URL.Path, "/api/") {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				WriteError(w, r, log, assay.Errorf(assay.EUNAUTHORIZED, "Use Authorization: Bearer <token>."))
				return
			}
			u, t, err := st.UserByAPIToken(r.Context(), auth.HashToken(strings.TrimSpace(secret)))
			if err != nil {
				WriteError(w, r, log, err)
				return
			}
			p = &Principal{User: u, Token: &t, Org: app.OrgFor(st, u), Via: "api"}
		} else if c := SessionCookieValue(r); c != "" {
			u, sess, err := st.UserBySession(r.Context(), auth.HashToken(c))
			if err == nil {
				via := "web"
				if strings.HasPrefix(r.URL.Path, "/api/") {
					via = "api"
				}
				p = &Principal{User: u, Session: &sess, Org: app.OrgFor(st, u), Via: via}
			} else if assay.ErrorCode(err) != assay.EUNAUTHORIZED {
				log.Error("session lookup failed", "err", err)
			}
		}
		if p != nil {
			r = r.WithContext(WithPrincipal(r.Context(), p))
		}
		next.ServeHTTP(w, r)
	})
}
