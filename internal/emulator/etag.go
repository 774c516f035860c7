package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// serveRouted serves an authenticated request within the rate limit, as GitHub does
// conditional requests: a GET's 200 carries an ETag (a digest of the body, as GitHub's are), and
// a GET whose If-None-Match names the current ETag gets 304 Not Modified with no body, which
// does not count against the primary rate limit ("Making a conditional request does not count
// against your primary rate limit if a 304 response is returned"). GitHub's caching headers go
// with every 200 GET, max-age and Vary included, so a client that honoured them blindly would
// show how stale it is.
func (e *Emulator) serveRouted(w http.ResponseWriter, r *http.Request, subject string) {
	buf := &bufferedAnswer{header: http.Header{}}
	e.serveFlavoured(buf, r)
	if buf.status == 0 {
		buf.status = http.StatusOK
	}
	h := w.Header()
	for k, v := range buf.header {
		h[k] = v
	}
	if r.Method == http.MethodGet && buf.status == http.StatusOK {
		sum := sha256.Sum256(buf.body.Bytes())
		etag := `W/"` + hex.EncodeToString(sum[:16]) + `"`
		h.Set("ETag", etag)
		h.Set("Cache-Control", "private, max-age=60, s-maxage=60")
		h.Set("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
		if etagMatches(r.Header.Get("If-None-Match"), etag) {
			if window, ok := e.refundRateLimit(subject); ok {
				setRateLimitHeaders(h, window)
			}
			e.mu.Lock()
			e.notModified++
			e.mu.Unlock()
			h.Del("Content-Type")
			finish(w, r, func() { w.WriteHeader(http.StatusNotModified) })
			return
		}
	}
	finish(w, r, func() {
		w.WriteHeader(buf.status)
		_, _ = w.Write(buf.body.Bytes())
	})
}

// NotModifiedCount is how many conditional GETs were answered 304 so far.
func (e *Emulator) NotModifiedCount() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.notModified
}

// etagMatches is If-None-Match's weak comparison: any listed tag, W/ or not, or "*".
func etagMatches(ifNoneMatch, etag string) bool {
	if ifNoneMatch == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, tag := range strings.Split(ifNoneMatch, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == want {
			return true
		}
	}
	return false
}

// bufferedAnswer holds a handler's answer until the emulator knows whether to send it as it is,
// as a 304, or not at all (a lost answer).
type bufferedAnswer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedAnswer) Header() http.Header { return b.header }

func (b *bufferedAnswer) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedAnswer) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
