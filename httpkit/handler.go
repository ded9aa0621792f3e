package httpkit

import "net/http"

// Handler handles one request for a signed-in principal. It returns the
// error it meets instead of writing it: the web and API adapters write it,
// each in its own form, in one place.
type Handler func(w http.ResponseWriter, r *http.Request, p *Principal) error
