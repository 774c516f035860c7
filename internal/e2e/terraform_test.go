package e2e

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/emulatortest"
	"github.com/codescanning/terraform-provider-codescanning/internal/tfcli"
)

// providerBinary builds the provider once for the whole package.
var providerBinary = sync.OnceValues(func() (string, error) {
	return tfcli.BuildProvider(context.Background(), "")
})

// cli is the CLI under test: TF_CLI (terraform, tofu or a path), else terraform on PATH.
var cli = sync.OnceValues(tfcli.Find)

// cliGOGC is the garbage collector's target for the CLI processes these tests start (and the
// provider each starts), which inherit this process's environment: each lives for seconds at
// most, and at Go's default of 100 collections were a third of a short command's CPU (see the
// provider package's terraformGOGC). This process read its own GOGC when it started.
const cliGOGC = "400"

// TestMain sets GOGC for the CLI, unless the caller set one, and removes the provider build the
// tests shared.
func TestMain(m *testing.M) {
	if _, set := os.LookupEnv("GOGC"); !set {
		_ = os.Setenv("GOGC", cliGOGC)
	}
	code := m.Run()
	if bin, err := providerBinary(); err == nil {
		_ = os.RemoveAll(filepath.Dir(bin))
	}
	os.Exit(code)
}

// workspace is a working directory of the CLI under test pointed at the built provider and an
// emulator.
type workspace struct {
	*tfcli.Workspace
	t *testing.T
}

// newWorkspace writes files into a fresh directory with a CLI config of its own.
func newWorkspace(t *testing.T, baseURL string, files map[string]string) *workspace {
	t.Helper()
	c, err := cli()
	if err != nil {
		t.Fatalf("these tests drive the real terraform or tofu CLI: %v", err)
	}
	bin, err := providerBinary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := tfcli.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	w, err := tfcli.NewWorkspace(c, dir, bin,
		"TF_VAR_github_base_url="+baseURL,
		"GITHUB_TOKEN=e2e-token",
		"GITHUB_OWNER="+owner,
	)
	if err != nil {
		t.Fatal(err)
	}
	return &workspace{Workspace: w, t: t}
}

// requireCLIFeature skips the test, saying why, when the CLI under test predates the feature.
func requireCLIFeature(t *testing.T, f tfcli.Feature) {
	t.Helper()
	c, err := cli()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Supports(f); err != nil {
		t.Skip(err)
	}
}

// writeFiles writes files (names relative to the workspace) into the workspace.
func (w *workspace) writeFiles(files map[string]string) {
	w.t.Helper()
	if err := tfcli.WriteFiles(w.Dir, files); err != nil {
		w.t.Fatal(err)
	}
}

// run runs the CLI and returns its exit code and output.
func (w *workspace) run(args ...string) (int, string) {
	w.t.Helper()
	code, out, err := w.Output(append(args, "-no-color")...)
	if err != nil {
		w.t.Fatalf("%s %v: %v", w.CLI, args, err)
	}
	return code, out
}

// mustRun runs the CLI and fails the test unless it exits with want.
func (w *workspace) mustRun(want int, args ...string) string {
	w.t.Helper()
	code, out := w.run(args...)
	if code != want {
		w.t.Fatalf("%s %v exited %d, want %d:\n%s", w.CLI, args, code, want, out)
	}
	return out
}

const owner = "octo-org"

// newEmulator starts an emulator with short runs.
func newEmulator(t *testing.T) (*emulator.Emulator, string) {
	t.Helper()
	return emulatortest.NewServer(t, emulator.Config{RunQueued: 5 * time.Millisecond, RunInProgress: 10 * time.Millisecond})
}

// newEmulatorWithInstantRuns starts an emulator whose runs end as they start, for tests of the
// policy module: it does not wait for runs (defaults.wait_for_run is false), so checking GitHub
// right after an apply would race the last runs' 15 ms against the CLI's exit, a race OpenTofu,
// quicker to exit, loses.
func newEmulatorWithInstantRuns(t *testing.T) (*emulator.Emulator, string) {
	t.Helper()
	return emulatortest.NewServer(t, emulator.Config{})
}

// providerBlock is the terraform block and provider configuration of every e2e workspace.
const providerBlock = `terraform {
  required_providers {
    codescanning = {
      source = "codescanning/codescanning"
    }
  }
}

variable "github_base_url" {
  type = string
}

provider "codescanning" {
  base_url          = var.github_base_url
  write_delay       = "0s" # tests against the embedded GitHub need no pacing
  points_per_minute = 0
}
`
