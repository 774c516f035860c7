package provider

import (
	"context"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// repositoryFormat accepts "owner/name" or "name"; whether a bare name has an owner to go with
// it is only known once the provider is configured.
var repositoryFormat = stringvalidator.RegexMatches(
	regexp.MustCompile(`^(?:[A-Za-z0-9][A-Za-z0-9-]{0,38}/)?[A-Za-z0-9._-]{1,100}$`),
	`must be "owner/name", or "name" when the provider's owner is set`,
)

var repositoryValidators = []validator.String{repositoryFormat}

// repositoryAttribute is the repository a data source reads, required; the resources and the
// organization-wide lists describe theirs with a sentence more.
func repositoryAttribute() dsschema.StringAttribute {
	return dsschema.StringAttribute{
		MarkdownDescription: "Repository as `owner/name`, or `name` with the provider's `owner`.",
		Required:            true,
		Validators:          repositoryValidators,
	}
}

// sameRepository reports whether two repository attribute values name one repository, a bare
// name meaning the provider's owner's: then changing one into the other is no change.
func sameRepository(data *providerData, a, b string) bool {
	if data == nil {
		return false
	}
	ra, errA := githubclient.ParseRepository(a, data.owner)
	rb, errB := githubclient.ParseRepository(b, data.owner)
	return errA == nil && errB == nil && strings.EqualFold(ra.String(), rb.String())
}

// planRepository keeps a planned repository that means the state's as the state's value, and
// otherwise asks for replacement: a resource never moves between repositories in place.
func planRepository(data *providerData, planned *types.String, prior types.String, resp *resource.ModifyPlanResponse) {
	if planned.Equal(prior) {
		return
	}
	if sameRepository(data, planned.ValueString(), prior.ValueString()) {
		*planned = prior
		return
	}
	resp.RequiresReplace = append(resp.RequiresReplace, path.Root("repository"))
}

// checkPlannedRepository fails the plan when a planned repository cannot be resolved, such as a
// bare name with no provider owner: apply would fail on it, after a pull request's plan had
// gone green. An unknown repository is checked at apply, the first time it is known.
func checkPlannedRepository(ctx context.Context, data *providerData, planned types.String, diags *diag.Diagnostics) {
	if data == nil || planned.IsNull() || planned.IsUnknown() {
		return
	}
	resolveRepository(ctx, data, path.Root("repository"), planned.ValueString(), diags)
}

// resolveImportRepository reads the repository part of an import ID as the repository attribute
// reads it, so that a bare name means the provider's owner's repository in both.
func resolveImportRepository(data *providerData, s string) (githubclient.Repository, error) {
	owner := ""
	if data != nil {
		owner = data.owner
	}
	return githubclient.ParseRepository(s, owner)
}

// resolveRepository reads a repository attribute, using the provider's owner for a bare name.
func resolveRepository(_ context.Context, data *providerData, attr path.Path, value string, diags *diag.Diagnostics) (githubclient.Repository, bool) {
	repo, err := githubclient.ParseRepository(value, data.owner)
	if err != nil {
		diags.AddAttributeError(attr, "Invalid repository", err.Error())
		return githubclient.Repository{}, false
	}
	return repo, true
}
