package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
)

// patchesTurningOff counts the PATCHes that asked GitHub to turn default setup off: a replace
// (destroy, then create) sends one, a plain update never does.
func patchesTurningOff(emu *emulator.Emulator) int {
	n := 0
	for _, r := range emu.Requests() {
		if r.Method == http.MethodPatch && strings.Contains(string(r.Body), `"not-configured"`) {
			n++
		}
	}
	return n
}

func noPatchTurnedItOff(emu *emulator.Emulator) statecheck.StateCheck {
	return checkEmulator(func() error {
		if n := patchesTurningOff(emu); n != 0 {
			return fmt.Errorf("%d PATCHes turned default setup off; a retry must never replace it", n)
		}
		return nil
	})
}

// fiveServices is a configuration of five default setups with the given query suite.
func fiveServices(baseURL, querySuite string) string {
	return fmt.Sprintf(`provider "codescanning" {
  base_url    = %q
  token       = "test-token"
  owner       = %q
  write_delay = "0s"
  points_per_minute = 0
}

resource "codescanning_default_setup" "svc" {
  count = 5

  repository  = format("svc-%%d", count.index)
  languages   = ["go"]
  query_suite = %q
  timeouts {
    delete = "10s"
  }
}
`, baseURL, testOwner, querySuite)
}

// Another workspace has just asked for the same configuration, and its runs are under way when
// this apply sends it: GitHub answers "no change" (200) or with that run (202). Runs take half
// an hour and GitHub's clock moves a minute with every read, so they end during the apply. Under
// every undocumented GitHub behaviour the apply returns only once GitHub shows the configuration,
// with no "inconsistent result after apply" nor a false "GitHub applied a different
// query_suite", and the plan after it is empty.
func TestDefaultSetupAppliedAgainWhileItsRunIsUnderWayIsConsistent(t *testing.T) {
	t.Parallel()
	for _, showPending := range []bool{false, true} {
		for _, noChange := range []int{http.StatusOK, http.StatusAccepted} {
			t.Run(fmt.Sprintf("show_pending=%t/no_change=%d", showPending, noChange), func(t *testing.T) {
				t.Parallel()
				cfg := defaultEmulatorConfig()
				cfg.RunInProgress, cfg.ShowPendingConfig, cfg.NoChangeStatus = 30*time.Minute, showPending, noChange
				tt := emulatorTarget(t, cfg)
				emu := tt.needsEmulator(t)
				for i := range 5 {
					emu.AddRepository(emulator.Repository{Owner: testOwner, Name: fmt.Sprintf("svc-%d", i), AdvancedSecurity: true, Languages: []string{"go", "python"}})
				}
				emu.Intercept(func(_ http.ResponseWriter, r *http.Request) bool {
					if r.Method == http.MethodGet {
						emu.Advance(time.Minute)
					}
					return false
				})
				tt.run(t, resource.TestCase{
					Steps: []resource.TestStep{
						{Config: fiveServices(tt.baseURL, "default")},
						{
							PreConfig: func() {
								for i := range 5 {
									emu.StartOutOfBandRun(testOwner, fmt.Sprintf("svc-%d", i), emulator.DefaultSetup{State: "configured", Languages: []string{"go"}, QuerySuite: "extended", ThreatModel: "remote"})
								}
							},
							Config: fiveServices(tt.baseURL, "extended"),
							ConfigPlanChecks: resource.ConfigPlanChecks{
								PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
							},
							ConfigStateChecks: []statecheck.StateCheck{checkEmulator(func() error {
								for i := range 5 {
									if ds, _ := emu.DefaultSetup(testOwner, fmt.Sprintf("svc-%d", i)); ds.State != "configured" || ds.QuerySuite != "extended" {
										return fmt.Errorf("svc-%d shows %+v after the apply", i, ds)
									}
								}
								return nil
							}), noPatchTurnedItOff(emu)},
						},
						// Where GET showed the configuration while its run went on, the runs end
						// before the destroy that closes the test, which GitHub would refuse.
						{PreConfig: func() { emu.Advance(2 * time.Hour) }, Config: fiveServices(tt.baseURL, "extended"), PlanOnly: true},
					},
				})
			})
		}
	}
}

// A create whose run fails after GitHub accepted the change is not an error, which would taint
// the resource and make the next apply replace it (turning default setup off, then on): the
// resource is recorded, and the next plan is a plain update showing what GitHub dropped.
func TestDefaultSetupCreateWhoseRunFailsIsRecordedAndNeverReplaced(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	config := defaultSetupConfig(tt, testOwner+"/flaky-python", `  languages = ["go", "python"]`)
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:             config,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(defaultSetupAddress, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{noPatchTurnedItOff(emu)},
			},
			{
				// Applying again is an update that meets the same failure: an error now, since an
				// update's error taints nothing, and still nothing turned off.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(defaultSetupAddress, plancheck.ResourceActionUpdate)},
				},
				ExpectError: errorPattern(`did not apply`),
			},
			{
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				Check: func(*terraform.State) error {
					if n := patchesTurningOff(emu); n != 0 {
						return fmt.Errorf("%d PATCHes turned default setup off", n)
					}
					return emulatorHas(emu, testOwner+"/flaky-python", "configured", "go")(nil)
				},
			},
		},
	})
}

// A create whose run outlives the create timeout is recorded with its run: the plan after it
// (while the run is under way) and the apply after that are empty, not a replacement, and not a
// false "GitHub applied a different query_suite"; once the run ends GitHub holds the setup.
func TestDefaultSetupCreateThatTimesOutFollowsItsRunAndIsNeverReplaced(t *testing.T) {
	t.Parallel()
	cfg := defaultEmulatorConfig()
	cfg.RunInProgress = time.Hour
	tt := emulatorTarget(t, cfg)
	emu := tt.needsEmulator(t)
	config := defaultSetupConfig(tt, tt.repo, `  languages   = ["go"]
  query_suite = "extended"
  timeouts {
    create = "200ms"
    delete = "10s"
  }`)
	empty := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{noPatchTurnedItOff(emu)}},
			{Config: config, ConfigPlanChecks: empty, ConfigStateChecks: []statecheck.StateCheck{noPatchTurnedItOff(emu)}},
			{
				PreConfig: func() {
					emu.Advance(2 * time.Hour)
					// The destroy that ends the test waits for its own hour-long run.
					emu.Intercept(func(_ http.ResponseWriter, r *http.Request) bool {
						if r.Method == http.MethodGet {
							emu.Advance(10 * time.Minute)
						}
						return false
					})
				},
				Config:           config,
				ConfigPlanChecks: empty,
				Check:            emulatorHas(emu, tt.repo, "configured", "go"),
			},
		},
	})
}

// The answer to an update's PATCH is lost and the run it started fails at once: the transport
// sends the PATCH again, GitHub answers "no change" while that run is under way, and the update
// fails with the run's conclusion as soon as the run has ended, not when its timeout runs out
// ("ran out of time while GitHub was still working"), with the state true to GitHub.
func TestDefaultSetupUpdateWhoseAnswerWasLostFailsWithTheRunsConclusion(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	repo := testOwner + "/flaky-python"
	timeouts := "\n  timeouts {\n    update = \"30s\"\n  }"
	goOnly := defaultSetupConfig(tt, repo, `  languages = ["go"]`+timeouts)
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: goOnly},
			{
				PreConfig: func() {
					emu.Network().SetFaults(netsim.Faults{Script: []netsim.Fault{netsim.FaultLostAnswer}, Match: func(r *http.Request) bool { return r.Method == http.MethodPatch }})
				},
				Config:      defaultSetupConfig(tt, repo, `  languages = ["go", "python"]`+timeouts),
				ExpectError: regexpMust(`(?s)did not apply.*completed with conclusion\s+"failure"`),
			},
			{
				Config:           goOnly,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            emulatorHas(emu, repo, "configured", "go"),
			},
		},
	})
}
