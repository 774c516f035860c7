package githubclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/go-github/v62/github"

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

// maxTimedOutAttempts is how many tries of one request may run out of AttemptTimeout: one more
// covers a connection lost on the way, and a server that stays silent fails the request in two
// timeouts, not in MaxAttempts of them.
const maxTimedOutAttempts = 2

func (p RetryPolicy) withDefaults() RetryPolicy {
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

type logFunc func(ctx context.Context, msg string, fields map[string]any)

// retryTransport sends each request to the API host until GitHub answers it, within the
// request's context: it waits out rate limits (any method: a refused request was not carried
// out), and retries connection errors and 500/502/503/504 for requests that are safe to send
// twice (see safeToResend). It also holds requests to the limiter's cap and pace.
type retryTransport struct {
	next    http.RoundTripper
	limits  *limiter
	policy  RetryPolicy
	apiPath string // the API root's path, e.g. "/api/v3/"
	log     logFunc
	warn    logFunc // for rate-limit waits, which a user should see
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	op := strings.TrimPrefix(req.URL.Path, t.apiPath)
	category := strconv.Itoa(int(github.GetRateLimitCategory(req.Method, "/"+op)))
	hasBody := req.Body != nil && req.Body != http.NoBody
	replayable := !hasBody || req.GetBody != nil
	resendable := replayable && safeToResend(req.Method, op)
	sent := false
	defer func() {
		if !sent && hasBody {
			_ = req.Body.Close()
		}
	}()

	serverErrors, secondaryHits, timeouts, unreachable := 0, 0, 0, 0
	for attempt := 1; ; attempt++ {
		if err := t.limits.waitForPause(ctx, category, t.warn); err != nil {
			return nil, err
		}
		if isWrite(req.Method) {
			if err := t.limits.paceWrite(ctx); err != nil {
				return nil, err
			}
		}
		if err := t.limits.spendPoints(ctx, req.Method); err != nil {
			return nil, err
		}
		release, err := t.limits.acquire(ctx)
		if err != nil {
			return nil, err
		}
		attemptCtx, clock := startAttempt(ctx, t.policy.AttemptTimeout)
		done := func() { release(); clock.stop() }
		out := req.Clone(attemptCtx)
		if attempt > 1 && hasBody {
			if out.Body, err = req.GetBody(); err != nil {
				done()
				return nil, err
			}
		}
		sent = true
		resp, err := t.next.RoundTrip(out)

		fields := map[string]any{"method": req.Method, "path": req.URL.Path, "attempt": attempt, "max_attempts": t.policy.MaxAttempts}
		if err != nil {
			done()
			if timedOut(ctx, attemptCtx) {
				err = &NoAnswerError{Timeout: t.policy.AttemptTimeout}
				timeouts++
			}
			if ctx.Err() != nil || !resendable || !transient(err) || attempt >= t.policy.MaxAttempts || timeouts >= maxTimedOutAttempts {
				return nil, err
			}
			if kind, retry := unreachableKind(err); kind != "" {
				if unreachable++; !retry || unreachable > maxUnreachableRetries {
					return nil, err
				}
			}
			delay := t.policy.Backoff.Delay(serverErrors)
			serverErrors++
			if pastDeadline(ctx, delay) {
				return nil, err
			}
			markResent(ctx)
			fields["error"], fields["delay"] = err.Error(), delay.String()
			t.warn(ctx, "GitHub request failed; retrying", fields)
			if err := wait.Sleep(ctx, delay); err != nil {
				return nil, err
			}
			continue
		}
		resp.Body = &attemptBody{ReadCloser: resp.Body, done: done, ctx: ctx, attemptCtx: attemptCtx, clock: clock, timeout: t.policy.AttemptTimeout, limit: answerLimit(req)}

		switch {
		case retriableStatus(resp.StatusCode) && resendable && attempt < t.policy.MaxAttempts:
			delay := t.policy.Backoff.Delay(serverErrors)
			serverErrors++
			if pastDeadline(ctx, delay) {
				hideExhaustion(resp)
				return resp, nil
			}
			drain(resp)
			markResent(ctx)
			fields["status"], fields["delay"] = resp.StatusCode, delay.String()
			t.warn(ctx, "GitHub answered with a server error; retrying", fields)
			if err := wait.Sleep(ctx, delay); err != nil {
				return nil, err
			}

		case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests:
			body, readErr := readBody(resp)
			refused := classifyRefusal(resp, body)
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
					delay = t.policy.SecondaryRateLimitWait << min(secondaryHits, 6)
				}
				secondaryHits++
			case delay == 0:
				// The reset has passed by GitHub's clock: ask again soon.
				delay = t.policy.Backoff.Delay(serverErrors)
			}
			until := time.Now().Add(delay)
			t.limits.pauseFor(scope, until, why)
			why.Until = until
			if attempt >= t.policy.MaxAttempts {
				return nil, &why
			}
			if err := beforeDeadline(ctx, until, why); err != nil {
				return nil, err
			}
			fields["status"], fields["secondary"], fields["until"], fields["wait"] =
				resp.StatusCode, refused.secondary, until.UTC().Format(time.RFC3339), delay.String()
			t.warn(ctx, "GitHub's rate limit refused the request; waiting for it to lift", fields)
			// The pause is waited out at the top of the loop, with every other request.

		default:
			hideExhaustion(resp)
			return resp, nil
		}
	}
}

// idempotentWrites are the writes that leave GitHub as one send would if sent twice, with their
// paths below the API root. A default-setup PATCH names the whole desired configuration; a
// second installation token is as good as the first. Anything else that changes GitHub (a SARIF
// upload above all, which would be analysed twice) is never resent after a failure that may have
// reached GitHub. An alert PATCH is not idempotent (a second dismissal is refused, a second
// dismissal request may be another request): UpdateAlert reads the alert and decides.
var idempotentWrites = []struct {
	method string
	path   *regexp.Regexp
}{
	{http.MethodPatch, regexp.MustCompile(`^repos/[^/]+/[^/]+/code-scanning/default-setup$`)},
	{http.MethodPost, regexp.MustCompile(`^app/installations/\d+/access_tokens$`)},
}

// safeToResend reports whether a request that may have reached GitHub can be sent again.
func safeToResend(method, op string) bool {
	if !isWrite(method) {
		return true
	}
	for _, w := range idempotentWrites {
		if w.method == method && w.path.MatchString(op) {
			return true
		}
	}
	return false
}

func isWrite(method string) bool {
	return method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions
}

// retriableStatus is a server error that a later attempt may not meet. 501 and 505 are not:
// they would be the same next time.
func retriableStatus(code int) bool {
	switch code {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// transient reports whether a transport error may pass: a refused or reset connection, a
// timeout, an answer cut short. A certificate GitHub's host does not present, a malformed URL,
// or a credential that could not be had would fail the same way again.
func transient(err error) bool {
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

// pastDeadline reports whether waiting d would take ctx past its deadline.
func pastDeadline(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return ok && time.Now().Add(d).After(deadline)
}

// drain reads what is left of an answer that will not be used, so the connection can be reused.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
}

// sendTrace records, for one operation, whether the transport sent a request again after a
// failure that may have reached GitHub, so the operation knows that GitHub may already have
// carried out its request when it answers as if nothing was to be done.
type sendTrace struct{ resent atomic.Bool }

type sendTraceKey struct{}

func withSendTrace(ctx context.Context) (context.Context, *sendTrace) {
	trace := &sendTrace{}
	return context.WithValue(ctx, sendTraceKey{}, trace), trace
}

func markResent(ctx context.Context) {
	if trace, ok := ctx.Value(sendTraceKey{}).(*sendTrace); ok {
		trace.resent.Store(true)
	}
}
