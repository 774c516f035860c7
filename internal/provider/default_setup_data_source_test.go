package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

func TestDefaultSetupDataSourceReadsWhatGitHubReports(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	updated := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	emu.SetDefaultSetup(testOwner, "service", emulator.DefaultSetup{
		State: "configured", Languages: []string{"python", "go"}, QuerySuite: "extended", ThreatModel: "remote_and_local",
		RunnerType: ptr("labeled"), RunnerLabel: ptr("code-scanning"), Schedule: ptr("weekly"), UpdatedAt: &updated,
	})
	on, off := "data.codescanning_default_setup.on", "data.codescanning_default_setup.off"
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: tt.providerBlock() + `
data "codescanning_default_setup" "on" {
  repository = "service"
}
data "codescanning_default_setup" "off" {
  repository = "octo-org/flaky-python"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(on, tfjsonpath.New("id"), knownvalue.StringExact(tt.repo)),
					statecheck.ExpectKnownValue(on, tfjsonpath.New("state"), knownvalue.StringExact("configured")),
					statecheck.ExpectKnownValue(on, tfjsonpath.New("languages"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("go"), knownvalue.StringExact("python")})),
					statecheck.ExpectKnownValue(on, tfjsonpath.New("query_suite"), knownvalue.StringExact("extended")),
					statecheck.ExpectKnownValue(on, tfjsonpath.New("threat_model"), knownvalue.StringExact("remote_and_local")),
					statecheck.ExpectKnownValue(on, tfjsonpath.New("runner_type"), knownvalue.StringExact("labeled")),
					statecheck.ExpectKnownValue(on, tfjsonpath.New("runner_label"), knownvalue.StringExact("code-scanning")),
					statecheck.ExpectKnownValue(on, tfjsonpath.New("schedule"), knownvalue.StringExact("weekly")),
					statecheck.ExpectKnownValue(on, tfjsonpath.New("updated_at"), knownvalue.StringExact("2025-03-01T12:00:00Z")),
					statecheck.ExpectKnownValue(off, tfjsonpath.New("state"), knownvalue.StringExact("not-configured")),
					statecheck.ExpectKnownValue(off, tfjsonpath.New("languages"), knownvalue.SetSizeExact(0)),
				},
			},
			{
				Config:      tt.providerBlock() + `data "codescanning_default_setup" "x" { repository = "missing" }`,
				ExpectError: diagnosticPattern("Cannot read code scanning default setup of octo-org/missing", "Check that the repository exists"),
			},
			{
				Config:      tt.providerBlock() + `data "codescanning_default_setup" "x" { repository = "no-advanced-security" }`,
				ExpectError: diagnosticPattern("Cannot read code scanning default setup of octo-org/no-advanced-security", "Enable GitHub Advanced Security"),
			},
		},
	})
}

// A data source beside the resource reads the same attribute values the resource records.
func TestDefaultSetupDataSourceMatchesTheResource(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: tt.providerBlock() + `
resource "codescanning_default_setup" "managed" {
  repository   = "service"
  languages    = ["go"]
  query_suite  = "extended"
  threat_model = "remote"
}
data "codescanning_default_setup" "read" {
  repository = codescanning_default_setup.managed.id
}
`,
			ConfigStateChecks: func() []statecheck.StateCheck {
				var checks []statecheck.StateCheck
				for _, name := range []string{"state", "languages", "query_suite", "threat_model", "runner_type", "runner_label", "schedule", "updated_at"} {
					checks = append(checks, statecheck.CompareValuePairs(
						"codescanning_default_setup.managed", tfjsonpath.New(name),
						"data.codescanning_default_setup.read", tfjsonpath.New(name), compare.ValuesSame()))
				}
				return checks
			}(),
		}},
	})
}

// GitHub Enterprise Server 3.17 has no threat models: its answer has no threat_model, which
// reads as null rather than failing.
func TestDefaultSetupDataSourceOnGHES317HasNoThreatModel(t *testing.T) {
	t.Parallel()
	cfg := defaultEmulatorConfig()
	cfg.EnterpriseVersion, cfg.PathPrefix = "3.17.2", "/api/v3"
	tt := emulatorTarget(t, cfg)
	emu := tt.needsEmulator(t)
	emu.SetDefaultSetup(testOwner, "service", emulator.DefaultSetup{State: "configured", Languages: []string{"go"}, QuerySuite: "default", ThreatModel: "remote"})
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: tt.providerBlock() + `data "codescanning_default_setup" "ghes" { repository = "service" }`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.codescanning_default_setup.ghes", tfjsonpath.New("state"), knownvalue.StringExact("configured")),
				statecheck.ExpectKnownValue("data.codescanning_default_setup.ghes", tfjsonpath.New("languages"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("go")})),
				statecheck.ExpectKnownValue("data.codescanning_default_setup.ghes", tfjsonpath.New("threat_model"), knownvalue.Null()),
			},
		}},
	})
}
