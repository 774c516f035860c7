// Package clock is the time the transport and the client read and wait by: Real in use, and
// Fake in tests, where a wait of a minute for GitHub's rate limit passes at once but is recorded,
// so a test can assert the wait happened without spending it.
//
// It knows nothing of HTTP, GitHub or Terraform. Timers that measure a real connection's silence
// (the transport's attempt timeouts) do not go through it: they time the network, not GitHub's
// instructions.
package clock
