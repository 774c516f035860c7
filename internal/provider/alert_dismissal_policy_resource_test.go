package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
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
					// A new policy's alerts are known after apply (the plan warns which, as
					// GitHub shows them now): the plan Terraform makes again at apply time must
					// not differ from this one if an alert arrives in between.
					plancheck.ExpectResourceAction(policyAddress, plancheck.ResourceActionCreate),
					plancheck.ExpectUnknownValue(policyAddress, tfjsonpath.New("pending")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("id"), knownvalue.StringExact(tt.repo+":tests")),
					policyStateShows("pending", inTests, testFile),
					policyStateShows("dismissed", inTests, testFile),
					policyStateShows("reopened"),
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
				ConfigStateChecks: []statecheck.StateCheck{policyStateShows("pending"), policyStateShows("dismissed", kept)},
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

// An organization's policy lists the organization's alerts once, keys what it shows by
// repository, and dismisses and reopens each in its own repository.
func TestAlertDismissalPolicyOfAnOrganization(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	inService := openAlert(emu, "go/sql-injection", "test/a.go")
	inServiceProduction := openAlert(emu, "go/sql-injection", "internal/a.go")
	other := openAlertIn(emu, "flaky-python", "go/sql-injection", "test/b.go")
	marker := ptr("[tf-policy:tests]")
	otherIs := func(state string, reason, comment *string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			a, _ := emu.Alert(testOwner, "flaky-python", other)
			if a.State != state || !equalPtr(a.DismissedReason, reason) || !equalPtr(a.DismissedComment, comment) {
				return fmt.Errorf("flaky-python alert %d is %q %v %v", other, a.State, deref(a.DismissedReason), deref(a.DismissedComment))
			}
			return nil
		}
	}
	cfg := tt.providerBlock() + fmt.Sprintf(`
resource "codescanning_alert_dismissal_policy" "test" {
  name         = "tests"
  organization = %q
  tool_name    = "CodeQL"
  paths        = ["test/**"]
  reason       = "used in tests"
}
`, testOwner)
	bothRepositories := knownvalue.MapExact(map[string]knownvalue.Check{
		testOwner + "/service":      knownvalue.ListExact([]knownvalue.Check{knownvalue.Int64Exact(int64(inService))}),
		testOwner + "/flaky-python": knownvalue.ListExact([]knownvalue.Check{knownvalue.Int64Exact(int64(other))}),
	})
	tt.run(t, resource.TestCase{
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(alertIs(emu, inService, "open", nil, nil), otherIs("open", nil, nil)),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("pending"), bothRepositories),
					statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("id"), knownvalue.StringExact(testOwner+":tests")),
					statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("dismissed"), bothRepositories),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					alertIs(emu, inService, "dismissed", ptr("used in tests"), marker),
					alertIs(emu, inServiceProduction, "open", nil, nil),
					otherIs("dismissed", ptr("used in tests"), marker),
				),
			},
			{
				ResourceName:                         policyAddress,
				ImportState:                          true,
				ImportStateId:                        testOwner + ":tests",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "id",
				ImportStateVerifyIgnore:              []string{"paths", "tool_name", "pending"},
			},
		},
	})
}

// openAlertIn adds an open CodeQL alert to another repository of octo-org.
func openAlertIn(emu *emulator.Emulator, repo, ruleID, path string) int {
	return emu.AddAlert(testOwner, repo, emulator.Alert{
		State: "open",
		Rule:  emulator.AlertRule{ID: ruleID, Name: ruleID, Severity: "error", Description: ruleID},
		Tool:  emulator.AlertTool{Name: "CodeQL", Version: "2.19.0"},
		Instances: []emulator.AlertInstance{{
			Ref: "refs/heads/main", CommitSHA: strings.Repeat("b", 40), AnalysisKey: "dynamic/github-code-scanning/codeql:analyze",
			Category: "/language:go", Environment: "{}", State: "open", Message: ruleID, Path: path, StartLine: 1, EndLine: 1,
		}},
		CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	})
}

// A policy's alerts are listed once per plan, through the narrowest lists GitHub has: the open
// and the dismissed alerts of its tool, ceil(listed / 100) requests each. A plan of an unchanged
// policy reads them in the refresh alone; a plan of new globs reuses the refresh's lists.
func TestAlertDismissalPolicyPlanListsOnce(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	const seeded = 1500
	emu.SeedAlerts(testOwner, "service", seeded, 16)
	config := func(paths string) string {
		return tt.providerBlock() + fmt.Sprintf(`
resource "codescanning_alert_dismissal_policy" "test" {
  name       = "tests"
  repository = %q
  tool_name  = "CodeQL"
  paths      = %s
  reason     = "used in tests"
}
`, tt.repo, paths)
	}
	// pages is how many list requests one listing of the policy's alerts takes.
	pages := func() int {
		listed := map[string]int{}
		for n := 1; n <= seeded; n++ {
			a, _ := emu.Alert(testOwner, "service", n)
			onMain := slices.ContainsFunc(a.Instances, func(i emulator.AlertInstance) bool { return i.Ref == "refs/heads/main" })
			if a.Tool.Name == "CodeQL" && onMain {
				listed[a.State]++
			}
		}
		return (listed["open"]+99)/100 + (listed["dismissed"]+99)/100
	}
	lists := func() int {
		count := 0
		for _, r := range emu.Requests() {
			if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/code-scanning/alerts") {
				count++
			}
		}
		return count
	}
	var unchanged, newGlobs, want int
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: config(`["test/**", "**/*_test.go"]`)},
			{
				// A plan-only step is a plan without refresh and a plan with one.
				PreConfig: func() { emu.ResetRequests(); want = pages() },
				Config:    config(`["test/**", "**/*_test.go"]`),
				PlanOnly:  true,
			},
			{
				PreConfig:          func() { unchanged = lists(); emu.ResetRequests() },
				Config:             config(`["test/**"]`),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: func() { newGlobs = lists() },
				Config:    config(`["test/**", "**/*_test.go"]`),
				PlanOnly:  true,
			},
		},
	})
	if want < 4 {
		t.Fatalf("the seed gives %d pages a listing: too few to tell one listing from two", want)
	}
	if unchanged != want {
		t.Errorf("plans of an unchanged policy sent %d list requests; the refresh's listing of the open and the dismissed CodeQL alerts is %d pages", unchanged, want)
	}
	if newGlobs != 2*want {
		t.Errorf("plans of new globs sent %d list requests; want %d: the plan without refresh lists, the plan after a refresh takes its lists", newGlobs, 2*want)
	}
}

// The plan Terraform makes again at apply time is the plan that was shown: an alert that starts
// to match between the two waits for the next plan rather than failing the apply as an
// inconsistent plan.
func TestAlertDismissalPolicyAlertArrivingDuringApplyWaitsForTheNextPlan(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	first := openAlert(emu, "go/sql-injection", "test/a.go")
	later := first + 1
	var arrived atomic.Bool
	emu.Intercept(func(_ http.ResponseWriter, r *http.Request) bool {
		// The refresh lists the open alerts, then the dismissed ones: once it has, the alert arrives.
		if r.URL.Query().Get("state") == "dismissed" && arrived.CompareAndSwap(false, true) {
			openAlert(emu, "go/path-injection", "test/new_test.go")
		}
		return false
	})
	arrived.Store(true)
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: policyConfig(tt, "")},
			{
				PreConfig: func() { arrived.Store(false) },
				Config:    strings.Replace(policyConfig(tt, ""), `"Test code."`, `"Test and fixture code."`, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					policyPlanShows("pending"),
					policyPlanShows("dismissed", first),
				}},
				// The next plan shows the alert that arrived.
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					alertIs(emu, first, "dismissed", ptr("used in tests"), ptr("Test and fixture code. [tf-policy:tests]")),
					alertIs(emu, later, "open", nil, nil),
				),
			},
		},
	})
}

// policyAlertDismissal is a codescanning_alert_dismissal of alert number with the policy's reason,
// after extra (such as a depends_on).
func policyAlertDismissal(tt testTarget, number int, extra string) string {
	return fmt.Sprintf(`
resource "codescanning_alert_dismissal" "test" {
  repository   = %q
  alert_number = %d
  reason       = "used in tests"
%s
}
`, tt.repo, number, extra)
}

// alertWritesSinceReset fails when anything but a GET reached the alert since the last reset.
func alertWritesSinceReset(emu *emulator.Emulator) error {
	for _, r := range emu.Requests() {
		if r.Method != http.MethodGet && strings.Contains(r.Path, "/code-scanning/alerts") {
			return fmt.Errorf("%s %s was sent; want nothing changed on GitHub", r.Method, r.Path)
		}
	}
	return nil
}

// A codescanning_alert_dismissal for an alert a policy dismissed fails the plan, on alert_number,
// naming the policy and the fix, even with the policy's reason: adopting the policy's dismissal
// would give the alert two managers. Nothing is sent to GitHub.
func TestAlertDismissalOfAPolicysAlertFailsThePlan(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	number := openAlert(emu, "go/sql-injection", "test/a.go")
	policy := policyConfig(tt, "")
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: policy},
			{
				PreConfig:   emu.ResetRequests,
				Config:      policy + policyAlertDismissal(tt, number, ""),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Error running non-refresh plan.*managed by the dismissal policy "tests".*with codescanning_alert_dismissal.test.*alert_number = .*Remove this\s+codescanning_alert_dismissal.*remove the alert from the\s+policy's match`),
			},
			{
				// Before the destroy reopens it: the policy's dismissal is as it was.
				PreConfig: func() {
					if err := alertWritesSinceReset(emu); err != nil {
						t.Error(err)
					}
					if err := alertIs(emu, number, "dismissed", ptr("used in tests"), ptr("Test code. [tf-policy:tests]"))(nil); err != nil {
						t.Error(err)
					}
				},
				Config:   policy,
				PlanOnly: true,
			},
		},
	})
}

// An existing codescanning_alert_dismissal whose alert a policy has since dismissed (the person's
// reopening, then a policy elsewhere) fails the plan after the refresh that shows it, with no
// request beyond the refresh's read; removing the resource leaves the policy's dismissal.
func TestAlertDismissalLaterDismissedByAPolicyFailsThePlan(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	number := openAlert(emu, "go/sql-injection", "test/a.go")
	config := tt.providerBlock() + policyAlertDismissal(tt, number, "")
	alertPath := fmt.Sprintf("/code-scanning/alerts/%d", number)
	gets := 0
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					emu.UpdateAlert(testOwner, "service", number, func(a *emulator.Alert) {
						a.DismissedBy, a.DismissedComment = ptr("policy-bot"), ptr("Test code. [tf-policy:tests]")
					})
					emu.ResetRequests()
				},
				Config:      config,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)managed by the dismissal policy "tests".*dismissed by policy-bot`),
			},
			{
				PreConfig: func() {
					for _, r := range emu.Requests() {
						if r.Method == http.MethodGet && strings.HasSuffix(r.Path, alertPath) {
							gets++
						}
					}
					emu.ResetRequests()
				},
				Config: tt.providerBlock(),
				Check:  alertIs(emu, number, "dismissed", ptr("used in tests"), ptr("Test code. [tf-policy:tests]")),
			},
		},
	})
	if gets != 1 {
		t.Errorf("the failed plans read the alert %d times; want once, the refresh's read", gets)
	}
	if err := alertWritesSinceReset(emu); err != nil {
		t.Error(err)
	}
}

// Created in one apply, neither resource sees the other at plan. Here the policy is applied first:
// Terraform plans the dismissal again before applying it, and that plan reads the policy's
// dismissal and fails the apply naming the policy, with nothing sent for the dismissal.
func TestAlertDismissalOfAPolicysAlertInTheSameApplyIsRefused(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	number := openAlert(emu, "go/sql-injection", "test/a.go")
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      policyConfig(tt, "") + policyAlertDismissal(tt, number, "  depends_on = [codescanning_alert_dismissal_policy.test]"),
			ExpectError: regexp.MustCompile(`(?s)Error running apply.*managed by the dismissal policy "tests"`),
		}},
	})
}

// An apply that an error stops leaves the state true to GitHub: the alerts it dismissed in
// dismissed, the rest still pending, which the next plan shows and the next apply dismisses
// (all of them: the first is reopened by the tainted policy's destroy and dismissed again).
func TestAlertDismissalPolicyStoppedApplyKeepsTheRestPending(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	first := openAlert(emu, "go/sql-injection", "test/a.go")
	second := openAlert(emu, "go/sql-injection", "test/b.go")
	third := openAlert(emu, "go/sql-injection", "test/c.go")
	var refuse atomic.Bool
	refuse.Store(true)
	emu.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if !refuse.Load() || r.Method != http.MethodPatch || !strings.HasSuffix(r.URL.Path, fmt.Sprintf("/code-scanning/alerts/%d", second)) {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = w.Write([]byte(`{"message":"Validation Failed","documentation_url":"https://docs.github.com/rest"}`))
		return true
	})
	cfg := policyConfig(tt, "")
	marker := ptr("Test code. [tf-policy:tests]")
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:      cfg,
				ExpectError: regexp.MustCompile(fmt.Sprintf(`Cannot dismiss code scanning alert %d of %s`, second, tt.repo)),
			},
			{
				PreConfig: func() { refuse.Store(false) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					// Terraform taints a resource whose create failed: the destroy reopens
					// the first, and the create dismisses it again with the others.
					plancheck.ExpectResourceAction(policyAddress, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{policyStateShows("dismissed", first, second, third)},
				Check: resource.ComposeAggregateTestCheckFunc(
					alertIs(emu, first, "dismissed", ptr("used in tests"), marker),
					alertIs(emu, second, "dismissed", ptr("used in tests"), marker),
					alertIs(emu, third, "dismissed", ptr("used in tests"), marker),
				),
			},
		},
	})
}

// A new name is a new marker: the apply dismisses the policy's alerts again under it, and leaves
// a person's dismissal.
func TestAlertDismissalPolicyNewNameDismissesUnderIt(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	first := openAlert(emu, "go/sql-injection", "test/a.go")
	second := openAlert(emu, "go/sql-injection", "pkg/b_test.go")
	personal := openAlert(emu, "go/sql-injection", "test/c.go")
	dismissByPerson(emu, personal, "false positive", "Checked by hand.")
	renamed := strings.Replace(policyConfig(tt, ""), `name       = "tests"`, `name       = "test-code"`, 1)
	marker := ptr("Test code. [tf-policy:test-code]")
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: policyConfig(tt, "")},
			{
				Config: renamed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddress, plancheck.ResourceActionUpdate),
					policyPlanShows("dismissed", first, second),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					alertIs(emu, first, "dismissed", ptr("used in tests"), marker),
					alertIs(emu, second, "dismissed", ptr("used in tests"), marker),
					alertIs(emu, personal, "dismissed", ptr("false positive"), ptr("Checked by hand.")),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("id"), knownvalue.StringExact(tt.repo+":test-code")),
					policyStateShows("dismissed", first, second),
				},
			},
		},
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(alertIs(emu, first, "open", nil, nil), alertIs(emu, second, "open", nil, nil)),
	})
}

// The documented permissions are enough for a policy, in a repository and in an organization;
// with Code scanning alerts: read only, the apply fails naming the permission to add.
func TestAlertDismissalPolicyPermissions(t *testing.T) {
	t.Parallel()
	t.Run("documented", func(t *testing.T) {
		t.Parallel()
		tt := permissionedTarget(t, documentedPermissions())
		emu := tt.needsEmulator(t)
		inService := openAlert(emu, "go/sql-injection", "test/a.go")
		cfg := policyConfig(tt, "") + fmt.Sprintf(`
resource "codescanning_alert_dismissal_policy" "organization" {
  name         = "org-tests"
  organization = %q
  rule_ids     = ["go/*"]
  paths        = ["test/**"]
  reason       = "used in tests"
  depends_on   = [codescanning_alert_dismissal_policy.test]
}
`, testOwner)
		tt.run(t, resource.TestCase{
			CheckDestroy: alertIs(emu, inService, "open", nil, nil),
			Steps: []resource.TestStep{{
				Config: cfg,
				Check:  alertIs(emu, inService, "dismissed", ptr("used in tests"), ptr("Test code. [tf-policy:tests]")),
				// The organization's policy leaves the repository policy's dismissal alone.
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("codescanning_alert_dismissal_policy.organization", tfjsonpath.New("dismissed"), knownvalue.MapExact(map[string]knownvalue.Check{})),
				},
			}},
		})
	})
	t.Run("read only", func(t *testing.T) {
		t.Parallel()
		tt := permissionedTarget(t, map[string]string{"security_events": "read"})
		openAlert(tt.needsEmulator(t), "go/sql-injection", "test/a.go")
		tt.run(t, resource.TestCase{Steps: []resource.TestStep{{Config: policyConfig(tt, ""), ExpectError: errorPattern("Code scanning alerts: write")}}})
	})
}
