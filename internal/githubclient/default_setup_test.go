package githubclient

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/emulatortest"
	"github.com/codescanning/terraform-provider-codescanning/internal/wait"
)

var (
	service = Repository{Owner: "octo-org", Name: "service"}
	flaky   = Repository{Owner: "octo-org", Name: "flaky"}
	fast    = wait.Backoff{Initial: time.Millisecond, Max: 10 * time.Millisecond, Factor: 2}
)

// newTestClient starts an emulator with a few repositories and a client for it.
func newTestClient(t *testing.T, cfg emulator.Config) (*Client, *emulator.Emulator) {
	t.Helper()
	if cfg.RunQueued == 0 && cfg.RunInProgress == 0 {
		cfg.RunQueued, cfg.RunInProgress = 2*time.Millisecond, 5*time.Millisecond
	}
	emu, baseURL := emulatortest.NewServer(t, cfg)
	emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: "service", AdvancedSecurity: true, Languages: []string{"go", "python"}})
	emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: "flaky", AdvancedSecurity: true, Languages: []string{"go", "python"}, FailingLanguages: []string{"python"}})
	emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: "locked", AdvancedSecurity: false})
	c, err := New(Config{BaseURL: baseURL, Token: "secret-token", UserAgent: "terraform-provider-codescanning/test", RunBackoff: fast, ConflictBackoff: fast})
	if err != nil {
		t.Fatal(err)
	}
	return c, emu
}

func TestUpdateDefaultSetupWaitsForTheRunAndGetShowsTheResult(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t, emulator.Config{})
	ctx := context.Background()
	run, err := c.UpdateDefaultSetup(ctx, service, DefaultSetupUpdate{State: StateConfigured, Languages: []string{"go"}, QuerySuite: "extended", ThreatModel: "remote_and_local"})
	if err != nil || run == nil || run.ID == 0 {
		t.Fatalf("UpdateDefaultSetup = %+v, %v; want a run", run, err)
	}
	status, err := c.WaitForRun(ctx, service, *run)
	if err != nil || status.Status != "completed" {
		t.Fatalf("WaitForRun = %+v, %v", status, err)
	}
	ds, err := c.GetDefaultSetup(ctx, service)
	if err != nil {
		t.Fatal(err)
	}
	if ds.State != StateConfigured || strings.Join(ds.Languages, ",") != "go" || ds.QuerySuite != "extended" || ds.ThreatModel == nil || *ds.ThreatModel != "remote_and_local" || ds.UpdatedAt == nil {
		t.Fatalf("GetDefaultSetup = %+v", ds)
	}
}

func TestUpdateDefaultSetupThatChangesNothingHasNoRun(t *testing.T) {
	t.Parallel()
	c, emu := newTestClient(t, emulator.Config{NoChangeStatus: http.StatusOK})
	emu.SetDefaultSetup("octo-org", "service", emulator.DefaultSetup{State: StateConfigured, Languages: []string{"go"}, QuerySuite: "default", ThreatModel: "remote"})
	run, err := c.UpdateDefaultSetup(context.Background(), service, DefaultSetupUpdate{State: StateConfigured, Languages: []string{"go"}})
	if err != nil || run != nil {
		t.Fatalf("UpdateDefaultSetup = %+v, %v; want no run and no error", run, err)
	}
}

func TestWaitForRunReportsAFailedRunWithItsConclusionAndLink(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t, emulator.Config{})
	ctx := context.Background()
	run, err := c.UpdateDefaultSetup(ctx, flaky, DefaultSetupUpdate{State: StateConfigured, Languages: []string{"go", "python"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.WaitForRun(ctx, flaky, *run)
	var failed *RunFailedError
	if !errors.As(err, &failed) || !strings.Contains(err.Error(), `conclusion "failure"`) || !strings.Contains(err.Error(), "/actions/runs/") {
		t.Fatalf("WaitForRun error = %v; want a RunFailedError naming the conclusion and the run's link", err)
	}
}

// The deadline is a minute of a fake clock the emulator shares, polled at the real back-off: a
// busy machine cannot make the first poll itself outlast it (a deadline of 250 real milliseconds
// left no poll read at a load average of 23).
func TestWaitForRunStopsAtTheDeadline(t *testing.T) {
	t.Parallel()
	cfg := emulator.Config{RunQueued: time.Hour}
	fake, onClock := sharedFakeClock(&cfg)
	emu, base := newFaultyEmulator(t, cfg)
	c, _ := transportClient(t, base, func(cfg *Config) { onClock(cfg); cfg.RunBackoff = wait.DefaultBackoff })
	run, err := c.UpdateDefaultSetup(context.Background(), service, DefaultSetupUpdate{State: StateConfigured})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := fake.Now()
	_, err = c.WaitForRun(ctx, service, *run)
	var timeout *wait.TimeoutError
	if !errors.As(err, &timeout) || timeout.LastState != "queued" {
		t.Fatalf("WaitForRun error = %v; want a timeout while queued", err)
	}
	if waited := fake.Now().Sub(start); waited < time.Minute-time.Second {
		t.Fatalf("gave up after %v by the clock; want the minute waited", waited)
	}
	if n := countRequests(emu, http.MethodGet); n < 2 {
		t.Fatalf("%d polls; want the run polled until the deadline", n)
	}
}

// The other run lasts two minutes of a fake clock the emulator shares, and the 409s are retried
// by that clock: the first PATCH meets the run however slowly a busy machine sends it (a run of
// 40 real milliseconds had ended before it, at a load average of 25), and the retries end it.
func TestUpdateDefaultSetupWaitsOutAConflictingRun(t *testing.T) {
	t.Parallel()
	cfg := emulator.Config{RunQueued: time.Minute, RunInProgress: time.Minute}
	fake, onClock := sharedFakeClock(&cfg)
	emu, base := newFaultyEmulator(t, cfg)
	c, _ := transportClient(t, base, func(cfg *Config) { onClock(cfg); cfg.ConflictBackoff = wait.DefaultBackoff })
	emu.StartOutOfBandRun("octo-org", "service", emulator.DefaultSetup{State: StateConfigured, Languages: []string{"python"}, QuerySuite: "default", ThreatModel: "remote"})
	emu.ResetRequests()
	start := fake.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	run, err := c.UpdateDefaultSetup(ctx, service, DefaultSetupUpdate{State: StateConfigured, Languages: []string{"go"}})
	if err != nil || run == nil {
		t.Fatalf("UpdateDefaultSetup = %+v, %v; want a run once the other one ended", run, err)
	}
	if n := countRequests(emu, http.MethodPatch); n < 2 {
		t.Fatalf("%d PATCHes; want the 409 retried", n)
	}
	if waited := fake.Now().Sub(start); waited < 2*time.Minute-time.Second {
		t.Fatalf("the PATCH went through after %v by the clock; want the other run's two minutes waited out", waited)
	}
}

// The deadline is five minutes of a fake clock the emulator shares, the 409s retried at the
// real back-off: a busy machine cannot make the first PATCH itself outlast it.
func TestUpdateDefaultSetupGivesUpOnAConflictAtTheDeadline(t *testing.T) {
	t.Parallel()
	cfg := emulator.Config{RunQueued: time.Hour}
	fake, onClock := sharedFakeClock(&cfg)
	emu, base := newFaultyEmulator(t, cfg)
	c, _ := transportClient(t, base, func(cfg *Config) { onClock(cfg); cfg.ConflictBackoff = wait.DefaultBackoff })
	emu.StartOutOfBandRun("octo-org", "service", emulator.DefaultSetup{State: StateConfigured, Languages: []string{"python"}, QuerySuite: "default", ThreatModel: "remote"})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := fake.Now()
	_, err := c.UpdateDefaultSetup(ctx, service, DefaultSetupUpdate{State: StateConfigured, Languages: []string{"go"}})
	if StatusCode(err) != http.StatusConflict || !strings.Contains(err.Error(), "time ran out") {
		t.Fatalf("error = %v; want the 409 and that time ran out", err)
	}
	if waited := fake.Now().Sub(start); waited < 5*time.Minute-time.Second {
		t.Fatalf("gave up after %v by the clock; want the five minutes waited", waited)
	}
}

// GitHub's refusals come back with its status and its words, and with what they mean told apart
// (the provider's advice is built on that).
func TestErrorsCarryGitHubsMessageAndMeaning(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t, emulator.Config{})
	ctx := context.Background()
	cases := []struct {
		name    string
		call    func() error
		status  int
		meaning func(*APIError) bool
	}{
		{"advanced security off", func() error { _, err := c.GetDefaultSetup(ctx, Repository{"octo-org", "locked"}); return err }, 403, (*APIError).AdvancedSecurityOff},
		{"missing repository", func() error { _, err := c.GetDefaultSetup(ctx, Repository{"octo-org", "nope"}); return err }, 404, func(e *APIError) bool { return IsNotFound(e) }},
		{"invalid setting", func() error {
			_, err := c.UpdateDefaultSetup(ctx, service, DefaultSetupUpdate{QuerySuite: "bogus"})
			return err
		}, 422, func(e *APIError) bool { return !e.ThreatModelUnsupported() && !e.AdvancedSecurityOff() }},
	}
	for _, tc := range cases {
		err := tc.call()
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status || apiErr.Message == "" || !tc.meaning(apiErr) {
			t.Errorf("%s: error = %v; want status %d with GitHub's message, told apart", tc.name, err, tc.status)
		}
	}
	if !IsNotFound(cases[1].call()) {
		t.Error("IsNotFound is false for a 404")
	}
}

func TestEveryRequestCarriesTheTokenVersionAndUserAgent(t *testing.T) {
	t.Parallel()
	c, emu := newTestClient(t, emulator.Config{})
	if _, err := c.GetDefaultSetup(context.Background(), service); err != nil {
		t.Fatal(err)
	}
	reqs := emu.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	h := reqs[0].Header
	if h.Get("Authorization") != "Bearer secret-token" || h.Get("X-GitHub-Api-Version") != DefaultAPIVersion || h.Get("User-Agent") != "terraform-provider-codescanning/test" {
		t.Fatalf("headers %v", h)
	}
}

// A run_url on another host is never followed: the client reads the run by its id on the API
// host, so the token never leaves it.
func TestRunOnAnotherHostIsReadFromTheAPIHostByID(t *testing.T) {
	t.Parallel()
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request to another host: %s %s (Authorization %q)", r.Method, r.URL, r.Header.Get("Authorization"))
		http.Error(w, "no", http.StatusTeapot)
	}))
	t.Cleanup(elsewhere.Close)
	c, emu := newTestClient(t, emulator.Config{})
	emu.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPatch {
			return false
		}
		rec := httptest.NewRecorder()
		emu.Intercept(nil)
		emu.Handler().ServeHTTP(rec, r)
		var run Run
		if err := json.Unmarshal(rec.Body.Bytes(), &run); err != nil {
			t.Errorf("PATCH answer %q: %v", rec.Body.String(), err)
		}
		run.URL = elsewhere.URL + "/repos/octo-org/service/actions/runs/" + strconv.FormatInt(run.ID, 10)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_ = json.NewEncoder(w).Encode(run)
		return true
	})
	ctx := context.Background()
	run, err := c.UpdateDefaultSetup(ctx, service, DefaultSetupUpdate{State: StateConfigured})
	if err != nil || !strings.HasPrefix(run.URL, elsewhere.URL) {
		t.Fatalf("UpdateDefaultSetup = %+v, %v", run, err)
	}
	if _, err := c.WaitForRun(ctx, service, *run); err != nil {
		t.Fatalf("WaitForRun: %v", err)
	}
}

// GitHub may report javascript-typescript as "javascript", "typescript" or both: the client
// reads each as the one name PATCH takes, so what GitHub shows matches the update it accepted
// and callers compare like with like.
func TestDefaultSetupReadsJavaScriptAndTypeScriptAsOneLanguage(t *testing.T) {
	t.Parallel()
	for _, split := range [][]string{nil, {"javascript", "typescript"}, {"javascript"}, {"typescript"}} {
		t.Run(strings.Join(split, "+"), func(t *testing.T) {
			t.Parallel()
			c, emu := newTestClient(t, emulator.Config{SplitJavaScriptTypeScript: split, RunQueued: time.Hour})
			ctx := context.Background()
			update := DefaultSetupUpdate{State: StateConfigured, Languages: []string{"javascript-typescript", "go"}}
			if _, err := c.UpdateDefaultSetup(ctx, service, update); err != nil {
				t.Fatal(err)
			}
			emu.Advance(2 * time.Hour)
			ds, err := c.GetDefaultSetup(ctx, service)
			if err != nil || strings.Join(ds.Languages, ",") != "go,javascript-typescript" {
				t.Fatalf("GetDefaultSetup = %+v, %v; want go,javascript-typescript", ds, err)
			}
			if !update.shownBy(ds) {
				t.Fatalf("GitHub's %v does not show the update %v it accepted", ds.Languages, update.Languages)
			}
		})
	}
}

// ClearRunnerLabel is the schema's nullable runner_label sent as null, never a label nor "":
// and GitHub shows the update only once no label is left.
func TestDefaultSetupUpdateCanSendRunnerLabelNull(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		update DefaultSetupUpdate
		want   string
	}{
		{DefaultSetupUpdate{RunnerType: "standard", ClearRunnerLabel: true}, `{"runner_type":"standard","runner_label":null}`},
		{DefaultSetupUpdate{ClearRunnerLabel: true}, `{"runner_label":null}`},
		{DefaultSetupUpdate{RunnerType: "labeled", RunnerLabel: "big", ClearRunnerLabel: true}, `{"runner_type":"labeled","runner_label":"big"}`},
		{DefaultSetupUpdate{RunnerType: "standard"}, `{"runner_type":"standard"}`},
	} {
		raw, err := json.Marshal(tc.update)
		if err != nil || string(raw) != tc.want {
			t.Errorf("json.Marshal(%+v) = %s, %v; want %s", tc.update, raw, err, tc.want)
		}
	}
	update := DefaultSetupUpdate{RunnerType: "standard", ClearRunnerLabel: true}
	label, standard := "big", "standard"
	if update.shownBy(&DefaultSetup{State: StateConfigured, RunnerType: &standard, RunnerLabel: &label}) {
		t.Error("an update clearing the label is shown by a setup that still has one")
	}
	if !update.shownBy(&DefaultSetup{State: StateConfigured, RunnerType: &standard}) {
		t.Error("an update clearing the label is not shown by a setup without one")
	}
}
