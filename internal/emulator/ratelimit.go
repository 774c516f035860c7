package emulator

import (
	"net/http"
	"strconv"
	"time"
)

// rateWindow is GitHub's primary rate limit for one subject: a fixed hour that starts with the
// subject's first request, as x-ratelimit-reset shows.
type rateWindow struct {
	limit int
	used  int
	reset time.Time
}

// spendRateLimit counts one request against subject and reports whether it was within the
// limit. A refused request is not counted, so used never exceeds limit.
func (e *Emulator) spendRateLimit(subject string, limit int) (rateWindow, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	w, ok := e.rateWindows[subject]
	if !ok || !now.Before(w.reset) {
		w = &rateWindow{limit: limit, reset: now.Add(time.Hour).Truncate(time.Second)}
		e.rateWindows[subject] = w
	}
	if w.used >= w.limit {
		return *w, false
	}
	w.used++
	return *w, true
}

func setRateLimitHeaders(h http.Header, w rateWindow) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(w.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(w.limit-w.used))
	h.Set("X-RateLimit-Used", strconv.Itoa(w.used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(w.reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}
