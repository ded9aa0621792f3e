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
// token is refused at once. An API token used from an address other than
// the one it was last used from is recorded in the activity trail.
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
			if addr := ClientAddr(r); addr != t.LastUsedAddr {
				// A token used from somewhere new is worth a line in the
				// trail: a leaked token shows up there.
				err := st.Org(u.OrgID).RecordSecurityEvent(r.Context(), assay.SecurityEvent{Action: assay.EventTokenNewAddress,
					UserID: u.ID, TokenID: t.ID, Via: "api", Addr: addr})
				if err != nil {
					log.Error("record API token address", "token_id", t.ID, "err", err)
				}
			}
			p = &Principal{User: u, Token: &t, Org: app.OrgFor(st, u), Via: "api"}
		} else if c := SessionCookieValue(r); c != "" {
			u, sess, err := st.UserBySession(r.Context(), auth.HashToken(c))
			if err == nil && sess.MFAStage != assay.SessionComplete {
				// The password was right, the second factor is still to
				// come: nobody is signed in yet.
				r = r.WithContext(WithPendingSignIn(r.Context(), &PendingSignIn{User: u, Session: sess}))
			} else if err == nil {
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
