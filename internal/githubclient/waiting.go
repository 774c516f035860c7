package githubclient

import "github.com/codescanning/terraform-provider-codescanning/internal/wait"

// The client waits with internal/wait: it polls runs and retries conflicts by a Backoff, and a
// wait whose context ends first returns a TimeoutError. Its users set the one and meet the other
// under these names, so they import the client alone.
type (
	// Backoff spaces the client's polls of a run and its retries of a 409; see wait.Backoff.
	Backoff = wait.Backoff
	// TimeoutError is a wait for GitHub's state that ran out of time; see wait.TimeoutError.
	TimeoutError = wait.TimeoutError
)
