package tfcli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// Workspace is a working directory in which the CLI uses the built provider.
type Workspace struct {
	CLI CLI
	Dir string
	// Env is the environment every command runs with: the process's own, the workspace's CLI
	// configuration, automation settings, and what NewWorkspace was given.
	Env []string
}

// NewWorkspace writes a CLI configuration into dir (which must exist) pointing the provider at
// providerPath, and returns a workspace whose commands run in dir with env added.
func NewWorkspace(cli CLI, dir, providerPath string, env ...string) (*Workspace, error) {
	config, err := WriteCLIConfig(dir, providerPath)
	if err != nil {
		return nil, err
	}
	base := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+config,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
	)
	return &Workspace{CLI: cli, Dir: dir, Env: append(base, env...)}, nil
}

// WriteCLIConfig writes dir/dev.tfrc, a CLI configuration pointing the provider at the
// directory of providerPath, and returns its path, for TF_CLI_CONFIG_FILE.
func WriteCLIConfig(dir, providerPath string) (string, error) {
	providerPath, err := filepath.Abs(providerPath)
	if err != nil {
		return "", err
	}
	// The CLI reads only *.tf, *.tofu and *.tfvars files of dir, so its config can sit beside them.
	config := filepath.Join(dir, "dev.tfrc")
	if err := os.WriteFile(config, []byte(cliConfig(filepath.Dir(providerPath))), 0o600); err != nil {
		return "", err
	}
	return config, nil
}

// WriteFiles writes a configuration into dir: each name (slash-separated, relative to dir) with
// its content, making the directories it needs.
func WriteFiles(dir string, files map[string]string) error {
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			return err
		}
	}
	return nil
}

// Command returns the CLI command for args, to run in the workspace.
func (w *Workspace) Command(args ...string) *exec.Cmd {
	cmd := exec.Command(w.CLI.Path, args...)
	cmd.Dir, cmd.Env = w.Dir, w.Env
	return cmd
}

// Run runs the CLI with its output to out and returns its exit code; err is set only when it
// could not run or was killed, so a plan's exit code 2 is a result, not an error.
func (w *Workspace) Run(out io.Writer, args ...string) (int, error) {
	cmd := w.Command(args...)
	cmd.Stdout, cmd.Stderr = out, out
	return ExitCode(cmd.Run())
}

// Output runs the CLI and returns its exit code and combined output.
func (w *Workspace) Output(args ...string) (int, string, error) {
	var out bytes.Buffer
	code, err := w.Run(&out, args...)
	return code, out.String(), err
}

// ExitCode turns the error of a finished command into its exit code, keeping only the errors
// that are not an exit code (not started, killed by a signal).
func ExitCode(err error) (int, error) {
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() >= 0:
		return exitErr.ExitCode(), nil
	default:
		return -1, fmt.Errorf("running the CLI: %w", err)
	}
}
