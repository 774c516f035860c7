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
`, tt.organization(), name, body)
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
	forEachOrgTarget(t, func(t *testing.T, tt testTarget) {
		name, org := tt.configurationName("baseline"), tt.organization()
		// A real organization's defaults are not the test's to change.
		defaults := func(v string) string { return "" }
		if tt.emulator != nil {
			defaults = func(v string) string { return fmt.Sprintf("\n  default_for_new_repos       = %q", v) }
		}
		first := `  description                 = "default setup everywhere"
  code_scanning_default_setup = "enabled"
  secret_scanning             = "enabled"
  enforcement                 = "unenforced"` + defaults("all")
		withoutSecretScanning := `  description                 = "default setup everywhere"
  code_scanning_default_setup = "enabled"
  enforcement                 = "unenforced"` + defaults("all")
		updated := `  description                 = "and Dependabot"
  code_security               = "enabled"
  code_scanning_default_setup = "enabled"
  dependabot_alerts           = "enabled"
  enforcement                 = "enforced"` + defaults("public")
		created := []statecheck.StateCheck{
			expectConfigurationAttr("id", knownvalue.StringRegexp(regexp.MustCompile(`^`+regexp.QuoteMeta(org)+`/\d+$`))),
			expectConfigurationAttr("configuration_id", knownvalue.NotNull()),
			expectConfigurationAttr("code_scanning_default_setup", knownvalue.StringExact("enabled")),
			expectConfigurationAttr("secret_scanning", knownvalue.StringExact("enabled")),
			// Left out: GitHub's create defaults, as GitHub reports them.
			expectConfigurationAttr("dependabot_alerts", knownvalue.StringExact("disabled")),
			expectConfigurationAttr("code_security", knownvalue.Null()),
			expectConfigurationAttr("default_for_new_repos", knownvalue.NotNull()),
			expectConfigurationAttr("html_url", knownvalue.NotNull()),
			expectConfigurationAttr("updated_at", knownvalue.NotNull()),
		}
		changed := []statecheck.StateCheck{
			expectConfigurationAttr("code_security", knownvalue.StringExact("enabled")),
			expectConfigurationAttr("secret_scanning", knownvalue.StringExact("enabled")),
			expectConfigurationAttr("dependabot_alerts", knownvalue.StringExact("enabled")),
			expectConfigurationAttr("enforcement", knownvalue.StringExact("enforced")),
		}
		checkDestroy := func(*terraform.State) error { return nil }
		if emu := tt.emulator; emu != nil {
			created = append(created,
				expectConfigurationAttr("advanced_security", knownvalue.StringExact("disabled")),
				expectConfigurationAttr("default_for_new_repos", knownvalue.StringExact("all")),
				emulatorConfigurationHas(emu, name, "all", map[string]any{"code_scanning_default_setup": "enabled", "enforcement": "unenforced"}))
			changed = append(changed,
				expectConfigurationAttr("advanced_security", knownvalue.StringExact("code_security")),
				expectConfigurationAttr("default_for_new_repos", knownvalue.StringExact("public")),
				emulatorConfigurationHas(emu, name, "public", map[string]any{"dependabot_alerts": "enabled", "enforcement": "enforced", "secret_scanning": "enabled"}))
			checkDestroy = func(*terraform.State) error {
				if _, ok := emulatorConfiguration(emu, name); ok {
					return fmt.Errorf("destroy left configuration %s", name)
				}
				return nil
			}
		}
		tt.run(t, resource.TestCase{
			CheckDestroy: checkDestroy,
			Steps: []resource.TestStep{
				{Config: securityConfigurationConfig(tt, name, first), ConfigStateChecks: created},
				{
					Config:           securityConfigurationConfig(tt, name, first),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				},
				{
					// A setting removed from the configuration is GitHub's again: no diff, nothing sent.
					Config:           securityConfigurationConfig(tt, name, withoutSecretScanning),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				},
				{
					Config: securityConfigurationConfig(tt, name, updated),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(securityConfigurationAddress, plancheck.ResourceActionUpdate),
						// GitHub derives it from code_security.
						plancheck.ExpectUnknownValue(securityConfigurationAddress, tfjsonpath.New("advanced_security")),
						plancheck.ExpectKnownValue(securityConfigurationAddress, tfjsonpath.New("secret_scanning"), knownvalue.StringExact("enabled")),
					}},
					ConfigStateChecks: changed,
				},
				{
					Config:           securityConfigurationConfig(tt, name, updated),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				},
				{
					ResourceName:                         securityConfigurationAddress,
					ImportState:                          true,
					ImportStateId:                        org + "/" + name,
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

// GHES 3.19 takes code_scanning_options when creating a configuration but not in an update:
// changing code_scanning_allow_advanced there fails the plan on the attribute, with no request
// sent to change it, rather than passing the plan and being refused at apply.
func TestSecurityConfigurationGHES319UpdateOfAllowAdvancedFailsThePlan(t *testing.T) {
	t.Parallel()
	tt := ghesTarget(t, "3.19.1")
	emu := tt.needsEmulator(t)
	body := func(allow bool) string {
		return fmt.Sprintf("  code_security = \"enabled\"\n  code_scanning_allow_advanced = %t", allow)
	}
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{
		{
			Config:            securityConfigurationConfig(tt, "ghes", body(true)),
			ConfigStateChecks: []statecheck.StateCheck{emulatorConfigurationHas(emu, "ghes", "", map[string]any{"code_scanning_options": map[string]any{"allow_advanced": true}})},
		},
		{
			PreConfig: emu.ResetRequests,
			// Not PlanOnly: that plan does not refresh, so the client has not heard the release yet.
			// The summary is the plan's; apply's would be "Cannot update code security configuration".
			Config: securityConfigurationConfig(tt, "ghes", body(false)),
			ExpectError: regexp.MustCompile(`(?s)GitHub Enterprise Server 3\.19\.1 has no code_scanning_allow_advanced.*with codescanning_security_configuration.test,.*code_scanning_allow_advanced.*` +
				errorPattern(`takes it when creating a configuration, not in an update`).String()),
		},
		{
			PreConfig: func() {
				for _, r := range emu.Requests() {
					if r.Method != "GET" {
						t.Errorf("the refused plan sent %s %s", r.Method, r.Path)
					}
				}
			},
			Config:            securityConfigurationConfig(tt, "ghes", body(true)),
			PlanOnly:          true,
			ConfigStateChecks: []statecheck.StateCheck{emulatorConfigurationHas(emu, "ghes", "", map[string]any{"code_scanning_options": map[string]any{"allow_advanced": true}})},
		},
	}})
}

// GitHub's own configurations cannot be managed: importing one says to read it with the data
// source and attach it by ID; a name no configuration has says where to find the names.
func TestSecurityConfigurationImportRefusesGitHubsOwnAndUnknownNames(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	tt.needsEmulator(t)
	config := securityConfigurationConfig(tt, "GitHub recommended", "")
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{
		{
			Config:        config,
			ResourceName:  securityConfigurationAddress,
			ImportState:   true,
			ImportStateId: testOwner + "/GitHub recommended",
			ExpectError: regexp.MustCompile(`(?s)Code security configuration "GitHub recommended" is GitHub's, not octo-org's.*` +
				errorPattern(`Read this one with the codescanning_security_configuration data source`).String()),
		},
		{
			Config:        config,
			ResourceName:  securityConfigurationAddress,
			ImportState:   true,
			ImportStateId: testOwner + "/4242",
			ExpectError:   regexp.MustCompile(`No code security configuration "4242" in octo-org`),
		},
		{
			Config:        config,
			ResourceName:  securityConfigurationAddress,
			ImportState:   true,
			ImportStateId: "just-a-name",
			ExpectError:   errorPattern(`Import a code security configuration as organization/configuration_id`),
		},
	}})
}
