package httpkit

import "net/http"

const (
	sessionCookie       = "assay_session"
	secureSessionCookie = "__Host-assay_session"
)

// SessionCookieValue is the session secret the browser sent, or "".
func SessionCookieValue(r *http.Request) string {
	for _, name := range []string{secureSessionCookie, sessionCookie} {
		if c, err := r.Cookie(name); err == nil && c.Value != "" {
			return c.Value
		}
	}
	return ""
}

// SetSessionCookie sets the session cookie: HttpOnly, SameSite=Lax, and
// Secure with the __Host- prefix whenever the connection is HTTPS (or
// secure says it is, behind a TLS proxy). maxAge -1 deletes it.
func SetSessionCookie(w http.ResponseWriter, r *http.Request, secure bool, value string, maxAge int) {
	secure = secure || r.TLS != nil
	name := sessionCookie
	if secure {
		name = secureSessionCookie
	}
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}
