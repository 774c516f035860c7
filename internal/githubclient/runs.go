package githubclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
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
// what update asks for, and says so once per client at WARN. It then returns a nil status and
// no error: GitHub accepted the change and now shows it. A run that fails where the run cannot
// be read leaves the wait to ctx's end, as GitHub then never shows update.
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
	if err := c.waitForConfiguration(ctx, repo, update); err != nil {
		return nil, fmt.Errorf("%w (GitHub refused to show run %d, so the provider waited for the configuration instead; "+
			"grant Actions: read to see the run's conclusion)", err, run.ID)
	}
	return nil, nil
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
	req, err := c.newRequest(http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	var status RunStatus
	if err := c.do(ctx, "read default setup run", repo, req, &status); err != nil {
		return nil, err
	}
	c.log(ctx, "default setup run", map[string]any{"repository": repo.String(), "run_id": run.ID, "status": status.Status})
	return &status, nil
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
