// Package githubclient is the provider's GitHub API client for code scanning: typed operations
// over go-github, waiting for the runs GitHub starts, and errors that say what to do.
//
// It knows nothing of Terraform: no schemas, no diagnostics. Where go-github lacks a field
// (threat_model, runner_type, runner_label, schedule) it sends its own request through go-github's
// NewRequest/Do, never beside it. It never sends the token to a host other than the configured
// API host, and never logs it.
package githubclient
