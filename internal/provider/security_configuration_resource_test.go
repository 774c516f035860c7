package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

const securityConfigurationAddress = "codescanning_security_configuration.test"

// securityConfigurationConfig is a configuration named name in the test organization with body.
func securityConfigurationConfig(tt testTarget, name, body string) string {
	return tt.providerBlock() + fmt.Sprintf(`
resource "codescanning_security_configuration" "test" {
  organization = %q
  name         = %q
%s
}
`, testOwner, name, body)
}

// An enum value GitHub does not take, and settings that need each other, fail the plan naming
// the attribute and what to write, before any request.
func TestSecurityConfigurationBadSettingsFailThePlan(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	step := func(body, message string) resource.TestStep {
		return resource.TestStep{Config: securityConfigurationConfig(tt, "baseline", body), PlanOnly: true, ExpectError: errorPattern(message)}
	}
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{
		step(`  code_scanning_default_setup = "on"`, `Attribute code_scanning_default_setup value must be one of`),
		step(`  enforcement = "strict"`, `Attribute enforcement value must be one of: ["enforced" "unenforced"]`),
		step(`  default_for_new_repos = "private"`, `Attribute default_for_new_repos value must be one of`),
		step(`  code_scanning_default_setup_runner_type = "labeled"`, `Set code_scanning_default_setup_runner_label`),
		step(`  dependabot_alerts = "disabled"
  dependabot_delegated_alert_dismissal = "enabled"`, `Set dependabot_alerts = "enabled"`),
		step(`  secret_scanning_delegated_bypass_reviewers = [{ reviewer_id = 1, reviewer_type = "USER" }]`, `reviewer_type value must be one of: ["TEAM" "ROLE"]`),
	}})
}

func expectConfigurationAttr(name string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(securityConfigurationAddress, tfjsonpath.New(name), check)
}

// emulatorConfiguration is the emulator's configuration of that name in the test organization.
func emulatorConfiguration(emu *emulator.Emulator, name string) (emulator.SecurityConfiguration, bool) {
	for _, c := range emu.SecurityConfigurations(testOwner) {
		if c.Name == name && c.TargetType == "organization" {
			return c, true
		}
	}
	return emulator.SecurityConfiguration{}, false
}

// emulatorConfigurationHas checks settings of the emulator's configuration as GitHub answers them.
func emulatorConfigurationHas(emu *emulator.Emulator, name, defaultFor string, settings map[string]any) statecheck.StateCheck {
	return checkEmulator(func() error {
		c, ok := emulatorConfiguration(emu, name)
		if !ok {
			return fmt.Errorf("the emulator has no configuration %q", name)
		}
		if c.DefaultFor != defaultFor {
			return fmt.Errorf("configuration %q is the default for %q, want %q", name, c.DefaultFor, defaultFor)
		}
		for k, want := range settings {
			if got := c.Settings[k]; fmt.Sprint(got) != fmt.Sprint(want) {
				return fmt.Errorf("configuration %q has %s = %v, want %v", name, k, got, want)
			}
		}
		return nil
	})
}

// A configuration is created with what it sets and GitHub's defaults for the rest, shows no
// diff when applied again or when a setting is removed from it (GitHub keeps it), is updated in
// place, imports by organization/name and organization/id, and is deleted by destroy.
func TestSecurityConfigurationLifecycle(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	first := `  description                 = "default setup everywhere"
  code_scanning_default_setup = "enabled"
  secret_scanning             = "enabled"
  enforcement                 = "unenforced"
  default_for_new_repos       = "all"`
	withoutSecretScanning := `  description                 = "default setup everywhere"
  code_scanning_default_setup = "enabled"
  enforcement                 = "unenforced"
  default_for_new_repos       = "all"`
	updated := `  description                 = "and Dependabot"
  code_security               = "enabled"
  code_scanning_default_setup = "enabled"
  dependabot_alerts           = "enabled"
  enforcement                 = "enforced"
  default_for_new_repos       = "public"`
	tt.run(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error {
			if _, ok := emulatorConfiguration(emu, "baseline"); ok {
				return fmt.Errorf("destroy left configuration baseline")
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: securityConfigurationConfig(tt, "baseline", first),
				ConfigStateChecks: []statecheck.StateCheck{
					expectConfigurationAttr("id", knownvalue.StringRegexp(regexp.MustCompile(`^octo-org/\d+$`))),
					expectConfigurationAttr("configuration_id", knownvalue.NotNull()),
					expectConfigurationAttr("code_scanning_default_setup", knownvalue.StringExact("enabled")),
					expectConfigurationAttr("secret_scanning", knownvalue.StringExact("enabled")),
					// Left out: GitHub's create defaults, as GitHub reports them.
					expectConfigurationAttr("dependabot_alerts", knownvalue.StringExact("disabled")),
					expectConfigurationAttr("advanced_security", knownvalue.StringExact("disabled")),
					expectConfigurationAttr("code_security", knownvalue.Null()),
					expectConfigurationAttr("default_for_new_repos", knownvalue.StringExact("all")),
					expectConfigurationAttr("html_url", knownvalue.NotNull()),
					expectConfigurationAttr("updated_at", knownvalue.NotNull()),
					emulatorConfigurationHas(emu, "baseline", "all", map[string]any{"code_scanning_default_setup": "enabled", "enforcement": "unenforced"}),
				},
			},
			{
				Config:           securityConfigurationConfig(tt, "baseline", first),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// A setting removed from the configuration is GitHub's again: no diff, nothing sent.
				Config:           securityConfigurationConfig(tt, "baseline", withoutSecretScanning),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: securityConfigurationConfig(tt, "baseline", updated),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(securityConfigurationAddress, plancheck.ResourceActionUpdate),
					// GitHub derives it from code_security.
					plancheck.ExpectUnknownValue(securityConfigurationAddress, tfjsonpath.New("advanced_security")),
					plancheck.ExpectKnownValue(securityConfigurationAddress, tfjsonpath.New("secret_scanning"), knownvalue.StringExact("enabled")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectConfigurationAttr("code_security", knownvalue.StringExact("enabled")),
					expectConfigurationAttr("advanced_security", knownvalue.StringExact("code_security")),
					expectConfigurationAttr("secret_scanning", knownvalue.StringExact("enabled")),
					expectConfigurationAttr("dependabot_alerts", knownvalue.StringExact("enabled")),
					expectConfigurationAttr("default_for_new_repos", knownvalue.StringExact("public")),
					emulatorConfigurationHas(emu, "baseline", "public", map[string]any{"dependabot_alerts": "enabled", "enforcement": "enforced", "secret_scanning": "enabled"}),
				},
			},
			{
				Config:           securityConfigurationConfig(tt, "baseline", updated),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				ResourceName:                         securityConfigurationAddress,
				ImportState:                          true,
				ImportStateId:                        testOwner + "/baseline",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "id",
				// GitHub never reports them.
				ImportStateVerifyIgnore: []string{"code_security", "secret_protection"},
			},
			{
				ResourceName: securityConfigurationAddress,
				ImportState:  true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return s.RootModule().Resources[securityConfigurationAddress].Primary.ID, nil
				},
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "id",
				ImportStateVerifyIgnore:              []string{"code_security", "secret_protection"},
			},
		},
	})
}

// A setting changed on GitHub shows in the next plan as an update back to the configuration's,
// and a configuration deleted on GitHub as a create.
func TestSecurityConfigurationDriftIsPlanned(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	client, err := githubclient.New(githubclient.Config{BaseURL: tt.baseURL, Token: "test-token", Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	config := securityConfigurationConfig(tt, "drifting", `  secret_scanning = "enabled"`)
	configurationID := func() int64 {
		c, ok := emulatorConfiguration(emu, "drifting")
		if !ok {
			t.Fatal("no configuration drifting")
		}
		return c.ID
	}
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{
		{Config: config},
		{
			PreConfig: func() {
				if _, err := client.UpdateSecurityConfiguration(context.Background(), testOwner, configurationID(),
					githubclient.SecurityConfigurationSettings{SecretScanning: "disabled"}); err != nil {
					t.Fatal(err)
				}
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(securityConfigurationAddress, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{emulatorConfigurationHas(emu, "drifting", "", map[string]any{"secret_scanning": "enabled"})},
		},
		{
			PreConfig: func() {
				if err := client.DeleteSecurityConfiguration(context.Background(), testOwner, configurationID()); err != nil {
					t.Fatal(err)
				}
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(securityConfigurationAddress, plancheck.ResourceActionCreate),
			}},
		},
	}})
}

// A setting GitHub Enterprise Server 3.17 lacks fails on its attribute, naming the release it
// arrives in, and nothing is created.
func TestSecurityConfigurationSettingGHESLacksFailsNamingTheRelease(t *testing.T) {
	t.Parallel()
	tt := ghesTarget(t, "3.17.2")
	emu := tt.needsEmulator(t)
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
		Config: tt.providerBlock() + fmt.Sprintf(`
resource "codescanning_security_configuration" "test" {
  organization  = %q
  name          = "ghes"
  code_security = "enabled"
}
`, testOwner),
		ExpectError: regexp.MustCompile(`(?s)with codescanning_security_configuration.test,.*code_security.*` +
			errorPattern(`Remove code_security from the configuration, or upgrade the server to GitHub Enterprise Server 3.19 or later`).String()),
	}}})
	if _, ok := emulatorConfiguration(emu, "ghes"); ok {
		t.Error("the refused configuration was created")
	}
}
