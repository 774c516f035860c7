package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

const providerAddress = "registry.terraform.io/codescanning/codescanning"

// providerBinary builds the provider once for the whole package.
var providerBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "codescanning-e2e-provider-")
	if err != nil {
		return "", err
	}
	_, here, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(here), "..", "..")
	bin := filepath.Join(dir, "terraform-provider-codescanning")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the provider: %v\n%s", err, out)
	}
	return bin, nil
})

// workspace is a terraform working directory pointed at the built provider and an emulator.
type workspace struct {
	t   *testing.T
	dir string
	env []string
}

// newWorkspace writes files into a fresh directory with a CLI config of its own.
func newWorkspace(t *testing.T, baseURL string, files map[string]string) *workspace {
	t.Helper()
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Fatal("terraform is not on PATH; these tests drive the real terraform CLI")
	}
	bin, err := providerBinary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cliConfig := filepath.Join(dir, ".terraformrc")
	writeFile(t, cliConfig, fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", providerAddress, filepath.Dir(bin)))
	for name, content := range files {
		writeFile(t, filepath.Join(dir, name), content)
	}
	return &workspace{t: t, dir: dir, env: append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"TF_VAR_github_base_url="+baseURL,
		"GITHUB_TOKEN=e2e-token",
		"GITHUB_OWNER="+owner,
	)}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// run runs terraform and returns its exit code and output.
func (w *workspace) run(args ...string) (int, string) {
	w.t.Helper()
	cmd := exec.Command("terraform", append(args, "-no-color")...)
	cmd.Dir, cmd.Env = w.dir, w.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		return exitErr.ExitCode(), out.String()
	case err != nil:
		w.t.Fatalf("terraform %v: %v", args, err)
	}
	return 0, out.String()
}

// mustRun runs terraform and fails the test unless it exits with want.
func (w *workspace) mustRun(want int, args ...string) string {
	w.t.Helper()
	code, out := w.run(args...)
	if code != want {
		w.t.Fatalf("terraform %v exited %d, want %d:\n%s", args, code, want, out)
	}
	return out
}

const owner = "octo-org"

// newEmulator starts an emulator with short runs.
func newEmulator(t *testing.T) (*emulator.Emulator, string) {
	t.Helper()
	return emulator.NewTestServer(t, emulator.Config{RunQueued: 5 * time.Millisecond, RunInProgress: 10 * time.Millisecond})
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
