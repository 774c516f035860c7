package githubclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/codescanning/terraform-provider-codescanning/internal/wait"
)

// RunStatus is what the client reads of a run. GitHub promises status and conclusion on run_url
// but not that it is always an Actions workflow run, so nothing else is relied on.
type RunStatus struct {
	ID         int64   `json:"id"`
	Status     string  `json:"status"`
	Conclusion *string `json:"conclusion"`
	HTMLURL    string  `json:"html_url"`
}

// RunFailedError is a run that completed with a conclusion other than success.
type RunFailedError struct {
	Repository Repository
	Run        RunStatus
}

func (e *RunFailedError) Error() string {
	conclusion := "(none)"
	if e.Run.Conclusion != nil {
		conclusion = *e.Run.Conclusion
	}
	msg := fmt.Sprintf("code scanning default setup run %d of %s completed with conclusion %q", e.Run.ID, e.Repository, conclusion)
	if e.Run.HTMLURL != "" {
		msg += "; see " + e.Run.HTMLURL
	}
	return msg
}

// WaitForRun polls a run until it completes. A completed run with a conclusion other than
// success is a *RunFailedError; ctx's end is a *wait.TimeoutError.
func (c *Client) WaitForRun(ctx context.Context, repo Repository, run Run) (*RunStatus, error) {
	path, err := c.runPath(repo, run)
	if err != nil {
		return nil, err
	}
	progress := &runProgress{c: c, repo: repo}
	poll := wait.StateChange[*RunStatus]{
		Target:  []string{"completed"},
		Backoff: c.runBackoff,
		Clock:   c.clock,
		Refresh: func(ctx context.Context) (*RunStatus, string, error) {
			status, err := c.readRun(ctx, repo, run, path)
			if err != nil {
				return nil, "", err
			}
			progress.saw(ctx, status)
			return status, status.Status, nil
		},
	}
	status, err := poll.Wait(ctx)
	if err != nil {
		if link := progress.link(); link != "" {
			return status, fmt.Errorf("waiting for default setup run %d of %s (%s): %w", run.ID, repo, link, err)
		}
		return status, fmt.Errorf("waiting for default setup run %d of %s: %w", run.ID, repo, err)
	}
	if status.Conclusion == nil || *status.Conclusion != "success" {
		return status, &RunFailedError{Repository: repo, Run: *status}
	}
	return status, nil
}

// WaitForDefaultSetupRun waits for the run that applies update, as WaitForRun does. Reading a
// run needs the Actions: read permission of a GitHub App or fine-grained token on a private
// repository, which changing default setup does not: when GitHub refuses the run (403, or the
// 404 it gives for what a token may not see), it waits instead until GET default-setup shows
// what update asks for (waitWithoutTheRun), and says so once per client at WARN. It then
// returns a nil status and no error: GitHub accepted the change and now shows it.
func (c *Client) WaitForDefaultSetupRun(ctx context.Context, repo Repository, run Run, update DefaultSetupUpdate) (*RunStatus, error) {
	status, err := c.WaitForRun(ctx, repo, run)
	if code := StatusCode(err); code != http.StatusForbidden && code != http.StatusNotFound {
		return status, err
	}
	c.runUnreadable.Do(func() {
		fields := map[string]any{"repository": repo.String(), "run_id": run.ID, "status": StatusCode(err), "error": err.Error()}
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.AcceptedPermissions != "" {
			fields["accepted_permissions"] = apiErr.AcceptedPermissions
		}
		c.warn(ctx, "GitHub refused to show the default setup run; waiting until default setup shows the new configuration instead. "+
			"To follow runs and see why one failed, grant the GitHub App or fine-grained token the repository permission Actions: read. "+
			"This is said once; other repositories are waited for the same way.", fields)
	})
	return nil, c.waitWithoutTheRun(ctx, repo, run, update)
}

// UnappliedConfigurationError is a run that could not be read ending with GitHub showing a
// configuration other than the one it was to apply: most likely it failed, and GitHub kept
// default setup on without the languages it could not analyse.
type UnappliedConfigurationError struct {
	Repository Repository
	RunID      int64
	Shown      DefaultSetup
}

func (e *UnappliedConfigurationError) Error() string {
	return fmt.Sprintf("default setup of %s now shows state %q with languages %q, not what run %d was to apply; "+
		"the run could not be read (that needs Actions: read), so its conclusion is unknown, but most likely it failed",
		e.Repository, e.Shown.State, e.Shown.Languages, e.RunID)
}

// waitWithoutTheRun polls GET default-setup until it shows update. A failed run leaves GitHub
// showing something else for good (the languages it could not analyse dropped): once the
// settings differ from those the first poll saw, are the same on two polls in a row, and still
// are not update's, the run has ended without applying update, an *UnappliedConfigurationError. updated_at is not compared, as
// GitHub does not document when it changes. A run that fails leaving the settings as the first
// poll saw them is only noticed at ctx's end.
func (c *Client) waitWithoutTheRun(ctx context.Context, repo Repository, run Run, update DefaultSetupUpdate) error {
	var first, last *DefaultSetup
	poll := wait.StateChange[*DefaultSetup]{
		Target:  []string{"applied", "ended otherwise"},
		Backoff: c.runBackoff,
		Clock:   c.clock,
		Refresh: func(ctx context.Context) (*DefaultSetup, string, error) {
			ds, err := c.GetDefaultSetup(ctx, repo)
			if err != nil {
				return nil, "", err
			}
			previous := last
			last = ds
			switch {
			case update.shownBy(ds):
				return ds, "applied", nil
			case first == nil:
				first = ds
			case !sameSettings(first, ds) && sameSettings(previous, ds):
				// Changed, and the same on two polls in a row: not a step on the way.
				return ds, "ended otherwise", nil
			}
			return ds, "applying", nil
		},
	}
	ds, err := poll.Wait(ctx)
	if err != nil {
		return fmt.Errorf("waiting for GitHub to show the default setup of %s it accepted: %w (GitHub refused to show run %d, "+
			"so the provider waited for the configuration instead; grant Actions: read to see the run's conclusion)", repo, err, run.ID)
	}
	if !update.shownBy(ds) {
		return &UnappliedConfigurationError{Repository: repo, RunID: run.ID, Shown: *ds}
	}
	return nil
}

// sameSettings reports whether a and b configure the same analysis, whenever they were changed.
func sameSettings(a, b *DefaultSetup) bool {
	return a.State == b.State && slices.Equal(canonicalLanguages(a.Languages), canonicalLanguages(b.Languages)) &&
		a.QuerySuite == b.QuerySuite && equalPtr(a.ThreatModel, b.ThreatModel) &&
		equalPtr(a.RunnerType, b.RunnerType) && equalPtr(a.RunnerLabel, b.RunnerLabel)
}

// GetRun reads a run once: its status, and its conclusion once completed.
func (c *Client) GetRun(ctx context.Context, repo Repository, run Run) (*RunStatus, error) {
	path, err := c.runPath(repo, run)
	if err != nil {
		return nil, err
	}
	return c.readRun(ctx, repo, run, path)
}

func (c *Client) readRun(ctx context.Context, repo Repository, run Run, path string) (*RunStatus, error) {
	status, err := get[RunStatus](ctx, c, "read default setup run", repo, path)
	if err != nil {
		return nil, err
	}
	c.log(ctx, "default setup run", map[string]any{"repository": repo.String(), "run_id": run.ID, "status": status.Status})
	return status, nil
}

// runPath is where to read a run: run_url when it lies below the configured API root, else the
// Actions path built from run_id, so that the token never follows a URL to another host.
func (c *Client) runPath(repo Repository, run Run) (string, error) {
	if u, err := url.Parse(run.URL); err == nil && u.IsAbs() &&
		strings.EqualFold(u.Host, c.baseURL.Host) && u.Scheme == c.baseURL.Scheme &&
		strings.HasPrefix(u.Path, c.baseURL.Path) {
		return strings.TrimPrefix(u.Path, c.baseURL.Path), nil
	}
	if run.ID <= 0 {
		return "", fmt.Errorf("GitHub answered with run %q, which is neither on the API host %s nor has a run id to read it by", run.URL, c.baseURL.Host)
	}
	return repo.path("/actions/runs/" + strconv.FormatInt(run.ID, 10)), nil
}
