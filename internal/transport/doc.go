// Package transport is the HTTP transport under the GitHub client: every failure of the
// network, every rate limit and every cached answer is dealt with here, so the operations above
// it never retry, never wait for a limit and never see a 304.
//
// What it holds, from the outside in:
//   - APIHostOnly (host_only.go) sends only requests for the API host through the stack below;
//     anything else (a run_url or link on another host) goes out bare, with no credential and
//     no retry. SameHostRedirects (redirect.go) refuses redirects off the API host.
//   - Retry (retry.go) retries connection errors and 500/502/503/504 of reads and of the writes
//     its Resendable names, each try under RetryPolicy.AttemptTimeout (attempt_timeout.go),
//     with a short budget for a host that cannot be reached (unreachable.go); it waits out
//     GitHub's rate limits (ratelimit.go), or fails at once with *RateLimitError when the wait
//     outlasts the request's deadline. Its Limiter (limiter.go) caps requests in flight, paces
//     writes (golang.org/x/time/rate) and keeps a budget of secondary-limit points
//     (points_budget.go). DESIGN.md, "Transport: libraries considered", says why the rest is
//     not a library. Every answer it
//     returns is bounded in size (answer_bounds.go) and carries a Delivery: whether the request
//     was sent again after a try that may have reached GitHub.
//   - Conditional (conditional.go) revalidates GETs with their ETag and turns GitHub's 304
//     back into the 200 it stands for, in memory or in a cache directory (cache_dir.go,
//     cache_prune.go). Its doc says why no library.
//   - NewAuth (auth.go) adds the credential, an oauth2.TokenSource, and masks it wherever an
//     error answer repeats it (credential_echo.go).
//
// It must not know the operations: which writes may be resent and how large an answer may be
// are the client's to say (Retry.Resendable, Retry.AnswerLimit). It speaks HTTP and GitHub
// only (TestSpeaksNoTerraform): its errors are typed (RateLimitError, NoAnswerError, RedirectError,
// CacheDirError, Unreachable's causes) and the provider turns them into advice. It never logs
// or stores a credential.
package transport
