package netsim

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// rateWindow is GitHub's primary rate limit for one subject: a fixed hour that starts with the
// subject's first request, as x-ratelimit-reset shows.
type rateWindow struct {
	limit int
	used  int
	reset time.Time
}

// rateWindows holds every subject's window (by "token:…" or "address:…").
type rateWindows struct {
	mu      sync.Mutex
	windows map[string]*rateWindow
}

// spend counts one request against subject at now and reports whether it was within the
// limit. A refused request is not counted, so used never exceeds limit.
func (rw *rateWindows) spend(subject string, limit int, now time.Time) (rateWindow, bool) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	w, ok := rw.windows[subject]
	if !ok || !now.Before(w.reset) {
		w = &rateWindow{limit: limit, reset: now.Add(time.Hour).Truncate(time.Second)}
		rw.windows[subject] = w
	}
	if w.used >= w.limit {
		return *w, false
	}
	w.used++
	return *w, true
}

// peek returns subject's window as it stands at now, without counting a request.
func (rw *rateWindows) peek(subject string, now time.Time) (rateWindow, bool) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	w, ok := rw.windows[subject]
	if !ok || !now.Before(w.reset) {
		return rateWindow{}, false
	}
	return *w, true
}

// refund gives back a request spend counted, for an answer GitHub does not charge (a 304),
// and returns the window as it then stands.
func (rw *rateWindows) refund(subject string) (rateWindow, bool) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	w, ok := rw.windows[subject]
	if !ok {
		return rateWindow{}, false
	}
	if w.used > 0 {
		w.used--
	}
	return *w, true
}

// ExhaustRateLimit uses up token's primary rate limit at once, as a busy neighbour sharing it
// would; it resets resetIn from now (rounded up to the second, as x-ratelimit-reset counts in
// seconds). It returns the reset time.
func (n *Network) ExhaustRateLimit(token string, resetIn time.Duration) time.Time {
	reset := n.cfg.Now().Add(resetIn)
	if t := reset.Truncate(time.Second); t.Before(reset) {
		reset = t.Add(time.Second)
	}
	subject := "token:" + token
	n.rate.mu.Lock()
	defer n.rate.mu.Unlock()
	limit := n.cfg.RateLimit
	if w, ok := n.rate.windows[subject]; ok {
		limit = w.limit
	}
	n.rate.windows[subject] = &rateWindow{limit: limit, used: limit, reset: reset}
	return reset
}

// RateLimits counts each request against its subject's primary window (the accepted token, or
// the client's address with GitHub's unauthenticated limit), sets the X-RateLimit-* headers and
// refuses a token over its limit with GitHub's 403. A request without an accepted token goes
// on to next, which refuses it 401 as GitHub does, with the address's headers. An answer next
// sends as 304 is not charged, as GitHub does not charge conditional requests that hit.
func (n *Network) RateLimits(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, accepted := n.cfg.Credential(r)
		subject, limit := "token:"+token, n.cfg.RateLimit
		if !accepted {
			subject, limit = "address:"+clientAddress(r), unauthenticatedRateLimit
		}
		window, allowed := n.rate.spend(subject, limit, n.cfg.Now())
		setRateLimitHeaders(w.Header(), window)
		if accepted && !allowed {
			writeError(w, http.StatusForbidden, MsgRateLimitExceeded, docsRateLimit)
			return
		}
		next.ServeHTTP(&chargedWriter{ResponseWriter: w, rate: n.rate, subject: subject}, r)
	})
}

// chargedWriter refunds the request when its answer turns out to be a 304.
type chargedWriter struct {
	http.ResponseWriter
	rate    *rateWindows
	subject string
}

func (c *chargedWriter) WriteHeader(status int) {
	if status == http.StatusNotModified {
		if window, ok := c.rate.refund(c.subject); ok {
			setRateLimitHeaders(c.Header(), window)
		}
	}
	c.ResponseWriter.WriteHeader(status)
}

func setRateLimitHeaders(h http.Header, w rateWindow) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(w.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(w.limit-w.used))
	h.Set("X-RateLimit-Used", strconv.Itoa(w.used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(w.reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}
