// Command demo shows the provider's main job: it starts the embedded GitHub on loopback, points
// the CLI (Terraform, or OpenTofu with TF_CLI=tofu) at a freshly built provider through a
// temporary CLI configuration (dev_overrides, written by internal/tfcli),
// applies examples/demo (default setup on three repositories, and an alert dismissed with its
// reason), changes GitHub behind Terraform's back, shows that `terraform plan -detailed-exitcode`
// reports the drift, and destroys everything. It prints terraform's progress and changes, not its
// every line, so the whole story fits one screen. It leaves nothing running and nothing behind,
// and never touches the user's ~/.terraformrc.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/tfcli"
)

const owner = "octo-org"

func main() {
	providerPath := flag.String("provider", "", "path of a built terraform-provider-codescanning binary (default: build this checkout's)")
	ldflags := flag.String("ldflags", "", "go build -ldflags for the provider it builds (make demo stamps the version)")
	examplesDir := flag.String("config", "examples/demo", "directory of the Terraform configuration to apply")
	runTime := flag.Duration("run-time", time.Second, "how long each of the embedded GitHub's default setup runs takes (tests use milliseconds)")
	flag.Parse()
	if err := run(*providerPath, *ldflags, *examplesDir, *runTime); err != nil {
		fmt.Fprintln(os.Stderr, "demo failed:", err)
		os.Exit(1)
	}
	fmt.Println("\n==> Demo finished: applied, detected drift, destroyed. Nothing is left running.")
}

func run(providerPath, ldflags, examplesDir string, runTime time.Duration) error {
	cli, err := tfcli.Find()
	if err != nil {
		return err
	}
	if providerPath == "" {
		fmt.Println("==> Building the provider")
		bin, err := tfcli.BuildProvider(context.Background(), ldflags)
		if err != nil {
			return err
		}
		defer os.RemoveAll(filepath.Dir(bin))
		providerPath = bin
	}

	// Served under a path, as a proxy would be, so base_url is used as given.
	emu := emulator.New(emulator.Config{PathPrefix: "/api-v3", RunQueued: runTime * 3 / 10, RunInProgress: runTime * 7 / 10})
	for _, r := range []emulator.Repository{
		{Owner: owner, Name: "payments-api", AdvancedSecurity: true, Languages: []string{"go", "javascript-typescript"}},
		{Owner: owner, Name: "web-frontend", AdvancedSecurity: true, Languages: []string{"javascript-typescript", "actions"}},
		{Owner: owner, Name: "data-pipeline", AdvancedSecurity: true, Languages: []string{"python"}},
	} {
		emu.AddRepository(r)
	}
	alert := emu.AddAlert(owner, "payments-api", testFixtureAlert())
	baseURL, stop, err := emu.Serve("127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("starting the embedded GitHub: %w", err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = stop(ctx)
	}()
	fmt.Println("==> Running", cli)
	fmt.Println("==> Embedded GitHub serving", baseURL)
	fmt.Printf("    repositories payments-api, web-frontend, data-pipeline; alert %d of payments-api is open (a hard-coded credential in a test fixture)\n", alert)

	work, err := os.MkdirTemp("", "codescanning-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if err := copyConfiguration(examplesDir, work); err != nil {
		return err
	}
	ws, err := tfcli.NewWorkspace(cli, work, providerPath,
		"TF_VAR_github_base_url="+baseURL,
		"TF_VAR_owner="+owner,
		fmt.Sprintf("TF_VAR_dismissed_alert=%d", alert),
		"GITHUB_TOKEN=demo-token", // the embedded GitHub accepts any token
	)
	if err != nil {
		return err
	}
	tf := terraform{ws}

	fmt.Printf("\n==> %s apply: default setup on three repositories, and the alert dismissed with its reason\n", cli.Name())
	if _, err := tf.show(progressLines, "apply", "-auto-approve", "-no-color"); err != nil {
		return err
	}
	fmt.Printf("\n==> %s output\n", cli.Name())
	if _, err := tf.show(nil, "output", "-no-color"); err != nil {
		return err
	}
	if a, _ := emu.Alert(owner, "payments-api", alert); a.State != "dismissed" || a.DismissedReason == nil || *a.DismissedReason != "used in tests" {
		return fmt.Errorf("after apply alert %d is %q, want dismissed as used in tests", alert, a.State)
	}

	fmt.Println("\n==> Meanwhile, in GitHub's UI: web-frontend's default setup is turned off, python is added to")
	fmt.Println("    payments-api, and the dismissed alert is reopened")
	emu.SetDefaultSetup(owner, "web-frontend", emulator.DefaultSetup{State: "not-configured", QuerySuite: "default", ThreatModel: "remote"})
	emu.SetDefaultSetup(owner, "payments-api", emulator.DefaultSetup{State: "configured", Languages: []string{"go", "javascript-typescript", "python"}, QuerySuite: "extended", ThreatModel: "remote_and_local"})
	emu.UpdateAlert(owner, "payments-api", alert, func(a *emulator.Alert) {
		a.State, a.DismissedAt, a.DismissedBy, a.DismissedReason, a.DismissedComment = "open", nil, nil, nil, nil
	})

	fmt.Printf("\n==> %s plan -detailed-exitcode (a scheduled CI job): what changed, and what apply would restore\n", cli.Name())
	code, err := tf.show(changeLines, "plan", "-detailed-exitcode", "-no-color")
	if code != 2 {
		return fmt.Errorf("plan exited %d, want 2 (drift): %v", code, err)
	}
	fmt.Println("==> plan exited 2: the drift was caught")

	fmt.Printf("\n==> %s destroy: default setup off again, the alert reopened\n", cli.Name())
	if _, err := tf.show(progressLines, "destroy", "-auto-approve", "-no-color"); err != nil {
		return err
	}
	for _, name := range []string{"payments-api", "web-frontend", "data-pipeline"} {
		if ds, _ := emu.DefaultSetup(owner, name); ds.State != "not-configured" {
			return fmt.Errorf("after destroy %s is %q, want not-configured", name, ds.State)
		}
	}
	return nil
}

// testFixtureAlert is the finding the demo dismisses: a credential in test data, a typical
// "used in tests" dismissal.
func testFixtureAlert() emulator.Alert {
	return emulator.Alert{
		State: "open",
		Rule: emulator.AlertRule{ID: "go/hardcoded-credentials", Name: "Hard-coded credentials", Severity: "error",
			Description: "Hard-coded credentials", Tags: []string{"security", "external/cwe/cwe-798"}},
		Tool: emulator.AlertTool{Name: "CodeQL", Version: "2.19.0"},
		Instances: []emulator.AlertInstance{{
			Ref: "refs/heads/main", CommitSHA: strings.Repeat("a", 40), AnalysisKey: "dynamic/github-code-scanning/codeql:analyze",
			Category: "/language:go", Environment: "{}", State: "open", Message: "Hard-coded value flows to a password.",
			Path: "internal/testdata/fixtures.go", StartLine: 12, EndLine: 12, StartColumn: 2, EndColumn: 40,
		}},
		CreatedAt: time.Now().UTC().Add(-24 * time.Hour),
	}
}

// copyConfiguration copies the .tf files, so that state and lock files land in the temporary
// directory and never in the repository.
func copyConfiguration(from, to string) error {
	files, err := filepath.Glob(filepath.Join(from, "*.tf"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no .tf files in %s: %v", from, err)
	}
	config := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		config[filepath.Base(f)] = string(b)
	}
	return tfcli.WriteFiles(to, config)
}

// terraform runs the demo's commands: Terraform's or OpenTofu's, whichever tfcli found.
type terraform struct{ ws *tfcli.Workspace }
