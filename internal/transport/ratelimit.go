package transport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RateLimitError is a request GitHub refused for a rate limit that the client could not wait
// out: GitHub asked it to wait past the operation's deadline, or kept refusing. It is returned
// in place of GitHub's answer, so that go-github never sees the refusal and never starts
// refusing requests on its own (see hideExhaustion).
type RateLimitError struct {
	Secondary  bool   // GitHub's secondary (abuse) limit, not the hourly primary one
	StatusCode int    // 403 or 429
	Message    string // GitHub's own words
	// Until is when GitHub said requests would be answered again.
	Until time.Time
	// Deadline is the operation's deadline when that is why the client gave up; zero when it
	// gave up because GitHub kept refusing.
	Deadline time.Time
}

func (e *RateLimitError) Error() string {
	limit := "primary rate limit is used up"
	if e.Secondary {
		limit = "secondary rate limit asks clients to wait"
	}
	msg := fmt.Sprintf("GitHub's %s until %s", limit, e.Until.UTC().Format(time.RFC3339))
	if !e.Deadline.IsZero() {
		msg += fmt.Sprintf(", after this operation's deadline (%s)", e.Deadline.UTC().Format(time.RFC3339))
	} else {
		msg += ", and it kept refusing after the client waited"
	}
	if e.Message != "" {
		msg += "; GitHub said: " + e.Message
	}
	return msg
}

// refusal is what the transport makes of a 403 or 429: whether it is a rate limit, which one,
// and how long GitHub asks the client to wait.
type refusal struct {
	rateLimited bool
	secondary   bool
	// wait is GitHub's own figure (retry-after, or the primary reset less the server's clock);
	// zero for a secondary limit that names none, where the client's policy decides.
	wait    time.Duration
	message string
}

// classifyRefusal reads a 403 or 429 as GitHub's documentation describes rate-limit answers:
// retry-after, when present, says how long to wait; x-ratelimit-remaining 0 means the primary
// limit, which resets at x-ratelimit-reset; a message naming a secondary rate limit (or, in older
// wording, abuse detection) without either means wait at least a minute. Anything else (a
// permission error) is not a rate limit. body is the answer's body, already read; now is the
// client's clock.
func classifyRefusal(resp *http.Response, body []byte, now time.Time) refusal {
	var r refusal
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return r
	}
	var parsed struct {
		Message string `json:"message"`
	}
	_ = json.Unmarshal(body, &parsed)
	r.message = parsed.Message
	msg := strings.ToLower(parsed.Message)
	mentionsSecondary := strings.Contains(msg, "secondary rate limit") || strings.Contains(msg, "abuse")
	h := resp.Header

	if wait, ok := retryAfter(h.Get("Retry-After"), serverNow(h, now)); ok {
		r.rateLimited, r.secondary, r.wait = true, h.Get("X-RateLimit-Remaining") != "0" || mentionsSecondary, wait
		return r
	}
	if h.Get("X-RateLimit-Remaining") == "0" && !mentionsSecondary &&
		(resp.StatusCode == http.StatusTooManyRequests || msg == "" || strings.Contains(msg, "rate limit")) {
		r.rateLimited = true
		if reset, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			r.wait = max(0, time.Unix(reset, 0).Sub(serverNow(h, now)))
		}
		return r
	}
	if mentionsSecondary || resp.StatusCode == http.StatusTooManyRequests {
		r.rateLimited, r.secondary = true, true
	}
	return r
}

// retryAfter parses a Retry-After header: delay-seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(0, at.Sub(now)), true
	}
	return 0, false
}

// serverNow is GitHub's clock, so that a reset time is measured against the clock that set it
// and a client whose clock is off waits neither too little nor too long: the local clock while
// it agrees with the answer's Date header to within that header's one-second precision, else
// the Date header's time.
func serverNow(h http.Header, now time.Time) time.Time {
	if at, err := http.ParseTime(h.Get("Date")); err == nil {
		if skew := now.Sub(at); skew > 2*time.Second || skew < -time.Second {
			return at
		}
	}
	return now
}

// readBody reads and closes resp's body and puts an identical one back, so the answer can be
// classified and still handed on.
func readBody(resp *http.Response) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return body, err
}

// hideExhaustion keeps go-github out of rate limiting. go-github v62 remembers the last
// x-ratelimit-remaining it saw and, once that is 0, refuses every later request itself until
// the reset, without asking GitHub; its switch for that (bypassRateLimitCheck) is not exported.
// It skips that bookkeeping for answers marked X-From-Cache (the marker of the HTTP caches it
// documents), so the transport marks the answers that report nothing remaining. The transport
// then decides, from GitHub's answers, whether to wait or fail.
func hideExhaustion(resp *http.Response) {
	if resp != nil && resp.Header.Get("X-RateLimit-Remaining") == "0" {
		resp.Header.Set("X-From-Cache", "1")
	}
}
