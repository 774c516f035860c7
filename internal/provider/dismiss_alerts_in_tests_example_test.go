package provider

import (
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// The module-style example dismisses every open alert of one rule in test code, with for_each
// over the alerts data source, and stays put once it has: no flip-flop between runs.
func TestDismissAlertsInTestsExample(t *testing.T) {
	t.Parallel()
	example, err := os.ReadFile("../../examples/dismiss-alerts-in-tests/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	inTests := []int{
		openAlert(emu, "go/hardcoded-credentials", "internal/db/query_test.go"),
		openAlert(emu, "go/hardcoded-credentials", "test/fixtures/server.go"),
	}
	classified := openAlert(emu, "go/hardcoded-credentials", "fixtures/keys.go")
	emu.UpdateAlert(testOwner, "service", classified, func(a *emulator.Alert) { a.Instances[0].Classifications = []string{"test"} })
	inTests = append(inTests, classified)
	inProduction := openAlert(emu, "go/hardcoded-credentials", "internal/auth/token.go")
	otherRule := openAlert(emu, "go/sql-injection", "internal/db/query_test.go")
	fixed := openAlert(emu, "go/hardcoded-credentials", "pkg/auth/token_test.go")
	emu.UpdateAlert(testOwner, "service", fixed, func(a *emulator.Alert) { a.State = "fixed" })

	cfg := tt.providerBlock() + string(example)
	vars := config.Variables{"repository": config.StringVariable(tt.repo)}
	states := func(want map[int]string) []statecheck.StateCheck {
		return []statecheck.StateCheck{checkEmulator(func() error {
			for number, state := range want {
				if a, _ := emu.Alert(testOwner, "service", number); a.State != state {
					return fmt.Errorf("alert %d at %s is %q, want %q", number, a.Instances[0].Path, a.State, state)
				}
			}
			return nil
		})}
	}
	want := map[int]string{inProduction: "open", otherRule: "open", fixed: "fixed"}
	for _, n := range inTests {
		want[n] = "dismissed"
	}
	reopened := map[int]string{inProduction: "open", otherRule: "open", fixed: "fixed"}
	for _, n := range inTests {
		reopened[n] = "open"
	}
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: cfg, ConfigVariables: vars, ConfigStateChecks: states(want)},
			{
				// The dismissed alerts stay in the map: a second run changes nothing.
				Config:           cfg,
				ConfigVariables:  vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// One is reopened in the UI: the next apply dismisses it again.
				PreConfig: func() {
					emu.UpdateAlert(testOwner, "service", inTests[0], func(a *emulator.Alert) {
						a.State, a.DismissedAt, a.DismissedBy, a.DismissedReason, a.DismissedComment = "open", nil, nil, nil, nil
					})
				},
				Config:            cfg,
				ConfigVariables:   vars,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: states(want),
			},
			{
				// Removing the module's resources reopens what it dismissed. (This step also
				// leaves the state empty for the test framework, whose final state check cannot
				// read for_each instances.)
				Config:            tt.providerBlock(),
				ConfigStateChecks: states(reopened),
			},
		},
	})
}
