package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// GitHub's description lets GET default-setup report "javascript" and "typescript" although
// PATCH takes only "javascript-typescript". Whichever GitHub reports (the emulator's
// SplitJavaScriptTypeScript knob, off and on), the apply succeeds without a "GitHub applied a
// different languages" error, the state and the data source hold javascript-typescript, and the
// next plan is empty, waiting for the run or not; an import reads the same.
func TestDefaultSetupReadsJavaScriptAndTypeScriptAsJavaScriptTypeScript(t *testing.T) {
	t.Parallel()
	for _, split := range [][]string{nil, {"javascript", "typescript"}, {"javascript"}, {"typescript"}} {
		for _, waitForRun := range []bool{true, false} {
			t.Run(fmt.Sprintf("reported_as=%s/wait_for_run=%t", strings.Join(split, "+"), waitForRun), func(t *testing.T) {
				t.Parallel()
				cfg := defaultEmulatorConfig()
				cfg.SplitJavaScriptTypeScript = split
				tt := emulatorTarget(t, cfg)
				config := defaultSetupConfig(tt, tt.repo, fmt.Sprintf("  languages    = [\"go\", \"javascript-typescript\"]\n  wait_for_run = %t", waitForRun)) +
					fmt.Sprintf("\ndata \"codescanning_default_setup\" \"test\" {\n  repository = %q\n  depends_on = [codescanning_default_setup.test]\n}\n", tt.repo)
				tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
					Config:            config,
					ConfigStateChecks: []statecheck.StateCheck{expectAttr("languages", stringSet("go", "javascript-typescript"))},
				}, {
					// By now the run has ended, so the data source reads what it applied.
					Config:           config,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					ConfigStateChecks: []statecheck.StateCheck{
						expectAttr("languages", stringSet("go", "javascript-typescript")),
						statecheck.ExpectKnownValue("data.codescanning_default_setup.test", tfjsonpath.New("languages"), stringSet("go", "javascript-typescript")),
					},
				}, {
					ResourceName: defaultSetupAddress, ImportState: true, ImportStateId: tt.repo, ImportStateVerify: true,
					ImportStateVerifyIdentifierAttribute: "id", ImportStateVerifyIgnore: []string{"run_id", "run_url", "run_html_url", "wait_for_run"},
				}}})
			})
		}
	}
}
