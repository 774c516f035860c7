package provider

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
)

func isAlertPatchRequest(r *http.Request) bool {
	return r.Method == http.MethodPatch && strings.Contains(r.URL.Path, "/code-scanning/alerts/")
}

// Where dismissal is delegated, a dismissal request whose answer the connection lost, and that a
// reviewer approved before the provider's next request, is read back: the apply succeeds with
// the approved dismissal, never reopening it to ask again.
func TestAlertDismissalRequestWhoseAnswerWasLostIsNotSentAgainAfterApproval(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	emu.UpdateRepository(testOwner, "service", func(r *emulator.Repository) { r.DelegatedDismissal = true })
	number := openAlert(emu, "go/sql-injection", "a.go")
	emu.Network().SetFaults(netsim.Faults{Script: []netsim.Fault{netsim.FaultLostAnswer}, Match: isAlertPatchRequest})
	var patched, approved atomic.Bool
	emu.Intercept(func(_ http.ResponseWriter, r *http.Request) bool {
		if patched.Load() && !approved.Swap(true) {
			emu.ApproveDismissalRequest(testOwner, "service", number, "security-lead")
		}
		if isAlertPatchRequest(r) {
			patched.Store(true)
		}
		return false
	})
	config := dismissalConfig(tt, number, "  reason         = \"false positive\"\n  comment        = \"Sanitized upstream.\"\n  create_request = true")
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(*terraform.State) error {
					a, _ := emu.Alert(testOwner, "service", number)
					if a.State != "dismissed" || deref(a.DismissalApprovedBy) != "security-lead" || a.DismissalRequest != nil {
						return fmt.Errorf("alert %d is %q approved by %s, request %+v; want the approved dismissal kept", number, a.State, deref(a.DismissalApprovedBy), a.DismissalRequest)
					}
					if patches := alertPatches(emu); len(patches) != 1 {
						return fmt.Errorf("alert PATCHes %v; want the request sent once", patches)
					}
					return nil
				},
			},
			{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}

// GHES 3.17 and 3.19 require state in an alert PATCH: changing only the assignees of a dismissed
// alert restates its state and dismissal, which stay as they were (who dismissed it, and when).
func TestAlertDismissalAssigneesOnGHES(t *testing.T) {
	t.Parallel()
	for _, version := range []string{"3.17.2", "3.19.1"} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			tt := ghesTarget(t, version)
			emu := tt.needsEmulator(t)
			number := openAlert(emu, "go/sql-injection", "a.go")
			tt.run(t, resource.TestCase{
				Steps: []resource.TestStep{
					{Config: dismissalConfig(tt, number, "  reason    = \"won't fix\"\n  assignees = [\"octocat\"]")},
					{
						// Who dismissed it, and when, are GitHub's to keep: make them tell.
						PreConfig:         func() { dismissAsHubot(emu, number, "won't fix", nil) },
						Config:            dismissalConfig(tt, number, "  reason    = \"won't fix\"\n  assignees = [\"hubot\"]"),
						ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("assignees"), stringSet("hubot"))},
						Check:             func(*terraform.State) error { return dismissedByHubot(emu, number, "won't fix") },
					},
				},
			})
		})
	}
}
