package githubclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Alert states and the reasons GitHub accepts for a dismissal (with spaces, as GitHub spells them).
const (
	AlertOpen      = "open"
	AlertDismissed = "dismissed"
	AlertFixed     = "fixed"
)

// DismissalReasons are the values GitHub accepts for dismissed_reason. "mitigated" is in the
// PATCH body of every OpenAPI description (github.com, GHES 3.17 and 3.19), though GitHub's prose
// lists only the first three.
var DismissalReasons = []string{"false positive", "won't fix", "used in tests", "mitigated"}

// MaxDismissalComment is the longest dismissed_comment GitHub accepts.
const MaxDismissalComment = 280

// User is the part of a GitHub user the provider shows.
type User struct {
	Login string `json:"login"`
}

// Alert is a code scanning alert. The client's own type, because go-github's lacks assignees and
// the organization form's repository is all that list needs.
type Alert struct {
	Number           int        `json:"number"`
	State            string     `json:"state"`
	CreatedAt        *time.Time `json:"created_at"`
	UpdatedAt        *time.Time `json:"updated_at"`
	FixedAt          *time.Time `json:"fixed_at"`
	DismissedAt      *time.Time `json:"dismissed_at"`
	DismissedBy      *User      `json:"dismissed_by"`
	DismissedReason  *string    `json:"dismissed_reason"`
	DismissedComment *string    `json:"dismissed_comment"`
	// DismissalApprovedBy is the reviewer who approved a dismissal request, where dismissal is
	// delegated; GitHub shows nothing of a request still waiting, denied or expired.
	DismissalApprovedBy *User         `json:"dismissal_approved_by"`
	HTMLURL             string        `json:"html_url"`
	Rule                AlertRule     `json:"rule"`
	Tool                AlertTool     `json:"tool"`
	MostRecentInstance  AlertInstance `json:"most_recent_instance"`
	Assignees           []User        `json:"assignees"`
	Repository          *struct {
		FullName string `json:"full_name"`
	} `json:"repository"`
}

// AlertRule is the rule that raised an alert.
type AlertRule struct {
	ID                    *string  `json:"id"`
	Name                  string   `json:"name"`
	Severity              *string  `json:"severity"`
	SecuritySeverityLevel *string  `json:"security_severity_level"`
	Description           string   `json:"description"`
	Tags                  []string `json:"tags"`
}

// AlertTool is the analysis tool that raised an alert.
type AlertTool struct {
	Name    *string `json:"name"`
	Version *string `json:"version"`
	GUID    *string `json:"guid"`
}

// AlertInstance is one place an alert was found, on one ref.
type AlertInstance struct {
	Ref         string `json:"ref"`
	AnalysisKey string `json:"analysis_key"`
	Environment string `json:"environment"`
	Category    string `json:"category"`
	State       string `json:"state"`
	CommitSHA   string `json:"commit_sha"`
	Message     struct {
		Text string `json:"text"`
	} `json:"message"`
	Location struct {
		Path        string `json:"path"`
		StartLine   int    `json:"start_line"`
		EndLine     int    `json:"end_line"`
		StartColumn int    `json:"start_column"`
		EndColumn   int    `json:"end_column"`
	} `json:"location"`
	Classifications []string `json:"classifications"`
}

// AlertFilter narrows an alert list; empty fields are not sent. Max caps how many alerts are
// read (0: all of them).
type AlertFilter struct {
	ToolName, ToolGUID, Ref, State, Severity, Sort, Direction, Assignees string
	PR                                                                   int
	Max                                                                  int
}

func (f AlertFilter) query() url.Values {
	return filterQuery(map[string]string{
		"tool_name": f.ToolName, "tool_guid": f.ToolGUID, "ref": f.Ref, "state": f.State,
		"severity": f.Severity, "sort": f.Sort, "direction": f.Direction, "assignees": f.Assignees,
	}, f.PR)
}

// AlertList is an alert list as read, with the alerts GitHub listed that fail a filter it was
// asked for left out.
type AlertList struct {
	Alerts []Alert
	// LeftOut counts, by query parameter, the alerts listed that fail that filter. A server that
	// does not know a filter ignores it (severity, assignees and pr are newer than GitHub's
	// OpenAPI description of the repository list), and an unfiltered list must never reach a
	// for_each that dismisses.
	LeftOut map[string]int
}

// ListRepositoryAlerts reads a repository's alerts, every page of them. A repository code
// scanning never analyzed has no alerts, though GitHub answers 404 "no analysis found".
func (c *Client) ListRepositoryAlerts(ctx context.Context, repo Repository, filter AlertFilter) (AlertList, error) {
	return collectAlerts(func(each func(Alert) error) (map[string]int, error) {
		return c.EachRepositoryAlert(ctx, repo, filter, each)
	})
}

// EachRepositoryAlert reads the list ListRepositoryAlerts reads, handing each alert kept to each
// as its page arrives, so that the caller holds one page at a time rather than every alert (10,000
// alerts are tens of MiB); it returns what ListRepositoryAlerts' LeftOut holds.
func (c *Client) EachRepositoryAlert(ctx context.Context, repo Repository, filter AlertFilter, each func(Alert) error) (leftOut map[string]int, err error) {
	leftOut, err = c.eachAlert(ctx, "list code scanning alerts", repo, repo.path("/code-scanning/alerts"), filter, each)
	if IsNoAnalysis(err) {
		return nil, nil
	}
	return leftOut, err
}

// collectAlerts gathers what an Each*Alert reads into an AlertList.
func collectAlerts(list func(each func(Alert) error) (map[string]int, error)) (AlertList, error) {
	alerts := []Alert{}
	leftOut, err := list(func(a Alert) error {
		alerts = append(alerts, a)
		return nil
	})
	if err != nil {
		return AlertList{}, err
	}
	return AlertList{Alerts: alerts, LeftOut: leftOut}, nil
}

// eachAlert reads an alert list, handing on the alerts that pass the filters it sends; Max
// counts only those.
func (c *Client) eachAlert(ctx context.Context, op string, repo Repository, path string, filter AlertFilter, each func(Alert) error) (map[string]int, error) {
	var leftOut map[string]int
	err := eachListed(ctx, c, op, repo, path, filter.query(), filter.Max, func(a Alert) bool {
		failed := filter.failedBy(a)
		if failed != "" {
			if leftOut == nil {
				leftOut = map[string]int{}
			}
			leftOut[failed]++
		}
		return failed == ""
	}, each)
	return leftOut, err
}

// failedBy names the first filter, of those a server may not know, that a fails; "" if none.
// Each check accepts whatever GitHub's own filter could have matched, so it never drops an
// alert a server that knows the filter listed:
//   - severity matches the rule's severity or its security severity;
//   - assignees matches any login given (ignoring case), "*" any assignee, "none" none;
//   - pr matches an alert shown with its instance on the pull request's ref (refs/pull/N/...),
//     as GitHub shows the instance on the ref a list asks for.
func (f AlertFilter) failedBy(a Alert) string {
	if f.Severity != "" && !strings.EqualFold(derefOr(a.Rule.Severity), f.Severity) && !strings.EqualFold(derefOr(a.Rule.SecuritySeverityLevel), f.Severity) {
		return "severity"
	}
	if f.Assignees != "" && !assignedToAny(a.Assignees, strings.Split(f.Assignees, ",")) {
		return "assignees"
	}
	if f.PR > 0 && !strings.HasPrefix(a.MostRecentInstance.Ref, fmt.Sprintf("refs/pull/%d/", f.PR)) {
		return "pr"
	}
	return ""
}

func assignedToAny(users []User, terms []string) bool {
	for _, term := range terms {
		term = strings.TrimSpace(term)
		switch {
		case term == "*" && len(users) > 0, term == "none" && len(users) == 0:
			return true
		}
		for _, u := range users {
			if strings.EqualFold(u.Login, term) {
				return true
			}
		}
	}
	return false
}

func derefOr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// IsNoAnalysis reports whether err is GitHub's 404 for a repository with no code scanning
// analysis yet, which a list reads as empty rather than as a missing repository.
func IsNoAnalysis(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound && strings.Contains(strings.ToLower(apiErr.Message), "no analysis found")
}

// opListOrganizationAlerts names the organization alert list in errors, which Advice recognises.
const opListOrganizationAlerts = "list code scanning alerts of organization"

// EachOrganizationAlert reads an organization's alerts across its repositories, every page,
// handing each on as EachRepositoryAlert does.
func (c *Client) EachOrganizationAlert(ctx context.Context, org string, filter AlertFilter, each func(Alert) error) (leftOut map[string]int, err error) {
	return c.eachAlert(ctx, opListOrganizationAlerts+" "+org, Repository{}, "orgs/"+org+"/code-scanning/alerts", filter, each)
}

// GetAlert reads one alert.
func (c *Client) GetAlert(ctx context.Context, repo Repository, number int) (*Alert, error) {
	return get[Alert](ctx, c, fmt.Sprintf("read code scanning alert %d", number), repo, repo.path(fmt.Sprintf("/code-scanning/alerts/%d", number)))
}

// IsAlreadyDismissed reports whether err is GitHub's refusal to dismiss an alert that is already
// dismissed. It is known by GitHub's message ("Alert is already dismissed."), not its status:
// GitHub documents neither, and the answer is reported both as 409 and as 400.
func IsAlreadyDismissed(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 &&
		strings.Contains(strings.ToLower(apiErr.Message), "already dismissed")
}

// InstanceFilter narrows an alert's instances to a ref or a pull request.
type InstanceFilter struct {
	Ref string
	PR  int
	Max int
}

// ListAlertInstances reads every instance of an alert.
func (c *Client) ListAlertInstances(ctx context.Context, repo Repository, number int, filter InstanceFilter) ([]AlertInstance, error) {
	q := url.Values{}
	if filter.Ref != "" {
		q.Set("ref", filter.Ref)
	}
	if filter.PR > 0 {
		q.Set("pr", strconv.Itoa(filter.PR))
	}
	return listPages[AlertInstance](ctx, c, fmt.Sprintf("list instances of code scanning alert %d", number), repo, repo.path(fmt.Sprintf("/code-scanning/alerts/%d/instances", number)), q, filter.Max)
}
