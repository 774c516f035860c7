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
	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

const defaultSetupAddress = "codescanning_default_setup.test"

// defaultSetupConfig is a configuration managing repo's default setup with the given body.
func defaultSetupConfig(tt testTarget, repo, body string) string {
	return tt.providerBlock() + fmt.Sprintf(`
resource "codescanning_default_setup" "test" {
  repository = %q
%s
}
`, repo, body)
}

func expectAttr(name string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(defaultSetupAddress, tfjsonpath.New(name), check)
}

func stringSet(values ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(values))
	for i, v := range values {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.SetExact(checks)
}

// emulatorHas checks what the emulator holds for a repository, after all of Terraform's work.
func emulatorHas(emu *emulator.Emulator, repo, state string, languages ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		owner, name, _ := strings.Cut(repo, "/")
		ds, ok := emu.DefaultSetup(owner, name)
		if !ok {
			return fmt.Errorf("emulator has no repository %s", repo)
		}
		got := slices.Sorted(slices.Values(ds.Languages))
		if ds.State != state || (languages != nil && !slices.Equal(got, languages)) {
			return fmt.Errorf("emulator holds state %q languages %q for %s, want %q %q", ds.State, got, repo, state, languages)
		}
		return nil
	}
}

func TestDefaultSetupLifecycle(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, tt testTarget) {
		created := []statecheck.StateCheck{
			expectAttr("id", knownvalue.StringExact(tt.repo)),
			expectAttr("state", knownvalue.StringExact("configured")),
			expectAttr("query_suite", knownvalue.StringExact("default")),
			expectAttr("languages", knownvalue.NotNull()),
			expectAttr("schedule", knownvalue.StringExact("weekly")),
			expectAttr("updated_at", knownvalue.NotNull()),
			expectAttr("run_id", knownvalue.NotNull()),
			expectAttr("run_url", knownvalue.NotNull()),
			// The link a person opens: a web page, not the API's /repos/ address.
			expectAttr("run_html_url", knownvalue.StringRegexp(regexp.MustCompile(`^https?://[^/]+/`+regexp.QuoteMeta(tt.repo)+`/actions/runs/\d+$`))),
		}
		if tt.emulator != nil {
			created = append(created, expectAttr("languages", stringSet("go", "python")))
		}
		updateConfig := defaultSetupConfig(tt, tt.repo, `  languages   = ["python", "go"]
  query_suite = "extended"`)
		tt.run(t, resource.TestCase{
			CheckDestroy: func(s *terraform.State) error {
				if tt.emulator == nil {
					return nil
				}
				return emulatorHas(tt.emulator, tt.repo, "not-configured")(s)
			},
			Steps: []resource.TestStep{
				{
					Config:            defaultSetupConfig(tt, tt.repo, ""),
					ConfigStateChecks: created,
				},
				{
					Config: updateConfig,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(defaultSetupAddress, plancheck.ResourceActionUpdate)},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						expectAttr("query_suite", knownvalue.StringExact("extended")),
						expectAttr("languages", stringSet("go", "python")),
					},
				},
				{
					ResourceName:                         defaultSetupAddress,
					ImportState:                          true,
					ImportStateId:                        tt.repo,
					ImportStateVerify:                    true,
					ImportStateVerifyIdentifierAttribute: "id",
					ImportStateVerifyIgnore:              []string{"run_id", "run_url", "run_html_url"},
				},
				{
					// Language order and values GitHub fills in cause no perpetual diff.
					Config: updateConfig,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				},
			},
		})
	})
}

// GitHub documents neither whether a PATCH that changes nothing answers 200 or 202, nor whether
// GET shows a new configuration before its run ends; the resource must be right under all four,
// waiting for runs or not.
func TestDefaultSetupIsConsistentUnderEveryUndocumentedGitHubBehaviour(t *testing.T) {
	t.Parallel()
	for _, showPending := range []bool{false, true} {
		for _, noChange := range []int{http.StatusOK, http.StatusAccepted} {
			for _, waitForRun := range []bool{true, false} {
				name := fmt.Sprintf("show_pending=%t/no_change=%d/wait_for_run=%t", showPending, noChange, waitForRun)
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					cfg := defaultEmulatorConfig()
					cfg.ShowPendingConfig, cfg.NoChangeStatus = showPending, noChange
					tt := emulatorTarget(t, cfg)
					first := defaultSetupConfig(tt, tt.repo, fmt.Sprintf("  languages = [\"go\"]\n  wait_for_run = %t", waitForRun))
					second := defaultSetupConfig(tt, tt.repo, fmt.Sprintf("  languages = [\"go\", \"python\"]\n  query_suite = \"extended\"\n  threat_model = \"remote_and_local\"\n  wait_for_run = %t", waitForRun))
					tt.run(t, resource.TestCase{
						Steps: []resource.TestStep{
							{Config: first, ConfigStateChecks: []statecheck.StateCheck{expectAttr("languages", stringSet("go"))}},
							{Config: second, ConfigStateChecks: []statecheck.StateCheck{
								expectAttr("languages", stringSet("go", "python")),
								expectAttr("threat_model", knownvalue.StringExact("remote_and_local")),
							}},
							{Config: second, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
						},
					})
				})
			}
		}
	}
}

func TestDefaultSetupRepairsDriftFromOutOfBandChanges(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	config := defaultSetupConfig(tt, tt.repo, `  languages   = ["go"]
  query_suite = "extended"`)
	expectRepair := resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(defaultSetupAddress, plancheck.ResourceActionUpdate)},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: config, Check: emulatorHas(emu, tt.repo, "configured", "go")},
			{
				PreConfig: func() {
					emu.SetDefaultSetup(testOwner, "service", emulator.DefaultSetup{State: "configured", Languages: []string{"go", "python"}, QuerySuite: "default", ThreatModel: "remote"})
				},
				Config:           config,
				ConfigPlanChecks: expectRepair,
				Check:            emulatorHas(emu, tt.repo, "configured", "go"),
			},
			{
				PreConfig: func() {
					emu.SetDefaultSetup(testOwner, "service", emulator.DefaultSetup{State: "not-configured", QuerySuite: "default", ThreatModel: "remote"})
				},
				Config:           config,
				ConfigPlanChecks: expectRepair,
				Check:            emulatorHas(emu, tt.repo, "configured", "go"),
			},
			{
				// A repository deleted on GitHub leaves the state: the plan is to create it again.
				PreConfig:          func() { emu.DeleteRepository(testOwner, "service") },
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

func TestDefaultSetupFailedRunIsAnErrorAndStateKeepsWhatGitHubHolds(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	repo := testOwner + "/flaky-python"
	goOnly := defaultSetupConfig(tt, repo, `  languages = ["go"]`)
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: goOnly},
			{
				Config:      defaultSetupConfig(tt, repo, `  languages = ["go", "python"]`),
				ExpectError: regexp.MustCompile(`(?s)did not apply.*completed with conclusion\s+"failure"`),
			},
			{
				// GitHub dropped the failing language; the state says so, so asking for go alone
				// again is no change.
				Config:           goOnly,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            emulatorHas(emu, repo, "configured", "go"),
			},
		},
	})
}

// The other run lasts a minute of a fake clock the provider's client and the emulator share,
// polled and retried every 10s of it: the run cannot end, however long a busy machine stalls,
// before the PATCH that started it is answered 409 (a run of 105 real milliseconds could).
func TestDefaultSetupWaitsOutAnotherRunInProgress(t *testing.T) {
	t.Parallel()
	cfg := defaultEmulatorConfig()
	cfg.RunInProgress = time.Minute
	tt, fake := fakeClockTarget(t, cfg, WithBackoff(githubclient.Backoff{Initial: 10 * time.Second, Max: 10 * time.Second, Factor: 1}))
	emu := tt.needsEmulator(t)
	var patches atomic.Int32
	var started atomic.Int64 // the fake clock's UnixNano when the other run started
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: defaultSetupConfig(tt, tt.repo, `  languages = ["go"]`)},
			{
				PreConfig: func() {
					// Someone changes default setup in the UI just before Terraform's PATCH
					// arrives, so GitHub answers 409 until that run ends.
					emu.Intercept(func(_ http.ResponseWriter, r *http.Request) bool {
						if r.Method == http.MethodPatch && patches.Add(1) == 1 {
							started.Store(fake.Now().UnixNano())
							emu.StartOutOfBandRun(testOwner, "service", emulator.DefaultSetup{State: "configured", Languages: []string{"go", "python"}, QuerySuite: "default", ThreatModel: "remote"})
						}
						return false
					})
				},
				Config: defaultSetupConfig(tt, tt.repo, `  languages   = ["go"]
  query_suite = "extended"`),
				Check: resource.ComposeAggregateTestCheckFunc(
					emulatorHas(emu, tt.repo, "configured", "go"),
					func(*terraform.State) error {
						if n := patches.Load(); n < 2 {
							return fmt.Errorf("%d PATCH requests; want a 409 answered by at least one retry", n)
						}
						if waited := fake.Now().Sub(time.Unix(0, started.Load())); waited < time.Minute {
							return fmt.Errorf("applied %v by the clock after the other run started; want its minute waited out", waited)
						}
						return nil
					},
				),
			},
		},
	})
}

func TestDefaultSetupWithoutWaitingReturnsOnceGitHubAccepts(t *testing.T) {
	t.Parallel()
	cfg := defaultEmulatorConfig()
	cfg.RunInProgress = 100 * time.Millisecond
	tt := emulatorTarget(t, cfg)
	emu := tt.needsEmulator(t)
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: defaultSetupConfig(tt, tt.repo, `  languages    = ["go"]
  wait_for_run = false`),
			ConfigStateChecks: []statecheck.StateCheck{
				expectAttr("run_id", knownvalue.NotNull()),
				expectAttr("run_url", knownvalue.StringRegexp(regexp.MustCompile(`/actions/runs/\d+$`))),
				// The run was not read, and behind a path (as the emulator is served) the web
				// address cannot be known.
				expectAttr("run_html_url", knownvalue.Null()),
				expectAttr("languages", stringSet("go")),
			},
			Check: func(*terraform.State) error {
				for _, r := range emu.Requests() {
					if strings.Contains(r.Path, "/actions/runs/") {
						return fmt.Errorf("the provider polled %s although wait_for_run = false", r.Path)
					}
				}
				return nil
			},
		}},
	})
}

func TestDefaultSetupBareRepositoryNameUsesTheProviderOwner(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:            defaultSetupConfig(tt, "service", `  languages = ["go"]`),
			ConfigStateChecks: []statecheck.StateCheck{expectAttr("id", knownvalue.StringExact(testOwner+"/service"))},
			Check:             emulatorHas(emu, testOwner+"/service", "configured", "go"),
		}},
	})
}

// Import takes owner/name, or a bare name with the provider's owner as the repository attribute
// does; either way the import matches a bare-name configuration with no change.
func TestDefaultSetupImportedByOwnerAndNameOrBareNameMatchesABareNameConfiguration(t *testing.T) {
	t.Parallel()
	for _, id := range []string{testOwner + "/service", "service"} {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			tt := emulatorTarget(t, defaultEmulatorConfig())
			emu := tt.needsEmulator(t)
			emu.SetDefaultSetup(testOwner, "service", emulator.DefaultSetup{State: "configured", Languages: []string{"go"}, QuerySuite: "default", ThreatModel: "remote"})
			config := defaultSetupConfig(tt, "service", `  languages = ["go"]`)
			tt.run(t, resource.TestCase{
				Steps: []resource.TestStep{
					{
						Config:             config,
						ResourceName:       defaultSetupAddress,
						ImportState:        true,
						ImportStateId:      id,
						ImportStatePersist: true,
						ImportStateCheck: func(states []*terraform.InstanceState) error {
							if len(states) != 1 || states[0].Attributes["id"] != testOwner+"/service" ||
								states[0].Attributes["languages.0"] != "go" || states[0].Attributes["state"] != "configured" {
								return fmt.Errorf("imported %v, want one configured default setup of %s/service analyzing go", states, testOwner)
							}
							return nil
						},
					},
					{
						// The imported owner/name and the configured bare name are one repository: no
						// replacement, no change.
						Config:           config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					},
				},
			})
		})
	}
}

func TestDefaultSetupStateNotConfiguredKeepsItOff(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	config := defaultSetupConfig(tt, tt.repo, `  state = "not-configured"`)
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: defaultSetupConfig(tt, tt.repo, ""), Check: emulatorHas(emu, tt.repo, "configured")},
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{expectAttr("state", knownvalue.StringExact("not-configured")), expectAttr("languages", stringSet())},
				Check:             emulatorHas(emu, tt.repo, "not-configured"),
			},
			{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}

func TestDefaultSetupLabeledRunners(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: defaultSetupConfig(tt, tt.repo, `  runner_type  = "labeled"
  runner_label = "code-scanning"`),
				ConfigStateChecks: []statecheck.StateCheck{expectAttr("runner_type", knownvalue.StringExact("labeled")), expectAttr("runner_label", knownvalue.StringExact("code-scanning"))},
			},
			{
				// Leaving labeled runners drops the label: the plan says null, not (known after apply).
				Config: defaultSetupConfig(tt, tt.repo, `  runner_type = "standard"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(defaultSetupAddress, tfjsonpath.New("runner_label"), knownvalue.Null()),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectAttr("runner_type", knownvalue.StringExact("standard")), expectAttr("runner_label", knownvalue.Null())},
			},
		},
	})
}

// An update of a default setup that stays on keeps its schedule: GitHub analyzes weekly for as long
// as default setup is on, so the plan shows it, not (known after apply).
func TestDefaultSetupUpdatePlansTheScheduleItKeeps(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: defaultSetupConfig(tt, tt.repo, `  languages = ["go"]`)},
			{
				Config: defaultSetupConfig(tt, tt.repo, "  languages   = [\"go\", \"python\"]\n  query_suite = \"extended\""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(defaultSetupAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(defaultSetupAddress, tfjsonpath.New("schedule"), knownvalue.StringExact("weekly")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectAttr("schedule", knownvalue.StringExact("weekly"))},
			},
		},
	})
}

// wait_for_run and timeouts are the provider's alone: changing only them sends GitHub nothing,
// starts no run and leaves nothing (known after apply).
func TestDefaultSetupChangingOnlyWaitForRunSendsNoRequest(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	var before int
	countRequests := func() { before = len(emu.Requests()) }
	sentNothing := func(*terraform.State) error {
		for _, r := range emu.Requests()[before:] {
			if r.Method != http.MethodGet {
				return fmt.Errorf("changing only wait_for_run or timeouts sent %s %s", r.Method, r.Path)
			}
		}
		return nil
	}
	steps := []resource.TestStep{{Config: defaultSetupConfig(tt, tt.repo, `  languages = ["go"]`)}}
	for _, body := range []string{
		"  languages    = [\"go\"]\n  wait_for_run = false",
		"  languages    = [\"go\"]\n  wait_for_run = true",
		"  languages = [\"go\"]\n  timeouts {\n    update = \"45m\"\n  }",
	} {
		steps = append(steps, resource.TestStep{
			PreConfig: countRequests,
			Config:    defaultSetupConfig(tt, tt.repo, body),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(defaultSetupAddress, plancheck.ResourceActionUpdate),
				expectNothingUnknown(defaultSetupAddress),
			}},
			Check: sentNothing,
		})
	}
	tt.run(t, resource.TestCase{Steps: steps})
}

func TestDefaultSetupGitHubRefusalsSayWhatToDo(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		repo string
		want string
	}{
		"advanced security off": {testOwner + "/no-advanced-security", "Enable GitHub Advanced Security"},
		"archived":              {testOwner + "/archived", "The repository is archived"},
		"missing repository":    {testOwner + "/missing", "Check that the repository exists"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tt := emulatorTarget(t, defaultEmulatorConfig())
			tt.run(t, resource.TestCase{
				Steps: []resource.TestStep{{Config: defaultSetupConfig(tt, c.repo, ""), ExpectError: errorPattern(c.want)}},
			})
		})
	}
}

func TestDefaultSetupPlanTimeValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		body, want string
	}{
		{`state = "enabled"`, `value must be one of: ["configured" "not-configured"]`},
		{`languages = ["cobol"]`, `languages must each be one of ["actions" "c-cpp" "csharp" "go" "java-kotlin" "javascript-typescript" "python" "ruby" "swift"], got "cobol"`},
		{`languages = ["go", "javascript"]`, `Default setup analyzes "javascript" as one language, "javascript-typescript": use "javascript-typescript" instead of "javascript"`},
		{`languages = ["typescript"]`, `use "javascript-typescript" instead of "typescript"`},
		{`languages = ["java"]`, `use "java-kotlin" instead of "java"`},
		{`languages = ["kotlin"]`, `use "java-kotlin" instead of "kotlin"`},
		{`languages = ["cpp"]`, `use "c-cpp" instead of "cpp"`},
		{`languages = ["c"]`, `use "c-cpp" instead of "c"`},
		{`languages = []`, `set must contain at least 1 elements`},
		{`query_suite = "security-extended"`, `value must be one of: ["default" "extended"]`},
		{`threat_model = "local"`, `value must be one of: ["remote" "remote_and_local"]`},
		{`runner_type = "self-hosted"`, `value must be one of: ["standard" "labeled"]`},
		{`runner_label = "big"`, `runner_label needs runner_type = "labeled"`},
		{"runner_type = \"standard\"\n  runner_label = \"big\"", `runner_label needs runner_type = "labeled"`},
		{`runner_type = "labeled"`, `runner_type = "labeled" needs runner_label`},
		{"runner_type = \"labeled\"\n  runner_label = \"\"", `string length must be at least 1`},
		{"state = \"not-configured\"\n  languages = [\"go\"]", `Setting has no effect while default setup is off`},
		{"timeouts {\n    create = \"soon\"\n  }", `"soon" must be a string containing a sequence of decimal numbers`},
	}
	tt := emulatorTarget(t, defaultEmulatorConfig())
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      defaultSetupConfig(tt, tt.repo, "  "+c.body),
			PlanOnly:    true,
			ExpectError: errorPattern(c.want),
		})
	}
	steps = append(steps, resource.TestStep{
		Config:      defaultSetupConfig(tt, "octo-org/a/b", ""),
		PlanOnly:    true,
		ExpectError: errorPattern(`must be "owner/name", or "name" when the provider's owner is set`),
	})
	tt.run(t, resource.TestCase{Steps: steps})
}

func TestDefaultSetupRequestsCarryVersionAndUserAgent(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: defaultSetupConfig(tt, tt.repo, ""),
			Check: func(*terraform.State) error {
				requests := emu.Requests()
				if len(requests) == 0 {
					return fmt.Errorf("no request reached the emulator")
				}
				for _, r := range requests {
					if got := r.Header.Get("X-GitHub-Api-Version"); got != "2022-11-28" {
						return fmt.Errorf("%s %s: X-GitHub-Api-Version %q", r.Method, r.Path, got)
					}
					if got := r.Header.Get("User-Agent"); got != "terraform-provider-codescanning/test" {
						return fmt.Errorf("%s %s: User-Agent %q", r.Method, r.Path, got)
					}
				}
				return nil
			},
		}},
	})
}
