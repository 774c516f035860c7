package githubclient

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// The conditional-request cache: every GET the client has read before is sent with
// If-None-Match, and GitHub's 304 Not Modified (which does not count against the primary rate
// limit) is turned back into the 200 it stands for, with the body read last time, so go-github
// and the operations above it never see a 304. Run polling and refreshes of unchanged
// repositories then cost nothing against the limit.
//
// Why not a library. gregjones/httpcache, which go-github's documentation long pointed to, has
// had no release since 2019 and its own README calls it unmaintained. bartventer/httpcache (the
// RFC 9111 cache go-github now points to) is maintained, but it is the wrong tool here twice
// over: it honours GitHub's "Cache-Control: private, max-age=60", so for a minute it would
// answer a run's status from memory without asking, and a poll would not see the run finish;
// and it honours "Vary: Authorization" by keeping the request's Authorization header beside the
// entry (VaryResolved), which its file store writes to disk, and a credential must never reach
// a disk. What is needed is twenty lines of revalidation (always ask, with the ETag), not
// freshness, so the client keeps its own.
//
// Entries are keyed by a SHA-256 of the credential's identity, the URL, Accept and the API
// version, so a different token never reads another's entries and no file name or content
// holds a credential. With a directory, entries also live on disk (0600 files in a 0700
// directory) and outlast the process: the next plan revalidates what the last apply read.
// Entries neither written nor revalidated for cacheEntryMaxAge are pruned when a client
// opens the directory (cache_prune.go).

// conditionalTransport revalidates GETs with If-None-Match from its cache.
type conditionalTransport struct {
	next     http.RoundTripper
	identity string // who is asking, e.g. a hash of the token; part of every key
	dir      string // "" keeps entries in memory only

	mu      sync.Mutex
	entries map[string]*cachedAnswer
	stats   cacheStats
}

// cacheStats counts what the conditional-request cache did, for logs and tests.
type cacheStats struct {
	mu                     sync.Mutex
	revalidated, refreshed int // 304s answered from the cache; 200s that replaced or filled it
}

func (s *cacheStats) add(revalidated, refreshed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revalidated += revalidated
	s.refreshed += refreshed
}

func (s *cacheStats) snapshot() (revalidated, refreshed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.revalidated, s.refreshed
}

// cachedAnswer is a 200 GitHub sent with an ETag.
type cachedAnswer struct {
	ETag   string      `json:"etag"`
	Header http.Header `json:"header"`
	Body   []byte      `json:"body"`
}

// maxCachedBody keeps one very large list page from filling memory or the disk.
const maxCachedBody = 8 << 20

func newConditionalTransport(next http.RoundTripper, identity, dir string) (*conditionalTransport, error) {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("cache_dir %q cannot be created: %w", dir, err)
		}
		pruneCacheDir(dir, time.Now())
	}
	return &conditionalTransport{next: next, identity: identity, dir: dir, entries: map[string]*cachedAnswer{}}, nil
}

func (t *conditionalTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet || req.Header.Get("If-None-Match") != "" || req.Header.Get("Range") != "" {
		return t.next.RoundTrip(req)
	}
	key := t.key(req)
	cached := t.load(key)
	out := req
	if cached != nil {
		out = req.Clone(req.Context())
		out.Header.Set("If-None-Match", cached.ETag)
	}
	resp, err := t.next.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && cached != nil:
		drain(resp)
		t.stats.add(1, 0)
		touchCacheEntry(t.dir, key, time.Now())
		return cached.answer(req, resp), nil
	case resp.StatusCode == http.StatusOK && resp.Header.Get("ETag") != "":
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxCachedBody+1))
		_ = resp.Body.Close()
		if err != nil {
			return nil, err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		if len(body) <= maxCachedBody {
			t.store(key, &cachedAnswer{ETag: resp.Header.Get("ETag"), Header: storableHeader(resp.Header), Body: body})
			t.stats.add(0, 1)
		}
	}
	return resp, nil
}

// answer is the 200 a 304 stands for: the stored body and headers, updated with the headers the
// 304 carries (rate limit, date), as RFC 9111 section 4.3.4 has a cache do.
func (c *cachedAnswer) answer(req *http.Request, notModified *http.Response) *http.Response {
	h := c.Header.Clone()
	for k, v := range notModified.Header {
		switch k {
		case "Content-Length", "Content-Type", "Content-Encoding", "Transfer-Encoding":
			continue
		}
		h[k] = v
	}
	h.Set("Content-Length", strconv.Itoa(len(c.Body)))
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         notModified.Proto,
		ProtoMajor:    notModified.ProtoMajor,
		ProtoMinor:    notModified.ProtoMinor,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(c.Body)),
		ContentLength: int64(len(c.Body)),
		Request:       req,
	}
}

// storableHeader is what to keep of an answer's headers: all but cookies and the headers that
// describe one transfer.
func storableHeader(h http.Header) http.Header {
	out := h.Clone()
	for _, k := range []string{"Set-Cookie", "Content-Length", "Transfer-Encoding", "Connection"} {
		out.Del(k)
	}
	return out
}

// key names an entry without revealing anything it was made from.
func (t *conditionalTransport) key(req *http.Request) string {
	sum := sha256.New()
	for _, part := range []string{t.identity, req.URL.String(), req.Header.Get("Accept"), req.Header.Get("X-GitHub-Api-Version")} {
		sum.Write([]byte(part))
		sum.Write([]byte{0})
	}
	return hex.EncodeToString(sum.Sum(nil))
}

func (t *conditionalTransport) load(key string) *cachedAnswer {
	t.mu.Lock()
	c := t.entries[key]
	t.mu.Unlock()
	if c != nil || t.dir == "" {
		return c
	}
	raw, err := os.ReadFile(filepath.Join(t.dir, key+".json"))
	if err != nil {
		return nil
	}
	var stored cachedAnswer
	if json.Unmarshal(raw, &stored) != nil || stored.ETag == "" {
		return nil // unreadable entries are simply not used; the next 200 replaces them
	}
	t.mu.Lock()
	t.entries[key] = &stored
	t.mu.Unlock()
	return &stored
}

func (t *conditionalTransport) store(key string, c *cachedAnswer) {
	t.mu.Lock()
	t.entries[key] = c
	t.mu.Unlock()
	if t.dir == "" {
		return
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return
	}
	// Write then rename, so a concurrent reader (another provider process sharing the
	// directory) never reads half an entry.
	f, err := os.CreateTemp(t.dir, key+".*.tmp")
	if err != nil {
		return
	}
	_, werr := f.Write(raw)
	cerr := f.Close()
	if werr != nil || cerr != nil || os.Rename(f.Name(), filepath.Join(t.dir, key+".json")) != nil {
		_ = os.Remove(f.Name())
	}
}

// credentialIdentity is the part of a cache key that says who asks: a hash, so that the token
// itself is never kept, even in memory beside the entries.
func credentialIdentity(parts ...string) string {
	sum := sha256.New()
	for _, p := range parts {
		sum.Write([]byte(p))
		sum.Write([]byte{0})
	}
	return hex.EncodeToString(sum.Sum(nil))
}
