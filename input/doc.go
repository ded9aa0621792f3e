// Package input turns what a request carries (path values, query strings,
// form fields and JSON bodies) into the application's inputs. The pages
// (package web) and the API (package api) both decode through it, so a
// filter, a date or a body means the same on both.
package input
