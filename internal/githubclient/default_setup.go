package githubclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/codescanning/terraform-provider-codescanning/internal/transport"
	"github.com/codescanning/terraform-provider-codescanning/internal/wait"
)

// Default setup states, as GitHub names them.
const (
	StateConfigured    = "configured"
	StateNotConfigured = "not-configured"
)

// DefaultSetup is a repository's code scanning default setup as GitHub reports it. go-github's
// type lacks threat_model, runner_type, runner_label and schedule, hence this one.
type DefaultSetup struct {
	State string `json:"state"`
	// Languages are in the names a PATCH takes, sorted, each once: GitHub may report
	// "javascript" and "typescript", which GetDefaultSetup reads as "javascript-typescript".
	Languages  []string `json:"languages"`
	QuerySuite string   `json:"query_suite"`
	// ThreatModel is nil where the server has no threat models (GHES 3.17 and older).
	ThreatModel *string    `json:"threat_model,omitempty"`
	RunnerType  *string    `json:"runner_type"`
	RunnerLabel *string    `json:"runner_label"`
	Schedule    *string    `json:"schedule"`
	UpdatedAt   *time.Time `json:"updated_at"`
}

// DefaultSetupUpdate is the body of a default setup PATCH. Empty fields are left out, so GitHub
// keeps (or chooses) their values: an unset threat model is never sent.
type DefaultSetupUpdate struct {
	State       string   `json:"state,omitempty"`
	Languages   []string `json:"languages,omitempty"`
	QuerySuite  string   `json:"query_suite,omitempty"`
	ThreatModel string   `json:"threat_model,omitempty"`
	RunnerType  string   `json:"runner_type,omitempty"`
	RunnerLabel string   `json:"runner_label,omitempty"`
	// ClearRunnerLabel sends "runner_label": null (the schema makes it nullable) when RunnerLabel
	// is empty: GitHub does not document what a move to standard runners does to the label of
	// labeled ones, so the provider says it.
	ClearRunnerLabel bool `json:"-"`
}

// MarshalJSON is the PATCH body: the fields set, and runner_label null when asked to clear it.
func (u DefaultSetupUpdate) MarshalJSON() ([]byte, error) {
	type fields DefaultSetupUpdate // the same fields, without this method
	raw, err := json.Marshal(fields(u))
	if err != nil || !u.ClearRunnerLabel || u.RunnerLabel != "" {
		return raw, err
	}
	sep := ","
	if string(raw) == "{}" {
		sep = ""
	}
	return append(append(raw[:len(raw)-1:len(raw)-1], sep+`"runner_label":null`...), '}'), nil
}

// Run is what GitHub answers to an accepted default setup change: the run that applies it.
type Run struct {
	ID  int64  `json:"run_id"`
	URL string `json:"run_url"`
}

// GetDefaultSetup reads a repository's default setup.
func (c *Client) GetDefaultSetup(ctx context.Context, repo Repository) (*DefaultSetup, error) {
	req, err := c.newRequest(http.MethodGet, repo.path("/code-scanning/default-setup"), nil)
	if err != nil {
		return nil, err
	}
	var ds DefaultSetup
	if err := c.do(ctx, "read default setup", repo, req, &ds); err != nil {
		return nil, err
	}
	if err := checkDefaultSetupLanguages(ds.Languages); err != nil {
		return nil, &APIError{Op: "read default setup", Repository: repo, StatusCode: http.StatusOK, Method: req.Method, URL: calledURL(req.URL), Err: err}
	}
	ds.Languages = canonicalLanguages(ds.Languages)
	return &ds, nil
}

// javaScriptTypeScript is the one name a PATCH takes for JavaScript and TypeScript; GitHub's
// description of GET still lists the older "javascript" and "typescript" it may report.
const javaScriptTypeScript = "javascript-typescript"

// canonicalLanguages names languages as a PATCH does, sorted and each once, never nil: GitHub
// analyses JavaScript and TypeScript together, so either older name means
// javascript-typescript, and reporting both is still one language.
func canonicalLanguages(languages []string) []string {
	out := make([]string, 0, len(languages))
	for _, l := range languages {
		if l == "javascript" || l == "typescript" {
			l = javaScriptTypeScript
		}
		out = append(out, l)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// UpdateDefaultSetup asks GitHub for a new default setup. It returns the run that applies the
// change, or nil once GitHub shows the configuration asked for. While GitHub answers 409 because
// another run is validating a different configuration, it waits and asks again until ctx ends.
//
// GitHub answers 200, "no change", both when it holds the configuration already and when a run
// started earlier is still applying it: a run whose 202 the transport lost (and so resent the
// PATCH), another workspace's, a change's that did not wait. Such a run may yet fail, and GET
// shows its configuration only once it succeeds, so a 200 is settled by awaitConfiguration.
func (c *Client) UpdateDefaultSetup(ctx context.Context, repo Repository, update DefaultSetupUpdate) (*Run, error) {
	run, err := c.patchDefaultSetup(ctx, repo, update)
	if err != nil || run != nil {
		return run, err
	}
	return c.awaitConfiguration(ctx, repo, update)
}

// patchDefaultSetup sends the PATCH, waiting out 409s. A nil run with a nil error is GitHub's 200.
func (c *Client) patchDefaultSetup(ctx context.Context, repo Repository, update DefaultSetupUpdate) (*Run, error) {
	const op = "update default setup"
	var conflict error // the last 409, reported if time runs out while waiting it out
	for attempt := 0; ; attempt++ {
		req, err := c.newRequest(http.MethodPatch, repo.path("/code-scanning/default-setup"), update)
		if err != nil {
			return nil, err
		}
		resp, err := c.gh.Do(ctx, req, nil)
		var accepted *github.AcceptedError
		switch {
		case err == nil:
			c.log(ctx, "GitHub answered that nothing changes; waiting until it shows the configuration",
				map[string]any{"repository": repo.String(), "resent": transport.DeliveryOf(resp.Response).Resent()})
			return nil, nil
		case errors.As(err, &accepted):
			var run Run
			if err := json.Unmarshal(accepted.Raw, &run); err != nil {
				return nil, fmt.Errorf("%s of %s: GitHub accepted the change but its answer %q is not a run: %w", op, repo, accepted.Raw, err)
			}
			c.log(ctx, "default setup change accepted", map[string]any{"repository": repo.String(), "run_id": run.ID})
			return &run, nil
		}
		apiErr := asAPIError(op, repo, req, resp, err)
		if conflict != nil && ctx.Err() != nil {
			return nil, fmt.Errorf("%w; still refused when the operation's time ran out (%v)", conflict, ctx.Err())
		}
		if StatusCode(apiErr) != http.StatusConflict {
			return nil, apiErr
		}
		conflict = apiErr
		delay := c.retry409.Delay(attempt)
		c.log(ctx, "another default setup run is in progress; waiting to try again", map[string]any{"repository": repo.String(), "attempt": attempt + 1, "delay": delay.String()})
		if err := c.clock.Sleep(ctx, delay); err != nil {
			return nil, fmt.Errorf("%w; still refused when the operation's time ran out (%v)", conflict, err)
		}
	}
}

// reaskAfterPolls is how many of its longest poll intervals pass before the PATCH is sent again
// while GitHub's configuration stays as it was: a minute with the default back-off.
const reaskAfterPolls = 4

// NotShownError is a change GitHub answered "no change" to, and then did not show before the
// operation's time ran out: a run started earlier may still be applying it.
type NotShownError struct {
	Repository Repository
	Shown      *DefaultSetup // what GitHub showed last; nil if it was never read
	Err        error
}

func (e *NotShownError) Error() string {
	shown := "nothing readable"
	if e.Shown != nil {
		shown = fmt.Sprintf("state %q, languages %q, query suite %q", e.Shown.State, e.Shown.Languages, e.Shown.QuerySuite)
	}
	return fmt.Sprintf("GitHub answered that default setup of %s already has the configuration asked for, "+
		"but still showed %s when waiting for it ended: a run started earlier may still be applying it (%v)", e.Repository, shown, e.Err)
}

func (e *NotShownError) Unwrap() error { return e.Err }

// awaitConfiguration settles a 200 by polling GET until it shows update. A configuration that
// changes without becoming update means the run that was applying it ended without doing so; and
// a failing run may leave the configuration as it was. In both cases the PATCH is sent again
// (on a change, and every reaskAfterPolls longest intervals besides): while a run still applies update GitHub answers 200
// again, once none does it answers 202 with a run, whose conclusion then says what happened.
// The run GitHub started first cannot be found otherwise: the API lists no runs of a repository
// that the client may rely on (GitHub's description gives only GET of one run by id).
func (c *Client) awaitConfiguration(ctx context.Context, repo Repository, update DefaultSetupUpdate) (*Run, error) {
	var last *DefaultSetup
	reaskEvery := reaskAfterPolls * max(c.runBackoff.Max, c.runBackoff.Initial)
	asked := c.clock.Now()
	poll := wait.StateChange[*Run]{
		Target:  []string{"shown", "run started"},
		Backoff: c.runBackoff,
		Clock:   c.clock,
		Refresh: func(ctx context.Context) (*Run, string, error) {
			ds, err := c.GetDefaultSetup(ctx, repo)
			if err != nil {
				return nil, "", err
			}
			previous := last
			last = ds
			if update.shownBy(ds) {
				return nil, "shown", nil
			}
			changed := previous != nil && !ds.sameAs(previous)
			if !changed && c.clock.Now().Sub(asked) < reaskEvery {
				return nil, "applying", nil
			}
			asked = c.clock.Now()
			c.log(ctx, "GitHub still does not show the configuration; asking again", map[string]any{"repository": repo.String(), "changed": changed})
			run, err := c.patchDefaultSetup(ctx, repo, update)
			if err != nil || run == nil {
				return nil, "applying", err
			}
			return run, "run started", nil
		},
	}
	run, err := poll.Wait(ctx)
	var timeout *wait.TimeoutError
	if errors.As(err, &timeout) {
		return nil, &NotShownError{Repository: repo, Shown: last, Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("waiting for GitHub to show the default setup of %s it accepted: %w", repo, err)
	}
	return run, nil
}

// sameAs reports whether ds and other show the same configuration, changed at the same time.
func (ds *DefaultSetup) sameAs(other *DefaultSetup) bool {
	return sameSettings(ds, other) &&
		((ds.UpdatedAt == nil) == (other.UpdatedAt == nil) && (ds.UpdatedAt == nil || ds.UpdatedAt.Equal(*other.UpdatedAt)))
}

func equalPtr[T comparable](a, b *T) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

// shownBy reports whether ds has every setting u names.
func (u DefaultSetupUpdate) shownBy(ds *DefaultSetup) bool {
	if u.State != "" && u.State != ds.State {
		return false
	}
	if ds.State != StateConfigured {
		return true
	}
	if u.Languages != nil && !slices.Equal(canonicalLanguages(u.Languages), canonicalLanguages(ds.Languages)) {
		return false
	}
	if u.ClearRunnerLabel && u.RunnerLabel == "" && ds.RunnerLabel != nil {
		return false
	}
	for _, pair := range [][2]*string{{&u.QuerySuite, &ds.QuerySuite}, {&u.ThreatModel, ds.ThreatModel}, {&u.RunnerType, ds.RunnerType}, {&u.RunnerLabel, ds.RunnerLabel}} {
		if *pair[0] != "" && (pair[1] == nil || *pair[1] != *pair[0]) {
			return false
		}
	}
	return true
}
