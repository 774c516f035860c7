package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// enforcedSetupConfig is an enforced configuration that turns default setup on, attached to
// service, with extra (a codescanning_default_setup of service, or nothing).
func enforcedSetupConfig(tt testTarget, extra string) string {
	return attachmentConfig(tt, `  code_scanning_default_setup = "enabled"
  enforcement                 = "enforced"`, `  repositories     = ["service"]`) + extra
}

const serviceSetupUnderConfiguration = `
resource "codescanning_default_setup" "test" {
  repository  = "service"
  query_suite = "extended"
  depends_on  = [codescanning_security_configuration_attachment.test]
}
`

// GitHub refuses a repository-level default setup change under an enforced configuration with
// an undocumented status: under 403 and 422 alike, the error names the configuration that owns
// the setting and the three ways to resolve it, not GitHub's bare refusal.
func TestDefaultSetupUnderAnEnforcedConfigurationNamesIt(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusForbidden, http.StatusUnprocessableEntity} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			cfg := defaultEmulatorConfig()
			cfg.EnforcedSetupStatus = status
			tt := emulatorTarget(t, cfg)
			tt.needsEmulator(t)
			tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
				Config: enforcedSetupConfig(tt, serviceSetupUnderConfiguration),
				ExpectError: regexp.MustCompile(`(?s)Cannot update code scanning default setup of octo-org/service.*` +
					errorPattern(`is managed by the enforced code security configuration "rollout"`).String() + `.*` +
					errorPattern(`set enforcement = "unenforced" on the configuration`).String() + `.*` +
					errorPattern(`detach octo-org/service from the configuration`).String() + `.*` +
					errorPattern(fmt.Sprintf(`answered %d`, status)).String()),
			}}})
		})
	}
}

// Destroying a codescanning_default_setup whose repository an enforced configuration came to
// manage leaves default setup as the configuration sets it, with a warning, instead of failing
// (which would leave the resource impossible to remove while the configuration is attached).
func TestDefaultSetupDestroyUnderAnEnforcedConfigurationLeavesIt(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusForbidden, http.StatusUnprocessableEntity} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			cfg := defaultEmulatorConfig()
			cfg.EnforcedSetupStatus = status
			tt := emulatorTarget(t, cfg)
			emu := tt.needsEmulator(t)
			setup := `
resource "codescanning_default_setup" "test" {
  repository = "service"
}
`
			tt.run(t, resource.TestCase{Steps: []resource.TestStep{
				{Config: tt.providerBlock() + setup},
				{Config: enforcedSetupConfig(tt, setup)},
				{
					Config: enforcedSetupConfig(tt, ""),
					ConfigStateChecks: []statecheck.StateCheck{checkEmulator(func() error {
						if ds, _ := emu.DefaultSetup(testOwner, "service"); ds.State != "configured" {
							return fmt.Errorf("default setup of service is %q, want it left configured by the configuration", ds.State)
						}
						return nil
					})},
				},
			}})
		})
	}
}
