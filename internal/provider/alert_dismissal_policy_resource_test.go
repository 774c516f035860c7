package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

const policyAddress = "codescanning_alert_dismissal_policy.test"

func policyConfig(tt testTarget, body string) string {
	return tt.providerBlock() + fmt.Sprintf(`
resource "codescanning_alert_dismissal_policy" "test" {
  name       = "tests"
  repository = %q
  paths      = ["test/**", "**/*_test.go"]
  reason     = "used in tests"
  comment    = "Test code."
%s
}
`, tt.repo, body)
}

// numbersIn is the knownvalue check of a pending, dismissed or reopened map for octo-org/service.
func numbersIn(numbers ...int) knownvalue.Check {
	if len(numbers) == 0 {
		return knownvalue.MapExact(map[string]knownvalue.Check{})
	}
	checks := make([]knownvalue.Check, len(numbers))
	for i, n := range numbers {
		checks[i] = knownvalue.Int64Exact(int64(n))
	}
	return knownvalue.MapExact(map[string]knownvalue.Check{testOwner + "/service": knownvalue.ListExact(checks)})
}

func policyPlanShows(attribute string, numbers ...int) plancheck.PlanCheck {
	return plancheck.ExpectKnownValue(policyAddress, tfjsonpath.New(attribute), numbersIn(numbers...))
}

func policyStateShows(attribute string, numbers ...int) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New(attribute), numbersIn(numbers...))
}

// dismissByPerson dismisses an alert as a person does in the UI.
func dismissByPerson(emu *emulator.Emulator, number int, reason, comment string) {
	emu.UpdateAlert(testOwner, "service", number, func(a *emulator.Alert) {
		now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
		a.State, a.DismissedAt, a.DismissedBy, a.DismissedReason, a.DismissedComment = "dismissed", &now, ptr("monalisa"), &reason, &comment
	})
}

// reopenByPerson reopens an alert as a person does in the UI.
func reopenByPerson(emu *emulator.Emulator, number int) {
	emu.UpdateAlert(testOwner, "service", number, func(a *emulator.Alert) {
		a.State, a.DismissedAt, a.DismissedBy, a.DismissedReason, a.DismissedComment = "open", nil, nil, nil, nil
	})
}

// The policy's life: the plan shows the pending alerts, the apply dismisses them with the
// marker, a new matching alert is a diff at the next plan, a reopened alert stays open until
// dismiss_reopened, and destroy reopens only the policy's own dismissals.
func TestAlertDismissalPolicyLifecycle(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	inTests := openAlert(emu, "go/sql-injection", "test/fixtures/server.go")
	testFile := openAlert(emu, "go/hardcoded-credentials", "internal/db/query_test.go")
	production := openAlert(emu, "go/sql-injection", "internal/db/query.go")
	personal := openAlert(emu, "go/sql-injection", "test/helpers.go")
	dismissByPerson(emu, personal, "false positive", "Checked by hand.")
	later := personal + 1 // the number the next alert gets, for the plan checks built now

	cfg := policyConfig(tt, "")
	marker := ptr("Test code. [tf-policy:tests]")
	tt.run(t, resource.TestCase{
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			alertIs(emu, inTests, "open", nil, nil),
			alertIs(emu, testFile, "open", nil, nil),
			alertIs(emu, later, "open", nil, nil),
			alertIs(emu, production, "open", nil, nil),
			alertIs(emu, personal, "dismissed", ptr("false positive"), ptr("Checked by hand.")),
		),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddress, plancheck.ResourceActionCreate),
					policyPlanShows("pending", inTests, testFile),
					policyPlanShows("dismissed", inTests, testFile),
					policyPlanShows("reopened"),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("id"), knownvalue.StringExact(tt.repo+":tests")),
					policyStateShows("dismissed", inTests, testFile),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					alertIs(emu, inTests, "dismissed", ptr("used in tests"), marker),
					alertIs(emu, testFile, "dismissed", ptr("used in tests"), marker),
					alertIs(emu, production, "open", nil, nil),
					alertIs(emu, personal, "dismissed", ptr("false positive"), ptr("Checked by hand.")),
				),
			},
			{
				// A new matching alert arrives: the refresh makes the plan non-empty, which is
				// what makes plan -detailed-exitcode exit 2.
				PreConfig: func() {
					if n := openAlert(emu, "go/path-injection", "test/new_test.go"); n != later {
						t.Fatalf("the new alert is %d, not %d", n, later)
					}
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddress, plancheck.ResourceActionUpdate),
					policyPlanShows("pending", later),
					policyPlanShows("dismissed", inTests, testFile, later),
				}},
				Check: alertIs(emu, later, "dismissed", ptr("used in tests"), marker),
			},
			{
				// A person reopens one: the policy remembers it as reopened, and leaves it open.
				PreConfig: func() { reopenByPerson(emu, inTests) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					policyStateShows("reopened", inTests),
					policyStateShows("pending"),
				},
				Check: alertIs(emu, inTests, "open", nil, nil),
			},
			{
				// dismiss_reopened: the plan shows it pending, and the apply dismisses it again.
				Config: policyConfig(tt, "  dismiss_reopened = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					policyPlanShows("pending", inTests),
					policyPlanShows("reopened"),
				}},
				Check: alertIs(emu, inTests, "dismissed", ptr("used in tests"), marker),
			},
			{
				ResourceName:                         policyAddress,
				ImportState:                          true,
				ImportStateId:                        tt.repo + ":tests",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "id",
				// What the policy matches is in its configuration only; the rest is read back
				// from its dismissals. pending holds what the last apply dismissed.
				ImportStateVerifyIgnore: []string{"paths", "pending", "dismiss_reopened"},
			},
		},
	})
}

// Narrowing the policy reopens the alerts it no longer matches, but not one a person dismissed
// again in the meantime.
func TestAlertDismissalPolicyNarrowingReopensOnlyItsOwn(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	kept := openAlert(emu, "go/sql-injection", "test/a.go")
	narrowed := openAlert(emu, "go/sql-injection", "pkg/b_test.go")
	redismissed := openAlert(emu, "go/sql-injection", "pkg/c_test.go")
	marker := ptr("Test code. [tf-policy:tests]")
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: policyConfig(tt, "")},
			{
				PreConfig: func() {
					reopenByPerson(emu, redismissed)
					dismissByPerson(emu, redismissed, "won't fix", "Accepted, SEC-9.")
				},
				Config: tt.providerBlock() + fmt.Sprintf(`
resource "codescanning_alert_dismissal_policy" "test" {
  name       = "tests"
  repository = %q
  paths      = ["test/**"]
  reason     = "used in tests"
  comment    = "Test code."
}
`, tt.repo),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					policyPlanShows("pending"),
					policyPlanShows("dismissed", kept),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					alertIs(emu, kept, "dismissed", ptr("used in tests"), marker),
					alertIs(emu, narrowed, "open", nil, nil),
					alertIs(emu, redismissed, "dismissed", ptr("won't fix"), ptr("Accepted, SEC-9.")),
				),
			},
		},
	})
}

// A new reason dismisses the policy's alerts again with it, so that its dismissals always say
// what its configuration says.
func TestAlertDismissalPolicyNewReasonDismissesAgain(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	number := openAlert(emu, "go/sql-injection", "test/a.go")
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: policyConfig(tt, "")},
			{
				Config: tt.providerBlock() + fmt.Sprintf(`
resource "codescanning_alert_dismissal_policy" "test" {
  name       = "tests"
  repository = %q
  paths      = ["test/**"]
  reason     = "false positive"
}
`, tt.repo),
				ConfigStateChecks: []statecheck.StateCheck{policyStateShows("dismissed", number)},
				Check:             alertIs(emu, number, "dismissed", ptr("false positive"), ptr("[tf-policy:tests]")),
			},
		},
		CheckDestroy: alertIs(emu, number, "open", nil, nil),
	})
}

func TestAlertDismissalPolicyConfigurationErrors(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	policy := func(body string) string {
		return tt.providerBlock() + "resource \"codescanning_alert_dismissal_policy\" \"test\" {\n  name = \"tests\"\n  reason = \"used in tests\"\n" + body + "\n}\n"
	}
	long := make([]byte, 270)
	for i := range long {
		long[i] = 'a'
	}
	for _, tc := range []struct{ body, want string }{
		{`repository = "octo-org/service"`, `At least one of these attributes must be configured:\s+\[rule_ids,paths,tool_name,severity\]`},
		{`paths = ["test/**"]`, `Exactly one of these attributes must be configured:\s+\[repository,organization\]`},
		{"organization = \"octo-org\"\n  paths = [\"test/**\"]\n  ref = \"refs/heads/main\"", `ref needs a repository`},
		{"repository = \"octo-org/service\"\n  paths = [\"/test/**\"]", `Invalid path glob`},
		{"repository = \"octo-org/service\"\n  rule_ids = [\"js**\"]", `Invalid rule ID glob`},
		{"repository = \"octo-org/service\"\n  paths = [\"test/**\"]\n  comment = \"" + string(long) + "\"", `leaves 262 for this policy`},
		{"repository = \"octo-org/service\"\n  paths = [\"test/**\"]\n  comment = \"x [tf-policy:other]\"", `carries a policy marker`},
	} {
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			tt.run(t, resource.TestCase{Steps: []resource.TestStep{{Config: policy(tc.body), PlanOnly: true, ExpectError: regexp.MustCompile(tc.want)}}})
		})
	}
}
