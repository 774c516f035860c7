package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/tfcli"
)

// providerFlags are the flags both benches take to choose the provider they run.
type providerFlags struct{ path, ldflags *string }

func addProviderFlags(flags *flag.FlagSet) providerFlags {
	return providerFlags{
		path:    flags.String("provider", "", "path of a built terraform-provider-codescanning binary (default: build this checkout's)"),
		ldflags: flags.String("ldflags", "", "go build -ldflags for the provider it builds (make bench stamps the version)"),
	}
}

// resolve returns the provider's path, building it through tfcli unless -provider names one,
// and a func that removes what it built.
func (p providerFlags) resolve() (string, func(), error) {
	if *p.path != "" {
		return *p.path, func() {}, nil
	}
	fmt.Fprintln(os.Stderr, "bench: building the provider")
	bin, err := tfcli.BuildProvider(context.Background(), *p.ldflags)
	if err != nil {
		return "", nil, err
	}
	return bin, func() { _ = os.RemoveAll(filepath.Dir(bin)) }, nil
}

// findCLI finds the CLI the bench runs (TF_CLI) and says which.
func findCLI() (tfcli.CLI, error) {
	cli, err := tfcli.Find()
	if err != nil {
		return tfcli.CLI{}, err
	}
	fmt.Fprintln(os.Stderr, "bench: running", cli)
	return cli, nil
}

// newWorkspace writes files into dir (made if missing) and returns a CLI workspace there
// pointed at the provider, with the bench's token and env.
func newWorkspace(cli tfcli.CLI, dir, providerPath string, files map[string]string, env ...string) (*tfcli.Workspace, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := tfcli.WriteFiles(dir, files); err != nil {
		return nil, err
	}
	return tfcli.NewWorkspace(cli, dir, providerPath, append([]string{"GITHUB_TOKEN=bench-token"}, env...)...)
}

// benchRun is what every CLI bench starts from: the embedded GitHub serving on loopback, a
// temporary directory for its workspaces and the CLI that runs them.
type benchRun struct {
	baseURL string
	dir     string
	cli     tfcli.CLI
}

// startBench serves emu and makes a temporary directory named after prefix; close stops the
// one and removes the other.
func startBench(emu *emulator.Emulator, prefix string) (benchRun, func(), error) {
	baseURL, stop, err := emu.Serve("127.0.0.1:0")
	if err != nil {
		return benchRun{}, nil, err
	}
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		_ = stop(context.Background())
		return benchRun{}, nil, err
	}
	closeAll := func() {
		_ = os.RemoveAll(dir)
		_ = stop(context.Background())
	}
	cli, err := findCLI()
	if err != nil {
		closeAll()
		return benchRun{}, nil, err
	}
	return benchRun{baseURL: baseURL, dir: dir, cli: cli}, closeAll, nil
}
