package entra

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/assay-platform/assay/monitor/collect/apiclient"
)

// client is a minimal Microsoft Graph client: GETs of JSON collections,
// following @odata.nextLink to the end.
type client struct {
	base *url.URL // https://graph.microsoft.com
	http *http.Client
}

// page is one page of a Graph collection.
type page[T any] struct {
	Value    []T    `json:"value"`
	NextLink string `json:"@odata.nextLink"`
}

// graphError is Graph's error body.
type graphError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// maxPages bounds one collection (999 users a page: ten million users).
const maxPages = 10_000

// each reads every page of path (under /v1.0) and hands each item to fn.
func each[T any](ctx context.Context, c *client, path, perm string, fn func(T)) error {
	next, err := c.base.Parse(c.base.Path + "/v1.0" + path)
	if err != nil {
		return err
	}
	for pages := 0; next != nil; pages++ {
		if pages > maxPages {
			return fmt.Errorf("%w: GET %s: more than %d pages", apiclient.ErrPartial, path, maxPages)
		}
		var p page[T]
		if err := c.get(ctx, next, perm, &p); err != nil {
			return err
		}
		for _, v := range p.Value {
			fn(v)
		}
		next = nil
		if p.NextLink != "" {
			u, err := url.Parse(p.NextLink)
			// A next link to another host would take the token away: refuse it.
			if err != nil || u.Host != c.base.Host || u.Scheme != c.base.Scheme {
				return fmt.Errorf("%w: GET %s: the next page's link is not on %s", apiclient.ErrPartial, path, c.base.Host)
			}
			next = u
		}
	}
	return nil
}

func (c *client) get(ctx context.Context, u *url.URL, perm string, out any) error {
	what := "GET " + u.Path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", apiclient.ErrPartial, what, err)
	}
	req.Header.Set("Accept", "application/json")
	// signInActivity and $count need the advanced query mode.
	req.Header.Set("ConsistencyLevel", "eventual")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %w", apiclient.ErrPartial, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e graphError
		_ = json.NewDecoder(resp.Body).Decode(&e)
		switch resp.StatusCode {
		case http.StatusUnauthorized:
			return fmt.Errorf("%w: %s: Graph refused the access token (401 %s: %s)", apiclient.ErrPartial, what, e.Error.Code, e.Error.Message)
		case http.StatusForbidden:
			return fmt.Errorf("%w: %s: Graph answered 403 (%s: %s); the app registration needs the application permission %s, with admin consent",
				apiclient.ErrPartial, what, e.Error.Code, e.Error.Message, perm)
		case http.StatusTooManyRequests:
			return fmt.Errorf("%w: %s: Graph was still throttling after waiting", apiclient.ErrPartial, what)
		}
		return fmt.Errorf("%w: %s: Graph answered %d (%s: %s)", apiclient.ErrPartial, what, resp.StatusCode, e.Error.Code, e.Error.Message)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("%w: %s: the answer is not the JSON Graph documents: %v", apiclient.ErrPartial, what, err)
	}
	return nil
}
