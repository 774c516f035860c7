package provider

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// repositoryFormat accepts "owner/name" or "name"; whether a bare name has an owner to go with
// it is only known once the provider is configured.
var repositoryFormat = stringvalidator.RegexMatches(
	regexp.MustCompile(`^(?:[A-Za-z0-9][A-Za-z0-9-]{0,38}/)?[A-Za-z0-9._-]{1,100}$`),
	`must be "owner/name", or "name" when the provider's owner is set`,
)

var repositoryValidators = []validator.String{repositoryFormat}

// resolveRepository reads a repository attribute, using the provider's owner for a bare name.
func resolveRepository(_ context.Context, data *providerData, attr path.Path, value string, diags *diag.Diagnostics) (githubclient.Repository, bool) {
	repo, err := githubclient.ParseRepository(value, data.owner)
	if err != nil {
		diags.AddAttributeError(attr, "Invalid repository", err.Error())
		return githubclient.Repository{}, false
	}
	return repo, true
}
