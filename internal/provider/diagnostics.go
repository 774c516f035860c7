package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// addClientError turns a client error into a diagnostic: a summary, a detail that says what to
// do, then the original error, as every diagnostic of this provider reads.
func addClientError(diags *diag.Diagnostics, summary string, err error) {
	diags.AddError(summary, adviceFor(err)+"\n\nOriginal Error: "+err.Error())
}

func adviceFor(err error) string {
	var apiErr *githubclient.APIError
	var runErr *githubclient.RunFailedError
	var timeoutErr *githubclient.TimeoutError
	var unavailable *githubclient.UnavailableError
	var unapplied *githubclient.UnappliedConfigurationError
	switch {
	case errors.As(err, &unapplied):
		return "GitHub's run for this change most likely did not succeed; the state records what GitHub holds. Grant the GitHub App or fine-grained token " +
			"the repository permission Actions: read to see the run's conclusion, fix the cause (often a language that cannot be built without a custom setup), and apply again."
	case errors.As(err, &runErr):
		return "GitHub's run for this change did not succeed. Open the run to see why, fix the cause (often a language that cannot be built without a custom setup), and apply again."
	case errors.As(err, &timeoutErr):
		return "The operation ran out of time while GitHub was still working. Open the run (the original error below links it) to see how far it got; " +
			"raise the resource's timeouts, or set wait_for_run = false to return once GitHub accepts the change."
	case errors.As(err, &unavailable):
		return unavailableAdvice(unavailable)
	case errors.Is(err, context.DeadlineExceeded):
		return "The operation ran out of time waiting for GitHub. Raise its timeouts (a data source's timeouts.read), or check base_url and the network if GitHub should have answered sooner."
	case errors.As(err, &apiErr):
		return apiErrorAdvice(apiErr)
	default:
		return "Check the provider's settings and try again."
	}
}

// unavailableAdvice says what to do about a server without a feature: the Terraform setting to
// change, or the release to upgrade to.
func unavailableAdvice(u *githubclient.UnavailableError) string {
	switch u.Feature {
	case githubclient.FeatureCodeQLDatabases:
		return "GitHub Enterprise Server has no CodeQL database API, in any release. Remove the codescanning_codeql_database and " +
			"codescanning_codeql_databases data sources from configurations that use this server."
	case githubclient.FeatureDismissalRequests:
		return "This GitHub Enterprise Server release cannot take a dismissal request; it would ignore create_request and dismiss the alert " +
			"outright, so nothing was sent. Set create_request = false (or remove it) to dismiss the alert, or upgrade the server to " +
			"GitHub Enterprise Server " + u.Since + " or later."
	default:
		return "The server does not have what this configuration asks of it; see the error below."
	}
}

// addLookupError is addClientError for something a data source looks up by attr (an ID, a
// language): GitHub's 404 then more likely means that thing is missing than the repository, so
// the diagnostic points at the attribute and says so first, in notFound.
func addLookupError(diags *diag.Diagnostics, attr path.Path, summary, notFound string, err error) {
	if !githubclient.IsNotFound(err) {
		addClientError(diags, summary, err)
		return
	}
	diags.AddAttributeError(attr, summary, notFound+" If the repository is what is missing: "+adviceFor(err)+"\n\nOriginal Error: "+err.Error())
}

// addAlertError is addClientError for a request about one alert. GitHub's 404 then most likely
// means the alert is missing, or hidden from a token without the scope or permission alerts need
// (which the repository's own 404 advice does not name); a refused dismissal where the
// repository delegates dismissal to reviewers is fixed by create_request.
func addAlertError(diags *diag.Diagnostics, summary string, repo githubclient.Repository, number int, err error) {
	if isDelegatedDismissalRefusal(err) {
		diags.AddAttributeError(path.Root("create_request"), summary,
			repo.String()+" delegates alert dismissal to reviewers, so GitHub takes only a request to dismiss. "+
				"Set create_request = true: the alert then stays open until a reviewer approves the request."+
				"\n\nOriginal Error: "+err.Error())
		return
	}
	addLookupError(diags, path.Root("alert_number"), summary,
		fmt.Sprintf("GitHub has no code scanning alert %d in %s, or the token cannot see the repository's alerts: a classic token needs the security_events scope "+
			"(public_repo is enough for a public repository only); a GitHub App or fine-grained token needs the repository permission Code scanning alerts "+
			"(read to read alerts, write to dismiss them). The codescanning_alerts data source lists the alert numbers there are.", number, repo), err)
}

// isDelegatedDismissalRefusal reports whether GitHub refused to dismiss an alert because the
// repository delegates dismissal, which GitHub says in its message (400, github.com).
func isDelegatedDismissalRefusal(err error) bool {
	var apiErr *githubclient.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	msg := strings.ToLower(apiErr.Message)
	return strings.Contains(msg, "delegated alert dismissal") || strings.Contains(msg, "create_request parameter is false")
}
