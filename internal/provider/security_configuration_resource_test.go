package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
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
