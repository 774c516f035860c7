package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// providerBlockWithoutOwner is the emulator's provider configuration with no owner, so that a
// bare repository name has nothing to resolve against.
func (tt testTarget) providerBlockWithoutOwner() string {
	return fmt.Sprintf(`provider "codescanning" {
  base_url    = %q
  token       = "test-token"
  write_delay = "0s"
}
`, tt.baseURL)
}

// A bare repository name with no owner to go with it fails the plan, naming the attribute and the
// fix, for every resource and data source that takes a repository: a pull request's plan must not
// go green for a configuration whose apply cannot work. PlanOnly steps fail differently (with a
// non-empty plan) if the error only comes at apply.
func TestRepositoryWithoutOwnerFailsAtPlan(t *testing.T) {
	t.Setenv("GITHUB_OWNER", "")
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	number := openAlert(emu, "go/sql-injection", "a.go")
	want := errorPattern(`"service" has no owner: write "owner/service", or set the provider's owner (or GITHUB_OWNER)`)
	block := func(kind, name, extra string) string {
		return fmt.Sprintf("%s %q \"test\" {\n  repository = \"service\"\n%s}\n", kind, name, extra)
	}
	alert := fmt.Sprintf("  alert_number = %d\n", number)
	for name, body := range map[string]string{
		"default_setup":         block("resource", "codescanning_default_setup", ""),
		"alert_dismissal":       block("resource", "codescanning_alert_dismissal", alert+"  reason = \"false positive\"\n"),
		"data.default_setup":    block("data", "codescanning_default_setup", ""),
		"data.alerts":           block("data", "codescanning_alerts", ""),
		"data.alert":            block("data", "codescanning_alert", alert),
		"data.alert_instances":  block("data", "codescanning_alert_instances", alert),
		"data.analyses":         block("data", "codescanning_analyses", ""),
		"data.codeql_databases": block("data", "codescanning_codeql_databases", ""),
	} {
		t.Run(name, func(t *testing.T) {
			tt.run(t, resource.TestCase{
				Steps: []resource.TestStep{{
					Config:      tt.providerBlockWithoutOwner() + body,
					PlanOnly:    true,
					ExpectError: want,
				}},
			})
		})
	}
}
