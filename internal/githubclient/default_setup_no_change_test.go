package githubclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
	"github.com/codescanning/terraform-provider-codescanning/internal/wait"
)

// GitHub answers 200 "no change" to a PATCH whose configuration a run started earlier is still
// applying (another workspace's, an apply's that did not wait, one whose 202 was lost). Whether
// GET shows that configuration before the run ends is undocumented: both ways, the update
// returns only once GitHub shows it.
func TestUpdateDefaultSetupAnsweredNoChangeReturnsOnceGitHubShowsTheConfiguration(t *testing.T) {
	t.Parallel()
	for _, showPending := range []bool{false, true} {
		t.Run(fmt.Sprintf("show_pending=%t", showPending), func(t *testing.T) {
			t.Parallel()
			c, emu := newTestClient(t, emulator.Config{RunQueued: time.Millisecond, RunInProgress: 50 * time.Millisecond, ShowPendingConfig: showPending})
			emu.StartOutOfBandRun("octo-org", "service", emulator.DefaultSetup{State: StateConfigured, Languages: []string{"go"}, QuerySuite: "extended", ThreatModel: "remote"})
			run, err := c.UpdateDefaultSetup(context.Background(), service, DefaultSetupUpdate{State: StateConfigured, Languages: []string{"go"}, QuerySuite: "extended"})
			if err != nil || run != nil {
				t.Fatalf("UpdateDefaultSetup = %+v, %v; want no run of its own and no error", run, err)
			}
			ds, _ := emu.DefaultSetup("octo-org", "service")
			if ds.State != StateConfigured || ds.QuerySuite != "extended" {
				t.Fatalf("GitHub shows %+v when the update returned; want the configuration asked for", ds)
			}
		})
	}
}

// The run that was applying the configuration fails: whether it drops a language (GitHub's
// configuration changes, to something else) or leaves the configuration as it was, the update
// asks again and returns the run GitHub then starts, whose failure WaitForRun reports, long
// before the operation's time runs out.
func TestUpdateDefaultSetupAnsweredNoChangeFindsTheRunWhenTheEarlierOneFailed(t *testing.T) {
	t.Parallel()
	cases := map[string]emulator.Repository{
		"failing language dropped":  {Owner: "octo-org", Name: "flaky", AdvancedSecurity: true, Languages: []string{"go", "python"}, FailingLanguages: []string{"python"}},
		"configuration left as was": {Owner: "octo-org", Name: "broken", AdvancedSecurity: true, Languages: []string{"go", "python"}, RunConclusion: "startup_failure"},
	}
	for name, repo := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, emu := newTestClient(t, emulator.Config{RunQueued: time.Millisecond, RunInProgress: 20 * time.Millisecond})
			emu.AddRepository(repo)
			r := Repository{Owner: repo.Owner, Name: repo.Name}
			emu.StartOutOfBandRun(r.Owner, r.Name, emulator.DefaultSetup{State: StateConfigured, Languages: []string{"go", "python"}, QuerySuite: "default", ThreatModel: "remote"})
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			run, err := c.UpdateDefaultSetup(ctx, r, DefaultSetupUpdate{State: StateConfigured, Languages: []string{"go", "python"}})
			if err != nil || run == nil {
				t.Fatalf("UpdateDefaultSetup = %+v, %v; want the run GitHub started once the earlier one had failed", run, err)
			}
			_, err = c.WaitForRun(ctx, r, *run)
			var failed *RunFailedError
			if !errors.As(err, &failed) || failed.Run.Conclusion == nil || *failed.Run.Conclusion == "success" {
				t.Fatalf("WaitForRun error = %v; want the run's failure", err)
			}
		})
	}
}

// The PATCH's 202 is lost, the transport sends it again, GitHub answers 200 and the run the
// first one started fails within milliseconds: the update does not wait out its deadline.
func TestUpdateDefaultSetupWhoseAnswerWasLostReportsAFailedRunAtOnce(t *testing.T) {
	t.Parallel()
	emu, base := newFaultyEmulator(t, emulator.Config{RunQueued: time.Millisecond, RunInProgress: 10 * time.Millisecond})
	emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: "flaky", AdvancedSecurity: true, Languages: []string{"go", "python"}, FailingLanguages: []string{"python"}})
	emu.Network().SetFaults(netsim.Faults{Script: []netsim.Fault{netsim.FaultLostAnswer}, Match: isMethod(http.MethodPatch)})
	c, _ := transportClient(t, base, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start := time.Now()
	run, err := c.UpdateDefaultSetup(ctx, flaky, DefaultSetupUpdate{State: StateConfigured, Languages: []string{"go", "python"}})
	if err != nil || run == nil {
		t.Fatalf("UpdateDefaultSetup = %+v, %v; want a run to follow", run, err)
	}
	_, err = c.WaitForRun(ctx, flaky, *run)
	if !strings.Contains(fmt.Sprint(err), `conclusion "failure"`) {
		t.Fatalf("WaitForRun error = %v; want the run's conclusion", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("took %v; want the failure reported as soon as the run ended", took)
	}
}

// When GitHub answers "no change" but never shows the configuration before the deadline, the
// error says so, and what GitHub showed. The deadline is ten minutes of a fake clock the
// emulator shares, polled at the real back-off: no busy machine makes the PATCH itself outlast it.
func TestUpdateDefaultSetupAnsweredNoChangeButNeverShownIsANotShownError(t *testing.T) {
	t.Parallel()
	cfg := emulator.Config{RunQueued: time.Millisecond, RunInProgress: time.Hour}
	fake, onClock := sharedFakeClock(&cfg)
	emu, base := newFaultyEmulator(t, cfg)
	c, _ := transportClient(t, base, func(cfg *Config) { onClock(cfg); cfg.RunBackoff = wait.DefaultBackoff })
	emu.StartOutOfBandRun("octo-org", "service", emulator.DefaultSetup{State: StateConfigured, Languages: []string{"go"}, QuerySuite: "default", ThreatModel: "remote"})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	start := fake.Now()
	_, err := c.UpdateDefaultSetup(ctx, service, DefaultSetupUpdate{State: StateConfigured, Languages: []string{"go"}})
	var notShown *NotShownError
	if !errors.As(err, &notShown) || notShown.Shown == nil || notShown.Shown.State != StateNotConfigured {
		t.Fatalf("error = %v; want a NotShownError with what GitHub showed", err)
	}
	if waited := fake.Now().Sub(start); waited < 10*time.Minute-time.Second {
		t.Fatalf("gave up after %v by the clock; want the ten minutes waited", waited)
	}
}
