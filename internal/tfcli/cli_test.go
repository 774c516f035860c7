package tfcli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseVersionOutputTellsTerraformFromOpenTofu(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		out     string
		flavour Flavour
		version Version
	}{
		{"Terraform v1.11.0\non linux_amd64\n", Terraform, Version{1, 11, 0}},
		{"Terraform v1.5.7\non linux_amd64\n\nYour version of Terraform is out of date!", Terraform, Version{1, 5, 7}},
		{"OpenTofu v1.12.6\non linux_amd64\n", OpenTofu, Version{1, 12, 6}},
		{"OpenTofu v1.12.6-dev\non linux_amd64\n", OpenTofu, Version{1, 12, 6}},
		// A missing CLI config file is reported on stdout, before the version.
		{"\nWarning: Unable to open CLI configuration file\n\nThe CLI configuration file at \"/root/.terraformrc\" does not exist.\nOpenTofu v1.12.6\non linux_amd64\n", OpenTofu, Version{1, 12, 6}},
	} {
		flavour, version, err := parseVersionOutput(tt.out)
		if err != nil || flavour != tt.flavour || version != tt.version {
			t.Errorf("parseVersionOutput(%q) = %s %s, %v; want %s %s", tt.out, flavour, version, err, tt.flavour, tt.version)
		}
	}
	if _, _, err := parseVersionOutput("Usage: git [--version]"); err == nil {
		t.Error("a CLI that is neither Terraform nor OpenTofu was accepted")
	}
}

func TestSupportsReadsEachCLIsOwnFirstRelease(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		cli     CLI
		feature Feature
		want    bool
	}{
		{CLI{Flavour: Terraform, Version: Version{1, 5, 7}}, ImportBlocks, true},
		{CLI{Flavour: Terraform, Version: Version{1, 4, 6}}, ImportBlocks, false},
		// OpenTofu 1.5 had no import blocks though Terraform 1.5 had.
		{CLI{Flavour: OpenTofu, Version: Version{1, 5, 0}}, ImportBlocks, false},
		{CLI{Flavour: OpenTofu, Version: Version{1, 6, 0}}, ImportBlocks, true},
		{CLI{Flavour: Terraform, Version: Version{1, 5, 7}}, TestCommand, false},
		{CLI{Flavour: OpenTofu, Version: Version{1, 6, 0}}, TestCommand, true},
		{CLI{Flavour: Terraform, Version: Version{1, 5, 7}}, ImportForEach, false},
		{CLI{Flavour: Terraform, Version: Version{1, 11, 0}}, ImportForEach, true},
		{CLI{Flavour: OpenTofu, Version: Version{1, 12, 6}}, ImportForEach, true},
		{CLI{Flavour: Terraform, Version: Version{1, 6, 6}}, RemovedBlocks, false},
		{CLI{Flavour: OpenTofu, Version: Version{1, 7, 0}}, RemovedBlocks, true},
		// OpenTofu's removed blocks took no lifecycle until 1.10, Terraform's from the start.
		{CLI{Flavour: OpenTofu, Version: Version{1, 9, 1}}, RemovedBlockLifecycle, false},
		{CLI{Flavour: OpenTofu, Version: Version{1, 10, 0}}, RemovedBlockLifecycle, true},
		{CLI{Flavour: Terraform, Version: Version{1, 7, 0}}, RemovedBlockLifecycle, true},
	} {
		err := tt.cli.Supports(tt.feature)
		if (err == nil) != tt.want {
			t.Errorf("%s %s supports %s: got %v, want %v", tt.cli.Flavour, tt.cli.Version, tt.feature.Name, err, tt.want)
		}
		if err != nil && (!errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), tt.feature.Name)) {
			t.Errorf("the error does not say the CLI is too old for %s: %v", tt.feature.Name, err)
		}
	}
}

// OpenTofu resolves codescanning/codescanning to registry.opentofu.org and Terraform to
// registry.terraform.io: an override under one host only leaves the other CLI looking for a
// release that no registry here can serve.
func TestCLIConfigOverridesTheProviderUnderBothRegistries(t *testing.T) {
	t.Parallel()
	config := cliConfig("/tmp/build")
	for _, want := range []string{
		`"registry.terraform.io/codescanning/codescanning" = "/tmp/build"`,
		`"registry.opentofu.org/codescanning/codescanning" = "/tmp/build"`,
		"direct {}",
	} {
		if !strings.Contains(config, want) {
			t.Errorf("CLI config lacks %s:\n%s", want, config)
		}
	}
}

func TestOpenRecognizesTheCLIByItsVersionOutput(t *testing.T) {
	// Not parallel: a test that writes a script and runs it fails with "text file busy" when
	// another test forks while the script is still open for writing (the child inherits it).
	dir := t.TempDir()
	fake := filepath.Join(dir, "tofu")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\necho 'OpenTofu v1.12.6'\necho 'on linux_amd64'\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	cli, err := Open(fake)
	if err != nil {
		t.Fatal(err)
	}
	if cli.Flavour != OpenTofu || cli.Version != (Version{1, 12, 6}) || cli.Path != fake || cli.DefaultRegistry() != "registry.opentofu.org" {
		t.Errorf("Open(%s) = %+v, registry %s; want OpenTofu 1.12.6 at that path, registry.opentofu.org", fake, cli, cli.DefaultRegistry())
	}
	if _, err := Open(filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), EnvCLI) {
		t.Errorf("a missing CLI's error does not say how to choose one: %v", err)
	}
}

func TestWorkspaceCommandsUseTheirOwnCLIConfigAndReportExitCodes(t *testing.T) {
	// Not parallel: a test that writes a script and runs it fails with "text file busy" when
	// another test forks while the script is still open for writing (the child inherits it).
	dir := t.TempDir()
	fake := filepath.Join(dir, "terraform")
	// Exits with its first argument, after printing where its CLI config is.
	if err := os.WriteFile(fake, []byte("#!/bin/sh\necho \"config=$TF_CLI_CONFIG_FILE extra=$EXTRA\"\nexit \"$1\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	w, err := NewWorkspace(CLI{Path: fake, Flavour: Terraform}, dir, filepath.Join(dir, "bin", "terraform-provider-codescanning"), "EXTRA=yes")
	if err != nil {
		t.Fatal(err)
	}
	code, out, err := w.Output("2")
	if code != 2 || err != nil {
		t.Fatalf("exit code %d, %v; want 2 and no error", code, err)
	}
	if want := "config=" + filepath.Join(dir, "dev.tfrc") + " extra=yes"; strings.TrimSpace(out) != want {
		t.Errorf("output %q, want %q", out, want)
	}
	config, err := os.ReadFile(filepath.Join(dir, "dev.tfrc"))
	if err != nil || !strings.Contains(string(config), filepath.Join(dir, "bin")) {
		t.Errorf("CLI config does not point at the provider's directory: %s %v", config, err)
	}
}
