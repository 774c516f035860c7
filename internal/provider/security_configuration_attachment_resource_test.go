package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

const attachmentAddress = "codescanning_security_configuration_attachment.test"

// attachmentConfig is a configuration with settings, attached as attachment says.
func attachmentConfig(tt testTarget, settings, attachment string) string {
	return securityConfigurationConfig(tt, "rollout", settings) + fmt.Sprintf(`
resource "codescanning_security_configuration_attachment" "test" {
  organization     = %q
  configuration_id = codescanning_security_configuration.test.configuration_id
%s
}
`, testOwner, attachment)
}

// attachedTo checks which repositories of the test organization the emulator shows attached to
// configuration "rollout" (attached or enforced) and which not.
func attachedTo(emu *emulator.Emulator, attached []string, notAttached ...string) statecheck.StateCheck {
	return checkEmulator(func() error {
		c, ok := emulatorConfiguration(emu, "rollout")
		if !ok {
			return fmt.Errorf("no configuration rollout")
		}
		for _, name := range attached {
			id, status, ok := emu.RepositoryConfiguration(testOwner, name)
			if !ok || id != c.ID || !githubclient.Covers(status) {
				return fmt.Errorf("%s has configuration %d status %q, want %d attached or enforced", name, id, status, c.ID)
			}
		}
		for _, name := range notAttached {
			if id, status, ok := emu.RepositoryConfiguration(testOwner, name); ok && id == c.ID {
				return fmt.Errorf("%s is still with configuration %d (%s)", name, id, status)
			}
		}
		return nil
	})
}

func testClient(t *testing.T, tt testTarget) *githubclient.Client {
	t.Helper()
	client, err := githubclient.New(githubclient.Config{BaseURL: tt.baseURL, Token: "test-token", Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

func detachBehindTerraform(t *testing.T, emu *emulator.Emulator, client *githubclient.Client, names ...string) {
	t.Helper()
	var ids []int64
	for _, name := range names {
		ids = append(ids, emu.RepositoryID(testOwner, name))
	}
	if err := client.DetachSecurityConfigurations(context.Background(), testOwner, ids); err != nil {
		t.Fatal(err)
	}
}

// Repositories by name are attached and waited for until enforced; one detached outside
// Terraform is planned back and attached again; one removed from the set is detached; import
// by organization/configuration_id records the configuration's repositories; destroy detaches.
func TestSecurityConfigurationAttachmentOfRepositories(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	client := testClient(t, tt)
	settings := `  code_scanning_default_setup = "enabled"
  enforcement                 = "enforced"`
	both := attachmentConfig(tt, settings, `  repositories     = ["service", "flaky-python"]`)
	tt.run(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error {
			for _, name := range []string{"service", "flaky-python"} {
				if id, _, ok := emu.RepositoryConfiguration(testOwner, name); ok {
					return fmt.Errorf("destroy left %s with configuration %d", name, id)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: both,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(attachmentAddress, tfjsonpath.New("repository_ids"), knownvalue.MapExact(map[string]knownvalue.Check{
						"service":      knownvalue.Int64Exact(emu.RepositoryID(testOwner, "service")),
						"flaky-python": knownvalue.Int64Exact(emu.RepositoryID(testOwner, "flaky-python")),
					})),
					attachedTo(emu, []string{"service", "flaky-python"}, "no-advanced-security"),
					checkEmulator(func() error {
						// Enforced, as the configuration is: the apply waited past attaching.
						if _, status, _ := emu.RepositoryConfiguration(testOwner, "service"); status != githubclient.AttachmentEnforced {
							return fmt.Errorf("service is %q, want enforced", status)
						}
						return nil
					}),
				},
			},
			{
				Config:           both,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				PreConfig: func() { detachBehindTerraform(t, emu, client, "service") },
				Config:    both,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(attachmentAddress, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{attachedTo(emu, []string{"service", "flaky-python"})},
			},
			{
				Config:            attachmentConfig(tt, settings, `  repositories     = ["service"]`),
				ConfigStateChecks: []statecheck.StateCheck{attachedTo(emu, []string{"service"}, "flaky-python")},
			},
			{
				ResourceName: attachmentAddress,
				ImportState:  true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return s.RootModule().Resources[attachmentAddress].Primary.ID, nil
				},
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "id",
			},
		},
	})
}

// A repository GitHub cannot attach (no Advanced Security licence for default setup) fails the
// apply naming it, and a name GitHub does not know fails on repositories before any attach.
func TestSecurityConfigurationAttachmentFailureNamesTheRepository(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	tt.needsEmulator(t)
	settings := `  code_scanning_default_setup = "enabled"`
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{
		{
			Config:      attachmentConfig(tt, settings, `  repositories     = ["service", "missing"]`),
			ExpectError: regexp.MustCompile(`(?s)No repository octo-org/missing.*check the name`),
		},
		{
			Config: attachmentConfig(tt, settings, `  repositories     = ["service", "no-advanced-security"]`),
			ExpectError: regexp.MustCompile(`(?s)GitHub could not attach octo-org/no-advanced-security \(status failed\).*` +
				errorPattern(`Assign licences, or remove those repositories`).String()),
		},
	}})
}

// A scope attaches what it covers; narrowing it detaches what the wider scope attached and the
// narrower does not cover; a repository it attached that leaves outside Terraform shows the
// scope as an update, which attaches it again.
func TestSecurityConfigurationAttachmentOfAScope(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	emu.AddRepository(emulator.Repository{Owner: testOwner, Name: "docs", Visibility: emulator.VisibilityPublic, Languages: []string{"go"}})
	client := testClient(t, tt)
	settings := `  dependabot_alerts = "enabled"
  enforcement       = "unenforced"`
	private := []string{"service", "flaky-python", "no-advanced-security"}
	public := attachmentConfig(tt, settings, `  scope            = "public"`)
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{
		{
			Config:            attachmentConfig(tt, settings, `  scope            = "all"`),
			ConfigStateChecks: []statecheck.StateCheck{attachedTo(emu, append([]string{"docs"}, private...))},
		},
		{
			Config: public,
			ConfigStateChecks: []statecheck.StateCheck{
				attachedTo(emu, []string{"docs"}, private...),
				statecheck.ExpectKnownValue(attachmentAddress, tfjsonpath.New("repository_ids"), knownvalue.MapSizeExact(1)),
			},
		},
		{
			PreConfig: func() { detachBehindTerraform(t, emu, client, "docs") },
			Config:    public,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(attachmentAddress, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{attachedTo(emu, []string{"docs"})},
		},
		{
			Config:           public,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
	}})
}

// An attachment GitHub has not finished when the timeout runs out fails naming the repositories
// still attaching and what to do.
func TestSecurityConfigurationAttachmentTimeoutNamesThePending(t *testing.T) {
	t.Parallel()
	cfg := defaultEmulatorConfig()
	cfg.AttachmentDelay = time.Hour
	tt := emulatorTarget(t, cfg)
	tt.needsEmulator(t)
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
		Config: attachmentConfig(tt, `  dependabot_alerts = "enabled"`, `  repositories     = ["service"]
  timeouts {
    create = "100ms"
  }`),
		ExpectError: regexp.MustCompile(`(?s)GitHub was still attaching when the time ran out.*octo-org/service`),
	}}})
}

// Both of scope and repositories, or neither, fails the plan.
func TestSecurityConfigurationAttachmentTakesExactlyOneOfScopeAndRepositories(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{
		{
			Config:      attachmentConfig(tt, "", `  scope = "all"`+"\n"+`  repositories = ["service"]`),
			PlanOnly:    true,
			ExpectError: errorPattern(`2 attributes specified when one (and only one) of [repositories] is required`),
		},
		{
			Config:      attachmentConfig(tt, "", ""),
			PlanOnly:    true,
			ExpectError: errorPattern(`No attribute specified when one (and only one) of [repositories] is required`),
		},
		{
			Config:      attachmentConfig(tt, "", `  repositories = ["octo-org/service"]`),
			PlanOnly:    true,
			ExpectError: errorPattern(`must be a repository's name within the organization, without the organization`),
		},
	}})
}

// GitHub compares repository names without case: a name written "Service" is attached, and
// refreshing it (GitHub lists "service") is no drift.
func TestSecurityConfigurationAttachmentNameCaseIsNoDrift(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	config := attachmentConfig(tt, `  dependabot_alerts = "enabled"`, `  repositories     = ["Service"]`)
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{
		{Config: config, ConfigStateChecks: []statecheck.StateCheck{attachedTo(emu, []string{"service"})}},
		{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
	}})
}
