package githubclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/clock"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/emulatortest"
	"github.com/codescanning/terraform-provider-codescanning/internal/wait"
)

// noActionsRead is what a GitHub App or fine-grained token granted what default setup needs,
// but not Actions: read, may do.
var noActionsRead = map[string]string{"administration": "write", "security_events": "write"}

// warnings collects what a client says at WARN.
type warnings struct {
	mu   sync.Mutex
	msgs []string
}

func (w *warnings) warn(_ context.Context, msg string, _ map[string]any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.msgs = append(w.msgs, msg)
}

func (w *warnings) said() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.msgs...)
}

// newPermissionedClient is a client whose token has exactly perms (nil: a classic token), with
// its warnings collected. refuseRuns, when set, answers every run read with that status instead.
func newPermissionedClient(t *testing.T, perms map[string]string, refuseRuns int, tune ...func(*emulator.Config)) (*Client, *emulator.Emulator, *warnings) {
	t.Helper()
	cfg := emulator.Config{RunQueued: 2 * time.Millisecond, RunInProgress: 5 * time.Millisecond}
	for _, f := range tune {
		f(&cfg)
	}
	if perms != nil {
		cfg.TokenPermissions = map[string]map[string]string{"fine-grained": perms}
	}
	emu, baseURL := emulatortest.NewServer(t, cfg)
	emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: "service", AdvancedSecurity: true, Languages: []string{"go", "python"}})
	emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: "other", AdvancedSecurity: true, Languages: []string{"go"}})
	emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: "flaky", AdvancedSecurity: true, Languages: []string{"go", "python"}, FailingLanguages: []string{"python"}})
	if refuseRuns != 0 {
		emu.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
			if !strings.Contains(r.URL.Path, "/actions/runs/") {
				return false
			}
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(refuseRuns)
			_, _ = w.Write([]byte(`{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}`))
			return true
		})
	}
	w := &warnings{}
	// A tune that gives the emulator a clock gives it to the client too, which then polls by
	// it every second: minutes of that clock pass in a few dozen polls.
	runBackoff := fast
	if cfg.Clock != nil {
		runBackoff = wait.Backoff{Initial: time.Second, Max: time.Second, Factor: 1}
	}
	c, err := New(Config{BaseURL: baseURL, Token: "fine-grained", RunBackoff: runBackoff, ConflictBackoff: fast, Warn: w.warn, Clock: cfg.Clock,
		Retry: RetryPolicy{Backoff: wait.Backoff{Initial: time.Millisecond, Max: 2 * time.Millisecond, Factor: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	return c, emu, w
}

// Without Actions: read, GitHub refuses the run (403, or 404 as it answers for what a token may
// not see): the wait falls back to the configuration GET shows, succeeds once GitHub shows it,
// and says so once for the whole client, naming the permission.
func TestWaitForDefaultSetupRunWithoutActionsReadWaitsForTheConfiguration(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		perms      map[string]string
		refuseRuns int
	}{
		"403 from a token without Actions read": {perms: noActionsRead},
		"404 for the run":                       {refuseRuns: http.StatusNotFound},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, emu, w := newPermissionedClient(t, tc.perms, tc.refuseRuns)
			ctx := context.Background()
			for _, repo := range []Repository{service, {Owner: "octo-org", Name: "other"}} {
				update := DefaultSetupUpdate{State: StateConfigured, Languages: []string{"go"}, QuerySuite: "extended"}
				run, err := c.UpdateDefaultSetup(ctx, repo, update)
				if err != nil || run == nil {
					t.Fatalf("UpdateDefaultSetup(%s) = %v, %v", repo, run, err)
				}
				if _, err := c.WaitForDefaultSetupRun(ctx, repo, *run, update); err != nil {
					t.Fatalf("WaitForDefaultSetupRun(%s) = %v; want the fallback to succeed", repo, err)
				}
				if ds, _ := emu.DefaultSetup(repo.Owner, repo.Name); ds.QuerySuite != "extended" || ds.State != StateConfigured {
					t.Fatalf("returned before GitHub showed the configuration: %+v", ds)
				}
			}
			said := w.said()
			if len(said) != 1 || !strings.Contains(said[0], "Actions: read") {
				t.Fatalf("warnings %q; want one naming Actions: read", said)
			}
		})
	}
}

// With Actions: read the run itself is followed, and nothing is said.
func TestWaitForDefaultSetupRunWithActionsReadFollowsTheRun(t *testing.T) {
	t.Parallel()
	perms := map[string]string{"administration": "write", "security_events": "write", "actions": "read"}
	c, _, w := newPermissionedClient(t, perms, 0)
	ctx := context.Background()
	update := DefaultSetupUpdate{State: StateConfigured}
	run, err := c.UpdateDefaultSetup(ctx, service, update)
	if err != nil || run == nil {
		t.Fatalf("UpdateDefaultSetup = %v, %v", run, err)
	}
	status, err := c.WaitForDefaultSetupRun(ctx, service, *run, update)
	if err != nil || status == nil || status.Status != "completed" {
		t.Fatalf("WaitForDefaultSetupRun = %+v, %v; want the completed run", status, err)
	}
	if said := w.said(); len(said) != 0 {
		t.Errorf("warnings %q; want none", said)
	}
	// A failed run is still a failure when it can be read.
	run, err = c.UpdateDefaultSetup(ctx, flaky, DefaultSetupUpdate{State: StateConfigured, Languages: []string{"go", "python"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.WaitForDefaultSetupRun(ctx, flaky, *run, DefaultSetupUpdate{State: StateConfigured, Languages: []string{"go", "python"}})
	if failed := new(*RunFailedError); !errors.As(err, failed) {
		t.Fatalf("err = %v; want *RunFailedError", err)
	}
}

// A run that fails where it cannot be read leaves GitHub showing something else for good (the
// language it could not analyse dropped): the wait ends as soon as that is plain, with an error
// saying the run most likely failed, not at the operation's end.
func TestWaitForDefaultSetupRunWithoutActionsReadReportsARunThatEndedOtherwise(t *testing.T) {
	t.Parallel()
	c, emu, _ := newPermissionedClient(t, noActionsRead, 0, func(cfg *emulator.Config) { cfg.RunQueued = time.Hour })
	var setupReads atomic.Int32
	emu.Intercept(func(_ http.ResponseWriter, r *http.Request) bool {
		// The first poll sees the run under way; the run has ended before the second.
		if strings.HasSuffix(r.URL.Path, "/default-setup") && r.Method == http.MethodGet && setupReads.Add(1) == 2 {
			emu.Advance(2 * time.Hour)
		}
		return false
	})
	update := DefaultSetupUpdate{State: StateConfigured, Languages: []string{"go", "python"}}
	run, err := c.UpdateDefaultSetup(context.Background(), flaky, update)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = c.WaitForDefaultSetupRun(ctx, flaky, *run, update)
	var unapplied *UnappliedConfigurationError
	if !errors.As(err, &unapplied) || strings.Join(unapplied.Shown.Languages, ",") != "go" || !strings.Contains(err.Error(), "Actions: read") {
		t.Fatalf("err = %v; want *UnappliedConfigurationError showing go alone, naming Actions: read", err)
	}
	if ctx.Err() != nil {
		t.Fatal("the wait ran to the operation's end")
	}
}

// A run that fails leaving the settings as the first poll saw them cannot be told from one
// still running: the wait ends with the operation's time, and the error says why the run
// itself was not followed.
//
// The operation's time is a minute of a fake clock the emulator shares: the refused read of the
// run, which the error's advice follows from, cannot itself outlast it on a busy machine (a
// deadline of 100 real milliseconds could end during it).
func TestWaitForDefaultSetupRunWithoutActionsReadEndsWithTheOperationsTime(t *testing.T) {
	t.Parallel()
	fake := clock.NewFake()
	c, emu, _ := newPermissionedClient(t, noActionsRead, 0, func(cfg *emulator.Config) { cfg.Clock = fake })
	emu.SetDefaultSetup("octo-org", "flaky", emulator.DefaultSetup{Languages: []string{"go"}})
	update := DefaultSetupUpdate{State: StateConfigured, Languages: []string{"go", "python"}}
	run, err := c.UpdateDefaultSetup(context.Background(), flaky, update)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := fake.Now()
	_, err = c.WaitForDefaultSetupRun(ctx, flaky, *run, update)
	if err == nil || !strings.Contains(err.Error(), "Actions: read") || errors.As(err, new(*UnappliedConfigurationError)) {
		t.Fatalf("err = %v; want the timeout, naming Actions: read", err)
	}
	if waited := fake.Now().Sub(start); waited < time.Minute-time.Second {
		t.Fatalf("gave up after %v by the clock; want the operation's minute waited", waited)
	}
}
