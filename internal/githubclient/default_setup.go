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
// change, or nil when GitHub answered that nothing changed. While GitHub answers 409 because
// another run is validating a different configuration, it waits and asks again until ctx ends.
func (c *Client) UpdateDefaultSetup(ctx context.Context, repo Repository, update DefaultSetupUpdate) (*Run, error) {
	const op = "update default setup"
	ctx, trace := withSendTrace(ctx)
	var conflict error // the last 409, reported if time runs out while waiting it out
	for attempt := 0; ; attempt++ {
		req, err := c.newRequest(http.MethodPatch, repo.path("/code-scanning/default-setup"), update)
		if err != nil {
			return nil, err
		}
		resp, err := c.gh.Do(ctx, req, nil)
		var accepted *github.AcceptedError
		switch {
		case err == nil && trace.resent.Load():
			// The transport sent this PATCH again after an answer was lost. The first may have
			// started a run that applies this very configuration, and GitHub answers the second
			// as if there were nothing to do: wait until GitHub shows the configuration.
			return nil, c.waitForConfiguration(ctx, repo, update)
		case err == nil:
			return nil, nil
		case errors.As(err, &accepted):
			var run Run
			if err := json.Unmarshal(accepted.Raw, &run); err != nil {
				return nil, fmt.Errorf("%s of %s: GitHub accepted the change but its answer %q is not a run: %w", op, repo, accepted.Raw, err)
			}
			c.log(ctx, "default setup change accepted", map[string]any{"repository": repo.String(), "run_id": run.ID})
			return &run, nil
		}
		apiErr := asAPIError(op, repo, resp, err)
		if conflict != nil && ctx.Err() != nil {
			return nil, fmt.Errorf("%w; still refused when the operation's time ran out (%v)", conflict, ctx.Err())
		}
		if StatusCode(apiErr) != http.StatusConflict {
			return nil, apiErr
		}
		conflict = apiErr
		delay := c.retry409.Delay(attempt)
		c.log(ctx, "another default setup run is in progress; waiting to try again", map[string]any{"repository": repo.String(), "attempt": attempt + 1, "delay": delay.String()})
		if err := wait.Sleep(ctx, delay); err != nil {
			return nil, fmt.Errorf("%w; still refused when the operation's time ran out (%v)", conflict, err)
		}
	}
}

// waitForConfiguration polls the default setup until GitHub shows what update asks for.
func (c *Client) waitForConfiguration(ctx context.Context, repo Repository, update DefaultSetupUpdate) error {
	poll := wait.StateChange[*DefaultSetup]{
		Target:  []string{"applied"},
		Backoff: c.runBackoff,
		Refresh: func(ctx context.Context) (*DefaultSetup, string, error) {
			ds, err := c.GetDefaultSetup(ctx, repo)
			if err != nil {
				return nil, "", err
			}
			if update.shownBy(ds) {
				return ds, "applied", nil
			}
			return ds, "applying", nil
		},
	}
	if _, err := poll.Wait(ctx); err != nil {
		return fmt.Errorf("waiting for GitHub to show the default setup of %s it accepted: %w", repo, err)
	}
	return nil
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
