package transport

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// etagPerPath answers each path with a 200 of body and an ETag naming the path, or a 304 to a
// request that names it, and records each request's If-None-Match by path.
type etagPerPath struct {
	body   string
	ifNone map[string][]string
}

func (e *etagPerPath) RoundTrip(r *http.Request) (*http.Response, error) {
	if e.ifNone == nil {
		e.ifNone = map[string][]string{}
	}
	etag := `"` + r.URL.Path + `"`
	e.ifNone[r.URL.Path] = append(e.ifNone[r.URL.Path], r.Header.Get("If-None-Match"))
	h := http.Header{"Etag": {etag}, "Content-Type": {"application/json"}}
	if r.Header.Get("If-None-Match") == etag {
		return &http.Response{StatusCode: http.StatusNotModified, Header: h, Body: http.NoBody, Request: r}, nil
	}
	return &http.Response{StatusCode: http.StatusOK, Header: h, Body: io.NopCloser(strings.NewReader(e.body)), Request: r}, nil
}

func readPaths(t *testing.T, c *Conditional, paths ...string) {
	t.Helper()
	for _, p := range paths {
		req, _ := http.NewRequest(http.MethodGet, "https://api.example"+p, nil)
		resp, err := c.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadAll(resp.Body); err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
}

// lastIfNone is the If-None-Match the last request for path carried.
func (e *etagPerPath) lastIfNone(path string) string {
	sent := e.ifNone[path]
	return sent[len(sent)-1]
}

// Three answers of 10 bytes under a budget of 25: the least recently used leaves memory, and
// its next read is sent without If-None-Match; one read since stays, and is revalidated.
func TestCacheMemoryKeepsTheRecentlyUsedWithinItsBudget(t *testing.T) {
	t.Parallel()
	next := &etagPerPath{body: `"0123456"` + "\n"}
	c, _ := NewConditional(next, "test", "", nil)
	c.entries = newMemoryEntries(25)
	readPaths(t, c, "/a", "/b", "/a", "/c") // /b is now the least recently used
	if c.entries.bytes > 25 || c.entries.recency.Len() != 2 {
		t.Fatalf("memory holds %d entries, %d bytes; want 2 within 25", c.entries.recency.Len(), c.entries.bytes)
	}
	readPaths(t, c, "/a", "/b")
	if got := next.lastIfNone("/a"); got != `"/a"` {
		t.Fatalf("the recently used /a was read with If-None-Match %q; want it revalidated", got)
	}
	if got := next.lastIfNone("/b"); got != "" {
		t.Fatalf("/b, out of memory without a cache directory, was sent with If-None-Match %q", got)
	}
}

// With a cache directory an entry that left memory is read back from disk.
func TestCacheEntryOutOfMemoryIsReadFromTheDirectory(t *testing.T) {
	t.Parallel()
	next := &etagPerPath{body: `"0123456"` + "\n"}
	c, err := NewConditional(next, "test", t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	c.entries = newMemoryEntries(15)
	readPaths(t, c, "/a", "/b", "/a")
	if got := next.lastIfNone("/a"); got != `"/a"` {
		t.Fatalf("/a, out of memory but on disk, was read with If-None-Match %q; want it revalidated", got)
	}
	if c.entries.recency.Len() != 1 {
		t.Fatalf("memory holds %d entries; want 1 within 15 bytes", c.entries.recency.Len())
	}
}
