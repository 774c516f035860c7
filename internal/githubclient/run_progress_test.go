package githubclient

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/emulatortest"
	"github.com/codescanning/terraform-provider-codescanning/internal/wait"
)

// infoLog collects what a client says at INFO.
type infoLog struct {
	mu     sync.Mutex
	msgs   []string
	fields []map[string]any
}

func (l *infoLog) info(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.msgs, l.fields = append(l.msgs, msg), append(l.fields, fields)
}

// newProgressClient polls runs every second by a fake clock the emulator shares, so a run of
// minutes is read many times in each status however slowly a busy machine answers.
func newProgressClient(t *testing.T, cfg emulator.Config) (*Client, *infoLog) {
	t.Helper()
	fake, _ := sharedFakeClock(&cfg)
	emu, baseURL := emulatortest.NewServer(t, cfg)
	emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: "service", AdvancedSecurity: true, Languages: []string{"go", "python"}})
	l := &infoLog{}
	c, err := New(Config{BaseURL: baseURL, Token: "secret-token", RunBackoff: wait.Backoff{Initial: time.Second, Max: time.Second, Factor: 1}, Info: l.info, Clock: fake})
	if err != nil {
		t.Fatal(err)
	}
	return c, l
}

// A person following an apply sees, at INFO, the run's id, its web link and each status it
// passes through once, however often it is polled; never the API URL, which a browser cannot open.
func TestWaitForRunLogsEachStatusOnceWithTheRunsWebLink(t *testing.T) {
	t.Parallel()
	c, l := newProgressClient(t, emulator.Config{RunQueued: 20 * time.Second, RunInProgress: 40 * time.Second})
	ctx := context.Background()
	run, err := c.UpdateDefaultSetup(ctx, service, DefaultSetupUpdate{State: StateConfigured, Languages: []string{"go"}})
	if err != nil || run == nil {
		t.Fatalf("UpdateDefaultSetup = %v, %v", run, err)
	}
	if _, err := c.WaitForRun(ctx, service, *run); err != nil {
		t.Fatal(err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var statuses []string
	for i, f := range l.fields {
		link, _ := f["html_url"].(string)
		if f["run_id"] != run.ID || link == "" || strings.Contains(link, "/repos/") || !strings.HasSuffix(link, "/octo-org/service/actions/runs/"+strconv.FormatInt(run.ID, 10)) {
			t.Errorf("INFO %q fields %v: want run_id %d and the run's web link, not its API URL %s", l.msgs[i], f, run.ID, run.URL)
		}
		if !strings.Contains(l.msgs[i], link) {
			t.Errorf("INFO %q does not give the link %s in its message", l.msgs[i], link)
		}
		status, _ := f["status"].(string)
		statuses = append(statuses, status)
	}
	// Polled every second for tens of them, the run is read many times in each status.
	if len(statuses) < 2 || statuses[len(statuses)-1] != "completed" || strings.Count(strings.Join(statuses, ","), "completed") != 1 ||
		(statuses[0] != "queued" && statuses[0] != "in_progress") || strings.Count(strings.Join(statuses, ","), "in_progress") != 1 {
		t.Errorf("INFO statuses %q, want each status the run passed through (queued, in_progress, completed) once", statuses)
	}
	if last := l.fields[len(l.fields)-1]; last["conclusion"] != "success" {
		t.Errorf("completed run logged without its conclusion: %v", last)
	}
}

// A wait that runs out of time gives the run's web link, so a person can see what GitHub is doing.
func TestWaitForRunTimeoutGivesTheRunsWebLink(t *testing.T) {
	t.Parallel()
	c, _ := newProgressClient(t, emulator.Config{RunQueued: time.Millisecond, RunInProgress: time.Hour})
	run, err := c.UpdateDefaultSetup(context.Background(), service, DefaultSetupUpdate{State: StateConfigured, Languages: []string{"go"}})
	if err != nil || run == nil {
		t.Fatalf("UpdateDefaultSetup = %v, %v", run, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = c.WaitForRun(ctx, service, *run)
	var timeout *wait.TimeoutError
	if !errors.As(err, &timeout) {
		t.Fatalf("WaitForRun = %v, want a timeout", err)
	}
	if !strings.Contains(err.Error(), "/octo-org/service/actions/runs/"+strconv.FormatInt(run.ID, 10)+")") || strings.Contains(err.Error(), "/repos/") {
		t.Errorf("timeout %q does not give the run's web link", err)
	}
}

// A run the provider did not read still gets the link a person opens, where the API root says
// where GitHub's web pages are; nowhere else is one guessed.
func TestRunWebURLFollowsTheAPIRoot(t *testing.T) {
	t.Parallel()
	for baseURL, want := range map[string]string{
		"":                                  "https://github.com/octo-org/service/actions/runs/42",
		"https://octo.ghe.com":              "https://octo.ghe.com/octo-org/service/actions/runs/42",
		"https://github.example.com":        "https://github.example.com/octo-org/service/actions/runs/42",
		"https://github.example.com:8443":   "https://github.example.com:8443/octo-org/service/actions/runs/42",
		"https://proxy.example.com/github/": "",
	} {
		c, err := New(Config{BaseURL: baseURL, Token: "secret-token"})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.RunWebURL(service, 42); got != want {
			t.Errorf("base_url %q: RunWebURL = %q, want %q", baseURL, got, want)
		}
	}
}
