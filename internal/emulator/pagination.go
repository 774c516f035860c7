package emulator

import (
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// GitHub pages lists in one of two styles, and the emulator answers in the style asked for:
//   - by page number (page=N, or nothing), with Link relations prev, next, last and first, in
//     that order, as docs.github.com's "Using pagination in the REST API" shows them;
//   - by cursor (before= or after=), with opaque cursors in next (after=) and prev (before=)
//     links and no last or first, since a cursor walk does not count pages.
//
// Link URLs repeat the request's path and query with only the paging parameters changed, so a
// client that follows them verbatim (Octokit's paginate) and one that reads the numbers out
// (go-github's NextPage, After) both work.

const (
	defaultPerPage = 30
	maxPerPage     = 100
)

// pageRequest is how one list request asked to be paged.
type pageRequest struct {
	perPage int
	page    int // 1-based; used when !cursor
	cursor  bool
	// after and before are the cursors given: nil when absent. An empty cursor starts a cursor
	// walk: after= at the start of the list, before= at its end. GitHub's documentation says
	// only that cursors come from the Link header; go-github sends neither when empty, so a
	// client starting a cursor walk sends "after=".
	after, before *string
}

// parsePaging reads per_page, page and, where the operation has them, before and after. It
// returns the problems that make the request invalid, worded for a 422.
func parsePaging(q url.Values, cursors bool) (pageRequest, []string) {
	p := pageRequest{perPage: defaultPerPage, page: 1}
	var problems []string
	if q.Has("per_page") {
		n, err := strconv.Atoi(q.Get("per_page"))
		if err != nil || n < 1 || n > maxPerPage {
			problems = append(problems, fmt.Sprintf("For 'per_page', %q is not an integer between 1 and %d.",
				q.Get("per_page"), maxPerPage))
		}
		p.perPage = n
	}
	if q.Has("page") {
		n, err := strconv.Atoi(q.Get("page"))
		if err != nil || n < 1 {
			problems = append(problems, fmt.Sprintf("For 'page', %q is not a positive integer.", q.Get("page")))
		}
		p.page = n
	}
	if cursors {
		if q.Has("after") {
			p.after = ptr(q.Get("after"))
		}
		if q.Has("before") {
			p.before = ptr(q.Get("before"))
		}
		p.cursor = p.after != nil || p.before != nil
		switch {
		case p.after != nil && p.before != nil:
			problems = append(problems, "'before' and 'after' cannot be used together.")
		case p.cursor && q.Has("page"):
			problems = append(problems, "'page' cannot be used together with 'before' or 'after'.")
		}
	}
	return p, problems
}

// pageBounds returns the slice [lo:hi] of a list of total items that the requested page holds.
func (p pageRequest) pageBounds(total int) (lo, hi int) {
	lo = min((p.page-1)*p.perPage, total)
	if p.page-1 > total/p.perPage { // guard the multiplication against absurd page numbers
		lo = total
	}
	return lo, min(lo+p.perPage, total)
}

// pageLinks returns the Link relations of the requested page of a list of total items.
func (p pageRequest) pageLinks(b linkBuilder, total int) []link {
	last := max(1, (total+p.perPage-1)/p.perPage)
	var links []link
	if p.page > 1 {
		links = append(links, link{b.with("page", strconv.Itoa(min(p.page-1, last))), "prev"})
	}
	if p.page < last {
		links = append(links,
			link{b.with("page", strconv.Itoa(p.page+1)), "next"},
			link{b.with("page", strconv.Itoa(last)), "last"})
	}
	if p.page > 1 {
		links = append(links, link{b.with("page", "1"), "first"})
	}
	return links
}

// link is one relation of a Link header.
type link struct{ url, rel string }

// linkBuilder makes the URLs of a list's other pages from the request for this one.
type linkBuilder struct {
	base  string // API base URL and the request's path
	query url.Values
}

// linkBuilderFor is a linkBuilder for r, with URLs under the API base URL. Callers hold the lock.
func (e *Emulator) linkBuilderFor(r *http.Request) linkBuilder {
	apiBase, _ := e.urlsFor(r)
	path := strings.TrimPrefix(r.URL.EscapedPath(), e.cfg.PathPrefix+"/")
	return linkBuilder{base: apiBase + path, query: r.URL.Query()}
}

// with returns the URL with key set to value; a cursor replaces the other cursor and any page.
func (b linkBuilder) with(key, value string) string {
	q := url.Values{}
	for k, v := range b.query {
		q[k] = v
	}
	if key == "after" || key == "before" {
		q.Del("after")
		q.Del("before")
		q.Del("page")
	}
	q.Set(key, value)
	return b.base + "?" + q.Encode()
}

// linkHeader renders links as GitHub's Link header does; "" when there are none.
func linkHeader(links []link) string {
	parts := make([]string, len(links))
	for i, l := range links {
		parts[i] = fmt.Sprintf("<%s>; rel=%q", l.url, l.rel)
	}
	return strings.Join(parts, ", ")
}

// writeListAnswer sends a list answer with its Link header, if it has one.
func writeListAnswer(w http.ResponseWriter, a answer, links string) {
	if links != "" && a.status == http.StatusOK {
		w.Header().Set("Link", links)
	}
	writeAnswer(w, a)
}

// cursorPage cuts the requested page out of items, which are in ascending order of key, for an
// operation that pages only by cursor (per_page, before, after: the code security
// configuration lists). Without a cursor it is the first page. kind names what the cursor
// points at, so a cursor of one list is refused by another.
func cursorPage[T any](items []T, key func(T) int64, kind string, q url.Values, b linkBuilder) ([]T, []link, []string) {
	q = maps.Clone(q)
	q.Del("page") // not a parameter of these operations: ignored, as GitHub ignores unknown ones
	p, problems := parsePaging(q, true)
	if len(problems) > 0 {
		return nil, nil, problems
	}
	cursorOf := func(k int64) string {
		return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%s:v1:%d", kind, k)))
	}
	// position is where the items after the cursor start (after) or those before it end.
	position := func(param, cursor string, after bool) (int, []string) {
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		k, err2 := strconv.ParseInt(strings.TrimPrefix(string(raw), kind+":v1:"), 10, 64)
		if err != nil || err2 != nil || !strings.HasPrefix(string(raw), kind+":v1:") {
			return 0, []string{fmt.Sprintf("For '%s', %q is not a valid cursor.", param, cursor)}
		}
		return sort.Search(len(items), func(i int) bool { return key(items[i]) > k || (!after && key(items[i]) == k) }), nil
	}
	lo, hi := 0, min(p.perPage, len(items))
	switch {
	case p.after != nil && *p.after != "":
		start, problems := position("after", *p.after, true)
		if problems != nil {
			return nil, nil, problems
		}
		lo, hi = start, min(start+p.perPage, len(items))
	case p.before != nil && *p.before != "":
		end, problems := position("before", *p.before, false)
		if problems != nil {
			return nil, nil, problems
		}
		lo, hi = max(0, end-p.perPage), end
	case p.before != nil:
		lo, hi = max(0, len(items)-p.perPage), len(items)
	}
	var links []link
	if lo > 0 {
		links = append(links, link{b.with("before", cursorOf(key(items[lo]))), "prev"})
	}
	if hi < len(items) {
		links = append(links, link{b.with("after", cursorOf(key(items[hi-1]))), "next"})
	}
	return items[lo:hi], links, nil
}
