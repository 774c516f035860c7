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
	switch {
	case errors.As(err, &runErr):
		return "GitHub's run for this change did not succeed. Open the run to see why, fix the cause (often a language that cannot be built without a custom setup), and apply again."
	case errors.As(err, &timeoutErr):
		return "The operation ran out of time while GitHub was still working. Raise the resource's timeouts, or set wait_for_run = false to return once GitHub accepts the change."
	case errors.As(err, &apiErr):
		return apiErr.Advice()
	default:
		return "Check the provider's settings and try again."
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
