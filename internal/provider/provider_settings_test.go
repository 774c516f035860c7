package provider

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/codescanning/terraform-provider-codescanning/internal/clock"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// withOptions gives tt a provider built with further options.
func withOptions(tt testTarget, opts ...Option) testTarget {
	opts = append([]Option{WithBackoff(fastBackoff), WithRetryPolicy(fastRetry)}, opts...)
	tt.factories = map[string]func() (tfprotov6.ProviderServer, error){
		"codescanning": testServer(New("test", opts...)()),
	}
	return tt
}

// fakeClockTarget is emulatorTarget with a fake clock that the provider's client and the
// emulator share (WithClock, emulator.Config.Clock): a retry-after, a rate limit's reset or a
// token's expiry passes as soon as the client sleeps towards it. Tests assert on the clock that
// the wait happened. opts come after the usual fast back-off and retries.
func fakeClockTarget(t *testing.T, cfg emulator.Config, opts ...Option) (testTarget, *clock.Fake) {
	t.Helper()
	fake := clock.NewFake()
	cfg.Clock = fake
	return withOptions(emulatorTarget(t, cfg), append([]Option{WithClock(fake)}, opts...)...), fake
}

// providerWith is a provider block for the emulator at baseURL with the given settings.
func providerWith(baseURL, settings string) string {
	return fmt.Sprintf("provider \"codescanning\" {\n  base_url = %q\n  owner    = %q\n%s\n}\n", baseURL, testOwner, settings)
}

const serviceSetup = `
resource "codescanning_default_setup" "test" {
  repository = "service"
  languages  = ["go"]
%s
}
`

func TestProviderSettingsAreValidatedAtPlanTime(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	cases := []struct{ settings, want string }{
		{`  token = "t"` + "\n" + `  api_version = "2023-01-01"`, `value must be one of: ["2022-11-28" "2026-03-10"]`},
		{`  token = "t"` + "\n" + `  write_delay = "1 second"`, `Write a duration with its unit`},
		{`  token = "t"` + "\n" + `  write_delay = "-1s"`, `Write a duration with its unit`},
		{`  token = "t"` + "\n" + `  max_concurrency = 0`, `value must be between 1 and 100`},
		{`  token = "t"` + "\n" + `  points_per_minute = -1`, `value must be at least 0`},
		{`  token = "t"` + "\n" + `  app_auth {` + "\n" + `    id = "1"` + "\n" + `  }`, `"app_auth" cannot be specified when "token" is specified`},
		{`  app_auth {` + "\n" + `    private_key = "k"` + "\n" + `    private_key_file = "f"` + "\n" + `  }`, `cannot be specified when`},
		{`  app_auth {` + "\n" + `    installation_id = "x7"` + "\n" + `  }`, `must be the installation's number`},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
				Config:      providerWith(tt.baseURL, tc.settings) + fmt.Sprintf(serviceSetup, ""),
				PlanOnly:    true,
				ExpectError: errorPattern(tc.want),
			}}})
		})
	}
}

func TestAPIVersionIsSentWithEveryRequest(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
		Config: providerWith(tt.baseURL, `  token = "test-token"`+"\n"+`  api_version = "2026-03-10"`) + fmt.Sprintf(serviceSetup, ""),
		ConfigStateChecks: []statecheck.StateCheck{checkEmulator(func() error {
			for _, r := range emu.Requests() {
				if v := r.Header.Get("X-GitHub-Api-Version"); v != "2026-03-10" {
					return fmt.Errorf("%s %s asked for API version %q", r.Method, r.Path, v)
				}
			}
			return nil
		})},
	}}})
}

// GitHub Enterprise Server 3.17, reached by its bare host name (base_url without /api/v3):
// default setup works without threat_model, and asking for one fails at apply naming the
// server's release.
func TestGHES317DefaultSetupWithoutAndWithThreatModel(t *testing.T) {
	t.Parallel()
	cfg := defaultEmulatorConfig()
	cfg.EnterpriseVersion, cfg.PathPrefix = "3.17.2", "/api/v3"
	tt := emulatorTarget(t, cfg)
	root := strings.TrimSuffix(tt.baseURL, "api/v3/")
	provider := providerWith(root, `  token = "test-token"`)
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{
		{
			Config:            provider + fmt.Sprintf(serviceSetup, ""),
			ConfigStateChecks: []statecheck.StateCheck{expectAttr("threat_model", knownvalue.Null()), expectAttr("state", knownvalue.StringExact("configured"))},
		},
		{
			Config:           provider + fmt.Sprintf(serviceSetup, ""),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
		{
			Config:      provider + fmt.Sprintf(serviceSetup, `  threat_model = "remote_and_local"`),
			ExpectError: errorPattern("GitHub Enterprise Server 3.17.2 has no threat models for default setup"),
		},
	}})
}

// base_url https://NAME.ghe.com means the API at https://api.NAME.ghe.com/.
func TestGHEComBaseURL(t *testing.T) {
	t.Parallel()
	emu := emulator.New(defaultEmulatorConfig())
	for _, r := range testRepositories() {
		emu.AddRepository(r)
	}
	srv := httptest.NewTLSServer(emu.Handler())
	t.Cleanup(srv.Close)
	emu.SetBaseURL("https://api.octo.ghe.com/")
	addr := srv.Listener.Addr().String()
	certs := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs //nolint:forcetypeassert // httptest's client is built on *http.Transport
	transport := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr) // api.octo.ghe.com is the emulator
		},
		TLSClientConfig: &tls.Config{RootCAs: certs, ServerName: "example.com", MinVersion: tls.VersionTLS12},
	}
	tt := withOptions(testTarget{name: "ghe.com", emulator: emu}, WithHTTPTransport(transport))
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
		Config: providerWith("https://octo.ghe.com", `  token = "test-token"`) + fmt.Sprintf(serviceSetup, ""),
		ConfigStateChecks: []statecheck.StateCheck{
			expectAttr("run_url", knownvalue.StringRegexp(regexpMust(`^https://api\.octo\.ghe\.com/repos/octo-org/service/actions/runs/\d+$`))),
			checkEmulator(func() error {
				if len(emu.Requests()) == 0 {
					return fmt.Errorf("no request reached api.octo.ghe.com")
				}
				return nil
			}),
		},
	}, {
		// A run the apply does not read still gets the web link, on GHE.com's web host.
		Config: providerWith("https://octo.ghe.com", `  token = "test-token"`) + fmt.Sprintf(serviceSetup, "  query_suite  = \"extended\"\n  wait_for_run = false\n"),
		ConfigStateChecks: []statecheck.StateCheck{
			expectAttr("run_html_url", knownvalue.StringRegexp(regexpMust(`^https://octo\.ghe\.com/octo-org/service/actions/runs/\d+$`))),
		},
	}}})
}
