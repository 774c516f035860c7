package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/emulatortest"
	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// memoryPrivate is a resource's private state outside the framework.
type memoryPrivate map[string][]byte

func (m memoryPrivate) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return m[key], nil
}

func (m memoryPrivate) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	if len(value) == 0 {
		delete(m, key)
	} else {
		m[key] = value
	}
	return nil
}

func languageSet(languages ...string) types.Set {
	elems := make([]attr.Value, len(languages))
	for i, l := range languages {
		elems[i] = types.StringValue(l)
	}
	return types.SetValueMust(types.StringType, elems)
}

func runReads(emu *emulator.Emulator) int {
	n := 0
	for _, r := range emu.Requests() {
		if r.Method == http.MethodGet && strings.Contains(r.Path, "/actions/runs/") {
			n++
		}
	}
	return n
}

// A refresh that finds GitHub's configuration different from the state asks about the run the
// last apply did not wait for: under way, the state keeps what it applies; failed, a warning
// says so and the state takes GitHub's values.
func TestRefreshExplainsADifferenceByTheRunNotWaitedFor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	emu, baseURL := emulatortest.NewServer(t, emulator.Config{RunQueued: time.Millisecond, RunInProgress: time.Hour})
	emu.AddRepository(emulator.Repository{Owner: testOwner, Name: "flaky-python", AdvancedSecurity: true, Languages: []string{"go", "python"}, FailingLanguages: []string{"python"}})
	client, err := githubclient.New(githubclient.Config{BaseURL: baseURL, Token: "test-token", Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	r := &defaultSetupResource{data: &providerData{client: client}}
	repo := githubclient.Repository{Owner: testOwner, Name: "flaky-python"}
	prior := defaultSetupModel{defaultSetupSettings: defaultSetupSettings{State: types.StringValue("configured"), Languages: languageSet("go", "python")}}
	githubShows := defaultSetupModel{defaultSetupSettings: defaultSetupSettings{State: types.StringValue("configured"), Languages: languageSet("go")}}
	private := memoryPrivate{}

	var diags diag.Diagnostics
	current := githubShows
	r.explainDifference(ctx, repo, prior, &current, private, &diags)
	if runReads(emu) != 0 || !current.Languages.Equal(githubShows.Languages) || diags.HasError() {
		t.Fatalf("with no run remembered: %d run reads, languages %v, %v; want no read and GitHub's languages", runReads(emu), current.Languages, diags)
	}

	id := emu.StartOutOfBandRun(testOwner, "flaky-python", emulator.DefaultSetup{State: "configured", Languages: []string{"go", "python"}})
	// The apply asked for state and languages, and left the query suite to GitHub.
	asked := prior
	asked.QuerySuite = types.StringUnknown()
	diags.Append(rememberUnwaitedRun(ctx, private, &githubclient.Run{ID: id}, asked)...)
	suiteOnly := prior
	suiteOnly.QuerySuite = types.StringValue("extended")
	r.explainDifference(ctx, repo, prior, &suiteOnly, private, &diags)
	if runReads(emu) != 0 {
		t.Fatal("a difference only in a setting the apply left to GitHub made the refresh read the run")
	}
	r.explainDifference(ctx, repo, prior, &current, private, &diags)
	if !current.Languages.Equal(prior.Languages) || len(diags) != 0 || private[privateKeyUnwaitedRun] == nil {
		t.Fatalf("while the run is under way: languages %v, diagnostics %v, run remembered %t; want the state's languages kept, nothing said, the run still remembered",
			current.Languages, diags, private[privateKeyUnwaitedRun] != nil)
	}

	emu.Advance(2 * time.Hour)
	current = githubShows
	r.explainDifference(ctx, repo, prior, &current, private, &diags)
	if !current.Languages.Equal(githubShows.Languages) {
		t.Fatalf("after the run failed: languages %v; want GitHub's %v", current.Languages, githubShows.Languages)
	}
	if diags.WarningsCount() != 1 || diags.HasError() {
		t.Fatalf("after the run failed: %v; want one warning", diags)
	}
	if detail := diags[0].Detail(); !strings.Contains(detail, fmt.Sprintf("Run %d", id)) || !strings.Contains(detail, `"failure"`) {
		t.Fatalf("the warning %q should name run %d and its conclusion", detail, id)
	}
	if private[privateKeyUnwaitedRun] != nil {
		t.Fatal("the ended run is still remembered; the next refresh would ask about it again")
	}

	reads := runReads(emu)
	r.explainDifference(ctx, repo, prior, &current, private, &diags)
	if runReads(emu) != reads || diags.WarningsCount() != 1 {
		t.Fatalf("once the run has ended, a refresh read it again (%d reads, then %d) or warned again (%d warnings)", reads, runReads(emu), diags.WarningsCount())
	}
}

// GitHub may show the old configuration until a run ends; after an apply that did not wait, the
// plan must not show the run's own change as drift, and once the run ends nothing is left to do.
func TestDefaultSetupWithoutWaitingShowsNoDriftWhileTheRunIsUnderWay(t *testing.T) {
	t.Parallel()
	cfg := defaultEmulatorConfig()
	cfg.RunInProgress = time.Hour
	tt := emulatorTarget(t, cfg)
	emu := tt.needsEmulator(t)
	// Should the step fail with the run under way, destroy meets GitHub's 409 for an hour; the
	// delete timeout ends that in seconds.
	config := defaultSetupConfig(tt, tt.repo, `  languages    = ["go"]
  wait_for_run = false
  timeouts {
    delete = "10s"
  }`)
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				// After the apply, terraform-plugin-testing refreshes and plans, and fails the
				// step unless the plan is empty, while GitHub still shows default setup off.
				Config: config,
				Check: func(*terraform.State) error {
					if n := runReads(emu); n != 0 {
						return fmt.Errorf("the apply read the run %d times although wait_for_run = false", n)
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					if ds, _ := emu.DefaultSetup(testOwner, "service"); ds.State != "not-configured" {
						t.Errorf("GitHub shows default setup %q; the run should still be under way", ds.State)
					}
					if runReads(emu) == 0 {
						t.Error("the refresh after the apply found default setup off and did not ask about the run")
					}
					emu.Advance(2 * time.Hour)
				},
				Config:   config,
				PlanOnly: true,
				Check:    emulatorHas(emu, tt.repo, "configured", "go"),
			},
		},
	})
}

// A token without Actions: read is refused the run (403): the refresh takes GitHub's values, as
// it must without knowing better, and forgets the run, so later refreshes make no request for
// it that would only be refused again.
func TestRefreshForgetsARunTheTokenMayNotRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	emu, baseURL := emulatortest.NewServer(t, emulator.Config{RunQueued: time.Millisecond, RunInProgress: time.Hour,
		TokenPermissions: map[string]map[string]string{"test-token": {"administration": "write", "security_events": "write"}}})
	emu.AddRepository(emulator.Repository{Owner: testOwner, Name: "service", AdvancedSecurity: true, Languages: []string{"go", "python"}})
	client, err := githubclient.New(githubclient.Config{BaseURL: baseURL, Token: "test-token", Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	r := &defaultSetupResource{data: &providerData{client: client}}
	repo := githubclient.Repository{Owner: testOwner, Name: "service"}
	prior := defaultSetupModel{defaultSetupSettings: defaultSetupSettings{State: types.StringValue("configured"), Languages: languageSet("go", "python")}}
	githubShows := defaultSetupModel{defaultSetupSettings: defaultSetupSettings{State: types.StringValue("configured"), Languages: languageSet("go")}}
	private := memoryPrivate{}
	id := emu.StartOutOfBandRun(testOwner, "service", emulator.DefaultSetup{State: "configured", Languages: []string{"go", "python"}})
	var diags diag.Diagnostics
	diags.Append(rememberUnwaitedRun(ctx, private, &githubclient.Run{ID: id}, prior)...)

	for refresh := 1; refresh <= 2; refresh++ {
		current := githubShows
		r.explainDifference(ctx, repo, prior, &current, private, &diags)
		if !current.Languages.Equal(githubShows.Languages) || diags.HasError() {
			t.Fatalf("refresh %d: languages %v, %v; want GitHub's and no error", refresh, current.Languages, diags)
		}
	}
	if n := runReads(emu); n != 1 || private[privateKeyUnwaitedRun] != nil {
		t.Fatalf("%d run reads, run remembered %t; want one refused read and the run forgotten", n, private[privateKeyUnwaitedRun] != nil)
	}
}
