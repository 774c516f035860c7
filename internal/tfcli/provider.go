package tfcli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// ProviderSource is the provider's registry address without a host; both registries serve it.
const ProviderSource = "codescanning/codescanning"

// registries are the hosts a bare ProviderSource resolves to: Terraform's and OpenTofu's.
var registries = []string{"registry.terraform.io", "registry.opentofu.org"}

// ProviderBinary is the file name the CLI looks for in a dev_overrides directory.
const ProviderBinary = "terraform-provider-codescanning"

// BuildProvider builds the provider of this checkout into a new temporary directory, passing
// ldflags (may be empty) to go build, and returns the binary's path. The caller removes its
// directory when done.
func BuildProvider(ctx context.Context, ldflags string) (string, error) {
	return Build(ctx, ".", ProviderBinary, ldflags)
}

// Build builds the package pkg of this module (".", "./internal/cmd/emulator") as name into a
// new temporary directory, passing ldflags (may be empty) to go build, and returns the binary's
// path. The caller removes its directory when done.
func Build(ctx context.Context, pkg, name, ldflags string) (string, error) {
	dir, err := os.MkdirTemp("", "codescanning-build-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, name)
	cmd := exec.CommandContext(ctx, "go", "build", "-ldflags", ldflags, "-o", bin, pkg)
	cmd.Dir = moduleRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		_ = os.RemoveAll(dir)
		return "", fmt.Errorf("building %s: %v\n%s", pkg, err, out)
	}
	return bin, nil
}

// moduleRoot is the checkout this file was compiled from: tools run from source (go run, go
// test), never installed elsewhere.
func moduleRoot() string {
	_, here, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(here), "..", "..")
}

// cliConfig is a CLI configuration whose dev_overrides send the provider, under either
// registry's address, to the binary in providerDir; other providers install as usual.
func cliConfig(providerDir string) string {
	overrides := ""
	for _, host := range registries {
		overrides += fmt.Sprintf("    %q = %q\n", host+"/"+ProviderSource, providerDir)
	}
	return "provider_installation {\n  dev_overrides {\n" + overrides + "  }\n  direct {}\n}\n"
}
