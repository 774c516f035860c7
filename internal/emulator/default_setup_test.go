package emulator

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"
)

const setupPath = "repos/octo-org/app/code-scanning/default-setup"

// getSetup returns GET default-setup's body, decoded.
func (a *testAPI) getSetup() map[string]any {
	a.t.Helper()
	got := a.do("GET", setupPath, "")
	if got.status != http.StatusOK {
		a.t.Fatalf("GET default setup: status %d, body %s", got.status, got.body)
	}
	return got.object(a.t)
}

// patchSetup sends a PATCH and fails the test unless it gets status want.
func (a *testAPI) patchSetup(body string, want int) response {
	a.t.Helper()
	got := a.do("PATCH", setupPath, body)
	if got.status != want {
		a.t.Fatalf("PATCH %s: status %d, want %d; body %s", body, got.status, want, got.body)
	}
	return got
}

func TestDefaultSetupNotConfigured(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	got := a.getSetup()
	want := map[string]any{
		"state": "not-configured", "languages": []any{}, "query_suite": "default", "threat_model": "remote",
		"updated_at": nil, "schedule": nil, "runner_type": nil, "runner_label": nil,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GET = %v\nwant %v", got, want)
	}
}

func TestDefaultSetupRefusals(t *testing.T) {
	t.Parallel()
	off := Repository{Owner: "octo-org", Name: "app", Languages: []string{"go"}}
	archived := scanned("app")
	archived.Archived = true
	tests := []struct {
		name        string
		repo        Repository
		method      string
		wantStatus  int
		wantMessage string
	}{
		{"GET, Advanced Security off", off, "GET", 403, msgAdvancedSecurityDisabled},
		{"PATCH, Advanced Security off", off, "PATCH", 403, msgAdvancedSecurityDisabled},
		{"PATCH, archived", archived, "PATCH", 403, msgArchived},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, Config{}, tt.repo)
			a.do(tt.method, setupPath, `{"state":"configured"}`).expectError(t, tt.wantStatus, tt.wantMessage)
		})
	}
	t.Run("GET, archived", func(t *testing.T) {
		t.Parallel()
		a := newTestAPI(t, Config{}, archived)
		a.getSetup()
	})
}

func TestEnablingDetectsLanguages(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, Repository{Owner: "octo-org", Name: "app", AdvancedSecurity: true,
		Languages: []string{"python", "go", "rust"}}) // rust is not a CodeQL language
	clock := a.useFakeClock()
	a.patchSetup(`{"state":"configured"}`, http.StatusAccepted)
	want := map[string]any{
		"state": "configured", "languages": []any{"go", "python"}, "query_suite": "default",
		"threat_model": "remote", "updated_at": clock.Now().Format(time.RFC3339), "schedule": "weekly",
		"runner_type": "standard", "runner_label": nil,
	}
	if got := a.getSetup(); !reflect.DeepEqual(got, want) {
		t.Errorf("GET = %v\nwant %v", got, want)
	}
}

func TestPatchKeepsWhatItDoesNotName(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	a.patchSetup(`{"state":"configured","languages":["go"],"query_suite":"extended",
		"runner_type":"labeled","runner_label":"code-scanning"}`, http.StatusAccepted)
	a.patchSetup(`{"threat_model":"remote_and_local"}`, http.StatusAccepted)
	got := a.getSetup()
	for k, v := range map[string]any{"languages": []any{"go"}, "query_suite": "extended",
		"threat_model": "remote_and_local", "runner_type": "labeled", "runner_label": "code-scanning"} {
		if !reflect.DeepEqual(got[k], v) {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}

	// Leaving labeled runners drops the label rather than refusing the change (by default: see
	// TestMovingToStandardRunnersWithoutNamingTheLabel).
	a.patchSetup(`{"runner_type":"standard"}`, http.StatusAccepted)
	if got := a.getSetup(); got["runner_type"] != "standard" || got["runner_label"] != nil {
		t.Errorf("runner_type = %v, runner_label = %v", got["runner_type"], got["runner_label"])
	}
}

// GitHub does not document what a move to standard runners that does not name runner_label does
// to the label: RunnerLabelOnStandard clears it, keeps it, or refuses the change. An explicit
// "runner_label": null clears it under each.
func TestMovingToStandardRunnersWithoutNamingTheLabel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		mode       string
		wantStatus int
		wantLabel  any
	}{
		{LabelClearedOnStandard, http.StatusAccepted, nil},
		{LabelKeptOnStandard, http.StatusAccepted, "code-scanning"},
		{LabelRefusedOnStandard, http.StatusUnprocessableEntity, "code-scanning"},
	} {
		t.Run("mode="+tc.mode, func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, Config{RunnerLabelOnStandard: tc.mode}, scanned("app"))
			labeled := `{"state":"configured","runner_type":"labeled","runner_label":"code-scanning"}`
			a.patchSetup(labeled, http.StatusAccepted)
			a.patchSetup(`{"runner_type":"standard"}`, tc.wantStatus)
			if got := a.getSetup()["runner_label"]; got != tc.wantLabel {
				t.Errorf("runner_label = %v, want %v", got, tc.wantLabel)
			}
			if tc.mode == LabelKeptOnStandard {
				// What GitHub then holds does not block later changes.
				a.patchSetup(`{"query_suite":"extended"}`, http.StatusAccepted)
			}
			wantNull := http.StatusAccepted
			if tc.wantLabel == nil {
				wantNull = http.StatusOK // already clear: nothing to do
			}
			a.patchSetup(`{"runner_type":"standard","runner_label":null}`, wantNull)
			if got := a.getSetup(); got["runner_type"] != "standard" || got["runner_label"] != nil {
				t.Errorf("after runner_label null: runner_type = %v, runner_label = %v", got["runner_type"], got["runner_label"])
			}
		})
	}
}

func TestDisablingClearsLanguages(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	a.patchSetup(`{"state":"configured","query_suite":"extended"}`, http.StatusAccepted)
	a.patchSetup(`{"state":"not-configured"}`, http.StatusAccepted)
	got := a.getSetup()
	if got["state"] != "not-configured" || !reflect.DeepEqual(got["languages"], []any{}) || got["schedule"] != nil {
		t.Errorf("after disabling: %v", got)
	}
}

func TestNoChange(t *testing.T) {
	t.Parallel()
	t.Run("200 with an empty object by default", func(t *testing.T) {
		t.Parallel()
		a := newTestAPI(t, Config{}, scanned("app"))
		a.patchSetup(`{"state":"configured"}`, http.StatusAccepted)
		got := a.patchSetup(`{"state":"configured","languages":["python","go"]}`, http.StatusOK)
		if string(got.body) != "{}" {
			t.Errorf("body = %s, want {}", got.body)
		}
	})
	t.Run("202 with a new run when asked", func(t *testing.T) {
		t.Parallel()
		a := newTestAPI(t, Config{NoChangeStatus: http.StatusAccepted}, scanned("app"))
		first := runIDOf(t, a.patchSetup(`{"state":"configured"}`, http.StatusAccepted))
		second := runIDOf(t, a.patchSetup(`{"state":"configured"}`, http.StatusAccepted))
		if first == second {
			t.Errorf("both answers name run %d", first)
		}
		if got := a.getRun(second); got["conclusion"] != "success" {
			t.Errorf("no-change run concluded %v", got["conclusion"])
		}
	})
	t.Run("202 names the run under way", func(t *testing.T) {
		t.Parallel()
		a := newTestAPI(t, Config{NoChangeStatus: http.StatusAccepted, RunQueued: time.Hour}, scanned("app"))
		first := runIDOf(t, a.patchSetup(`{"state":"configured"}`, http.StatusAccepted))
		second := runIDOf(t, a.patchSetup(`{"languages":["go","python"]}`, http.StatusAccepted))
		if first != second {
			t.Errorf("run under way is %d, answer names %d", first, second)
		}
	})
}

func TestConflictWhileRunUnderWay(t *testing.T) {
	t.Parallel()
	slow := Config{RunQueued: time.Hour}
	t.Run("after a PATCH", func(t *testing.T) {
		t.Parallel()
		a := newTestAPI(t, slow, scanned("app"))
		a.patchSetup(`{"state":"configured"}`, http.StatusAccepted)
		a.do("PATCH", setupPath, `{"query_suite":"extended"}`).expectError(t, http.StatusConflict, msgRunInProgress)
		// Asking again for what is being applied is not a conflict.
		a.patchSetup(`{"state":"configured"}`, http.StatusOK)
	})
	t.Run("after a change made elsewhere", func(t *testing.T) {
		t.Parallel()
		a := newTestAPI(t, slow, scanned("app"))
		if id := a.emu.StartOutOfBandRun("octo-org", "app", DefaultSetup{Languages: []string{"go"}}); id == 0 {
			t.Fatal("no run started")
		}
		a.do("PATCH", setupPath, `{"state":"not-configured"}`).expectError(t, http.StatusConflict, msgRunInProgress)
	})
	t.Run("not after the run completes", func(t *testing.T) {
		t.Parallel()
		a := newTestAPI(t, slow, scanned("app"))
		clock := a.useFakeClock()
		a.patchSetup(`{"state":"configured"}`, http.StatusAccepted)
		clock.Advance(time.Hour)
		a.patchSetup(`{"query_suite":"extended"}`, http.StatusAccepted)
	})
}

func TestShowPendingConfig(t *testing.T) {
	t.Parallel()
	for _, show := range []bool{false, true} {
		t.Run(map[bool]string{false: "old until the run completes", true: "new at once"}[show], func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, Config{ShowPendingConfig: show, RunQueued: time.Minute, RunInProgress: time.Minute},
				scanned("app"))
			clock := a.useFakeClock()
			a.patchSetup(`{"state":"configured","languages":["go"]}`, http.StatusAccepted)
			during := a.getSetup()
			accessor, _ := a.emu.DefaultSetup("octo-org", "app")
			wantDuring := map[bool]string{false: "not-configured", true: "configured"}[show]
			if during["state"] != wantDuring || accessor.State != wantDuring {
				t.Errorf("during the run: GET state %v, accessor state %v, want %s",
					during["state"], accessor.State, wantDuring)
			}

			clock.Advance(2 * time.Minute)
			after := a.getSetup()
			if after["state"] != "configured" || !reflect.DeepEqual(after["languages"], []any{"go"}) {
				t.Errorf("after the run: %v", after)
			}
			if show && !reflect.DeepEqual(during, after) {
				t.Errorf("the pending configuration shown (%v) is not the one applied (%v)", during, after)
			}
		})
	}
}

func TestSetDefaultSetupIsImmediate(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{RunQueued: time.Hour}, scanned("app"))
	a.emu.SetDefaultSetup("octo-org", "app", DefaultSetup{Languages: []string{"ruby", "go"}, QuerySuite: "extended"})
	got := a.getSetup()
	if got["state"] != "configured" || !reflect.DeepEqual(got["languages"], []any{"go", "ruby"}) ||
		got["query_suite"] != "extended" || got["runner_type"] != "standard" || got["schedule"] != "weekly" ||
		got["updated_at"] == nil {
		t.Errorf("GET after SetDefaultSetup = %v", got)
	}
	ds, ok := a.emu.DefaultSetup("octo-org", "app")
	if !ok || ds.State != "configured" || ds.UpdatedAt == nil {
		t.Errorf("DefaultSetup() = %+v, %v", ds, ok)
	}
	if _, ok := a.emu.DefaultSetup("octo-org", "nope"); ok {
		t.Error("DefaultSetup() found an unknown repository")
	}
}

// TestDefaultSetupAccessorCopies proves a test cannot change the emulator through what it is given.
func TestDefaultSetupAccessorCopies(t *testing.T) {
	t.Parallel()
	e := New(Config{})
	e.AddRepository(scanned("app"))
	e.SetDefaultSetup("octo-org", "app", DefaultSetup{Languages: []string{"go"}})
	ds, _ := e.DefaultSetup("octo-org", "app")
	ds.Languages[0] = "ruby"
	*ds.RunnerType = "labeled"
	again, _ := e.DefaultSetup("octo-org", "app")
	if again.Languages[0] != "go" || *again.RunnerType != "standard" {
		t.Errorf("emulator state changed through a returned value: %+v", again)
	}
}

func runIDOf(t *testing.T, r response) int64 {
	t.Helper()
	var body runStartedJSON
	if err := json.Unmarshal(r.body, &body); err != nil || body.RunID == 0 {
		t.Fatalf("no run_id in %s: %v", r.body, err)
	}
	return body.RunID
}

// GitHub's description lets GET report the retired "javascript" and "typescript"; the knob
// reports them in place of javascript-typescript, and off, GET reports what PATCH took.
func TestDefaultSetupCanReportJavaScriptAndTypeScriptApart(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		split []string
		want  []any
	}{
		"off":        {nil, []any{"go", "javascript-typescript"}},
		"both":       {[]string{"javascript", "typescript"}, []any{"go", "javascript", "typescript"}},
		"javascript": {[]string{"javascript"}, []any{"go", "javascript"}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, Config{SplitJavaScriptTypeScript: tc.split}, scanned("app"))
			a.patchSetup(`{"state":"configured","languages":["javascript-typescript","go"]}`, http.StatusAccepted)
			if got := a.getSetup()["languages"]; !reflect.DeepEqual(got, tc.want) {
				t.Errorf("languages = %v, want %v", got, tc.want)
			}
			// The configuration itself is unchanged: the same PATCH again changes nothing.
			a.patchSetup(`{"languages":["go","javascript-typescript"]}`, http.StatusOK)
			if ds, _ := a.emu.DefaultSetup("octo-org", "app"); !reflect.DeepEqual(ds.Languages, []string{"go", "javascript-typescript"}) {
				t.Errorf("DefaultSetup languages = %v", ds.Languages)
			}
		})
	}
}
