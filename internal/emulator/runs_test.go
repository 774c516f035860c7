package emulator

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// getRun returns GET actions/runs/{id}'s body, decoded.
func (a *testAPI) getRun(id int64) map[string]any {
	a.t.Helper()
	got := a.do("GET", "repos/octo-org/app/actions/runs/"+strconv.FormatInt(id, 10), "")
	if got.status != http.StatusOK {
		a.t.Fatalf("GET run %d: status %d, body %s", id, got.status, got.body)
	}
	return got.object(a.t)
}

func TestRunLifecycle(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{RunQueued: 10 * time.Second, RunInProgress: 50 * time.Second}, scanned("app"))
	clock := a.useFakeClock()
	started := clock.Now()
	answer := a.patchSetup(`{"state":"configured"}`, http.StatusAccepted)
	id, accepted := runIDOf(t, answer), answer.object(t)
	if want := a.base + "repos/octo-org/app/actions/runs/" + strconv.FormatInt(id, 10); accepted["run_url"] != want {
		t.Errorf("run_url = %v, want %s", accepted["run_url"], want)
	}

	steps := []struct {
		advance        time.Duration
		wantStatus     string
		wantConclusion any
		wantUpdated    time.Time
		wantState      string
	}{
		{0, "queued", nil, started, "not-configured"},
		{9 * time.Second, "queued", nil, started, "not-configured"},
		{time.Second, "in_progress", nil, started.Add(10 * time.Second), "not-configured"},
		{49 * time.Second, "in_progress", nil, started.Add(10 * time.Second), "not-configured"},
		{time.Second, "completed", "success", started.Add(time.Minute), "configured"},
	}
	for _, s := range steps {
		clock.Advance(s.advance)
		run := a.getRun(id)
		if run["status"] != s.wantStatus || run["conclusion"] != s.wantConclusion {
			t.Errorf("at +%v: status %v, conclusion %v; want %s, %v", clock.Now().Sub(started),
				run["status"], run["conclusion"], s.wantStatus, s.wantConclusion)
		}
		if run["updated_at"] != s.wantUpdated.Format(time.RFC3339) {
			t.Errorf("at +%v: updated_at %v, want %v", clock.Now().Sub(started), run["updated_at"], s.wantUpdated)
		}
		if got := a.getSetup()["state"]; got != s.wantState {
			t.Errorf("at +%v: default setup state %v, want %s", clock.Now().Sub(started), got, s.wantState)
		}
	}
}

// TestRunLifecycleInRealTime drives a run by the real clock, as the provider's tests will.
func TestRunLifecycleInRealTime(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{RunQueued: 5 * time.Millisecond, RunInProgress: 5 * time.Millisecond}, scanned("app"))
	id := runIDOf(t, a.patchSetup(`{"state":"configured"}`, http.StatusAccepted))
	order := map[any]int{"queued": 0, "in_progress": 1, "completed": 2}
	last := 0
	// The deadline is checked against when a read was sent, not when its answer was looked at:
	// a run read after it must be completed however long a busy machine stalls in between.
	deadline := time.Now().Add(200 * time.Millisecond)
	for {
		sent := time.Now()
		run := a.getRun(id)
		step, ok := order[run["status"]]
		if !ok || step < last {
			t.Fatalf("status went from step %d to %v", last, run["status"])
		}
		last = step
		if run["status"] == "completed" {
			if run["conclusion"] != "success" {
				t.Errorf("conclusion = %v", run["conclusion"])
			}
			break
		}
		if sent.After(deadline) {
			t.Fatalf("run still %v after 200ms", run["status"])
		}
		time.Sleep(2 * time.Millisecond)
	}
	if got := a.getSetup()["state"]; got != "configured" {
		t.Errorf("after completion: state %v", got)
	}
}

func TestRunWithZeroDurationsIsCompletedAtOnce(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	id := runIDOf(t, a.patchSetup(`{"state":"configured"}`, http.StatusAccepted))
	if run := a.getRun(id); run["status"] != "completed" {
		t.Errorf("status = %v", run["status"])
	}
}

func TestRunOutcomes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		failing        []string
		forced         string
		wantConclusion string
		wantState      string
		wantLanguages  []any
		wantSuite      string
	}{
		{name: "success", wantConclusion: "success", wantState: "configured",
			wantLanguages: []any{"go", "python"}, wantSuite: "extended"},
		{name: "failing language dropped", failing: []string{"python"}, wantConclusion: "failure",
			wantState: "configured", wantLanguages: []any{"go"}, wantSuite: "extended"},
		{name: "every language failing", failing: []string{"python", "go"}, wantConclusion: "failure",
			wantState: "not-configured", wantLanguages: []any{}, wantSuite: "extended"},
		{name: "forced cancelled keeps the previous configuration", forced: "cancelled",
			wantConclusion: "cancelled", wantState: "configured", wantLanguages: []any{"ruby"}, wantSuite: "default"},
		{name: "forced timed_out keeps the previous configuration", forced: "timed_out",
			wantConclusion: "timed_out", wantState: "configured", wantLanguages: []any{"ruby"}, wantSuite: "default"},
		{name: "forced success ignores failing languages", failing: []string{"go"}, forced: "success",
			wantConclusion: "success", wantState: "configured", wantLanguages: []any{"go", "python"},
			wantSuite: "extended"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			repo := scanned("app")
			repo.FailingLanguages, repo.RunConclusion = tt.failing, tt.forced
			a := newTestAPI(t, Config{}, repo)
			a.emu.SetDefaultSetup("octo-org", "app", DefaultSetup{Languages: []string{"ruby"}})
			id := runIDOf(t, a.patchSetup(`{"languages":["go","python"],"query_suite":"extended"}`, http.StatusAccepted))
			if got := a.getRun(id)["conclusion"]; got != tt.wantConclusion {
				t.Errorf("conclusion = %v, want %s", got, tt.wantConclusion)
			}
			got := a.getSetup()
			if got["state"] != tt.wantState || !reflect.DeepEqual(got["languages"], tt.wantLanguages) ||
				got["query_suite"] != tt.wantSuite {
				t.Errorf("configuration = %v; want state %s, languages %v, query_suite %s",
					got, tt.wantState, tt.wantLanguages, tt.wantSuite)
			}
		})
	}
}

func TestRunsAreFoundOnlyUnderTheirRepository(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"), scanned("other"))
	id := runIDOf(t, a.patchSetup(`{"state":"configured"}`, http.StatusAccepted))
	otherID := runIDOf(t, a.do("PATCH", "repos/octo-org/other/code-scanning/default-setup", `{"state":"configured"}`))
	if otherID == id {
		t.Errorf("two repositories' runs share id %d", id)
	}
	path := "repos/octo-org/other/actions/runs/" + strconv.FormatInt(id, 10)
	a.do("GET", path, "").expectError(t, http.StatusNotFound, msgNotFound)
	a.do("GET", "repos/octo-org/app/actions/runs/not-a-number", "").expectError(t, http.StatusNotFound, msgNotFound)

	a.emu.DeleteRepository("octo-org", "app")
	a.emu.AddRepository(scanned("app"))
	a.do("GET", "repos/octo-org/app/actions/runs/"+strconv.FormatInt(id, 10), "").
		expectError(t, http.StatusNotFound, msgNotFound)
}

func TestOutOfBandRunCancelsTheRunUnderWay(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{RunQueued: time.Hour}, scanned("app"))
	first := runIDOf(t, a.patchSetup(`{"state":"configured"}`, http.StatusAccepted))
	second := a.emu.StartOutOfBandRun("octo-org", "app", DefaultSetup{Languages: []string{"ruby"}})
	if second == 0 || second == first {
		t.Fatalf("StartOutOfBandRun = %d (first run %d)", second, first)
	}
	if run := a.getRun(first); run["status"] != "completed" || run["conclusion"] != "cancelled" {
		t.Errorf("first run: status %v, conclusion %v", run["status"], run["conclusion"])
	}
	if run := a.getRun(second); run["status"] != "queued" {
		t.Errorf("second run: status %v", run["status"])
	}
	if a.emu.StartOutOfBandRun("octo-org", "nope", DefaultSetup{}) != 0 {
		t.Error("StartOutOfBandRun started a run for an unknown repository")
	}
}

func TestRunURLsUseTheBaseURL(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	id := runIDOf(t, a.patchSetup(`{"state":"configured"}`, http.StatusAccepted))
	run := a.getRun(id)
	suffix := "repos/octo-org/app/actions/runs/" + strconv.FormatInt(id, 10)
	if run["url"] != a.base+suffix {
		t.Errorf("url = %v, want %s", run["url"], a.base+suffix)
	}
	if want := a.root() + "octo-org/app/actions/runs/" + strconv.FormatInt(id, 10); run["html_url"] != want {
		t.Errorf("html_url = %v, want %s", run["html_url"], want)
	}

	a.emu.SetBaseURL("https://ghe.example.com/api/v3")
	accepted := a.patchSetup(`{"query_suite":"extended"}`, http.StatusAccepted).object(t)
	if url, _ := accepted["run_url"].(string); !strings.HasPrefix(url, "https://ghe.example.com/api/v3/repos/") {
		t.Errorf("run_url = %s after SetBaseURL", url)
	}
}
