package githubclient

import (
	"net/http"
	"regexp"

	"github.com/codescanning/terraform-provider-codescanning/internal/transport"
)

// The transport (internal/transport) carries every request: retries, rate limits, pacing, the
// conditional-request cache and the credential. The client assembles it in New and adds what
// only the operations know: which writes are safe to send twice, and how large an answer may be.
// The names below are the transport's, as the client's users configure and meet them.

// RetryPolicy says how the transport retries what GitHub failed to answer and waits out its
// rate limits; see transport.RetryPolicy.
type RetryPolicy = transport.RetryPolicy

// Errors of the transport, as operations return them inside *APIError.
type (
	RateLimitError         = transport.RateLimitError
	NoAnswerError          = transport.NoAnswerError
	AnswerTooLargeError    = transport.AnswerTooLargeError
	UndecodableAnswerError = transport.UndecodableAnswerError
	RedirectError          = transport.RedirectError
	CacheDirError          = transport.CacheDirError
)

// DefaultPointsPerMinute is the transport's points budget the provider sets by default.
const DefaultPointsPerMinute = transport.DefaultPointsPerMinute

// DefaultAttemptTimeout bounds one try of a request; see transport.DefaultAttemptTimeout.
var DefaultAttemptTimeout = transport.DefaultAttemptTimeout

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

// safeToResend reports whether a write that may have reached GitHub can be sent again; it is
// the transport's Retry.Resendable.
func safeToResend(method, op string) bool {
	for _, w := range idempotentWrites {
		if w.method == method && w.path.MatchString(op) {
			return true
		}
	}
	return false
}
