package web

import (
	"net/http"
	"net/url"
	"strconv"
)

// listRows is how many rows a paged list shows at a time.
const listRows = 100

// pager says which part of a long list a page shows and links to the
// pages either side, keeping the list's filters.
type pager struct {
	From, To, Total int    // 1-based rows shown, of Total
	Prev, Next      string // URLs of the pages around this one; "" at either end
}

// Paged reports whether the list is longer than one page.
func (p pager) Paged() bool { return p.Prev != "" || p.Next != "" }

// pageOf returns the page of items the request's page parameter asks for
// (1 when missing or out of range), size rows at most, and its pager.
func pageOf[T any](r *http.Request, items []T, size int) ([]T, pager) {
	n := len(items)
	page, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	if last := max(1, (n+size-1)/size); page > last {
		page = last
	}
	from, to := min(n, (page-1)*size), min(n, page*size)
	link := func(p int) string {
		q := r.URL.Query()
		if p == 1 {
			q.Del("page")
		} else {
			q.Set("page", strconv.Itoa(p))
		}
		u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
		return u.String()
	}
	pg := pager{From: from + 1, To: to, Total: n}
	if n == 0 {
		pg.From = 0
	}
	if page > 1 {
		pg.Prev = link(page - 1)
	}
	if to < n {
		pg.Next = link(page + 1)
	}
	return items[from:to], pg
}
