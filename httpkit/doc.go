// Package httpkit is what Assay's two HTTP faces share: the web pages
// (package web) and the JSON API (package api). It finds who is asking
// (Authenticate, Principal), decides whether their role may take a route
// (Allow) and whether a form or call came from Assay (ValidCSRF), maps an
// error code to its HTTP status (StatusOf), writes and reads JSON
// (WriteJSON, WriteError, DecodeJSON) and sets the security headers every
// response carries. It holds no routes and renders no pages.
package httpkit
