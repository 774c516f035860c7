// Package githubclient is the provider's GitHub API client for code scanning: typed operations
// over go-github, waiting for the runs GitHub starts, and typed errors that say what GitHub
// refused and why (error_kinds.go).
//
// It speaks GitHub only: no schemas, no diagnostics, and no advice naming a setting or command
// of its user; the provider builds that from the typed errors (TestSpeaksNoTerraform). Where go-github lacks a field
// (threat_model, runner_type, runner_label, schedule) it sends its own request through go-github's
// NewRequest/Do, never beside it. It never sends the token to a host other than the configured
// API host, and never logs it.
//
// Its transport (internal/transport, assembled in New) is where failures are dealt with, so
// operations above it never retry: it retries transient failures of reads and of the writes this
// package names idempotent (transport.go), waits out GitHub's rate limits (or fails at once when
// they outlast the operation's deadline), caps requests in flight and paces writes, revalidates
// reads with ETags, and adds the credential, a token or a GitHub App's installation tokens
// (credentials.go says why not ghinstallation), to requests for the API host alone.
//
// It knows which GitHub Enterprise Server release it talks to from the server's answers
// (enterprise.go), and refuses, unsent, what that release lacks, with an error naming it.
package githubclient
