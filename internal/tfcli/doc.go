// Package tfcli runs a Terraform-compatible command line, Terraform or OpenTofu, against a
// provider built from this checkout: it finds the CLI the developer chose (TF_CLI), builds the
// provider, and gives each working directory a CLI configuration of its own whose dev_overrides
// point both registries' addresses of the provider at that build. The demo, the bench and the
// end-to-end tests use it, so they run under every supported CLI the same way.
//
// It is tooling, not provider code: the provider never imports it. It must not download
// anything, and never reads or writes the user's CLI configuration (~/.terraformrc or
// TF_CLI_CONFIG_FILE): every workspace sets TF_CLI_CONFIG_FILE to its own file.
package tfcli
