package transport

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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
// directory) and outlast the process: the next process revalidates what the last one read.
// Entries neither written nor revalidated for CacheEntryMaxAge are pruned when a client
// opens the directory (cache_prune.go).

// Conditional revalidates GETs with If-None-Match from its cache.
type Conditional struct {
	next     http.RoundTripper
	identity string // who is asking, e.g. a hash of the token; part of every key
	dir      string // "" keeps entries in memory only
	log      LogFunc

	mu      sync.Mutex
	entries *memoryEntries // conditional_memory.go
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

// Stats counts the cache's work so far: GETs GitHub answered 304 (which did not count against
// the rate limit), and 200s stored.
func (t *Conditional) Stats() (revalidated, stored int) { return t.stats.snapshot() }

func (s *cacheStats) snapshot() (revalidated, refreshed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.revalidated, s.refreshed
}

// cachedAnswer is a 200 GitHub sent with an ETag. Digest is the body's SHA-256, so an entry
// altered or cut short on disk is noticed: GitHub would keep answering 304 to its ETag, and the
// bad body would fail every read, or show a state GitHub never held, until deleted by hand.
type cachedAnswer struct {
	ETag   string      `json:"etag"`
	Header http.Header `json:"header"`
	Body   []byte      `json:"body"`
	Digest string      `json:"sha256"`
}

func bodyDigest(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// sound reports whether an entry read from disk is one the cache wrote: its body whole and, for
// JSON, decodable.
func (c *cachedAnswer) sound() bool {
	return c.ETag != "" && c.Digest == bodyDigest(c.Body) && decodable(c.Header, c.Body)
}

// decodable reports whether a body that says it is JSON is JSON. Anything else is kept as is.
func decodable(h http.Header, body []byte) bool {
	return !strings.Contains(h.Get("Content-Type"), "json") || json.Valid(body)
}

// sameETag is the weak comparison RFC 9110 gives If-None-Match: W/ does not count.
func sameETag(a, b string) bool {
	return strings.TrimPrefix(a, "W/") == strings.TrimPrefix(b, "W/")
}

// maxCachedBody keeps one very large list page from filling memory or the disk.
const maxCachedBody = 8 << 20

// NewConditional builds the cache over next for the credential identity (see Identity), on
// disk in dir, or in memory when dir is "". A dir that cannot be used is *CacheDirError.
func NewConditional(next http.RoundTripper, identity, dir string, log LogFunc) (*Conditional, error) {
	if dir != "" {
		if err := openCacheDir(dir); err != nil {
			return nil, err
		}
		pruneCacheDir(dir, time.Now())
	}
	if log == nil {
		log = func(context.Context, string, map[string]any) {}
	}
	return &Conditional{next: next, identity: identity, dir: dir, log: log, entries: newMemoryEntries(DefaultCacheMemory)}, nil
}

func (t *Conditional) RoundTrip(req *http.Request) (*http.Response, error) {
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
	if resp.StatusCode == http.StatusNotModified && cached != nil {
		drain(resp)
		if etag := resp.Header.Get("ETag"); etag != "" && !sameETag(etag, cached.ETag) {
			// GitHub's 304 names another version than the one kept: the entry is not what
			// GitHub means, so it goes, and the read is sent again as if never made.
			t.drop(key)
			t.log(req.Context(), "dropped a cached answer GitHub's 304 did not match; reading afresh", map[string]any{"path": req.URL.Path})
			if resp, err = t.next.RoundTrip(req); err != nil {
				return nil, err
			}
			return t.keep(key, resp)
		}
		t.stats.add(1, 0)
		touchCacheEntry(t.dir, key, time.Now())
		return cached.answer(req, resp), nil
	}
	return t.keep(key, resp)
}

// keep hands on a 200 that carries an ETag so that it is stored once read whole; other answers
// pass untouched.
func (t *Conditional) keep(key string, resp *http.Response) (*http.Response, error) {
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == "" {
		return resp, nil
	}
	resp.Body = &keptBody{ReadCloser: resp.Body, store: func(body []byte) {
		// A body that does not decode is handed on for the caller to report, never kept to be
		// replayed on every 304.
		if decodable(resp.Header, body) {
			t.store(key, &cachedAnswer{ETag: resp.Header.Get("ETag"), Header: storableHeader(resp.Header), Body: body, Digest: bodyDigest(body)})
			t.stats.add(0, 1)
		}
	}}
	return resp, nil
}

// keptBody is the body of an answer to be stored, copied as the caller reads it and stored at
// its end. It is read as it comes, not whole before the caller sees it, so that the try's
// timeout above (Retry's attemptBody) sees every read: a page that keeps coming for longer
// than AttemptTimeout in all is not cut, and one that stops is reported as an answer cut
// short. A body past maxCachedBody is handed on and not kept; one cut short is not kept.
type keptBody struct {
	io.ReadCloser
	store  func([]byte)
	copied bytes.Buffer
	large  bool // past maxCachedBody: no longer copied
	ended  bool // read to its end: stored or refused
}

func (b *keptBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if !b.large && !b.ended {
		if b.copied.Len()+n > maxCachedBody {
			b.large = true
			b.copied = bytes.Buffer{}
		} else {
			b.copied.Write(p[:n])
		}
	}
	if err == io.EOF && !b.ended {
		b.ended = true
		if !b.large {
			b.store(b.copied.Bytes())
		}
	}
	return n, err
}

// keptBodyRest is how much of a body Close reads to find its end: a JSON decoder stops after
// the value, before a trailing newline and the end. A caller that left more gave the answer
// up (one too large, say), and it is not read for the cache's sake.
const keptBodyRest = 512

// Close reads what is left of a body the caller decoded without reading its end, so that the
// answer is stored; a body cut short, or given up, stays unstored.
func (b *keptBody) Close() error {
	if !b.ended && !b.large {
		_, _ = io.Copy(io.Discard, io.LimitReader(b, keptBodyRest))
	}
	return b.ReadCloser.Close()
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
func (t *Conditional) key(req *http.Request) string {
	sum := sha256.New()
	for _, part := range []string{t.identity, req.URL.String(), req.Header.Get("Accept"), req.Header.Get("X-GitHub-Api-Version")} {
		sum.Write([]byte(part))
		sum.Write([]byte{0})
	}
	return hex.EncodeToString(sum.Sum(nil))
}

func (t *Conditional) load(key string) *cachedAnswer {
	t.mu.Lock()
	c := t.entries.get(key)
	t.mu.Unlock()
	if c != nil || t.dir == "" {
		return c
	}
	raw, err := os.ReadFile(filepath.Join(t.dir, key+".json"))
	if err != nil {
		return nil
	}
	var stored cachedAnswer
	if json.Unmarshal(raw, &stored) != nil || !stored.sound() {
		// Not used, and removed so that no later process trusts it either; the read goes
		// without If-None-Match, and GitHub's 200 takes its place.
		_ = os.Remove(filepath.Join(t.dir, key+".json"))
		t.log(context.Background(), "dropped a cache directory entry that is damaged or was not written by this provider", map[string]any{"entry": key})
		return nil
	}
	t.mu.Lock()
	t.entries.put(key, &stored)
	t.mu.Unlock()
	return &stored
}

// drop forgets an entry, in memory and on disk.
func (t *Conditional) drop(key string) {
	t.mu.Lock()
	t.entries.remove(key)
	t.mu.Unlock()
	if t.dir != "" {
		_ = os.Remove(filepath.Join(t.dir, key+".json"))
	}
}

func (t *Conditional) store(key string, c *cachedAnswer) {
	t.mu.Lock()
	t.entries.put(key, c)
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

// Identity is the part of a cache key that says who asks: a hash of parts (a kind, the
// credential or what names it), so that the token itself is never kept, even in memory beside
// the entries.
func Identity(parts ...string) string {
	sum := sha256.New()
	for _, p := range parts {
		sum.Write([]byte(p))
		sum.Write([]byte{0})
	}
	return hex.EncodeToString(sum.Sum(nil))
}
