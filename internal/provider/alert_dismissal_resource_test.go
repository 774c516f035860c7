package provider

import (
	"fmt"
	"regexp"
	"strings"
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

const dismissalAddress = "codescanning_alert_dismissal.test"

func ptr[T any](v T) *T { return &v }

// openAlert adds an open CodeQL alert to octo-org/service and returns its number.
func openAlert(emu *emulator.Emulator, ruleID, path string) int {
	return emu.AddAlert(testOwner, "service", emulator.Alert{
		State: "open",
		Rule:  emulator.AlertRule{ID: ruleID, Name: ruleID, Severity: "error", Description: ruleID, SecuritySeverityLevel: ptr("high"), Tags: []string{"security"}},
		Tool:  emulator.AlertTool{Name: "CodeQL", Version: "2.19.0", GUID: ptr("b2d1f2c8-0f2a-4c3e-9c1d-6f1e8a3b5d70")},
		Instances: []emulator.AlertInstance{{
			Ref: "refs/heads/main", CommitSHA: strings.Repeat("a", 40), AnalysisKey: "dynamic/github-code-scanning/codeql:analyze",
			Category: "/language:go", Environment: "{}", State: "open", Message: "This query depends on a user-provided value.",
			Path: path, StartLine: 10, EndLine: 10, StartColumn: 2, EndColumn: 30,
		}},
		CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	})
}

func dismissalConfig(tt testTarget, number int, body string) string {
	return tt.providerBlock() + fmt.Sprintf(`
resource "codescanning_alert_dismissal" "test" {
  repository   = %q
  alert_number = %d
%s
}
`, tt.repo, number, body)
}

// alertIs checks the emulator's alert after Terraform's work.
func alertIs(emu *emulator.Emulator, number int, state string, reason, comment *string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		a, ok := emu.Alert(testOwner, "service", number)
		if !ok {
			return fmt.Errorf("no alert %d", number)
		}
		if a.State != state || !equalPtr(a.DismissedReason, reason) || !equalPtr(a.DismissedComment, comment) {
			return fmt.Errorf("alert %d is %q reason %v comment %v; want %q %v %v", number, a.State, deref(a.DismissedReason), deref(a.DismissedComment), state, deref(reason), deref(comment))
		}
		return nil
	}
}

func equalPtr(a, b *string) bool { return deref(a) == deref(b) }

func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func TestAlertDismissalLifecycle(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	number := openAlert(emu, "go/sql-injection", "internal/db/query.go")
	first := dismissalConfig(tt, number, `  reason  = "false positive"
  comment = "Input is sanitized by internal/validate."`)
	second := dismissalConfig(tt, number, `  reason  = "won't fix"
  comment = "Accepted risk, tracked in SEC-142."`)
	tt.run(t, resource.TestCase{
		CheckDestroy: alertIs(emu, number, "open", nil, nil),
		Steps: []resource.TestStep{
			{
				Config: first,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("id"), knownvalue.StringExact(fmt.Sprintf("%s/%d", tt.repo, number))),
					statecheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("state"), knownvalue.StringExact("dismissed")),
					statecheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("rule_id"), knownvalue.StringExact("go/sql-injection")),
					statecheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("dismissed_by"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("dismissed_at"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("html_url"), knownvalue.StringRegexp(regexp.MustCompile(fmt.Sprintf(`/code-scanning/%d$`, number)))),
				},
				Check: alertIs(emu, number, "dismissed", ptr("false positive"), ptr("Input is sanitized by internal/validate.")),
			},
			{
				// Reason and comment change in place.
				Config:           second,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(dismissalAddress, plancheck.ResourceActionUpdate)}},
				Check:            alertIs(emu, number, "dismissed", ptr("won't fix"), ptr("Accepted risk, tracked in SEC-142.")),
			},
			{
				ResourceName:      dismissalAddress,
				ImportState:       true,
				ImportStateId:     fmt.Sprintf("%s/%d", tt.repo, number),
				ImportStateVerify: true,
			},
			{
				// Someone reopens the alert in the UI: the plan shows it, the apply dismisses it again.
				PreConfig: func() {
					emu.UpdateAlert(testOwner, "service", number, func(a *emulator.Alert) {
						a.State, a.DismissedAt, a.DismissedBy, a.DismissedReason, a.DismissedComment = "open", nil, nil, nil, nil
					})
				},
				Config: second,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(dismissalAddress, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: alertIs(emu, number, "dismissed", ptr("won't fix"), ptr("Accepted risk, tracked in SEC-142.")),
			},
		},
	})
}

func TestAlertDismissalOfAnotherAlertReplaces(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	one := openAlert(emu, "go/sql-injection", "a.go")
	two := openAlert(emu, "go/path-injection", "b.go")
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: dismissalConfig(tt, one, `  reason = "false positive"`)},
			{
				Config:           dismissalConfig(tt, two, `  reason = "false positive"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(dismissalAddress, plancheck.ResourceActionDestroyBeforeCreate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					alertIs(emu, one, "open", nil, nil),
					alertIs(emu, two, "dismissed", ptr("false positive"), nil),
				),
			},
		},
	})
}

func TestAlertDismissalAssignees(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	number := openAlert(emu, "go/sql-injection", "a.go")
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: dismissalConfig(tt, number, "  reason    = \"used in tests\"\n  assignees = [\"octocat\", \"hubot\"]"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("assignees"), stringSet("hubot", "octocat")),
				},
				Check: func(*terraform.State) error {
					a, _ := emu.Alert(testOwner, "service", number)
					if strings.Join(a.Assignees, ",") != "hubot,octocat" && strings.Join(a.Assignees, ",") != "octocat,hubot" {
						return fmt.Errorf("assignees %q", a.Assignees)
					}
					return nil
				},
			},
			{
				// Leaving assignees out leaves GitHub's list alone, with no diff.
				Config:           dismissalConfig(tt, number, `  reason = "used in tests"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Changing only the assignees leaves the dismissal as it is: its state, who made it
				// and when are planned as they are, not (known after apply).
				Config: dismissalConfig(tt, number, "  reason    = \"used in tests\"\n  assignees = [\"octocat\"]"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(dismissalAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("state"), knownvalue.StringExact("dismissed")),
					expectNothingUnknown(dismissalAddress),
				}},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("assignees"), stringSet("octocat"))},
			},
		},
	})
}

func TestAlertDismissalOfAFixedAlert(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	number := openAlert(emu, "go/sql-injection", "a.go")
	fixed := openAlert(emu, "go/path-injection", "b.go")
	emu.UpdateAlert(testOwner, "service", fixed, func(a *emulator.Alert) { a.State, a.FixedAt = "fixed", ptr(time.Now()) })
	config := dismissalConfig(tt, number, `  reason = "false positive"`)
	tt.run(t, resource.TestCase{
		// Destroy leaves a fixed alert fixed (with a warning) instead of failing.
		CheckDestroy: func(*terraform.State) error {
			if a, _ := emu.Alert(testOwner, "service", number); a.State != "fixed" {
				return fmt.Errorf("alert %d is %q after destroy, want it left fixed", number, a.State)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config:      dismissalConfig(tt, fixed, `  reason = "false positive"`),
				ExpectError: regexp.MustCompile(`Cannot dismiss code scanning alert`),
			},
			{Config: config},
			{
				// Fixed since: nothing left to dismiss, and no diff.
				PreConfig: func() {
					emu.UpdateAlert(testOwner, "service", number, func(a *emulator.Alert) { a.State, a.FixedAt = "fixed", ptr(time.Now()) })
				},
				Config:            config,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("state"), knownvalue.StringExact("fixed"))},
			},
		},
	})
}

func TestAlertDismissalPlanTimeValidation(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	cases := []struct {
		number int
		body   string
		want   string
	}{
		{1, `reason = "false_positive"`, `GitHub writes this reason with spaces: use "false positive" instead of "false_positive"`},
		{1, `reason = "wont_fix"`, `use "won't fix" instead of "wont_fix"`},
		{1, `reason = "resolved"`, `reason must be one of ["false positive" "won't fix" "used in tests" "mitigated"], got "resolved"`},
		{1, "reason = \"false positive\"\n  comment = \"" + strings.Repeat("x", 281) + "\"", `UTF-8 character count must be between 1 and 280, got: 281`},
		{1, "reason = \"false positive\"\n  comment = \"" + strings.Repeat("é", 281) + "\"", `UTF-8 character count must be between 1 and 280, got: 281`},
		{0, `reason = "false positive"`, `alert_number value must be at least 1, got: 0`},
		{1, "reason = \"false positive\"\n  assignees = [\"\"]", `string length must be at least 1`},
		{1, "reason = \"used in tests\"\n  comment = \"Test code. [tf-policy:tests]\"", `Comment carries a dismissal policy's marker`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: dismissalConfig(tt, c.number, "  "+c.body), PlanOnly: true, ExpectError: errorPattern(c.want)})
	}
	tt.run(t, resource.TestCase{Steps: steps})
}

func TestAlertDismissalImportNeedsNameAndNumber(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	number := openAlert(emu, "go/sql-injection", "a.go")
	for _, id := range []string{"octo-org/service", "octo-org/service/x", "octo-org/service/0", "a/b/c/1"} {
		tt.run(t, resource.TestCase{
			Steps: []resource.TestStep{{
				Config:        dismissalConfig(tt, number, `  reason = "false positive"`),
				ResourceName:  dismissalAddress,
				ImportState:   true,
				ImportStateId: id,
				ExpectError:   errorPattern("Import an alert dismissal as owner/name/number"),
			}},
		})
	}
}

// Where dismissal is delegated to reviewers, create_request asks for a dismissal: the alert stays
// open while the request waits, without a perpetual diff, and is dismissed once approved.
func TestAlertDismissalRequestWhereDismissalIsDelegated(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	emu.UpdateRepository(testOwner, "service", func(r *emulator.Repository) { r.DelegatedDismissal = true })
	number := openAlert(emu, "go/sql-injection", "a.go")
	config := dismissalConfig(tt, number, "  reason         = \"false positive\"\n  comment        = \"Sanitized upstream.\"\n  create_request = true")
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				// The refusal says what to set.
				Config: dismissalConfig(tt, number, `  reason = "false positive"
  comment = "Sanitized upstream."`),
				ExpectError: errorPattern("octo-org/service delegates alert dismissal to reviewers, so GitHub takes only a request to dismiss. Set create_request = true"),
			},
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("state"), knownvalue.StringExact("open"))},
				Check: func(*terraform.State) error {
					if a, _ := emu.Alert(testOwner, "service", number); a.DismissalRequest == nil || a.DismissalRequest.Reason != "false positive" {
						return fmt.Errorf("alert %d has no dismissal request for false positive: %+v", number, a.DismissalRequest)
					}
					return nil
				},
			},
			{
				// Awaiting review is not drift.
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				PreConfig: func() {
					if !emu.ApproveDismissalRequest(testOwner, "service", number, "security-lead") {
						t.Fatal("no dismissal request to approve")
					}
				},
				Config:            config,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("state"), knownvalue.StringExact("dismissed"))},
				Check:             alertIs(emu, number, "dismissed", ptr("false positive"), ptr("Sanitized upstream.")),
			},
		},
	})
}

// GitHub counts a comment's characters, not its bytes: 280 "é" (560 bytes) is a valid comment.
func TestAlertDismissalCommentOf280CharactersThatAreNotASCII(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	number := openAlert(emu, "go/sql-injection", "a.go")
	comment := strings.Repeat("é", 280)
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:            dismissalConfig(tt, number, "  reason  = \"won't fix\"\n  comment = \""+comment+"\""),
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("comment"), knownvalue.StringExact(comment))},
			Check:             alertIs(emu, number, "dismissed", ptr("won't fix"), ptr(comment)),
		}},
	})
}

// "mitigated" is a reason every OpenAPI PATCH body takes: it can be set, is read back as GitHub
// holds it, and imports to an empty plan.
func TestAlertDismissalAsMitigated(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	number := openAlert(emu, "go/sql-injection", "a.go")
	config := dismissalConfig(tt, number, `  reason = "mitigated"`)
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(dismissalAddress, tfjsonpath.New("reason"), knownvalue.StringExact("mitigated"))},
				Check:             alertIs(emu, number, "dismissed", ptr("mitigated"), nil),
			},
			{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			{ResourceName: dismissalAddress, ImportState: true, ImportStateId: fmt.Sprintf("%s/%d", tt.repo, number), ImportStateVerify: true},
		},
	})
}

// Import takes owner/name/number, or name/number with the provider's owner as the repository
// attribute does; either way the import matches a bare-name configuration with no change.
func TestAlertDismissalImportedByBareNameMatchesABareNameConfiguration(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	number := openAlert(emu, "go/sql-injection", "a.go")
	emu.UpdateAlert(testOwner, "service", number, func(a *emulator.Alert) {
		a.State, a.DismissedReason, a.DismissedComment, a.DismissedBy, a.DismissedAt = "dismissed", ptr("won't fix"), ptr("Accepted risk."), ptr("octocat"), ptr(time.Now())
	})
	config := tt.providerBlock() + fmt.Sprintf(`
resource "codescanning_alert_dismissal" "test" {
  repository   = "service"
  alert_number = %d
  reason       = "won't fix"
  comment      = "Accepted risk."
}
`, number)
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:             config,
				ResourceName:       dismissalAddress,
				ImportState:        true,
				ImportStateId:      fmt.Sprintf("service/%d", number),
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["id"] != fmt.Sprintf("%s/service/%d", testOwner, number) || states[0].Attributes["reason"] != "won't fix" {
						return fmt.Errorf("imported %v, want alert %d of %s/service dismissed as won't fix", states, number, testOwner)
					}
					return nil
				},
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// An alert with no dismissal is refused at import with the provider's own words and what to do
// instead; an alert GitHub does not show says the alert, or the token's access to alerts, is
// what is missing.
func TestAlertDismissalImportOfAnAlertWithoutADismissalIsRefused(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	open := openAlert(emu, "go/sql-injection", "a.go")
	fixed := openAlert(emu, "go/path-injection", "b.go")
	emu.UpdateAlert(testOwner, "service", fixed, func(a *emulator.Alert) { a.State, a.FixedAt = "fixed", ptr(time.Now()) })
	for number, want := range map[int]string{
		open:  fmt.Sprintf("Code scanning alert %d of octo-org/service is open: there is no dismissal to import", open),
		fixed: fmt.Sprintf("Code scanning alert %d of octo-org/service is fixed and was never dismissed", fixed),
		99:    "GitHub has no code scanning alert 99 in octo-org/service, or the token cannot see the repository's alerts: a classic token needs the security_events scope",
	} {
		tt.run(t, resource.TestCase{
			Steps: []resource.TestStep{{
				Config:        dismissalConfig(tt, number, `  reason = "false positive"`),
				ResourceName:  dismissalAddress,
				ImportState:   true,
				ImportStateId: fmt.Sprintf("%s/%d", tt.repo, number),
				ExpectError:   errorPattern(want),
			}},
		})
	}
}

// A dismissal of an alert GitHub does not show, and the alert data sources, say that the alert
// (or the token's access to alerts) is what is likely missing, naming the scope and permission.
func TestAlertNotFoundNamesTheAlertAndTheAccessAlertsNeed(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	tt.needsEmulator(t)
	want := errorPattern("GitHub has no code scanning alert 99 in octo-org/service, or the token cannot see the repository's alerts: a classic token needs the security_events scope " +
		"(public_repo is enough for a public repository only); a GitHub App or fine-grained token needs the repository permission Code scanning alerts")
	for _, config := range []string{
		dismissalConfig(tt, 99, `  reason = "false positive"`),
		tt.providerBlock() + "data \"codescanning_alert\" \"test\" {\n  repository   = \"service\"\n  alert_number = 99\n}\n",
		tt.providerBlock() + "data \"codescanning_alert_instances\" \"test\" {\n  repository   = \"service\"\n  alert_number = 99\n}\n",
	} {
		tt.run(t, resource.TestCase{Steps: []resource.TestStep{{Config: config, ExpectError: want}}})
	}
}

// An imported dismissal leaves the assignees to GitHub (null), so the configuration terraform
// generates from it does not pin assignees = [], and an assignment made in the UI later is no drift.
func TestAlertDismissalImportLeavesAssigneesToGitHub(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	number := openAlert(emu, "go/sql-injection", "a.go")
	emu.UpdateAlert(testOwner, "service", number, func(a *emulator.Alert) {
		a.State, a.DismissedReason, a.DismissedBy, a.DismissedAt = "dismissed", ptr("won't fix"), ptr("octocat"), ptr(time.Now())
	})
	config := dismissalConfig(tt, number, `  reason = "won't fix"`)
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:             config,
				ResourceName:       dismissalAddress,
				ImportState:        true,
				ImportStateId:      fmt.Sprintf("%s/%d", tt.repo, number),
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if n, ok := states[0].Attributes["assignees.#"]; ok {
						return fmt.Errorf("imported assignees.# = %s, want assignees null (left to GitHub)", n)
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					emu.UpdateAlert(testOwner, "service", number, func(a *emulator.Alert) { a.Assignees = []string{"hubot"} })
				},
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(*terraform.State) error {
					if a, _ := emu.Alert(testOwner, "service", number); strings.Join(a.Assignees, ",") != "hubot" {
						return fmt.Errorf("assignees %q after apply, want the UI's hubot kept", a.Assignees)
					}
					return nil
				},
			},
		},
	})
}
