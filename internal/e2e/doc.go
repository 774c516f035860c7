// Package e2e holds end-to-end tests that drive the real terraform CLI, as a user or a CI job
// would, against a freshly built provider binary and the embedded GitHub: plan exit codes for
// drift, config generation for imports at scale, and the organization-wide policy module.
//
// It has no code outside tests. It must not reach any host but the emulator on loopback, and it
// writes its own terraform CLI configuration (dev_overrides) in a temporary directory.
package e2e
