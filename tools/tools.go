//go:build tools

// Package tools pins the versions of the Go programs the build runs with
// `go run`, so `make generate` uses the tfplugindocs recorded in go.mod.
package tools

import (
	// Documentation generation.
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)
