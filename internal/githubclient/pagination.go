package githubclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxPerPage is the largest page GitHub serves.
const maxPerPage = 100

// listPages reads a list endpoint page by page, following each answer's Link rel="next", until
// the list ends or limit items (0: no limit) were read. GitHub decides the form of the next link
// (a page number or an opaque cursor), so the client never builds one itself. A next link that
// leaves the API root is refused rather than followed, so the token never goes elsewhere.
func listPages[T any](ctx context.Context, c *Client, op string, repo Repository, path string, query url.Values, limit int) ([]T, error) {
	return listPagesKeeping[T](ctx, c, op, repo, path, query, limit, nil)
}

// listPagesKeeping is listPages keeping only the items keep accepts (all, for a nil keep); the
// limit counts the items kept.
func listPagesKeeping[T any](ctx context.Context, c *Client, op string, repo Repository, path string, query url.Values, limit int, keep func(T) bool) ([]T, error) {
	var all []T
	err := eachListed(ctx, c, op, repo, path, query, limit, keep, func(item T) error {
		all = append(all, item)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}

// eachListed reads a list as listPagesKeeping does, handing each item kept to visit as its page
// arrives, so that a caller consuming them as they come holds one page, not the list; an error
// from visit ends the list and is returned as it is.
func eachListed[T any](ctx context.Context, c *Client, op string, repo Repository, path string, query url.Values, limit int, keep func(T) bool, visit func(T) error) error {
	query.Set("per_page", fmt.Sprint(maxPerPage))
	next := path + "?" + query.Encode()
	kept := 0
	for next != "" {
		req, err := c.newRequest(http.MethodGet, next, nil)
		if err != nil {
			return err
		}
		var page []T
		resp, err := c.gh.Do(ctx, req, &page)
		if err != nil {
			return asAPIError(op, repo, req, resp, err)
		}
		for _, item := range page {
			if keep != nil && !keep(item) {
				continue
			}
			if err := visit(item); err != nil {
				return err
			}
			if kept++; limit > 0 && kept >= limit {
				return nil
			}
		}
		next, err = c.nextPage(resp.Header.Get("Link"))
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
	}
	return nil
}

// nextPage finds rel="next" in a Link header and checks that it stays below the API root.
func (c *Client) nextPage(link string) (string, error) {
	for _, part := range strings.Split(link, ",") {
		target, params, ok := strings.Cut(strings.TrimSpace(part), ";")
		if !ok || !strings.Contains(params, `rel="next"`) {
			continue
		}
		target = strings.Trim(strings.TrimSpace(target), "<>")
		u, err := c.baseURL.Parse(target)
		if err != nil {
			return "", fmt.Errorf("GitHub's next-page link %q is not a URL: %w", target, err)
		}
		if !strings.EqualFold(u.Host, c.baseURL.Host) || u.Scheme != c.baseURL.Scheme || !strings.HasPrefix(u.Path, c.baseURL.Path) {
			return "", fmt.Errorf("GitHub's next-page link %q leaves the API at %s; not following it", target, c.baseURL)
		}
		return strings.TrimPrefix(u.Path, c.baseURL.Path) + "?" + u.RawQuery, nil
	}
	return "", nil
}

// filterQuery is a list's query: the filters set (an empty one is left out, so GitHub applies
// its default) and pr when positive.
func filterQuery(filters map[string]string, pr int) url.Values {
	q := url.Values{}
	for key, value := range filters {
		if value != "" {
			q.Set(key, value)
		}
	}
	if pr > 0 {
		q.Set("pr", strconv.Itoa(pr))
	}
	return q
}
