// Package e2e holds end-to-end tests that drive the real CLI, Terraform or OpenTofu (TF_CLI, see
// internal/tfcli), as a user or a CI job would, against a freshly built provider binary and the
// embedded GitHub: plan exit codes for drift, config generation for imports at scale, and the
// organization-wide policy module. A test that needs a newer CLI than the one under test skips,
// naming the release it needs.
//
// It has no code outside tests. It must not reach any host but the emulator on loopback, and it
// writes its own CLI configuration (dev_overrides) in a temporary directory, through tfcli.
package e2e
