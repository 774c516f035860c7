package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/codescanning/terraform-provider-codescanning/internal/clock"
	"github.com/codescanning/terraform-provider-codescanning/internal/wait"
)

// RetryPolicy says how the transport retries what GitHub failed to answer and waits out its
// rate limits. Zero fields take the defaults below.
type RetryPolicy struct {
	// Backoff paces retries after a connection error or a 500, 502, 503 or 504.
	Backoff wait.Backoff
	// MaxAttempts bounds the tries of one request, rate-limit waits included.
	MaxAttempts int
	// SecondaryRateLimitWait is the least wait after a secondary rate limit whose answer names
	// no retry-after; it doubles with each further one, as GitHub's guidance asks.
	SecondaryRateLimitWait time.Duration
	// AttemptTimeout bounds one try of a request: from sending it to the answer's headers, then
	// each silence of the answer's body (a large answer that keeps coming is not cut). A try
	// that runs out fails with *NoAnswerError and is tried once more (if safe to resend).
	AttemptTimeout time.Duration
}

// Defaults of RetryPolicy.
var (
	// DefaultRetryBackoff gives a struggling GitHub a second, then up to half a minute.
	DefaultRetryBackoff = wait.Backoff{Initial: time.Second, Max: 30 * time.Second, Factor: 2, Jitter: 0.25}
	// DefaultMaxAttempts is enough to ride out a minute of server errors or a few rate-limit
	// pauses, and few enough that a request GitHub keeps refusing fails within the operation.
	DefaultMaxAttempts = 10
	// DefaultSecondaryRateLimitWait is GitHub's documented minimum: "wait for at least one
	// minute before retrying".
	DefaultSecondaryRateLimitWait = time.Minute
	// DefaultAttemptTimeout is three times the 10 seconds after which GitHub itself gives up on
	// a request ("If GitHub takes more than 10 seconds to process an API request, GitHub will
	// terminate the request"): an answer later than that is not coming. Without it, a server
	// or proxy that accepted the connection and never answered held a refresh for minutes.
	DefaultAttemptTimeout = 30 * time.Second
)

// MaxTimedOutAttempts is how many tries of one request may run out of AttemptTimeout: one more
// covers a connection lost on the way, and a server that stays silent fails the request in two
// timeouts, not in MaxAttempts of them.
const MaxTimedOutAttempts = 2

// WithDefaults fills p's zero fields with the defaults.
func (p RetryPolicy) WithDefaults() RetryPolicy {
	if p.Backoff == (wait.Backoff{}) {
		p.Backoff = DefaultRetryBackoff
	}
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.SecondaryRateLimitWait <= 0 {
		p.SecondaryRateLimitWait = DefaultSecondaryRateLimitWait
	}
	if p.AttemptTimeout <= 0 {
		p.AttemptTimeout = DefaultAttemptTimeout
	}
	return p
}

// LogFunc receives what the transport does, with structured fields. It never receives a
// credential.
type LogFunc func(ctx context.Context, msg string, fields map[string]any)

// Retry sends each request to the API host until GitHub answers it, within the request's
// context: it waits out rate limits (any method: a refused request was not carried out), and
// retries connection errors and 500/502/503/504 for requests that are safe to send twice (reads,
// and the writes Resendable names). It also holds requests to the limiter's cap and pace.
type Retry struct {
	Next http.RoundTripper
	// Limits is shared by every request of one credential; nil holds none back (and shares
	// no rate-limit pause).
	Limits  *Limiter
	Policy  RetryPolicy // with its defaults filled in (WithDefaults)
	APIPath string      // the API root's path, e.g. "/api/v3/"
	// Resendable reports whether a write, with its path below the API root (op), leaves GitHub
	// as one send would if sent twice; nil resends no write. Reads are always resendable.
	Resendable func(method, op string) bool
	// AnswerLimit is how many bytes of req's answer are read before it is refused with
	// *AnswerTooLargeError; MaxJSONAnswerBytes when nil.
	AnswerLimit func(req *http.Request) int64
	// Warn receives every retry and rate-limit wait, which a user should see; nil discards them.
	Warn LogFunc
	// Clock is what the waits (retries, rate limits, pacing, the points budget) read and sleep
	// by, and what times each try's silence (AttemptTimeout); the real clock when nil. Tests
	// give a fake one, so a minute's wait passes at once and a silent server is a moved clock.
	Clock clock.Clock
}

func discard(context.Context, string, map[string]any) {}

func (t *Retry) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	limits, warn, clk := t.Limits, t.Warn, clock.Or(t.Clock)
	if limits == nil {
		limits = NewLimiter(0, 0, 0)
	}
	if warn == nil {
		warn = discard
	}
	op := strings.TrimPrefix(req.URL.Path, t.APIPath)
	category := strconv.Itoa(int(github.GetRateLimitCategory(req.Method, "/"+op)))
	hasBody := req.Body != nil && req.Body != http.NoBody
	replayable := !hasBody || req.GetBody != nil
	resendable := replayable && (!isWrite(req.Method) || (t.Resendable != nil && t.Resendable(req.Method, op)))
	limit := int64(MaxJSONAnswerBytes)
	if t.AnswerLimit != nil {
		limit = t.AnswerLimit(req)
	}
	sent := false
	defer func() {
		if !sent && hasBody {
			_ = req.Body.Close()
		}
	}()

	serverErrors, secondaryHits, timeouts, unreachableTries := 0, 0, 0, 0
	resent := false // a try that may have reached GitHub was followed by another
	for attempt := 1; ; attempt++ {
		if err := limits.waitForPause(ctx, clk, category, warn); err != nil {
			return nil, err
		}
		if isWrite(req.Method) {
			if err := limits.paceWrite(ctx, clk); err != nil {
				return nil, err
			}
		}
		if err := limits.spendPoints(ctx, clk, req.Method); err != nil {
			return nil, err
		}
		release, err := limits.acquire(ctx)
		if err != nil {
			return nil, err
		}
		attemptCtx, clock := startAttempt(ctx, clk, t.Policy.AttemptTimeout)
		done := func() { release(); clock.stop() }
		out := req.Clone(attemptCtx)
		if attempt > 1 && hasBody {
			if out.Body, err = req.GetBody(); err != nil {
				done()
				return nil, err
			}
		}
		sent = true
		resp, err := t.Next.RoundTrip(out)

		fields := map[string]any{"method": req.Method, "path": req.URL.Path, "attempt": attempt, "max_attempts": t.Policy.MaxAttempts}
		if err != nil {
			done()
			if timedOut(ctx, attemptCtx) {
				err = &NoAnswerError{Timeout: t.Policy.AttemptTimeout}
				timeouts++
			}
			if ctx.Err() != nil || !resendable || !Transient(err) || attempt >= t.Policy.MaxAttempts || timeouts >= MaxTimedOutAttempts {
				return nil, err
			}
			if kind, retry := unreachable(err); kind != NotUnreachable {
				if unreachableTries++; !retry || unreachableTries > MaxUnreachableRetries {
					return nil, err
				}
			}
			delay := t.Policy.Backoff.Delay(serverErrors)
			serverErrors++
			if pastDeadline(ctx, clk.Now(), delay) {
				return nil, err
			}
			resent = true
			fields["error"], fields["delay"] = err.Error(), delay.String()
			warn(ctx, "GitHub request failed; retrying", fields)
			if err := clk.Sleep(ctx, delay); err != nil {
				return nil, err
			}
			continue
		}
		resp.Body = &attemptBody{ReadCloser: resp.Body, done: done, ctx: ctx, attemptCtx: attemptCtx, clock: clock, timeout: t.Policy.AttemptTimeout, limit: limit, resent: resent}

		switch {
		case RetriableStatus(resp.StatusCode) && resendable && attempt < t.Policy.MaxAttempts:
			delay := t.Policy.Backoff.Delay(serverErrors)
			serverErrors++
			if pastDeadline(ctx, clk.Now(), delay) {
				hideExhaustion(resp)
				return resp, nil
			}
			drain(resp)
			resent = true
			fields["status"], fields["delay"] = resp.StatusCode, delay.String()
			warn(ctx, "GitHub answered with a server error; retrying", fields)
			if err := clk.Sleep(ctx, delay); err != nil {
				return nil, err
			}

		case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests:
			body, readErr := readBody(resp)
			refused := classifyRefusal(resp, body, clk.Now())
			if readErr != nil || !refused.rateLimited || !replayable {
				hideExhaustion(resp)
				return resp, nil
			}
			why := RateLimitError{Secondary: refused.secondary, StatusCode: resp.StatusCode, Message: refused.message}
			delay, scope := refused.wait, category
			switch {
			case refused.secondary:
				scope = allCategories
				if delay == 0 {
					delay = t.Policy.SecondaryRateLimitWait << min(secondaryHits, 6)
				}
				secondaryHits++
			case delay == 0:
				// The reset has passed by GitHub's clock: ask again soon.
				delay = t.Policy.Backoff.Delay(serverErrors)
			}
			until := clk.Now().Add(delay)
			limits.pauseFor(scope, until, why)
			why.Until = until
			if attempt >= t.Policy.MaxAttempts {
				return nil, &why
			}
			if err := beforeDeadline(ctx, until, why); err != nil {
				return nil, err
			}
			fields["status"], fields["secondary"], fields["until"], fields["wait"] =
				resp.StatusCode, refused.secondary, until.UTC().Format(time.RFC3339), delay.String()
			warn(ctx, "GitHub's rate limit refused the request; waiting for it to lift", fields)
			// The pause is waited out at the top of the loop, with every other request.

		default:
			hideExhaustion(resp)
			return resp, nil
		}
	}
}

func isWrite(method string) bool {
	return method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions
}

// RetriableStatus is a server error that a later attempt may not meet. 501 and 505 are not:
// they would be the same next time.
func RetriableStatus(code int) bool {
	switch code {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// Transient reports whether a transport error may pass: a refused or reset connection, a
// timeout, an answer cut short. A certificate GitHub's host does not present, a malformed URL,
// or a credential that could not be had would fail the same way again.
func Transient(err error) bool {
	var rateErr *RateLimitError
	var credErr *CredentialError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &rateErr), errors.As(err, &credErr),
		errors.As(err, &unknownAuthority), errors.As(err, &hostname), errors.As(err, &invalid), errors.As(err, &verify):
		return false
	}
	msg := err.Error()
	return !strings.Contains(msg, "unsupported protocol scheme") && !strings.Contains(msg, "invalid header")
}

// pastDeadline reports whether waiting d from now would take ctx past its deadline.
func pastDeadline(ctx context.Context, now time.Time, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return ok && now.Add(d).After(deadline)
}

// drain reads what is left of an answer that will not be used, so the connection can be reused.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
}

// Delivery is what the transport knows of how it got an answer, beyond the answer itself. It
// is the explicit link between the retries and the operations above them, which must know
// whether GitHub may have carried out a write before the answer they read: GitHub answers a
// default-setup PATCH "no change" (200) when the lost first try started a run. The body of every
// answer Retry returns is one; DeliveryOf finds it.
type Delivery interface {
	// Resent reports whether the request was sent again after a try that may have reached
	// GitHub (a connection lost on the way, a 500, 502, 503 or 504). A rate-limit refusal does
	// not count: GitHub did not carry that try out.
	Resent() bool
}

// DeliveryOf is the Delivery of an answer Retry returned (also once its body is closed), or one
// that reports nothing for any other answer.
func DeliveryOf(resp *http.Response) Delivery {
	if resp != nil {
		if d, ok := resp.Body.(Delivery); ok {
			return d
		}
	}
	return firstTry{}
}

// firstTry is the Delivery of an answer that did not come through Retry.
type firstTry struct{}

func (firstTry) Resent() bool { return false }
