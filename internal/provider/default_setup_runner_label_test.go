package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// GitHub does not document what a move from labeled to standard runners does to the label when
// the PATCH does not name it (the emulator's RunnerLabelOnStandard: cleared, kept, refused).
// The provider sends "runner_label": null, so under each the apply succeeds, GitHub holds no
// label, the plan said null, and nothing is left to plan.
func TestDefaultSetupLeavingLabeledRunnersSendsRunnerLabelNull(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{emulator.LabelClearedOnStandard, emulator.LabelKeptOnStandard, emulator.LabelRefusedOnStandard} {
		t.Run("mode="+mode, func(t *testing.T) {
			t.Parallel()
			cfg := defaultEmulatorConfig()
			cfg.RunnerLabelOnStandard = mode
			tt := emulatorTarget(t, cfg)
			emu := tt.needsEmulator(t)
			standard := defaultSetupConfig(tt, tt.repo, `  runner_type = "standard"`)
			tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
				Config: defaultSetupConfig(tt, tt.repo, "  runner_type  = \"labeled\"\n  runner_label = \"code-scanning\""),
			}, {
				Config: standard,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(defaultSetupAddress, tfjsonpath.New("runner_label"), knownvalue.Null()),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectAttr("runner_type", knownvalue.StringExact("standard")), expectAttr("runner_label", knownvalue.Null())},
				Check: func(*terraform.State) error {
					ds, _ := emu.DefaultSetup(testOwner, "service")
					if ds.RunnerLabel != nil {
						return fmt.Errorf("GitHub still holds runner_label %q", *ds.RunnerLabel)
					}
					for _, r := range emu.Requests() {
						if r.Method == "PATCH" && strings.Contains(string(r.Body), `"runner_type":"standard"`) && !strings.Contains(string(r.Body), `"runner_label":null`) {
							return fmt.Errorf("PATCH %s moved to standard runners without runner_label null", r.Body)
						}
					}
					return nil
				},
			}, {
				Config:           standard,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			}}})
		})
	}
}
