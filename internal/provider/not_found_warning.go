package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// notFound describes what a 404 found missing, for warnNotFound.
type notFound struct {
	what      string // "code scanning default setup", "code scanning alert 7"
	leaves    string // what stays on GitHub if it is only hidden: "stays configured"
	permitted string // what a visible repository's 404 likely lacks
	importID  string // the resource's import ID, to manage it again
}

// warnNotFound says in terraform's output, not only in a log line, that GitHub answered 404 for
// what the state holds, so the resource leaves the state. GitHub answers 404 alike for a
// repository that is gone and for one the token may not see, so it asks about the repository
// itself: shown, the repository exists and the 404 is about the thing (or its permission);
// not shown, it is gone or hidden from this token, and if hidden, what it holds stays on GitHub
// with Terraform no longer managing it.
func warnNotFound(ctx context.Context, client *githubclient.Client, repo githubclient.Repository, nf notFound, destroying bool, diags *diag.Diagnostics) {
	summary := "GitHub answers 404 for the " + nf.what + " of " + repo.String() + "; removed from the state"
	if destroying {
		summary = "Nothing to destroy: GitHub answers 404 for the " + nf.what + " of " + repo.String()
	}
	visible, err := client.RepositoryVisible(ctx, repo)
	var detail string
	switch {
	case err != nil:
		detail = "Whether the repository itself exists could not be checked (" + err.Error() + "). If it does and the token cannot see it, it " + nf.leaves + "."
	case visible:
		detail = "The repository exists and the token can see it, so this 404 is about the " + nf.what + " itself: " + nf.permitted + "."
	default:
		detail = "GitHub answers 404 for the repository itself: it was deleted, renamed or transferred, or this token cannot see it. " +
			"If it still exists, it " + nf.leaves + " and Terraform no longer manages it: a classic token needs the repo scope for a private repository; " +
			"a fine-grained token or GitHub App must be granted this repository."
	}
	detail += " To manage it again once the token can see it, import it with the ID \"" + nf.importID + "\" (or apply, which creates it anew)."
	tflog.Warn(ctx, summary, map[string]any{"repository": repo.String(), "repository_visible": visible})
	diags.AddWarning(summary, detail)
}
