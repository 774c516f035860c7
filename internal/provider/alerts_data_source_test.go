package provider

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// seededAlerts seeds n alerts into octo-org/service and returns them, the oracle the data source
// is checked against.
func seededAlerts(emu *emulator.Emulator, repo string, n int) []emulator.Alert {
	emu.SeedAlerts(testOwner, repo, n, 7)
	alerts := make([]emulator.Alert, 0, n)
	for i := 1; i <= n; i++ {
		if a, ok := emu.Alert(testOwner, repo, i); ok {
			alerts = append(alerts, a)
		}
	}
	return alerts
}

// countAlerts counts the alerts with an instance on ref that pass keep.
func countAlerts(alerts []emulator.Alert, ref string, keep func(emulator.Alert) bool) int {
	n := 0
	for _, a := range alerts {
		onRef := slices.ContainsFunc(a.Instances, func(i emulator.AlertInstance) bool { return i.Ref == ref })
		if onRef && keep(a) {
			n++
		}
	}
	return n
}

func alertCount(address string, n int) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(address, tfjsonpath.New("alerts"), knownvalue.ListSizeExact(n))
}

func TestAlertsDataSourceReadsEveryPageAndEachFilter(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	// The unfiltered list crosses more than ten pages; the filters run over a smaller repository,
	// which keeps the test quick without proving less.
	const main = "refs/heads/main"
	all := countAlerts(seededAlerts(emu, "service", 1200), main, func(emulator.Alert) bool { return true })
	alerts := seededAlerts(emu, "flaky-python", 150)
	filtered := testOwner + "/flaky-python"
	if all <= 1000 {
		t.Fatalf("the seed gave %d alerts on main; the test needs more than 1,000 to cross pages", all)
	}
	severity := func(a emulator.Alert) string {
		if a.Rule.SecuritySeverityLevel != nil {
			return *a.Rule.SecuritySeverityLevel
		}
		return a.Rule.Severity
	}
	var codeQLGUID string
	for _, a := range alerts {
		if a.Tool.Name == "CodeQL" && a.Tool.GUID != nil {
			codeQLGUID = *a.Tool.GUID
			break
		}
	}
	want := map[string]int{
		"all":        all,
		"open":       countAlerts(alerts, main, func(a emulator.Alert) bool { return a.State == "open" }),
		"closed":     countAlerts(alerts, main, func(a emulator.Alert) bool { return a.State != "open" }),
		"codeql":     countAlerts(alerts, main, func(a emulator.Alert) bool { return a.Tool.Name == "CodeQL" }),
		"guid":       countAlerts(alerts, main, func(a emulator.Alert) bool { return a.Tool.GUID != nil && *a.Tool.GUID == codeQLGUID }),
		"high":       countAlerts(alerts, main, func(a emulator.Alert) bool { return severity(a) == "high" }),
		"note":       countAlerts(alerts, main, func(a emulator.Alert) bool { return severity(a) == "note" }),
		"octocat":    countAlerts(alerts, main, func(a emulator.Alert) bool { return slices.Contains(a.Assignees, "octocat") }),
		"unassigned": countAlerts(alerts, main, func(a emulator.Alert) bool { return len(a.Assignees) == 0 }),
		"pr3":        countAlerts(alerts, "refs/pull/3/merge", func(emulator.Alert) bool { return true }),
		"pr3_ref":    countAlerts(alerts, "refs/pull/3/merge", func(a emulator.Alert) bool { return a.State == "open" }),
	}
	for name, n := range want {
		if n == 0 {
			t.Fatalf("the seed has no alert for filter %q; the test would prove nothing", name)
		}
	}
	config := tt.providerBlock() + fmt.Sprintf(`
data "codescanning_alerts" "all" {
  repository = %[3]q
}
data "codescanning_alerts" "capped" {
  repository  = %[3]q
  max_results = 250
}
data "codescanning_alerts" "open" {
  repository = %[1]q
  state      = "open"
}
data "codescanning_alerts" "closed" {
  repository = %[1]q
  state      = "closed"
}
data "codescanning_alerts" "codeql" {
  repository = %[1]q
  tool_name  = "CodeQL"
}
data "codescanning_alerts" "guid" {
  repository = %[1]q
  tool_guid  = %[2]q
}
data "codescanning_alerts" "high" {
  repository = %[1]q
  severity   = "high"
}
data "codescanning_alerts" "note" {
  repository = %[1]q
  severity   = "note"
}
data "codescanning_alerts" "octocat" {
  repository = %[1]q
  assignees  = ["octocat"]
}
data "codescanning_alerts" "unassigned" {
  repository = %[1]q
  assignees  = ["none"]
}
data "codescanning_alerts" "pr3" {
  repository = %[1]q
  pr         = 3
}
data "codescanning_alerts" "pr3_ref" {
  repository = %[1]q
  ref        = "refs/pull/3/merge"
  state      = "open"
}
data "codescanning_alerts" "oldest_first" {
  repository = "flaky-python"
  sort       = "created"
  direction  = "asc"
  max_results = 1
}
`, filtered, codeQLGUID, tt.repo)
	checks := []statecheck.StateCheck{alertCount("data.codescanning_alerts.capped", 250), alertCount("data.codescanning_alerts.all", all)}
	for name, n := range want {
		checks = append(checks, alertCount("data.codescanning_alerts."+name, n))
	}
	oldest := alerts[0]
	for _, a := range alerts {
		if a.CreatedAt.Before(oldest.CreatedAt) && slices.ContainsFunc(a.Instances, func(i emulator.AlertInstance) bool { return i.Ref == main }) {
			oldest = a
		}
	}
	checks = append(checks,
		statecheck.ExpectKnownValue("data.codescanning_alerts.oldest_first", tfjsonpath.New("alerts").AtSliceIndex(0).AtMapKey("number"), knownvalue.Int64Exact(int64(oldest.Number))),
		statecheck.ExpectKnownValue("data.codescanning_alerts.all", tfjsonpath.New("id"), knownvalue.StringExact(tt.repo)),
	)
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{{
			PreConfig:         emu.ResetRequests,
			Config:            config,
			ConfigStateChecks: checks,
			Check: func(*terraform.State) error {
				// 100 alerts a request: the unfiltered list takes ceil(all/100) requests per read,
				// and the capped one stops after three.
				pages := 0
				for _, r := range emu.Requests() {
					if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/service/code-scanning/alerts") && !strings.Contains(r.RawQuery, "state=") &&
						!strings.Contains(r.RawQuery, "tool_") && !strings.Contains(r.RawQuery, "severity=") && !strings.Contains(r.RawQuery, "assignees=") &&
						!strings.Contains(r.RawQuery, "pr=") && !strings.Contains(r.RawQuery, "ref=") && !strings.Contains(r.RawQuery, "sort=") {
						if !strings.Contains(r.RawQuery, "per_page=100") {
							return fmt.Errorf("request %s?%s does not ask for 100 a page", r.Path, r.RawQuery)
						}
						pages++
					}
				}
				wantPages := (all+99)/100 + 3
				if pages%wantPages != 0 {
					return fmt.Errorf("%d unfiltered list requests; want a multiple of %d (all pages once, and 3 for max_results = 250, per read)", pages, wantPages)
				}
				return nil
			},
		}},
	})
}

func TestAlertsDataSourceForAnOrganization(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	a := seededAlerts(emu, "service", 120)
	b := seededAlerts(emu, "flaky-python", 90)
	open := func(x emulator.Alert) bool { return x.State == "open" }
	want := countAlerts(a, "refs/heads/main", open) + countAlerts(b, "refs/heads/main", open)
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: tt.providerBlock() + fmt.Sprintf(`
data "codescanning_alerts" "org" {
  organization = %q
  state        = "open"
}
`, testOwner),
			ConfigStateChecks: []statecheck.StateCheck{
				alertCount("data.codescanning_alerts.org", want),
				statecheck.ExpectKnownValue("data.codescanning_alerts.org", tfjsonpath.New("alerts").AtSliceIndex(0).AtMapKey("repository_full_name"), knownvalue.StringRegexp(regexpMust(`^octo-org/(service|flaky-python)$`))),
			},
		}},
	})
}

func TestAlertsDataSourceRejectsFilterCombinations(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	cases := []struct{ body, want string }{
		{`repository = "octo-org/service"
  organization = "octo-org"`, `Exactly one of these attributes must be configured: [repository,organization]`},
		{`state = "open"`, `Missing Attribute Configuration`},
		{`repository = "octo-org/service"
  tool_name = "CodeQL"
  tool_guid = "x"`, `These attributes cannot be configured together: [tool_name,tool_guid]`},
		{`repository = "octo-org/service"
  ref = "refs/heads/main"
  pr = 3`, `These attributes cannot be configured together: [ref,pr]`},
		{`organization = "octo-org"
  pr = 3`, `pr needs a repository`},
		{`repository = "octo-org/service"
  state = "closed-ish"`, `value must be one of: ["open" "closed" "dismissed" "fixed"]`},
		{`repository = "octo-org/service"
  severity = "urgent"`, `value must be one of: ["critical" "high" "medium" "low" "warning" "note" "error"]`},
		{`repository = "octo-org/service"
  max_results = 0`, `max_results value must be at least 1`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      tt.providerBlock() + "data \"codescanning_alerts\" \"x\" {\n  " + c.body + "\n}\n",
			PlanOnly:    true,
			ExpectError: errorPattern(c.want),
		})
	}
	tt.run(t, resource.TestCase{Steps: steps})
}

func TestAlertAndAlertInstancesDataSources(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	number := openAlert(emu, "go/sql-injection", "internal/db/query.go")
	emu.UpdateAlert(testOwner, "service", number, func(a *emulator.Alert) {
		pr := a.Instances[0]
		pr.Ref, pr.Path = "refs/pull/7/merge", "internal/db/new_query.go"
		a.Instances = append(a.Instances, pr)
	})
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: tt.providerBlock() + fmt.Sprintf(`
data "codescanning_alert" "one" {
  repository   = %[1]q
  alert_number = %[2]d
}
data "codescanning_alert_instances" "all" {
  repository   = %[1]q
  alert_number = %[2]d
}
data "codescanning_alert_instances" "pr" {
  repository   = %[1]q
  alert_number = %[2]d
  pr           = 7
}
`, tt.repo, number),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.codescanning_alert.one", tfjsonpath.New("rule").AtMapKey("id"), knownvalue.StringExact("go/sql-injection")),
					statecheck.ExpectKnownValue("data.codescanning_alert.one", tfjsonpath.New("rule").AtMapKey("security_severity_level"), knownvalue.StringExact("high")),
					statecheck.ExpectKnownValue("data.codescanning_alert.one", tfjsonpath.New("tool").AtMapKey("name"), knownvalue.StringExact("CodeQL")),
					statecheck.ExpectKnownValue("data.codescanning_alert.one", tfjsonpath.New("most_recent_instance").AtMapKey("path"), knownvalue.StringExact("internal/db/query.go")),
					statecheck.ExpectKnownValue("data.codescanning_alert.one", tfjsonpath.New("most_recent_instance").AtMapKey("start_line"), knownvalue.Int64Exact(10)),
					statecheck.ExpectKnownValue("data.codescanning_alert.one", tfjsonpath.New("state"), knownvalue.StringExact("open")),
					statecheck.ExpectKnownValue("data.codescanning_alert.one", tfjsonpath.New("repository_full_name"), knownvalue.StringExact(tt.repo)),
					statecheck.ExpectKnownValue("data.codescanning_alert_instances.all", tfjsonpath.New("instances"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("data.codescanning_alert_instances.pr", tfjsonpath.New("instances"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.codescanning_alert_instances.pr", tfjsonpath.New("instances").AtSliceIndex(0).AtMapKey("path"), knownvalue.StringExact("internal/db/new_query.go")),
				},
			},
			{
				Config: tt.providerBlock() + fmt.Sprintf(`
data "codescanning_alert" "missing" {
  repository   = %q
  alert_number = 999
}
`, tt.repo),
				ExpectError: errorPattern("Cannot read code scanning alert 999 of octo-org/service"),
			},
		},
	})
}

// A for_each that dismisses what codescanning_alerts lists by severity and assignee dismisses
// only what matches, whether the server applies those filters or, as one that predates them
// would, ignores them (the emulator's IgnoreNewerAlertFilters, both ways).
func TestAlertsFilteredForDismissalWhenTheServerIgnoresNewerFilters(t *testing.T) {
	t.Parallel()
	for _, ignored := range []bool{false, true} {
		t.Run(fmt.Sprintf("ignored=%v", ignored), func(t *testing.T) {
			t.Parallel()
			cfg := defaultEmulatorConfig()
			cfg.IgnoreNewerAlertFilters = ignored
			tt := emulatorTarget(t, cfg)
			emu := tt.needsEmulator(t)
			high := openAlert(emu, "go/sql-injection", "a.go") // security severity high
			assigned := openAlert(emu, "go/path-injection", "b.go")
			emu.UpdateAlert(testOwner, "service", assigned, func(a *emulator.Alert) { a.Assignees = []string{"hubot"} })
			unassignedHigh := openAlert(emu, "go/xss", "c.go")
			note := emu.AddAlert(testOwner, "service", emulator.Alert{State: "open", Rule: emulator.AlertRule{ID: "go/unused", Severity: "note"}, Assignees: []string{"hubot"}})
			config := tt.providerBlock() + fmt.Sprintf(`
data "codescanning_alerts" "high" {
  repository = %q
  severity   = "high"
  assignees  = ["hubot"]
}

resource "codescanning_alert_dismissal" "each" {
  for_each     = { for a in data.codescanning_alerts.high.alerts : tostring(a.number) => a }
  repository   = %q
  alert_number = each.value.number
  reason       = "won't fix"
}
`, tt.repo, tt.repo)
			tt.run(t, resource.TestCase{
				Steps: []resource.TestStep{{
					Config: config,
					ConfigStateChecks: []statecheck.StateCheck{checkEmulator(func() error {
						for number, want := range map[int]string{assigned: "dismissed", high: "open", unassignedHigh: "open", note: "open"} {
							if a, _ := emu.Alert(testOwner, "service", number); a.State != want {
								return fmt.Errorf("alert %d (%s) is %q; want %q", number, a.Rule.ID, a.State, want)
							}
						}
						return nil
					})},
				}, {
					// terraform-plugin-testing's final state read cannot shim for_each instances:
					// end without them.
					Config: tt.providerBlock(),
				}},
			})
		})
	}
}
