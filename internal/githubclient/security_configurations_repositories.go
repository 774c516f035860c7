package githubclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// Attachment statuses of a repository, as GitHub names them.
const (
	AttachmentAttached            = "attached"
	AttachmentAttaching           = "attaching"
	AttachmentDetached            = "detached"
	AttachmentRemoved             = "removed"
	AttachmentEnforced            = "enforced"
	AttachmentFailed              = "failed"
	AttachmentUpdating            = "updating"
	AttachmentRemovedByEnterprise = "removed_by_enterprise"
)

// AttachmentStatuses are every status GitHub's descriptions list, for a status filter.
var AttachmentStatuses = []string{AttachmentAttached, AttachmentAttaching, AttachmentDetached, AttachmentRemoved,
	AttachmentEnforced, AttachmentFailed, AttachmentUpdating, AttachmentRemovedByEnterprise}

// Covers reports whether a status means the configuration manages the repository.
func Covers(status string) bool { return status == AttachmentAttached || status == AttachmentEnforced }

// ConfigurationRepository is a repository in a configuration's list and its attachment status.
type ConfigurationRepository struct {
	Status     string             `json:"status"`
	Repository AttachedRepository `json:"repository"`
}

// AttachedRepository is the part of GitHub's simple repository the provider uses.
type AttachedRepository struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	FullName string `json:"full_name"`
	Private  bool   `json:"private"`
	HTMLURL  string `json:"html_url"`
}

// ListSecurityConfigurationRepositories reads every repository associated with a
// configuration, with its status, page by page; statuses (none: all) filters them.
func (c *Client) ListSecurityConfigurationRepositories(ctx context.Context, org string, id int64, statuses ...string) ([]ConfigurationRepository, error) {
	query := url.Values{}
	if len(statuses) > 0 {
		query.Set("status", strings.Join(statuses, ","))
	}
	op := fmt.Sprintf("list repositories of %s %d of organization %s", opConfiguration, id, org)
	return listPages[ConfigurationRepository](ctx, c, op, Repository{}, configurationPath(org, id, "/repositories"), query, 0)
}

// RepositorySecurityConfiguration is the configuration that manages a repository's settings and
// the repository's status in it.
type RepositorySecurityConfiguration struct {
	Status        string                 `json:"status"`
	Configuration *SecurityConfiguration `json:"configuration"`
}

// GetRepositorySecurityConfiguration reads the configuration attached to a repository: nil when
// GitHub answers 204, no configuration.
func (c *Client) GetRepositorySecurityConfiguration(ctx context.Context, repo Repository) (*RepositorySecurityConfiguration, error) {
	req, err := c.newRequest(http.MethodGet, repo.path("/code-security-configuration"), nil)
	if err != nil {
		return nil, err
	}
	var rc RepositorySecurityConfiguration
	resp, err := c.gh.Do(ctx, req, &rc)
	if err != nil {
		return nil, asAPIError("read "+opConfiguration, repo, req, resp, err)
	}
	if resp.StatusCode == http.StatusNoContent || rc.Configuration == nil {
		return nil, nil
	}
	return &rc, nil
}

// RepositoryID is the numeric ID GitHub gives a repository, which attach and detach take.
func (c *Client) RepositoryID(ctx context.Context, repo Repository) (int64, error) {
	var r struct {
		ID int64 `json:"id"`
	}
	if err := c.send(ctx, "read repository", repo, http.MethodGet, repo.path(""), nil, &r); err != nil {
		return 0, err
	}
	return r.ID, nil
}

// AttachmentFailedError names the repositories GitHub could not attach a configuration to
// (status failed: most often no licence for a paid feature).
type AttachmentFailedError struct {
	Org             string
	ConfigurationID int64
	Repositories    []string // full names, sorted
}

func (e *AttachmentFailedError) Error() string {
	return fmt.Sprintf("GitHub could not attach %s %d of organization %s to %d repositories (status failed): %s",
		opConfiguration, e.ConfigurationID, e.Org, len(e.Repositories), strings.Join(e.Repositories, ", "))
}

// AttachmentProgress is what one poll of a configuration's repositories showed.
type AttachmentProgress struct {
	Repositories []ConfigurationRepository
	// Pending are the full names of targets not yet attached or enforced (missing from the list,
	// attaching or updating), sorted.
	Pending []string
}

// WaitForAttachment polls a configuration's repository list, with the client's run back-off,
// until every repository of targets (by ID) is attached or enforced, or, with no targets (a
// scope), until none is attaching or updating. A target that ends failed, or that GitHub lists
// as detached or removed once nothing is under way, is *AttachmentFailedError naming it; ctx's
// end is *AttachmentTimeoutError naming the repositories still pending.
func (c *Client) WaitForAttachment(ctx context.Context, org string, id int64, targets map[int64]string) (*AttachmentProgress, error) {
	var last *AttachmentProgress
	for attempt := 0; ; attempt++ {
		repos, err := c.ListSecurityConfigurationRepositories(ctx, org, id)
		if err != nil {
			if ctx.Err() != nil && last != nil {
				return last, attachmentTimeout(last, ctx.Err())
			}
			return last, err
		}
		progress, failed := attachmentProgress(repos, targets)
		last = progress
		if len(failed) > 0 {
			return progress, &AttachmentFailedError{Org: org, ConfigurationID: id, Repositories: failed}
		}
		if len(progress.Pending) == 0 {
			return progress, nil
		}
		c.log(ctx, "waiting for GitHub to attach the code security configuration", map[string]any{
			"organization": org, "configuration_id": id, "pending": len(progress.Pending)})
		if err := c.clock.Sleep(ctx, c.runBackoff.Delay(attempt)); err != nil {
			return progress, attachmentTimeout(progress, err)
		}
	}
}

// attachmentProgress reads one poll: pending targets and failed ones (full names, sorted).
func attachmentProgress(repos []ConfigurationRepository, targets map[int64]string) (*AttachmentProgress, []string) {
	progress := &AttachmentProgress{Repositories: repos}
	var failed []string
	underWay := func(status string) bool { return status == AttachmentAttaching || status == AttachmentUpdating }
	if len(targets) == 0 {
		for _, r := range repos {
			switch {
			case r.Status == AttachmentFailed:
				failed = append(failed, r.Repository.FullName)
			case underWay(r.Status):
				progress.Pending = append(progress.Pending, r.Repository.FullName)
			}
		}
	} else {
		seen := map[int64]string{}
		for _, r := range repos {
			if _, ok := targets[r.Repository.ID]; ok {
				seen[r.Repository.ID] = r.Status
			}
		}
		for repoID, name := range targets {
			status, listed := seen[repoID]
			switch {
			case status == AttachmentFailed:
				failed = append(failed, name)
			case !listed || !Covers(status):
				progress.Pending = append(progress.Pending, name)
			}
		}
	}
	sort.Strings(failed)
	sort.Strings(progress.Pending)
	return progress, slices.Compact(failed)
}

// AttachmentTimeoutError is a wait for attachment that ran out of time, naming what was pending.
type AttachmentTimeoutError struct {
	Pending []string
	Err     error
}

func (e *AttachmentTimeoutError) Error() string {
	shown := e.Pending
	more := ""
	if len(shown) > 10 {
		shown, more = shown[:10], fmt.Sprintf(" and %d more", len(e.Pending)-10)
	}
	return fmt.Sprintf("gave up waiting for GitHub to attach the configuration to %d repositories (%s%s): %v", len(e.Pending), strings.Join(shown, ", "), more, e.Err)
}

func (e *AttachmentTimeoutError) Unwrap() error { return e.Err }

func attachmentTimeout(p *AttachmentProgress, err error) error {
	return &AttachmentTimeoutError{Pending: p.Pending, Err: err}
}
