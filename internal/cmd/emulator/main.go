// Command emulator serves the embedded GitHub (internal/emulator) on a loopback port until it is
// interrupted, so that anyone can try a configuration of this provider, or test their own
// modules, without a GitHub account or token: `go run ./internal/cmd/emulator` or `make
// emulator`. A named seed (-seed) creates the repositories, alerts, analyses and CodeQL
// databases; flags turn the emulator's knobs (run timing, latency, faults, rate limits, GitHub
// Enterprise Server). It prints the base_url, a token and a provider block to use, then a line
// per request. State lives in memory and is gone when it stops.
//
// It listens on loopback only: the emulator accepts any token.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/tfcli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "emulator:", err)
		os.Exit(2)
	}
}

// run serves the emulator the command line describes until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	var app *githubApp
	if o.app {
		if app, err = newGitHubApp(o.appPerm); err != nil {
			return err
		}
		defer app.remove()
		o.emuConf.App = app.app
	}
	cliConfig, err := writeCLIConfig(o.provider)
	if err != nil {
		return err
	}
	defer removeCLIConfig(cliConfig)
	emu := emulator.New(o.emuConf)
	repos := seeds[o.seed](emu, o.owner, o.scale)

	ln, err := listenLoopback(o.addr)
	if err != nil {
		return err
	}
	baseURL := "http://" + ln.Addr().String() + strings.TrimSuffix("/"+strings.Trim(o.emuConf.PathPrefix, "/"), "/") + "/"
	emu.SetBaseURL(baseURL)

	out := &lockedWriter{w: stdout}
	srv := &http.Server{Handler: logRequests(emu, out, o.quiet), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	printBanner(out, o, baseURL, repos, app, cliConfig)

	select {
	case err := <-served:
		return fmt.Errorf("serving %s: %w", baseURL, err)
	case <-ctx.Done():
	}
	fmt.Fprintln(out, "\nStopping: the emulator's state is discarded.")
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// writeCLIConfig writes a dev_overrides CLI configuration for the provider at path into a new
// temporary directory, through tfcli as the demo and the tests do, and returns the file's path;
// with no path, nothing.
func writeCLIConfig(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	if info, err := os.Stat(path); err != nil || info.IsDir() {
		return "", fmt.Errorf("-provider %q: want the path of a built terraform-provider-codescanning (make install puts one in $(go env GOPATH)/bin)", path)
	}
	dir, err := os.MkdirTemp("", "codescanning-emulator-cli-")
	if err != nil {
		return "", err
	}
	config, err := tfcli.WriteCLIConfig(dir, path)
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", err
	}
	return config, nil
}

func removeCLIConfig(config string) {
	if config != "" {
		_ = os.RemoveAll(filepath.Dir(config))
	}
}

// listenLoopback listens on addr, which must be a loopback address: the emulator takes any
// token, so it must not be reachable from elsewhere.
func listenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("-addr %q: %w (want HOST:PORT, e.g. 127.0.0.1:8080)", addr, err)
	}
	if ip := net.ParseIP(host); !strings.EqualFold(host, "localhost") && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("-addr %q: only loopback addresses (127.0.0.1, [::1], localhost) are allowed, as the emulator accepts any token", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("-addr %q: %w (is another emulator running? -addr 127.0.0.1:0 picks a free port)", addr, err)
	}
	return ln, nil
}

// printBanner says where the emulator is, what it holds and how to point Terraform at it.
func printBanner(w io.Writer, o options, baseURL string, repos []seededRepository, app *githubApp, cliConfig string) {
	flavour := "github.com"
	if v := o.emuConf.EnterpriseVersion; v != "" {
		flavour = "GitHub Enterprise Server " + v
	}
	token, tokenNote := o.token, "the only token accepted"
	if token == "" {
		token, tokenNote = defaultToken, "any non-empty token is accepted"
	}
	if perms := o.emuConf.TokenPermissions[token]; perms != nil {
		tokenNote += "; a fine-grained token with only " + permissionList(perms)
	}
	fmt.Fprintf(w, "Embedded GitHub (%s) serving %s\n\n", flavour, baseURL)
	fmt.Fprintf(w, "  base_url  %s\n  token     %s   (%s)\n  owner     %s\n\n", baseURL, token, tokenNote, o.owner)
	fmt.Fprintf(w, "Repositories of %s (seed %q):\n", o.owner, o.seed)
	width := 0
	for _, r := range repos {
		width = max(width, len(r.name))
	}
	for _, r := range repos {
		fmt.Fprintf(w, "  %-*s  %s\n", width, r.name, r.note)
	}
	fmt.Fprintf(w, "\nProvider block (the token from GITHUB_TOKEN):\n\n"+
		"provider \"codescanning\" {\n  base_url = %q\n  owner    = %q\n}\n\n", baseURL, o.owner)
	fmt.Fprintf(w, "Or, for a module's own provider block, in the shell that runs terraform or tofu:\n\n"+
		"  export GITHUB_BASE_URL=%s GITHUB_TOKEN=%s GITHUB_OWNER=%s\n\n", baseURL, token, o.owner)
	if app != nil {
		fmt.Fprintf(w, "As GitHub App %s, installation %d (its key is deleted when the emulator stops):\n\n%s\n", appID, installationID,
			app.appAuthBlock(baseURL, o.owner))
	}
	if cliConfig != "" {
		fmt.Fprintf(w, "The CLI takes %s from a dev_overrides CLI configuration (deleted when the emulator stops):\n\n"+
			"  export TF_CLI_CONFIG_FILE=%s\n\n", o.provider, cliConfig)
	} else {
		fmt.Fprintln(w, "A locally built provider needs a dev_overrides CLI configuration: -provider PATH writes one, or see README.md.")
	}
	fmt.Fprintln(w, "Ctrl-C stops it. Requests:")
}
