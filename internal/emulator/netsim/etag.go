package netsim

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
)

// etagCounter counts the 304s answered.
type etagCounter struct {
	mu          sync.Mutex
	notModified int
}

// NotModifiedCount is how many conditional GETs were answered 304 so far.
func (n *Network) NotModifiedCount() int {
	n.etags.mu.Lock()
	defer n.etags.mu.Unlock()
	return n.etags.notModified
}

// ETags answers GETs as GitHub does conditional requests: a 200 carries an ETag (a digest of
// the body, as GitHub's are), and a GET whose If-None-Match names the current ETag gets 304
// Not Modified with no body (which RateLimits, outside, does not charge: "Making a conditional
// request does not count against your primary rate limit if a 304 response is returned").
// GitHub's caching headers go with every 200 GET, max-age and Vary included, so a client that
// honoured them blindly would show how stale it is. Other methods pass through.
func (n *Network) ETags(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		buf := NewBufferedAnswer()
		next.ServeHTTP(buf, r)
		buf.CopyHeaderTo(w)
		h := w.Header()
		if buf.Status() == http.StatusOK {
			sum := sha256.Sum256(buf.Body())
			etag := `W/"` + hex.EncodeToString(sum[:16]) + `"`
			h.Set("ETag", etag)
			h.Set("Cache-Control", "private, max-age=60, s-maxage=60")
			h.Set("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
			if etagMatches(r.Header.Get("If-None-Match"), etag) {
				n.etags.mu.Lock()
				n.etags.notModified++
				n.etags.mu.Unlock()
				h.Del("Content-Type")
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.WriteHeader(buf.Status())
		_, _ = w.Write(buf.Body())
	})
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
