package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// policyScope is where a dismissal policy applies: one repository, or every repository of an
// organization that the token can see, through the organization's alert list.
type policyScope struct {
	repo githubclient.Repository // zero for an organization
	org  string
}

// String is the scope as the policy's id begins: owner/name, or the organization.
func (s policyScope) String() string {
	if s.org != "" {
		return s.org
	}
	return s.repo.String()
}

// resolvePolicyScope reads the repository or organization attribute.
func resolvePolicyScope(ctx context.Context, data *providerData, repository, organization types.String, diags *diag.Diagnostics) (policyScope, bool) {
	if !organization.IsNull() {
		return policyScope{org: organization.ValueString()}, true
	}
	repo, ok := resolveRepository(ctx, data, path.Root("repository"), repository.ValueString(), diags)
	return policyScope{repo: repo}, ok
}

// repository is the repository an alert listed in the scope belongs to.
func (s policyScope) repository(repo string) (githubclient.Repository, error) {
	if s.org == "" {
		return s.repo, nil
	}
	return githubclient.ParseRepository(repo, s.org)
}

// list reads the scope's alerts in one state through the policy's server-side filters.
func (s policyScope) list(ctx context.Context, client *githubclient.Client, match policyMatch, state string) ([]listedAlert, error) {
	var out []listedAlert
	scopeRepo := s.repo.String()
	keep := func(a githubclient.Alert) error {
		repo := scopeRepo
		if s.org != "" {
			if a.Repository == nil {
				return nil
			}
			repo = a.Repository.FullName
		}
		out = append(out, listedAlert{repo: repo, alert: policyFields(a)})
		return nil
	}
	var err error
	if s.org != "" {
		filter := match.filter(state)
		filter.Ref = "" // the organization list has no ref: ValidateConfig refuses one
		_, err = client.EachOrganizationAlert(ctx, s.org, filter, keep)
	} else {
		_, err = client.EachRepositoryAlert(ctx, s.repo, match.filter(state), keep)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// policyFields is the part of a listed alert that a policy reads: its number and state, its
// dismissal's reason and comment (dismissedByPolicy, ownDismissal, importedDismissal), and what
// policyMatch.matches compares. The rest (dates, users, the rule's description and tags, the
// instance's message, the organization list's repository) stays with the page it came in, so
// that a view of 20,000 alerts holds a few MiB rather than tens of them
// (BenchmarkPolicyViewOfAnOrganization20000, view-MiB).
func policyFields(a githubclient.Alert) githubclient.Alert {
	kept := githubclient.Alert{Number: a.Number, State: a.State, DismissedReason: a.DismissedReason, DismissedComment: a.DismissedComment}
	kept.Rule.ID = a.Rule.ID
	kept.Tool.Name = a.Tool.Name
	kept.MostRecentInstance.Location.Path = a.MostRecentInstance.Location.Path
	return kept
}

// view lists the scope's open and dismissed alerts: two lists narrowed by state, which leave
// out the fixed alerts a single list would page through. withOpen false lists only the
// dismissed ones (an imported policy, which matches nothing yet).
func (s policyScope) view(ctx context.Context, client *githubclient.Client, match policyMatch, withOpen bool) (policyView, error) {
	var v policyView
	var err error
	if withOpen {
		if v.open, err = s.list(ctx, client, match, githubclient.AlertOpen); err != nil {
			return v, err
		}
	}
	v.dismissed, err = s.list(ctx, client, match, githubclient.AlertDismissed)
	return v, err
}

// policyViewCache hands the lists a policy's refresh read to the plan that follows it in the
// same run, so that a plan lists a policy's alerts once, not twice (a refresh costs
// ceil(alerts listed / 100) requests, and the plan nothing more). A view is taken once, and only
// within viewFreshFor of its reading; a plan without a refresh lists anew. A nil cache keeps
// nothing.
type policyViewCache struct {
	mu    sync.Mutex
	views map[string]cachedView
}

type cachedView struct {
	view policyView
	read time.Time
}

// viewFreshFor bounds how old a refresh's lists may be for the plan to use them: a plan follows
// its refresh within seconds.
const viewFreshFor = time.Minute

// policyViewKey names what a view lists: the scope and the filters GitHub applied.
func policyViewKey(scope policyScope, match policyMatch) string {
	return strings.Join([]string{scope.String(), match.toolName, match.severity, match.ref}, "\x00")
}

func (c *policyViewCache) put(key string, v policyView) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.views == nil {
		c.views = map[string]cachedView{}
	}
	c.views[key] = cachedView{view: v, read: time.Now()}
}

func (c *policyViewCache) take(key string) (policyView, bool) {
	if c == nil {
		return policyView{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.views[key]
	delete(c.views, key)
	return v.view, ok && time.Since(v.read) < viewFreshFor
}

// policyID is a policy's id and import ID: owner/name:policy or organization:policy.
func policyID(scope policyScope, name string) string { return scope.String() + ":" + name }

var errPolicyIDForm = errors.New("not scope:name")

// parsePolicyID reads an import ID: owner/name:policy for a repository, organization:policy
// for an organization.
func parsePolicyID(id string) (repository, organization, name string, err error) {
	i := strings.LastIndex(id, ":")
	if i <= 0 || i == len(id)-1 {
		return "", "", "", errPolicyIDForm
	}
	scope, name := id[:i], id[i+1:]
	if !policyNamePattern.MatchString(name) {
		return "", "", "", fmt.Errorf("%w: policy name %q", errPolicyIDForm, name)
	}
	if strings.Contains(scope, "/") {
		if _, err := githubclient.ParseRepository(scope, ""); err != nil {
			return "", "", "", err
		}
		return scope, "", name, nil
	}
	return "", scope, name, nil
}
