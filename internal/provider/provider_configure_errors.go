package provider

import (
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// addConfigureError reports an error of building the client on the setting at fault, with the
// fix; anything else as a client error.
func addConfigureError(diags *diag.Diagnostics, err error) {
	var cacheErr *githubclient.CacheDirError
	switch {
	case errors.As(err, &cacheErr):
		diags.AddAttributeError(path.Root("cache_dir"), "cache_dir cannot be used",
			"The provider could not create or write the directory "+cacheErr.Dir+". Make it a directory the user running Terraform can write "+
				"(the provider creates it, mode 0700, when its parent is writable), or remove cache_dir to keep the cache in memory for this command only."+
				"\n\nOriginal Error: "+err.Error())
	default:
		addClientError(diags, "Cannot configure the GitHub client", err)
	}
}
