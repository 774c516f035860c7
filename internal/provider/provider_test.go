package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/emulatortest"
	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// Acceptance tests run against one of two GitHubs: the embedded emulator, always (make test), and
// real GitHub when TF_ACC, GITHUB_TOKEN and CODESCANNING_TEST_REPOSITORY are set (make testacc).
// A test written with forEachTarget runs unchanged against both; one that needs to change GitHub
// behind Terraform's back, or to make it fail, asks for the emulator and is skipped on real GitHub.

// testOwner is the organization every emulator repository belongs to.
const testOwner = "octo-org"

// fastBackoff makes the provider poll the emulator's millisecond-long runs without real waiting.
var fastBackoff = githubclient.Backoff{Initial: 2 * time.Millisecond, Max: 20 * time.Millisecond, Factor: 2}

// fastRetry retries the emulator's injected faults within milliseconds, and waits 20ms where
// GitHub's secondary rate limit asks for a minute.
var fastRetry = githubclient.RetryPolicy{
	Backoff:                githubclient.Backoff{Initial: 2 * time.Millisecond, Max: 20 * time.Millisecond, Factor: 2, Jitter: 0.2},
	SecondaryRateLimitWait: 20 * time.Millisecond,
}

// testTarget is one GitHub the acceptance tests run against.
type testTarget struct {
	name      string
	emulator  *emulator.Emulator // nil on real GitHub
	baseURL   string             // "" on real GitHub: the provider's own default
	repo      string             // owner/name of the repository the test manages
	factories map[string]func() (tfprotov6.ProviderServer, error)
}

// run runs a test case: resource.UnitTest against the emulator, so make test runs it without
// TF_ACC; resource.Test against real GitHub, which TF_ACC gates.
func (tt testTarget) run(t *testing.T, tc resource.TestCase) {
	t.Helper()
	tc.ProtoV6ProviderFactories = tt.factories
	if tt.emulator != nil {
		resource.UnitTest(t, tc)
		return
	}
	resource.Test(t, tc)
}

// needsEmulator skips a test that must steer GitHub in ways real GitHub cannot be steered.
func (tt testTarget) needsEmulator(t *testing.T) *emulator.Emulator {
	t.Helper()
	if tt.emulator == nil {
		t.Skip("needs the embedded GitHub to change repositories behind Terraform's back")
	}
	return tt.emulator
}

// providerBlock is the provider configuration for this target. On the emulator the URL goes in
// the configuration, not the environment, so that parallel tests never share a server.
func (tt testTarget) providerBlock() string {
	if tt.emulator == nil {
		return `provider "codescanning" {}` + "\n"
	}
	return fmt.Sprintf(`provider "codescanning" {
  base_url    = %q
  token       = "test-token"
  owner       = %q
  write_delay = "0s"
}
`, tt.baseURL, testOwner)
}

// testRepositories are seeded into every emulator: names say what each is for.
func testRepositories() []emulator.Repository {
	return []emulator.Repository{
		{Owner: testOwner, Name: "service", AdvancedSecurity: true, Languages: []string{"go", "python"}},
		{Owner: testOwner, Name: "flaky-python", AdvancedSecurity: true, Languages: []string{"go", "python"}, FailingLanguages: []string{"python"}},
		{Owner: testOwner, Name: "no-advanced-security", AdvancedSecurity: false, Languages: []string{"go"}},
		{Owner: testOwner, Name: "archived", AdvancedSecurity: true, Archived: true, Languages: []string{"go"}},
	}
}

// defaultEmulatorConfig has runs that take milliseconds, so tests never wait real minutes.
func defaultEmulatorConfig() emulator.Config {
	return emulator.Config{RunQueued: 5 * time.Millisecond, RunInProgress: 10 * time.Millisecond}
}

// emulatorTarget starts an emulator for one test.
func emulatorTarget(t *testing.T, cfg emulator.Config) testTarget {
	t.Helper()
	emu, baseURL := emulatortest.NewServer(t, cfg)
	for _, r := range testRepositories() {
		emu.AddRepository(r)
	}
	return testTarget{
		name:     "emulator",
		emulator: emu,
		baseURL:  baseURL,
		repo:     testOwner + "/service",
		factories: map[string]func() (tfprotov6.ProviderServer, error){
			"codescanning": testServer(New("test", WithBackoff(fastBackoff), WithRetryPolicy(fastRetry))()),
		},
	}
}

// testServer is the provider as main.go serves it (ProtocolServer), in the form
// ProtoV6ProviderFactories take.
func testServer(p fwprovider.Provider) func() (tfprotov6.ProviderServer, error) {
	newServer := ProtocolServer(p)
	return func() (tfprotov6.ProviderServer, error) { return newServer(), nil }
}

// realGitHubTarget is real GitHub when the environment names a token and a test repository.
func realGitHubTarget() (testTarget, bool) {
	repo := os.Getenv("CODESCANNING_TEST_REPOSITORY")
	if os.Getenv("TF_ACC") == "" || repo == "" || (os.Getenv("GITHUB_TOKEN") == "" && os.Getenv("GH_TOKEN") == "") {
		return testTarget{}, false
	}
	return testTarget{
		name: "github",
		repo: repo,
		factories: map[string]func() (tfprotov6.ProviderServer, error){
			"codescanning": testServer(New("test")()),
		},
	}, true
}

// forEachTarget runs body against the emulator and, when configured, real GitHub.
func forEachTarget(t *testing.T, body func(t *testing.T, tt testTarget)) {
	t.Helper()
	t.Run("emulator", func(t *testing.T) {
		t.Parallel()
		body(t, emulatorTarget(t, defaultEmulatorConfig()))
	})
	t.Run("github", func(t *testing.T) {
		tt, ok := realGitHubTarget()
		if !ok {
			t.Skip("set TF_ACC, GITHUB_TOKEN and CODESCANNING_TEST_REPOSITORY to run against real GitHub")
		}
		body(t, tt)
	})
}

// errorPattern matches a diagnostic whose words Terraform may have wrapped across lines.
func errorPattern(words string) *regexp.Regexp {
	parts := strings.Fields(words)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}

func regexpMust(pattern string) *regexp.Regexp { return regexp.MustCompile(pattern) }

// checkEmulator is a state check that asks the emulator instead of the state: for configurations
// with for_each, which the legacy Check functions cannot shim.
type checkEmulator func() error

func (c checkEmulator) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if err := c(); err != nil {
		resp.Error = err
	}
}
