package provider

import (
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
	"github.com/codescanning/terraform-provider-codescanning/internal/wait"
)

// addClientError turns a client error into a diagnostic: a summary, a detail that says what to
// do, then the original error, as every diagnostic of this provider reads.
func addClientError(diags *diag.Diagnostics, summary string, err error) {
	diags.AddError(summary, adviceFor(err)+"\n\nOriginal Error: "+err.Error())
}

func adviceFor(err error) string {
	var apiErr *githubclient.APIError
	var runErr *githubclient.RunFailedError
	var timeoutErr *wait.TimeoutError
	var unavailable *githubclient.UnavailableError
	switch {
	case errors.As(err, &runErr):
		return "GitHub's run for this change did not succeed. Open the run to see why, fix the cause (often a language that cannot be built without a custom setup), and apply again."
	case errors.As(err, &timeoutErr):
		return "The operation ran out of time while GitHub was still working. Raise the resource's timeouts, or set wait_for_run = false to return once GitHub accepts the change."
	case errors.As(err, &unavailable):
		return unavailableAdvice(unavailable)
	case errors.As(err, &apiErr):
		return apiErr.Advice()
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
