package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// alreadyDismissedStatuses are the answers GitHub is reported to give a dismissal of a dismissed
// alert; the provider must not depend on either.
var alreadyDismissedStatuses = []int{http.StatusConflict, http.StatusBadRequest}

// hubotDismissedAt is when "hubot" dismissed the alerts these tests find dismissed.
var hubotDismissedAt = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// dismissAsHubot dismisses an alert behind Terraform's back, as a person would in GitHub's UI.
func dismissAsHubot(emu *emulator.Emulator, number int, reason string, comment *string) {
	emu.UpdateAlert(testOwner, "service", number, func(a *emulator.Alert) {
		a.State, a.DismissedBy, a.DismissedAt = "dismissed", ptr("hubot"), ptr(hubotDismissedAt)
		a.DismissedReason, a.DismissedComment = ptr(reason), comment
	})
}

// dismissedByHubot checks that hubot's dismissal is still GitHub's.
func dismissedByHubot(emu *emulator.Emulator, number int, reason string) error {
	a, _ := emu.Alert(testOwner, "service", number)
	if a.State != "dismissed" || deref(a.DismissedBy) != "hubot" || deref(a.DismissedReason) != reason ||
		a.DismissedAt == nil || !a.DismissedAt.Equal(hubotDismissedAt) {
		return fmt.Errorf("alert %d is %q by %s at %v as %s; want hubot's dismissal as %q kept", number, a.State, deref(a.DismissedBy), a.DismissedAt, deref(a.DismissedReason), reason)
	}
	return nil
}

// alertPatches are the bodies of the alert PATCHes the emulator received.
func alertPatches(emu *emulator.Emulator) []map[string]any {
	var out []map[string]any
	for _, r := range emu.Requests() {
		if r.Method == http.MethodPatch && strings.Contains(r.Path, "/code-scanning/alerts/") {
			var body map[string]any
			_ = json.Unmarshal(r.Body, &body)
			out = append(out, body)
		}
	}
	return out
}

// A new reason for an alert the state shows dismissed reopens it first, on purpose, rather than
// depending on GitHub's undocumented answer to a second dismissal, 409 or 400.
func TestAlertDismissalNewReasonReopensFirst(t *testing.T) {
	t.Parallel()
	// The older GitHub that let a dismissal be replaced (AllowRedismiss) gets the same requests.
	for _, knob := range []struct {
		name      string
		status    int
		redismiss bool
	}{{"409", http.StatusConflict, false}, {"400", http.StatusBadRequest, false}, {"redismiss allowed", 0, true}} {
		t.Run(knob.name, func(t *testing.T) {
			t.Parallel()
			cfg := defaultEmulatorConfig()
			cfg.AlreadyDismissedStatus, cfg.AllowRedismiss = knob.status, knob.redismiss
			tt := emulatorTarget(t, cfg)
			emu := tt.needsEmulator(t)
			number := openAlert(emu, "go/sql-injection", "a.go")
			tt.run(t, resource.TestCase{
				Steps: []resource.TestStep{
					{Config: dismissalConfig(tt, number, `  reason = "false positive"`)},
					{
						PreConfig: emu.ResetRequests,
						Config:    dismissalConfig(tt, number, "  reason  = \"won't fix\"\n  comment = \"Accepted risk.\""),
						Check: resource.ComposeAggregateTestCheckFunc(
							alertIs(emu, number, "dismissed", ptr("won't fix"), ptr("Accepted risk.")),
							func(*terraform.State) error {
								patches := alertPatches(emu)
								if len(patches) != 2 || patches[0]["state"] != "open" || patches[1]["state"] != "dismissed" {
									return fmt.Errorf("alert PATCHes %v; want a reopen, then the dismissal", patches)
								}
								return nil
							},
						),
					},
				},
			})
		})
	}
}

// Declaring the dismissal someone already made adopts it with no request; destroy leaves it.
func TestAlertDismissalAdoptsTheSameDismissal(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"comment omitted": `  reason = "false positive"`,
		"comment equal":   "  reason  = \"false positive\"\n  comment = \"Sanitized by validate.Input.\"",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tt := emulatorTarget(t, defaultEmulatorConfig())
			emu := tt.needsEmulator(t)
			number := openAlert(emu, "go/sql-injection", "a.go")
			dismissAsHubot(emu, number, "false positive", ptr("Sanitized by validate.Input."))
			emu.ResetRequests()
			config := dismissalConfig(tt, number, body)
			tt.run(t, resource.TestCase{
				CheckDestroy: func(*terraform.State) error { return dismissedByHubot(emu, number, "false positive") },
				Steps: []resource.TestStep{
					{
						Config: config,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("dismissed_by"), knownvalue.StringExact("hubot")),
							statecheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("comment"), knownvalue.StringExact("Sanitized by validate.Input.")),
						},
						Check: func(*terraform.State) error {
							if patches := alertPatches(emu); len(patches) != 0 {
								return fmt.Errorf("adopting the dismissal sent %v; want no PATCH", patches)
							}
							return dismissedByHubot(emu, number, "false positive")
						},
					},
					{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
				},
			})
		})
	}
}

// Declaring another dismissal than the one someone made is an error naming who, when and why,
// with the import command; the import then manages it, and destroy leaves it dismissed.
func TestAlertDismissalDoesNotReplaceAnotherPersonsDismissal(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	number := openAlert(emu, "go/sql-injection", "a.go")
	dismissAsHubot(emu, number, "won't fix", ptr("Legacy code."))
	id := fmt.Sprintf("%s/%d", tt.repo, number)
	want := `hubot dismissed it on 2026-03-04T05:06:07Z as "won't fix" with the comment "Legacy code.". Terraform does not replace a dismissal someone else made.`
	imported := dismissalConfig(tt, number, "  reason  = \"won't fix\"\n  comment = \"Legacy code.\"")
	tt.run(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error { return dismissedByHubot(emu, number, "won't fix") },
		Steps: []resource.TestStep{
			{
				Config:      dismissalConfig(tt, number, `  reason = "false positive"`),
				ExpectError: errorPattern(want),
			},
			{
				Config:      dismissalConfig(tt, number, "  reason  = \"won't fix\"\n  comment = \"Another comment.\""),
				ExpectError: errorPattern("terraform import <resource address> " + id),
			},
			{
				Config:             imported,
				ResourceName:       dismissalAddress,
				ImportState:        true,
				ImportStateId:      id,
				ImportStatePersist: true,
			},
			{
				Config:           imported,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            func(*terraform.State) error { return dismissedByHubot(emu, number, "won't fix") },
			},
		},
	})
}

// Someone dismisses the alert between the plan and the apply: GitHub's "already dismissed", as
// 409 or as 400, is recognised by its message, and the dismissal GitHub holds is adopted when it
// is the planned one, never reopened.
func TestAlertDismissalAlreadyDismissedSinceThePlan(t *testing.T) {
	t.Parallel()
	for _, status := range alreadyDismissedStatuses {
		for _, reason := range []string{"false positive", "won't fix"} {
			t.Run(fmt.Sprintf("%d %s", status, reason), func(t *testing.T) {
				t.Parallel()
				cfg := defaultEmulatorConfig()
				cfg.AlreadyDismissedStatus = status
				tt := emulatorTarget(t, cfg)
				emu := tt.needsEmulator(t)
				number := openAlert(emu, "go/sql-injection", "a.go")
				config := dismissalConfig(tt, number, `  reason = "false positive"`)
				step := resource.TestStep{
					PreConfig: func() {
						emu.UpdateAlert(testOwner, "service", number, func(a *emulator.Alert) { a.State = "open" })
						var patched atomic.Bool
						emu.Intercept(func(_ http.ResponseWriter, r *http.Request) bool {
							if r.Method == http.MethodPatch && !patched.Swap(true) {
								dismissAsHubot(emu, number, reason, nil)
							}
							return false
						})
					},
					Config: config,
					Check:  func(*terraform.State) error { return dismissedByHubot(emu, number, reason) },
				}
				if reason != "false positive" {
					step.ExpectError = errorPattern(`hubot dismissed it on 2026-03-04T05:06:07Z as "won't fix" with no comment, after this plan was made. Terraform did not replace it.`)
					step.Check = nil
				}
				tt.run(t, resource.TestCase{
					Steps: []resource.TestStep{
						{Config: config},
						step,
						{
							PreConfig: func() { emu.Intercept(nil) },
							Config:    config,
							Check:     func(*terraform.State) error { return dismissedByHubot(emu, number, reason) },
							PlanOnly:  true, ExpectNonEmptyPlan: reason != "false positive",
						},
					},
				})
			})
		}
	}
}

// A dismissal request shows what GitHub lets the provider know: pending while the alert stays
// open, a denied request included (GitHub's API shows no difference), and approved, with the
// reviewer, once the alert is dismissed; asking again after a denial is a -replace away.
func TestAlertDismissalRequestStatusAndApprover(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	emu.UpdateRepository(testOwner, "service", func(r *emulator.Repository) { r.DelegatedDismissal = true })
	number := openAlert(emu, "go/sql-injection", "a.go")
	config := dismissalConfig(tt, number, "  reason         = \"false positive\"\n  comment        = \"Sanitized upstream.\"\n  create_request = true")
	status := func(want string) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("request_status"), knownvalue.StringExact(want))
	}
	approver := func(want knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("dismissal_approved_by"), want)
	}
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{status("pending"), approver(knownvalue.Null())}},
			{
				// Denied: still open, so still pending; the plan is empty, and the refresh warns.
				PreConfig: func() {
					if !emu.DenyDismissalRequest(testOwner, "service", number) {
						t.Fatal("no dismissal request to deny")
					}
				},
				Config:            config,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{status("pending"), approver(knownvalue.Null())},
			},
			{
				// Asked again (terraform apply -replace, as the warning says), and approved this time.
				Config:           config,
				Taint:            []string{dismissalAddress},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(dismissalAddress, plancheck.ResourceActionReplace)}},
				Check: func(*terraform.State) error {
					if !emu.ApproveDismissalRequest(testOwner, "service", number, "security-lead") {
						return fmt.Errorf("the replacement asked for no dismissal")
					}
					return nil
				},
			},
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{status("approved"), approver(knownvalue.StringExact("security-lead"))}},
		},
	})
}
